// pcapng option lists (draft-ietf-opsawg-pcapng §3.5) and the small value decoders blocks need: UTF-8
// strings, 64-bit counters, and the IPv4/IPv6 addresses of Name Resolution Block records.

/** Option codes shared by every block. */
export const OPT_ENDOFOPT = 0;
/** opt_comment: UTF-8 text. */
export const OPT_COMMENT = 1;

/** Called for each option: its code and where its value lies in the buffer. */
export type OptionVisitor = (code: number, valueOff: number, valueLen: number) => void;

/**
 * Walks the options in `buf[start, end)`, calling `visit` for each one before opt_endofopt. Returns
 * false when an option claims more bytes than remain (the walk stops there; earlier options were visited).
 */
export function walkOptions(
  view: DataView,
  start: number,
  end: number,
  le: boolean,
  visit: OptionVisitor,
): boolean {
  let pos = start;
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, le);
    const len = view.getUint16(pos + 2, le);
    if (code === OPT_ENDOFOPT) return true;
    if (pos + 4 + len > end) return false;
    visit(code, pos + 4, len);
    // Values are padded to 32 bits; the padding may be missing after the last option.
    pos += 4 + ((len + 3) & ~3);
  }
  // 1–3 stray bytes (less than an option header) are malformed; none at all is the normal case.
  return pos >= end;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** UTF-8 text of an option value, without the trailing NULs some writers include. */
export function optionText(buf: Uint8Array, off: number, len: number): string {
  let end = off + len;
  while (end > off && buf[end - 1] === 0) end--;
  return utf8.decode(buf.subarray(off, end));
}

/** An unsigned 64-bit option value as a decimal string (exact, whatever its size). */
export function optionU64(view: DataView, off: number, len: number, le: boolean): string | undefined {
  if (len < 8) return undefined;
  return view.getBigUint64(off, le).toString();
}

/** Dotted-quad text of 4 bytes at `off`. */
export function ipv4Text(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 text of 16 bytes at `off`: lower case, leading zeros dropped, the longest zero run as `::`. */
export function ipv6Text(buf: Uint8Array, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[off + 2 * i] << 8) | buf[off + 2 * i + 1]);
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups[5] === 0xffff && groups.slice(0, 5).every((g) => g === 0))
    return `::ffff:${ipv4Text(buf, off + 12)}`;
  // RFC 5952 §4.2.2–4.2.3: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number): string =>
    groups
      .slice(a, b)
      .map((g) => g.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** NUL-separated names in `buf[off, end)`, empty ones dropped. */
export function nulSeparatedNames(buf: Uint8Array, off: number, end: number): string[] {
  const names: string[] = [];
  let start = off;
  for (let i = off; i <= end; i++) {
    if (i === end || buf[i] === 0) {
      if (i > start) names.push(utf8.decode(buf.subarray(start, i)));
      start = i + 1;
    }
  }
  return names;
}
