// Process exit codes, one meaning each.

export const EXIT_OK = 0;
/** A bug or an unexpected failure. */
export const EXIT_FAILURE = 1;
/** An input could not be read (not a capture, unreadable header, missing file) or bad usage. */
export const EXIT_BAD_INPUT = 2;
/** `--fail-on LEVEL` was reached (issue 6). */
export const EXIT_ALERT = 3;
