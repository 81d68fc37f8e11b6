// The document one analysis run produces: what `analyze --format json` writes, what the HTML report, the
// diff and the dashboard read. Plain JSON; field names as in docs/records.md; schema in docs/report.schema.json.

import type { CaptureFormat } from "../capture/capture-events.ts";
import type { Transport } from "../model/destination.ts";
import type { EndpointRecord } from "../model/endpoint.ts";
import type { FindingRecord, IdentifierKind } from "../model/finding.ts";
import type { Alert } from "../model/judgement.ts";

/** Version tag of the document layout. */
export const REPORT_SCHEMA = "phonehome.report/1";

/** One input file of the run. */
export interface ReportInput {
  /** File name as given. */
  file: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** Container format. */
  format: CaptureFormat;
  /** Frames read (0 for HAR). */
  packets: number;
  /** Bytes read (decompressed). */
  bytes: number;
  /** Time of the first and last packet, when any. */
  first_ts?: number;
  /** Time of the last packet. */
  last_ts?: number;
  /** Problems in the file itself (a bad block, a cut tail): read up to there. */
  problems?: { name: string; offset: number; detail: string }[];
}

/** One profile value as reports may show it. */
export interface ReportProfileValue {
  /** Identifier kind. */
  kind: IdentifierKind;
  /** Human label. */
  label: string;
  /** The value, masked unless revealed. */
  value_masked: string;
}

/** The device profile, summarised. */
export interface ReportProfile {
  /** Device label. */
  device?: string;
  /** Home country (ISO alpha-2). */
  home_country?: string;
  /** Values looked for. */
  values: ReportProfileValue[];
  /** Needles the values expanded to. */
  needles: number;
}

/** One connection on the timeline. */
export interface ReportConnection {
  /** Start time. */
  ts: number;
  /** End time. */
  last_ts: number;
  /** Connection uid. */
  uid: string;
  /** Destination name (or IP). */
  host: string;
  /** Responder port. */
  port: number;
  /** Transport protocol (`tcp`/`udp`). */
  proto: string;
  /** Application protocol. */
  service?: string;
  /** Destination country. */
  country?: string;
  /** How it travelled. */
  transport: Transport;
  /** Payload bytes sent / received. */
  bytes_sent: number;
  /** Payload bytes received. */
  bytes_received: number;
  /** Findings in it. */
  findings: number;
}

/** Counts of the run. */
export interface ReportStats {
  /** Frames read over all inputs. */
  packets: number;
  /** Bytes read over all inputs. */
  bytes: number;
  /** Connections seen. */
  connections: number;
  /** Findings (all, including those past the kept bound). */
  findings: number;
  /** Endpoints contacted. */
  endpoints: number;
  /** Seconds the analysis took. */
  elapsed_s: number;
}

/** A data source credited in every report (licences require it). */
export interface ReportCredit {
  /** What the data is. */
  source: string;
  /** Licence. */
  licence: string;
  /** Where it comes from. */
  url: string;
  /** What phonehome uses it for. */
  what: string;
}

/** The whole document. */
export interface AnalysisReport {
  /** Layout version (`REPORT_SCHEMA`). */
  schema: typeof REPORT_SCHEMA;
  /** Tool and version that wrote it. */
  tool: { name: "phonehome"; version: string };
  /** When it was written (ISO 8601). */
  generated: string;
  /** Inputs analysed. */
  inputs: ReportInput[];
  /** The profile, when one was given. */
  profile?: ReportProfile;
  /** Home country used for cross-border flags. */
  home_country?: string;
  /** Whether values are shown unmasked. */
  revealed: boolean;
  /** Alert level of the run. */
  alert: Alert;
  /** Findings, most severe first (bounded; `stats.findings` counts all). */
  findings: FindingRecord[];
  /** Every destination contacted. */
  endpoints: EndpointRecord[];
  /** Connections for the timeline (bounded, most relevant first). */
  connections: ReportConnection[];
  /** Counts. */
  stats: ReportStats;
  /** Weird records by name. */
  weird: Record<string, number>;
  /** Data sources to credit. */
  credits: ReportCredit[];
}
