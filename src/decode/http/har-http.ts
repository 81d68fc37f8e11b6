// HAR entries (as the HAR reader yields them) become the same `http` records and detector payloads as
// packets do, through the same builder. A HAR entry has no packets, so its connection fields are synthetic:
// a uid from the entry's position, the server address HAR recorded, and empty client fields.

import type { ConnId } from "../../model/conn.ts";
import type { HttpRecord } from "../../model/http.ts";
import type { HttpExchange } from "../../model/http-message.ts";
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from "../content/decompress.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { emitRequestPayloads, emitResponsePayloads } from "./http-payloads.ts";
import { httpRecordFrom } from "./http-record.ts";

/** Options of HAR conversion. */
export interface HarHttpOptions {
  /** Cap on a request body after content decoding (default 16 MiB). */
  maxDecodedBytes?: number;
}

/**
 * The synthetic connection of a HAR entry: uid `H` + the 1-based entry index, no Community ID, no client,
 * the server IP HAR recorded (serverIPAddress) and the URL's port.
 */
export function harConnId(x: HttpExchange): ConnId {
  return {
    ts: x.request.ts,
    uid: `H${x.index}`,
    community_id: "",
    orig_h: "",
    orig_p: 0,
    resp_h: x.serverIp ?? "",
    resp_p: x.request.port ?? 0,
  };
}

/** The `http` record of a HAR exchange. */
export function harHttpRecord(x: HttpExchange): HttpRecord {
  return httpRecordFrom(x, harConnId(x), "har", { trans_depth: 1 });
}

/** Emits the exchange's record and its payloads (URI, headers, bodies) to `out`; returns the record. */
export function harExchangeToHttp(
  x: HttpExchange,
  out: DecoderOutput,
  opts: HarHttpOptions = {},
): HttpRecord {
  const record = harHttpRecord(x);
  const bounds = { maxDecodedBytes: opts.maxDecodedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES };
  const uid = record.uid;
  emitRequestPayloads(x.request, { uid, fromOrig: true, ts: x.request.ts, index: 1 }, out, bounds);
  const res = x.response;
  if (res)
    emitResponsePayloads(res, { uid, fromOrig: false, ts: res.ts ?? x.request.ts, index: 1 }, out, bounds);
  out.record(record);
  return record;
}
