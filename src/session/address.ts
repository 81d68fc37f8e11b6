// IP address bytes ⇄ text, the way analysts read them in Wireshark and Zeek logs: dotted quad for IPv4 and
// the RFC 5952 canonical form for IPv6. Called once per connection (never per packet).

/** Dotted-quad text of the 4 bytes at `data[off..off+4)`. */
export function formatIPv4(data: Uint8Array, off: number): string {
  return `${data[off]}.${data[off + 1]}.${data[off + 2]}.${data[off + 3]}`;
}

/** The longest run of zero 16-bit groups (first one on a tie); `len` 0 when there is none of length ≥ 2. */
function longestZeroRun(words: number[]): { start: number; len: number } {
  let best = { start: -1, len: 0 };
  let start = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start > best.len) best = { start, len: i - start };
      start = -1;
    }
  }
  // RFC 5952 §4.2.2: "::" MUST NOT shorten a single 16-bit 0 field.
  return best.len >= 2 ? best : { start: -1, len: 0 };
}

/**
 * RFC 5952 text of the 16 bytes at `data[off..off+16)`: lower-case hex, no leading zeros, the longest
 * (first on a tie) run of two or more zero groups as `::`. IPv4-mapped (`::ffff:a.b.c.d`) and the deprecated
 * IPv4-compatible (`::a.b.c.d`) forms end in dotted quad, as inet_ntop and tshark print them (RFC 5952 §5).
 */
export function formatIPv6(data: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((data[off + 2 * i] << 8) | data[off + 2 * i + 1]);
  const run = longestZeroRun(words);
  const v4Tail = run.start === 0 && (run.len === 6 || (run.len === 5 && words[5] === 0xffff));
  // Parts joined once, so the text is one flat string rather than a chain of concatenations.
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === run.start) {
      // "" parts around the run turn into "::" when joined with ":".
      parts.push(i === 0 ? ":" : "");
      if (i + run.len === 8) parts.push("");
      i += run.len - 1;
    } else if (v4Tail && i === 6) {
      parts.push(formatIPv4(data, off + 12));
      break;
    } else {
      parts.push(words[i].toString(16));
    }
  }
  return parts.join(":");
}

/** Text of an address of `len` bytes (4 or 16) at `data[off..)`. */
export function formatAddress(data: Uint8Array, off: number, len: 4 | 16): string {
  return len === 4 ? formatIPv4(data, off) : formatIPv6(data, off);
}

/** Bytes of a dotted-quad IPv4 address, or undefined when `text` is not one. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return undefined;
    const v = Number(parts[i]);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** 16-bit groups of one side of `::` (hex groups, the last one may be a dotted quad). */
function ipv6Groups(text: string): number[] | undefined {
  if (text === "") return [];
  const out: number[] = [];
  const parts = text.split(":");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIPv4(part);
      if (!v4) return undefined;
      out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      out.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

/** Bytes of an IPv6 address in any RFC 4291 §2.2 text form, or undefined when `text` is not one. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = ipv6Groups(halves[0]);
  const tail = halves.length === 2 ? ipv6Groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const words = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  return out;
}

/** Bytes of an IPv4 or IPv6 address in text form, or undefined when `text` is neither. */
export function parseAddress(text: string): Uint8Array | undefined {
  return text.includes(":") ? parseIPv6(text) : parseIPv4(text);
}
