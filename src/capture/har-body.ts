// Turns the body text a HAR file stores (plain, base64, or form params) into bounded bytes. Only the bytes
// under the bound are ever materialised, so one huge body cannot blow up memory beyond the file itself.

/** A decoded body. */
export interface DecodedBody {
  /** At most `max` bytes. */
  bytes: Uint8Array;
  /** True when the full body was longer than `max`. */
  truncated: boolean;
  /** True when a base64 body held characters outside the alphabet (decoded leniently anyway). */
  badBase64: boolean;
}

const BASE64_WS = /[\t\n\r ]+/g;
// Standard and URL-safe alphabets (RFC 4648 §4 and §5), padding only at the end.
const BASE64_OK = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** UTF-8 bytes of `text`, cut at `max` bytes. */
export function utf8Body(text: string, max: number): DecodedBody {
  if (Buffer.byteLength(text, "utf8") <= max)
    return { bytes: encode(text), truncated: false, badBase64: false };
  // Every UTF-16 unit encodes to at least one byte, so `max` units suffice; keep a split surrogate pair
  // whole so the last kept bytes are the real character's, not U+FFFD.
  let end = Math.min(text.length, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end++;
  return {
    bytes: copy(Buffer.from(text.slice(0, end), "utf8").subarray(0, max)),
    truncated: true,
    badBase64: false,
  };
}

/** Bytes of base64 `text` (whitespace ignored), cut at `max` bytes. */
export function base64Body(text: string, max: number): DecodedBody {
  // 4 characters carry 3 bytes; decode one group more than the bound needs, to learn whether it cuts.
  const need = 4 * Math.ceil(max / 3) + 4;
  let take = Math.min(text.length, need);
  let clean = text.slice(0, take).replace(BASE64_WS, "");
  while (clean.length < need && take < text.length) {
    take = Math.min(text.length, take * 2 + 4);
    clean = text.slice(0, take).replace(BASE64_WS, "");
  }
  if (clean.length > need) clean = clean.slice(0, need);
  const badBase64 = !BASE64_OK.test(clean) || clean.replace(/=+$/, "").length % 4 === 1;
  const all = Buffer.from(clean, "base64");
  return { bytes: copy(all.subarray(0, max)), truncated: all.length > max, badBase64 };
}

/** A form rebuilt from HAR `postData.params` as `application/x-www-form-urlencoded`, cut at `max`. */
export function formBody(params: readonly { name: string; value: string }[], max: number): DecodedBody {
  const form = new URLSearchParams();
  for (const p of params) form.append(p.name, p.value);
  return utf8Body(form.toString(), max);
}

function encode(text: string): Uint8Array {
  return copy(Buffer.from(text, "utf8"));
}

/** A plain Uint8Array that owns its memory: small Buffers share a pool slab with unrelated data. */
function copy(b: Buffer): Uint8Array {
  return new Uint8Array(b);
}
