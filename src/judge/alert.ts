// The alert level of a run, as an agency would put it to its people: the highest severity, the three strongest
// reasons, and one sentence saying what the device sends, how, to whom and where ("High alert: this device
// sends its IMEI and phone number in clear text to Xiaomi servers in China.").

import type { Transport } from "../model/destination.ts";
import type { IdentifierKind } from "../model/finding.ts";
import { type Alert, type Severity, severityRank } from "../model/judgement.ts";
import { countryName, joinAnd, KIND_PHRASES } from "./words.ts";

/** One judged finding or endpoint, with what the sentence needs to name it. */
export interface AlertItem {
  /** Its level. */
  severity: Severity;
  /** Its reasons, strongest first. */
  reasons: string[];
  /** Its rubric score. */
  score: number;
  /** Identifier kind; absent for an endpoint contacted with no identifier. */
  kind?: IdentifierKind;
  /** Label of a custom identifier (`loyalty card`). */
  label?: string;
  /** Receiving company. */
  company?: string;
  /** Receiving host (used when the company is unknown). */
  host?: string;
  /** Country of the receiving server, ISO alpha-2. */
  country?: string;
  /** How the bytes travelled. */
  transport?: Transport;
}

/** Reasons an alert quotes. */
export const ALERT_REASONS = 3;
/** Clauses (receivers) the sentence names before "and N more". */
const MAX_CLAUSES = 3;
/** Identifiers one clause lists before "other identifiers". */
const MAX_THINGS = 4;

/** The run's alert from its judged findings and endpoints. */
export function alertFor(items: readonly AlertItem[]): Alert {
  const ranked = [...items].sort(strongestFirst);
  const level = ranked[0]?.severity ?? "info";
  if (severityRank(level) <= 0) return { level: "info", reasons: [], summary: quietSummary(items) };
  const raised = ranked.filter((i) => severityRank(i.severity) > 0);
  return { level, reasons: strongestReasons(raised), summary: summary(level, raised) };
}

function strongestFirst(a: AlertItem, b: AlertItem): number {
  return severityRank(b.severity) - severityRank(a.severity) || (b.score || 0) - (a.score || 0);
}

/** Round-robin over the strongest items' reasons (first reason of each, then second...), without repeats. */
function strongestReasons(ranked: AlertItem[]): string[] {
  const out: string[] = [];
  const depth = Math.max(0, ...ranked.map((i) => i.reasons.length));
  for (let r = 0; r < depth && out.length < ALERT_REASONS; r++) {
    for (const item of ranked) {
      const reason = item.reasons[r];
      if (reason && !out.includes(reason)) out.push(reason);
      if (out.length >= ALERT_REASONS) break;
    }
  }
  return out;
}

interface Clause {
  receiver: string;
  country?: string;
  channel: string;
  endpoint: boolean;
  items: AlertItem[];
}

function summary(level: Severity, ranked: AlertItem[]): string {
  const clauses = groupClauses(ranked);
  const shown = clauses.slice(0, MAX_CLAUSES).map((c, i) => clauseText(c, i === 0));
  const more = clauses.length - shown.length;
  if (more > 0) shown.push(`and ${more} more destination${more === 1 ? "" : "s"}`);
  return `${level[0].toUpperCase()}${level.slice(1)} alert: ${shown.join("; ")}.`;
}

/** One clause per (receiver, country, channel, finding or endpoint), in the order of its strongest item. */
function groupClauses(ranked: AlertItem[]): Clause[] {
  const byKey = new Map<string, Clause>();
  for (const item of ranked) {
    const receiver = item.company ? `${item.company} servers` : item.host || "an unknown server";
    const channel = channelOf(item.transport);
    const endpoint = item.kind === undefined;
    const key = `${receiver}\u0000${item.country ?? ""}\u0000${channel}\u0000${endpoint}`;
    let c = byKey.get(key);
    if (!c) {
      c = { receiver, channel, endpoint, items: [], ...(item.country && { country: item.country }) };
      byKey.set(key, c);
    }
    c.items.push(item);
  }
  return [...byKey.values()];
}

function channelOf(t: Transport | undefined): string {
  if (t === "cleartext") return "in clear text";
  if (t === "tls" || t === "tls-decrypted" || t === "quic" || t === "proxy")
    return "over encrypted connections";
  return "";
}

function clauseText(c: Clause, first: boolean): string {
  const where = `${c.receiver}${c.country ? ` in ${countryName(c.country)}` : ""}`;
  const subject = first ? "this device" : "it also";
  const how = c.channel ? ` ${c.channel}` : "";
  if (c.endpoint) return `${subject} connects${how} to ${where}`;
  return `${subject} sends ${thingsSent(c.items)}${how} to ${where}`;
}

/** `its IMEI, phone number and address-book phone numbers`, strongest first. */
function thingsSent(items: AlertItem[]): string {
  const own: string[] = [];
  const others: string[] = [];
  for (const item of items) {
    if (item.kind === undefined) continue;
    const phrase = KIND_PHRASES[item.kind] ?? KIND_PHRASES.custom;
    const noun = item.kind === "custom" && item.label ? item.label : phrase.noun;
    const list = phrase.own || item.kind === "custom" ? own : others;
    if (!own.includes(noun) && !others.includes(noun)) list.push(noun);
  }
  const all = [...own.map((n, i) => (i === 0 ? `its ${n}` : n)), ...others];
  if (all.length > MAX_THINGS) return joinAnd([...all.slice(0, MAX_THINGS - 1), "other identifiers"]);
  return joinAnd(all);
}

function quietSummary(items: readonly AlertItem[]): string {
  const findings = items.filter((i) => i.kind !== undefined).length;
  if (findings > 0) return "No alert: the identifiers seen were judged informational only.";
  const hosts = new Set(items.map((i) => i.host ?? i.company ?? "")).size;
  if (items.length === 0) return "No alert: no identifier was seen leaving this device.";
  return `No alert: this device contacted ${hosts} destination${hosts === 1 ? "" : "s"} without sending any recognised identifier.`;
}
