// Numbers as people read them in reports.

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Bytes with a decimal unit, e.g. `1.2 MB`. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}
