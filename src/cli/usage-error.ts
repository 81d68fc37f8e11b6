// Bad command-line usage: reported in one line, exit code 2.

/** Thrown for a wrong option value or argument. */
export class UsageError extends Error {
  override name = "UsageError";
}
