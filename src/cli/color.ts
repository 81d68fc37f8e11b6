// Whether terminal output gets colours: only on a terminal, and never when NO_COLOR is set (no-color.org).

/** True when writing to stdout (no --out) on a terminal without NO_COLOR. */
export function useColor(toFile: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return !toFile && process.stdout.isTTY === true && !env.NO_COLOR;
}
