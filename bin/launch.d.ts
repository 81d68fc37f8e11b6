// Types of bin/launch.js (plain JavaScript: it runs before the bundle is built or loaded).

/** V8 flags of a lean run. */
export declare const LEAN_FLAGS: string[];
/** Total input size from which a run is relaunched lean. */
export declare const LEAN_MIN_BYTES: number;
/** Set in the relaunched process, so it never relaunches again. */
export declare const LEAN_ENV: string;
/** The V8 flags to relaunch with, or none. */
export declare function leanFlags(
  args: readonly string[],
  env: Record<string, string | undefined>,
  minBytes?: number,
): string[];
/** Runs `script args` in a new Node process with `flags`; resolves with the exit code to end with. */
export declare function relaunch(flags: string[], script: string, args: string[]): Promise<number>;
