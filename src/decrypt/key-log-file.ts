// Reading an NSS key log file (SSLKEYLOGFILE, `--keylog FILE`) into a KeyStore for the faces (CLI, server).
// An unreadable file is an error with one line to say; lines that do not parse are only a warning.

import { readFileSync, statSync } from "node:fs";
import { type KeyLogLoad, KeyStore } from "./key-log.ts";

/** Largest key log read: a year of browsing logs a few MB; anything far larger is not a key log. */
export const MAX_KEY_LOG_BYTES = 256 * 1024 * 1024;

/** The key log file could not be read. */
export class KeyLogFileError extends Error {
  override name = "KeyLogFileError";
}

/**
 * Loads `path` into a new KeyStore (or into `into`). Throws KeyLogFileError when the file cannot be read;
 * `warn` receives one line when some lines did not parse (see keyLogWarning).
 */
export function loadKeyLogFile(path: string, warn?: (message: string) => void, into?: KeyStore): KeyStore {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_KEY_LOG_BYTES) throw new KeyLogFileError(`${path}: key log of ${size} bytes is too large`);
    text = readFileSync(path, "latin1");
  } catch (e) {
    if (e instanceof KeyLogFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new KeyLogFileError(`${path}: cannot read the key log${code ? ` (${code})` : ""}`);
  }
  const keys = into ?? new KeyStore();
  const load = keys.addKeyLog(text);
  const message = keyLogWarning(path, load);
  if (message) warn?.(message);
  return keys;
}

/** The warning for a load with bad lines, or undefined when every line parsed. */
export function keyLogWarning(path: string, load: KeyLogLoad): string | undefined {
  if (load.bad === 0) return undefined;
  const lines = load.bad === 1 ? "1 line" : `${load.bad} lines`;
  return `${path}: ${lines} of the key log did not parse (first at line ${load.firstBadLine}); ${load.added} secret(s) read`;
}
