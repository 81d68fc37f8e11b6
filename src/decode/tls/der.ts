// A minimal DER walker (ITU-T X.690 §8, §10): enough to step through an X.509 certificate's TLV tree without
// a dependency. Reads never throw and never go past the limit they are given; a bad length reads as "no TLV".

/** One TLV: its tag byte and where its content lies. Reused by callers to avoid allocation. */
export interface Tlv {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the content (the next TLV's offset). */
  end: number;
}

/** A fresh TLV holder. */
export function newTlv(): Tlv {
  return { tag: 0, start: 0, end: 0 };
}

/** DER tags used by X.509 (X.690 §8.1.2, with the constructed bit where X.509 sets it). */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  numericString: 0x12,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/**
 * Reads the TLV at `off` into `out` and returns its tag; -1 when it is not a valid DER TLV inside
 * [off, limit): a multi-byte tag, the indefinite length (forbidden in DER, X.690 §10.1), a length over
 * 4 bytes, or content past `limit`.
 */
export function readTlv(b: Uint8Array, off: number, limit: number, out: Tlv): number {
  if (off + 2 > limit) return -1;
  const tag = b[off];
  if ((tag & 0x1f) === 0x1f) return -1;
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4 || p + count > limit) return -1;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + b[p + i];
    p += count;
  }
  if (p + len > limit) return -1;
  out.tag = tag;
  out.start = p;
  out.end = p + len;
  return tag;
}

/** True when b[start, end) holds exactly the bytes of `oid` (an encoded OID body). */
export function sameBytes(b: Uint8Array, start: number, end: number, oid: Uint8Array): boolean {
  if (end - start !== oid.length) return false;
  for (let i = 0; i < oid.length; i++) if (b[start + i] !== oid[i]) return false;
  return true;
}
