// Byte-level helpers for building packets in tests: address text to bytes, concatenation, big-endian
// writes, and the Internet checksum (RFC 1071).

/** Joins byte arrays into one. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Parses dotted-quad IPv4 text into 4 bytes; throws on malformed text (a test bug, not input). */
export function parseIpv4(text: string): Uint8Array {
  const parts = text.split(".");
  if (parts.length !== 4) throw new Error(`bad IPv4 address: ${text}`);
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(parts[i]);
    if (!/^\d{1,3}$/.test(parts[i]) || v > 255) throw new Error(`bad IPv4 address: ${text}`);
    out[i] = v;
  }
  return out;
}

/** Parses IPv6 text (RFC 4291 §2.2: `::` compression and a trailing dotted quad) into 16 bytes. */
export function parseIpv6(text: string): Uint8Array {
  const halves = text.split("::");
  if (halves.length > 2) throw new Error(`bad IPv6 address: ${text}`);
  const groups = (s: string): number[] => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (g.includes(".")) {
        const v4 = parseIpv4(g);
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(Number.parseInt(g, 16));
      else throw new Error(`bad IPv6 address: ${text}`);
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) {
    throw new Error(`bad IPv6 address: ${text}`);
  }
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** True when the text is an IPv6 address (contains a colon). */
export function isIpv6(text: string): boolean {
  return text.includes(":");
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated) into 6 bytes. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new Error(`bad MAC address: ${text}`);
  }
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

/** One's-complement sum of 16-bit big-endian words over several buffers (RFC 1071), not yet inverted. */
export function onesSum(parts: readonly Uint8Array[], init = 0): number {
  let sum = init;
  let odd = -1; // a byte carried over when a part has odd length, so words span parts correctly
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i];
      else {
        sum += (odd << 8) | p[i];
        odd = -1;
      }
    }
    sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** The Internet checksum (RFC 1071) of the concatenated buffers. */
export function internetChecksum(parts: readonly Uint8Array[], init = 0): number {
  return ~onesSum(parts, init) & 0xffff;
}

/** Writes a big-endian 16-bit value. */
export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** Writes a big-endian 32-bit value. */
export function put32(b: Uint8Array, off: number, v: number): void {
  put16(b, off, (v >>> 16) & 0xffff);
  put16(b, off + 2, v & 0xffff);
}
