// Protobuf messages walked without a schema: varints become their decimal text (an IMEI sent as int64 is
// then found as digits), fixed64/fixed32 their unsigned decimal text plus, when they read as a plausible
// coordinate, their double/float value; length-delimited fields are strings when printable, nested messages
// when they parse completely, and otherwise opaque bytes (which may hold compressed data). One `protobuf` step
// carries the whole field path (`1.3.2`). Nested messages are bounded.

import { compressionMagic } from "./compressed.ts";
import { isMessage, readField, varintText, type WireField } from "./protobuf-wire.ts";
import type { ChildSink } from "./structure-types.ts";
import { bytesOf, isPrintable } from "./text-bytes.ts";

/** Deepest nested message walked inside one protobuf step. */
export const MAX_PROTOBUF_NESTING = 16;

/** Emits a protobuf message's fields (step `protobuf`, at = field path); true when the bytes are one. */
export function decodeProtobuf(data: Uint8Array, out: ChildSink): boolean {
  if (!isMessage(data)) return false;
  walkMessage(data, 0, data.length, "", 0, out);
  return true;
}

/** Walks a message already known to parse; false when the sink asked to stop. */
function walkMessage(
  data: Uint8Array,
  start: number,
  end: number,
  prefix: string,
  depth: number,
  out: ChildSink,
): boolean {
  const f: WireField = { field: 0, wireType: 0, start: 0, end: 0 };
  let pos = start;
  while (pos < end) {
    pos = readField(data, pos, end, f);
    if (pos < 0) return true;
    const path = prefix === "" ? String(f.field) : `${prefix}.${f.field}`;
    if (!fieldViews(data, f, path, depth, out)) return false;
  }
  return true;
}

/** The views of one field. */
function fieldViews(data: Uint8Array, f: WireField, path: string, depth: number, out: ChildSink): boolean {
  const key = String(f.field);
  const field = `protobuf:${path}`;
  if (f.wireType === 2) {
    const body = data.subarray(f.start, f.end);
    if (body.length === 0) return true;
    if (isPrintable(body)) return out.emit(body, "protobuf", path, key, field, true);
    if (depth + 1 < MAX_PROTOBUF_NESTING && !compressionMagic(body) && isMessage(body)) {
      return walkMessage(data, f.start, f.end, path, depth + 1, out);
    }
    return out.emit(body, "protobuf", path, key, field, false);
  }
  for (const text of numberTexts(data, f)) {
    const bytes = bytesOf(text);
    if (!out.reserve(bytes.length)) return false;
    if (!out.emit(bytes, "protobuf", path, key, field, true)) return false;
  }
  return true;
}

/** Texts a numeric field is read as: unsigned decimal, plus a coordinate-like double/float. */
function numberTexts(data: Uint8Array, f: WireField): string[] {
  if (f.wireType === 0) return [varintText(data, f.start, f.end)];
  const dv = new DataView(data.buffer, data.byteOffset + f.start, f.end - f.start);
  if (f.wireType === 1) {
    const u = String(dv.getBigUint64(0, true));
    const d = dv.getFloat64(0, true);
    return plausibleCoordinate(d) ? [u, String(d)] : [u];
  }
  const u = String(dv.getUint32(0, true));
  const fl = dv.getFloat32(0, true);
  return plausibleCoordinate(fl) ? [u, String(Number(fl.toPrecision(7)))] : [u];
}

/** A non-integer within ±180 and not tiny: worth rendering as a latitude/longitude candidate. */
function plausibleCoordinate(x: number): boolean {
  const a = Math.abs(x);
  return Number.isFinite(x) && a >= 1e-4 && a <= 180 && !Number.isInteger(x);
}
