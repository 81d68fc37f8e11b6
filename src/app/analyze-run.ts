// `analyze` as a service: one or more captures → the run's document (findings with destination and
// severity, endpoint inventory, alert level, timeline, stats, credits). The CLI, the demo, diff and the
// server call this and only format what it returns.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Attributor, type CompanyResolver, type IpResolver } from "../attribute/attributor.ts";
import type { FirstParty } from "../attribute/company/party.ts";
import { EndpointInventory } from "../attribute/endpoint-inventory.ts";
import type { KeyStore } from "../decrypt/key-log.ts";
import type { Profile } from "../detect/profile/profile-types.ts";
import type { ConnRecord } from "../model/conn.ts";
import type { EndpointRecord } from "../model/endpoint.ts";
import type { FindingRecord } from "../model/finding.ts";
import { severityRank } from "../model/judgement.ts";
import { displayFilter } from "../report/display-filter.ts";
import type { AnalysisReport, ReportConnection, ReportCredit, ReportInput } from "../report/report-types.ts";
import { REPORT_SCHEMA } from "../report/report-types.ts";
import { runCapture } from "./capture-run.ts";
import { type DetectStage, startDetect, type Threads, threadsFor } from "./detect-pool.ts";
import { profileSummary } from "./profile-summary.ts";
import type { PipelineRecord } from "./record-sink.ts";
import type { RunJudge } from "./run-judge.ts";
import { TOOL_VERSION } from "./version.ts";

/** A record of the analysis output stream: the pipeline's, plus endpoints at the end. */
export type OutputRecord = PipelineRecord | EndpointRecord;

/** How to analyse. */
export interface AnalyzeRunOptions {
  /** What the device knows about itself; without one only generic detectors run. */
  profile?: Profile;
  /** Write identifier values unmasked. */
  reveal?: boolean;
  /** Run the generic detectors (default true). */
  generic?: boolean;
  /** Home country for the cross-border flag (default: the profile's). */
  home?: string;
  /** TLS secrets from a key log (the captures' own DSBs are always read). */
  keys?: KeyStore;
  /** Lookups and judgement (the faces build them with `runServices`). */
  ip: IpResolver;
  companies: CompanyResolver;
  judge: RunJudge;
  /** Data sources to credit. */
  credits: ReportCredit[];
  /** Who counts as first party (default: the profile's vendor). */
  firstParty?: FirstParty;
  /** Every record as produced (conn and finding records carry their destination). */
  onRecord?: (r: OutputRecord) => void;
  /** Compute each input's SHA-256 (one more read of the file). */
  hashInputs?: boolean;
  /**
   * Findings kept in the document (default MAX_KEPT_FINDINGS); 0 when only the record stream is written, so a
   * long run holds none. Counts, endpoints and the alert still see every finding.
   */
  keepFindings?: number;
  /** Bytes read so far of the current input, for a progress bar. */
  onProgress?: (file: string, read: number) => void;
  /** 1 (default): the detector runs in process; 2: on a worker thread. */
  threads?: Threads;
}

/** Findings kept in the document; the record stream sees every one. */
export const MAX_KEPT_FINDINGS = 20_000;
/** Connections kept for the timeline. */
export const MAX_TIMELINE = 2_000;

/** Analyses the captures in order and returns the run's document. Throws CaptureError for unreadable input. */
export async function analyzeFiles(files: string[], opts: AnalyzeRunOptions): Promise<AnalysisReport> {
  const started = performance.now();
  // Started first: a worker loads and expands the profile while the main thread gets going.
  const detect = startDetect(
    { profile: opts.profile, generic: opts.generic, reveal: opts.reveal },
    threadsFor(opts.threads),
  );
  const home = opts.home ?? opts.profile?.home_country;
  const inventory = new EndpointInventory();
  const run = new RunState(opts);
  const inputs: ReportInput[] = [];
  let needles = 0;
  try {
    for (const file of files) inputs.push(await analyzeInput(file, opts, home, run, inventory, detect));
    needles = await detect.needleCount();
  } finally {
    await detect.close();
  }
  const endpoints = inventory.records((d) => opts.judge.endpoint(d));
  for (const e of endpoints) opts.onRecord?.(e);
  const findings = run.findings.sort(bySeverity);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "phonehome", version: TOOL_VERSION },
    generated: new Date().toISOString(),
    inputs,
    profile: opts.profile ? profileSummary(opts.profile, needles, opts.reveal === true) : undefined,
    home_country: home,
    revealed: opts.reveal === true,
    alert: opts.judge.alert(),
    findings,
    endpoints,
    connections: run.timeline,
    stats: {
      packets: inputs.reduce((n, i) => n + i.packets, 0),
      bytes: inputs.reduce((n, i) => n + i.bytes, 0),
      connections: run.connections,
      findings: run.findingCount,
      endpoints: endpoints.length,
      elapsed_s: Math.round(performance.now() - started) / 1000,
    },
    weird: Object.fromEntries([...run.weird].sort((a, b) => b[1] - a[1])),
    credits: opts.credits,
  };
}

