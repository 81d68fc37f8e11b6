// Which host name stands behind an IP address at a given moment, learned from DNS answers the way the phone
// itself learned it: every A/AAAA answer (and SVCB/HTTPS address hint) maps the address to its owner name and,
// through the CNAME chain, to the name the phone asked for, valid from the response's arrival for TTL seconds.
// Later stages ask `namesFor(ip, ts)` when a connection to `ip` starts at `ts`. Bounded: least recently used
// addresses are forgotten first.

import type { DnsAnswer, DnsRecord } from "../../model/dns.ts";

/** Bounds of a name table. */
export interface NameTableOptions {
  /** Addresses kept; beyond this the least recently used one is dropped (default 65 536). */
  maxAddresses?: number;
  /** Name/interval entries kept per address; beyond this the one that expired first is dropped (default 32). */
  maxNamesPerAddress?: number;
}

/** One name valid for an address during `[from, until]`. */
interface Entry {
  name: string;
  from: number;
  until: number;
}

/** Alias edge: `name` is a CNAME (or SVCB alias) whose target is the map key. */
interface Alias {
  name: string;
  ttl: number;
}

/** Longest CNAME chain followed back from an address record. */
const MAX_CHAIN = 16;

/** Name ↔ address knowledge with validity times. */
export class NameTable {
  private readonly byIp = new Map<string, Entry[]>();
  private readonly maxAddresses: number;
  private readonly maxPer: number;

  /** An empty table. */
  constructor(o: NameTableOptions = {}) {
    this.maxAddresses = Math.max(1, o.maxAddresses ?? 65536);
    this.maxPer = Math.max(1, o.maxNamesPerAddress ?? 32);
  }

  /** Addresses currently known. */
  get size(): number {
    return this.byIp.size;
  }

  /** Learns from a dns record's answers; valid from the response's arrival (ts + rtt) for each TTL. */
  add(rec: DnsRecord): void {
    const answers = rec.answer_records;
    if (!answers || answers.length === 0) return;
    const at = rec.ts + (rec.rtt ?? 0);
    const aliases = aliasGraph(answers);
    for (const a of answers) {
      if (a.type === "A" || a.type === "AAAA") this.learn(a.data, norm(a.name), at, a.ttl, aliases);
      else if (a.hints) {
        const owner = norm(a.name);
        const target = a.target !== undefined && a.target !== "." ? norm(a.target) : owner;
        for (const ip of a.hints) {
          this.learn(ip, owner, at, a.ttl, aliases);
          if (target !== owner) this.learn(ip, target, at, a.ttl, aliases);
        }
      }
    }
  }

  /** Records that `name` stood for `ip` during `[from, until]` (also for sources other than DNS). */
  addName(ip: string, name: string, from: number, until: number): void {
    const key = ip.toLowerCase();
    const n = norm(name);
    let list = this.byIp.get(key);
    if (list) this.byIp.delete(key);
    else list = [];
    const same = list.find((e) => e.name === n && from <= e.until && until >= e.from);
    if (same) {
      same.from = Math.min(same.from, from);
      same.until = Math.max(same.until, until);
    } else {
      list.push({ name: n, from, until });
      if (list.length > this.maxPer) list.splice(earliestExpiry(list), 1);
    }
    this.byIp.set(key, list);
    if (this.byIp.size > this.maxAddresses) this.byIp.delete(this.byIp.keys().next().value!);
  }

  /** Names valid for `ip` at `ts`, most recently resolved first, each once; [] when none. */
  namesFor(ip: string, ts: number): string[] {
    const key = ip.toLowerCase();
    const list = this.byIp.get(key);
    if (!list) return [];
    this.byIp.delete(key);
    this.byIp.set(key, list);
    const valid = list.filter((e) => e.from <= ts && ts <= e.until).sort((a, b) => b.from - a.from);
    return [...new Set(valid.map((e) => e.name))];
  }

  /** Maps `ip` to `name` and to every alias leading to it, each valid for the smallest TTL on the way. */
  private learn(ip: string, name: string, at: number, ttl: number, aliases: Map<string, Alias[]>): void {
    const seen = new Set<string>();
    const todo: Alias[] = [{ name, ttl }];
    while (todo.length > 0 && seen.size < MAX_CHAIN) {
      const cur = todo.pop()!;
      if (seen.has(cur.name)) continue;
      seen.add(cur.name);
      this.addName(ip, cur.name, at, at + cur.ttl);
      for (const up of aliases.get(cur.name) ?? [])
        todo.push({ name: up.name, ttl: Math.min(cur.ttl, up.ttl) });
    }
  }
}

/** target → the names that alias to it (CNAME owners; SVCB/HTTPS AliasMode owners, RFC 9460 §2.4.2). */
function aliasGraph(answers: readonly DnsAnswer[]): Map<string, Alias[]> {
  const g = new Map<string, Alias[]>();
  for (const a of answers) {
    let target: string | undefined;
    if (a.type === "CNAME") target = a.data;
    else if (a.target !== undefined && a.target !== "." && a.data.startsWith("0 ")) target = a.target;
    if (target === undefined) continue;
    const key = norm(target);
    const list = g.get(key) ?? [];
    list.push({ name: norm(a.name), ttl: a.ttl });
    g.set(key, list);
  }
  return g;
}

/** Names compare case-insensitively (RFC 4343); the table keeps them lower case. */
function norm(name: string): string {
  return name.toLowerCase();
}

function earliestExpiry(list: Entry[]): number {
  let best = 0;
  for (let i = 1; i < list.length; i++) if (list[i].until < list[best].until) best = i;
  return best;
}
