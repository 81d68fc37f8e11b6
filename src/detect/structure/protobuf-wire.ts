// Protocol Buffers wire format without a schema (protobuf.dev "Encoding"): a message is a run of
// (tag varint = field << 3 | wire type, value) records. Only wire types 0 (varint), 1 (fixed64),
// 2 (length-delimited) and 5 (fixed32) are accepted: groups (3/4) are deprecated and rare, and refusing them
// makes random bytes fail the check within a few records.

/** One record read by `readField`; reused between calls so walking a message allocates nothing. */
export interface WireField {
  /** Field number (1 .. 2^29-1). */
  field: number;
  /** Wire type: 0, 1, 2 or 5. */
  wireType: number;
  /** Offset of the value (the varint, the fixed bytes, or the payload of a length-delimited field). */
  start: number;
  /** Offset just past the value. */
  end: number;
}

/** Largest field number (2^29 - 1). */
const MAX_FIELD = 536870911;

/**
 * Reads the record at `pos` (before `limit`) into `f`; returns the offset after it, or -1 when the bytes are
 * not a valid record (bad tag, bad wire type, varint over 10 bytes, length past `limit`).
 */
export function readField(data: Uint8Array, pos: number, limit: number, f: WireField): number {
  let tag = 0;
  let shift = 0;
  for (;;) {
    if (pos >= limit || shift > 28) return -1;
    const b = data[pos++];
    tag += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  const field = Math.floor(tag / 8);
  const wt = tag % 8;
  if (field < 1 || field > MAX_FIELD) return -1;
  f.field = field;
  f.wireType = wt;
  if (wt === 0) {
    const end = varintEnd(data, pos, limit);
    if (end < 0) return -1;
    f.start = pos;
    f.end = end;
    return end;
  }
  if (wt === 1 || wt === 5) {
    const n = wt === 1 ? 8 : 4;
    if (pos + n > limit) return -1;
    f.start = pos;
    f.end = pos + n;
    return pos + n;
  }
  if (wt !== 2) return -1;
  let len = 0;
  shift = 0;
  for (;;) {
    if (pos >= limit || shift > 28) return -1;
    const b = data[pos++];
    len += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) break;
  }
  if (len > limit - pos) return -1;
  f.start = pos;
  f.end = pos + len;
  return pos + len;
}

/** Offset after the varint at `pos`, or -1 when it runs past `limit` or over 10 bytes. */
function varintEnd(data: Uint8Array, pos: number, limit: number): number {
  const max = Math.min(limit, pos + 10);
  while (pos < max) if (data[pos++] < 0x80) return pos;
  return -1;
}

const scratch: WireField = { field: 0, wireType: 0, start: 0, end: 0 };

/** True when `data[start, end)` parses completely as a message with at least one field. */
export function isMessage(data: Uint8Array, start = 0, end = data.length): boolean {
  if (end <= start) return false;
  let pos = start;
  while (pos < end) {
    pos = readField(data, pos, end, scratch);
    if (pos < 0) return false;
  }
  return true;
}

/** Decimal text of the unsigned varint in `data[start, end)` (up to 64 bits). */
export function varintText(data: Uint8Array, start: number, end: number): string {
  let v = 0;
  for (let i = start, s = 0; i < end; i++, s += 7) v += (data[i] & 0x7f) * 2 ** s;
  if (v <= Number.MAX_SAFE_INTEGER) return String(v);
  let big = 0n;
  for (let i = end - 1; i >= start; i--) big = (big << 7n) | BigInt(data[i] & 0x7f);
  return String(big & 0xffffffffffffffffn);
}
