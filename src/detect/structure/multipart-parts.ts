// multipart/form-data (RFC 7578, delimiters per RFC 2046 §5.1.1): each part becomes a view named by its
// Content-Disposition `name`. The boundary comes from the Content-Type when the caller has it, else from the
// body itself: a first line `--boundary` (1–70 boundary characters). Part count is bounded.

import type { ChildSink } from "./structure-types.ts";
import { startsWithAscii, textOf } from "./text-bytes.ts";

/** Most parts read from one body. */
export const MAX_PARTS = 1000;

/** RFC 2046 §5.1.1 bchars (space allowed inside, not last). */
function isBoundaryByte(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x27 ||
    (c >= 0x28 && c <= 0x2f && c !== 0x2a) ||
    c === 0x3a ||
    c === 0x3d ||
    c === 0x3f ||
    c === 0x5f ||
    c === 0x20
  );
}

/** The boundary parameter of a multipart Content-Type value, or undefined. */
export function boundaryFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The boundary a body's first line declares (`--xxxx` then CRLF or LF), or undefined. */
export function boundaryFromBody(data: Uint8Array): string | undefined {
  if (data[0] !== 0x2d || data[1] !== 0x2d) return undefined;
  let i = 2;
  while (i < data.length && i - 2 < 70 && isBoundaryByte(data[i])) i++;
  let end = i;
  while (end > 2 && data[end - 1] === 0x20) end--;
  if (end === 2) return undefined;
  if (data[i] === 0x0d) i++;
  return data[i] === 0x0a ? textOf(data, 2, end) : undefined;
}

/** Emits each part's body (step `multipart`, at = part name); true when the bytes were multipart. */
export function decodeMultipart(data: Uint8Array, out: ChildSink, boundary?: string): boolean {
  const b = boundary ?? boundaryFromBody(data);
  if (!b) return false;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const delim = Buffer.from(`\n--${b}`, "latin1");
  // A delimiter starts a line (RFC 2046 §5.1.1: CRLF belongs to it); the first may open the body.
  const atStart = startsWithAscii(data, `--${b}`);
  let pos = atStart ? -1 : buf.indexOf(delim);
  if (!atStart && pos < 0) return false;
  for (let n = 0; n < MAX_PARTS; n++) {
    pos += delim.length;
    if (data[pos] === 0x2d && data[pos + 1] === 0x2d) return true;
    const lineEnd = buf.indexOf(0x0a, pos);
    if (lineEnd < 0) return true;
    const next = buf.indexOf(delim, lineEnd);
    let bodyEnd = next < 0 ? data.length : next;
    if (next >= 0 && data[bodyEnd - 1] === 0x0d) bodyEnd--;
    if (!part(data, lineEnd + 1, Math.max(lineEnd + 1, bodyEnd), n, out)) return true;
    if (next < 0) return true;
    pos = next;
  }
  return true;
}

/** One part: headers up to the blank line, then the body; false when the sink asked to stop. */
function part(data: Uint8Array, s: number, e: number, index: number, out: ChildSink): boolean {
  let name: string | undefined;
  let file = false;
  let typed = false;
  let i = s;
  while (i < e) {
    let le = i;
    while (le < e && data[le] !== 0x0a) le++;
    const lineEnd = le > i && data[le - 1] === 0x0d ? le - 1 : le;
    if (lineEnd === i) {
      i = le + 1;
      break;
    }
    const line = textOf(data, i, Math.min(lineEnd, i + 1024));
    if (/^content-disposition\s*:/i.test(line)) {
      name =
        /;\s*name\s*=\s*(?:"([^"]*)"|([^\s;]+))/i
          .exec(line)
          ?.slice(1)
          .find((x) => x !== undefined) ?? name;
      file = /;\s*filename\*?\s*=/i.test(line);
    } else if (/^content-type\s*:/i.test(line)) typed = !/^content-type\s*:\s*text\/plain/i.test(line);
    i = le + 1;
  }
  const body = data.subarray(Math.min(i, e), e);
  const at = name ?? `#${index}`;
  return out.emit(body, "multipart", at, name, `multipart:${at}`, !file && !typed);
}