/** One input through the pipeline; the detector's findings are attributed and judged as they come. */
async function analyzeInput(
  file: string,
  opts: AnalyzeRunOptions,
  home: string | undefined,
  run: RunState,
  inventory: EndpointInventory,
  detect: DetectStage,
): Promise<ReportInput> {
  const attributor = new Attributor({
    ip: opts.ip,
    companies: opts.companies,
    home,
    firstParty: opts.firstParty ?? {
      vendor: opts.profile?.vendor,
      domains: opts.profile?.first_party_domains,
    },
  });
  detect.begin((f) => run.finding(f, attributor, inventory));
  const stats = await runCapture(file, {
    keys: opts.keys,
    onRecord: (r) => run.record(r, attributor, inventory, detect),
    onPayload: (p, conn) => detect.payload(p, conn),
    beforeChunk: () => detect.beforeChunk(),
    onProgress: opts.onProgress ? (n) => opts.onProgress?.(file, n) : undefined,
  });
  await detect.end();
  const input: ReportInput = {
    file,
    sha256: "",
    format: stats.format,
    packets: stats.packets,
    bytes: stats.bytes,
  };
  if (opts.hashInputs) input.sha256 = await sha256File(file);
  if (stats.problems.length > 0) input.problems = stats.problems.slice(0, 100);
  return input;
}

/** What a run accumulates across inputs. */
class RunState {
  readonly findings: FindingRecord[] = [];
  findingCount = 0;
  connections = 0;
  readonly timeline: ReportConnection[] = [];
  readonly weird = new Map<string, number>();
  /** Findings per connection uid (for the timeline), bounded with the timeline. */
  private readonly perConn = new Map<string, number>();
  /** HAR exchanges already counted as a connection. */
  private readonly harSeen = new Set<string>();

  constructor(private readonly opts: AnalyzeRunOptions) {}

  finding(f: FindingRecord, attributor: Attributor, inventory: EndpointInventory): void {
    const dest = attributor.findingDest(f);
    const j = this.opts.judge.finding(f, dest);
    if (j === "ignored") return;
    f.dest = dest;
    f.transport = dest.transport;
    f.severity = j.severity;
    f.reasons = j.reasons;
    const filter = displayFilter(f);
    if (filter) f.filter = filter;
    this.findingCount++;
    if (this.findings.length < (this.opts.keepFindings ?? MAX_KEPT_FINDINGS)) this.findings.push(f);
    this.perConn.set(f.uid, (this.perConn.get(f.uid) ?? 0) + 1);
    inventory.addFinding(dest, f.ts, f.kind, j.severity, j.reasons);
    this.opts.onRecord?.(f);
  }

  /**
   * A pipeline record. Everything it drives waits (`after`) for the detector to have seen every payload
   * before it, so a finding is attributed with the same evidence, and counted on its connection before the
   * conn record, whichever thread the detector runs on.
   */
  record(r: PipelineRecord, attributor: Attributor, inventory: EndpointInventory, detect: DetectStage): void {
    if (r.type === "conn") {
      detect.after(() => attributor.observe(r));
      detect.endConnection(r.uid);
      detect.after(() => {
        this.conn(r, attributor, inventory);
        this.opts.onRecord?.(r);
      });
    } else {
      detect.after(() => this.observed(r, attributor, inventory));
    }
  }

  private observed(r: PipelineRecord, attributor: Attributor, inventory: EndpointInventory): void {
    attributor.observe(r);
    if (r.type === "weird") {
      this.weird.set(r.name, (this.weird.get(r.name) ?? 0) + 1);
    } else if (r.type === "http" && (r.transport === "har" || r.transport === "proxy")) {
      const dest = attributor.httpDest(r);
      const fresh = !this.harSeen.has(dest.host);
      if (fresh && this.harSeen.size < 100_000) this.harSeen.add(dest.host);
      inventory.addExchange(dest, r.ts, r.request_body_len, r.response_body_len, fresh);
    }
    this.opts.onRecord?.(r);
  }

  private conn(c: ConnRecord, attributor: Attributor, inventory: EndpointInventory): void {
    const dest = attributor.connDest(c);
    c.dest = dest;
    this.connections++;
    inventory.addConn(c, dest);
    const findings = this.perConn.get(c.uid) ?? 0;
    this.perConn.delete(c.uid);
    if (this.timeline.length >= MAX_TIMELINE && findings === 0) return;
    if (this.timeline.length >= MAX_TIMELINE * 2) return;
    this.timeline.push({
      ts: c.ts,
      last_ts: c.last_ts,
      uid: c.uid,
      host: dest.host,
      port: c.resp_p,
      proto: c.proto,
      service: c.service,
      country: dest.country,
      transport: dest.transport,
      bytes_sent: c.orig_bytes,
      bytes_received: c.resp_bytes,
      findings,
    });
  }
}

function bySeverity(a: FindingRecord, b: FindingRecord): number {
  return severityRank(b.severity ?? "info") - severityRank(a.severity ?? "info") || a.ts - b.ts;
}

/** SHA-256 of a file's bytes, hex. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}
