// How long an HTTP/1.x message body is (RFC 9112 §6.3), decided from its head and, for a response, from the
// request it answers. Framing mistakes are where request smuggling lives, so each conflict is a weird.

import type { HttpHeader } from "../../model/http-message.ts";
import { parseCodings } from "../content/decompress.ts";
import type { ParsedHead } from "./http-head.ts";

/** Body framings. `invalid`: the body length cannot be known, so the rest of the direction is unreadable. */
export const BODY_FRAMINGS = ["none", "length", "chunked", "close", "invalid"] as const;
export type BodyFramingKind = (typeof BODY_FRAMINGS)[number];

/** Weird names framing reports. */
export const HTTP_FRAMING_WEIRD_NAMES = [
  "http_bad_content_length",
  "http_bad_transfer_encoding",
  "http_te_and_cl",
] as const;
export type HttpFramingWeirdName = (typeof HTTP_FRAMING_WEIRD_NAMES)[number];

/** A framing decision. */
export interface BodyFraming {
  /** How the body ends. */
  kind: BodyFramingKind;
  /** Body length for `length`. */
  length: number;
  /** Transfer codings other than chunked (applied order), to undo like content codings. */
  transferCodings: string[];
}

/** Reports a framing problem. */
export type FramingWeird = (name: HttpFramingWeirdName, detail: string) => void;

/** Every value of the fields named `name` (case-insensitive), joined as one list (RFC 9110 §5.3). */
export function joinedField(headers: readonly HttpHeader[], name: string): string | undefined {
  let out: string | undefined;
  for (const h of headers) {
    if (h.name.length === name.length && h.name.toLowerCase() === name) {
      out = out === undefined ? h.value : `${out}, ${h.value}`;
    }
  }
  return out;
}

/**
 * The body framing of `head`. `requestMethod` is the method of the request a response answers (undefined when
 * that request was not seen: then the response is read as answering a GET).
 */
export function bodyFraming(
  head: ParsedHead,
  requestMethod: string | undefined,
  weird: FramingWeird,
): BodyFraming {
  const out: BodyFraming = { kind: "none", length: 0, transferCodings: [] };
  const isResponse = head.kind === "response";
  // RFC 9112 §6.3 rule 1: responses to HEAD, 1xx, 204 and 304 never have a body, whatever the fields say.
  if (isResponse) {
    const s = head.status;
    if (requestMethod === "HEAD" || (s >= 100 && s < 200) || s === 204 || s === 304) return out;
    // Rule 2: a 2xx to CONNECT starts a tunnel; the caller switches the connection.
    if (requestMethod === "CONNECT" && s >= 200 && s < 300) return out;
  }
  const te = joinedField(head.headers, "transfer-encoding");
  const cl = joinedField(head.headers, "content-length");
  if (te !== undefined) {
    // Rule 3: Transfer-Encoding overrides Content-Length; both at once is a smuggling sign.
    if (cl !== undefined) weird("http_te_and_cl", `Transfer-Encoding ${te}, Content-Length ${cl}`);
    const codings = parseCodings(te);
    if (codings[codings.length - 1] === "chunked") {
      out.kind = "chunked";
      out.transferCodings = codings.slice(0, -1).filter((c) => c !== "chunked");
      return out;
    }
    out.transferCodings = codings;
    if (isResponse) out.kind = "close";
    else {
      // A request whose final transfer coding is not chunked has no knowable length (rule 4).
      weird("http_bad_transfer_encoding", `request Transfer-Encoding ${te}`);
      out.kind = "invalid";
    }
    return out;
  }
  if (cl !== undefined) {
    const length = contentLength(cl);
    if (length !== undefined) {
      out.kind = length > 0 ? "length" : "none";
      out.length = length;
      return out;
    }
    weird("http_bad_content_length", `Content-Length ${cl.slice(0, 40)}`);
    out.kind = isResponse ? "close" : "invalid";
    return out;
  }
  // Rules 6 and 7: a request without either has no body; a response runs to the end of the connection.
  if (isResponse) out.kind = "close";
  return out;
}

/** A Content-Length value (a list of identical values is allowed, RFC 9110 §8.6), or undefined if invalid. */
export function contentLength(value: string): number | undefined {
  // Fast path: plain digits, the form nearly every message uses.
  if (value.length > 0 && value.length <= 15) {
    let v = 0;
    let i = 0;
    for (; i < value.length; i++) {
      const c = value.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === value.length) return v;
  }
  let n: number | undefined;
  for (const part of value.split(",")) {
    const t = part.trim();
    if (!/^\d{1,15}$/.test(t)) return undefined;
    const v = Number(t);
    if (n !== undefined && v !== n) return undefined;
    n = v;
  }
  return n;
}
