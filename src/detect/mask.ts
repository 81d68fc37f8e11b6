// Privacy by default: identifier values leave phonehome masked unless the user asks to reveal them.

const DOT = "•";

/** Masks a value keeping a few characters at each end, e.g. `861234567890127` → `86123•••••••0127`. */
export function maskValue(value: string): string {
  const chars = [...value];
  const n = chars.length;
  if (n <= 3) return DOT.repeat(n);
  const head = n >= 12 ? 5 : n >= 8 ? 2 : 1;
  const tail = n >= 12 ? 4 : n >= 8 ? 2 : 1;
  return chars.slice(0, head).join("") + DOT.repeat(n - head - tail) + chars.slice(n - tail).join("");
}
