// Records leave the pipeline through one callback; the CLI, the server and tests choose where they go.

import type { ConnRecord } from "../model/conn.ts";
import type { DnsRecord } from "../model/dns.ts";
import type { FindingRecord } from "../model/finding.ts";
import type { HttpRecord } from "../model/http.ts";
import type { QuicRecord } from "../model/quic.ts";
import type { TlsRecord } from "../model/tls.ts";
import type { WeirdRecord } from "../model/weird.ts";

/** Every record type the pipeline emits. */
export type PipelineRecord =
  | ConnRecord
  | DnsRecord
  | HttpRecord
  | TlsRecord
  | QuicRecord
  | FindingRecord
  | WeirdRecord;

/** Record type names, in the order logs are listed. */
export const RECORD_TYPES = ["conn", "dns", "http", "tls", "quic", "finding", "endpoint", "weird"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Receives records as they are produced. */
export type RecordSink = (r: PipelineRecord) => void;
