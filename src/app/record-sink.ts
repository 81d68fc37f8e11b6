// Records leave the pipeline through one callback; the CLI, the server and tests choose where they go.

import type { ConnRecord } from "../model/conn.ts";
import type { WeirdRecord } from "../model/weird.ts";

/** Every record type the pipeline emits (issue 3 adds dns, http, tls, quic). */
export type PipelineRecord = ConnRecord | WeirdRecord;

/** Record type names, in the order logs are listed. */
export const RECORD_TYPES = ["conn", "weird"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Receives records as they are produced. */
export type RecordSink = (r: PipelineRecord) => void;
