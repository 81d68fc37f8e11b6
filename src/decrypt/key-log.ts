// TLS secrets by client random, from NSS key log text (an SSLKEYLOGFILE, or a pcapng Decryption Secrets
// Block of type TLSK). One store serves TLS 1.2 (CLIENT_RANDOM → master secret), TLS 1.3 and QUIC (traffic
// secrets per stage). Lines that do not parse are counted, never fatal: key logs are often concatenated.
// It also remembers, for the run, the TLS ≤ 1.2 master secret of each session id it decrypted, so that an
// abbreviated handshake resuming that session decrypts even when its own client random was not logged.

/** NSS key log labels phonehome reads. */
export const KEY_LOG_LABELS = [
  "CLIENT_RANDOM",
  "CLIENT_EARLY_TRAFFIC_SECRET",
  "EARLY_TRAFFIC_SECRET",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  "CLIENT_TRAFFIC_SECRET_0",
  "SERVER_TRAFFIC_SECRET_0",
  "EXPORTER_SECRET",
] as const;
export type KeyLogLabel = (typeof KEY_LOG_LABELS)[number];

/**
 * Labels of well-formed lines phonehome has no use for: counted as ignored, not as bad. OpenSSL logs each
 * KeyUpdate's next secret (`*_TRAFFIC_SECRET_N`), which "traffic upd" derives anyway; `RSA` lines key a
 * pre-master secret by its encryption, which needs the handshake's ClientKeyExchange.
 */
export const IGNORED_KEY_LOG_LABELS = [
  "EARLY_EXPORTER_SECRET",
  "CLIENT_TRAFFIC_SECRET_N",
  "SERVER_TRAFFIC_SECRET_N",
  "ECH_SECRET",
  "ECH_CONFIG",
  "RSA",
] as const;

/** pcapng DSB secrets type for NSS key log text ("TLSK"). */
export const DSB_TLS_KEY_LOG = 0x544c534b;

/** Secrets kept at most (a key log of a day of browsing has a few thousand sessions). */
export const MAX_SESSIONS = 200_000;

/** Session ids remembered for resumption at most; the oldest is forgotten first. */
export const MAX_RESUMABLE = 10_000;

/** Outcome of adding key log text. */
export interface KeyLogLoad {
  /** Lines that gave a secret. */
  added: number;
  /** Non-empty, non-comment lines that did not parse (bad label, bad hex, wrong length). */
  bad: number;
  /** Lines with a label phonehome does not use (IGNORED_KEY_LOG_LABELS). */
  ignored: number;
  /** 1-based line number of the first bad line, for a message. */
  firstBadLine?: number;
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const IGNORED: ReadonlySet<string> = new Set(IGNORED_KEY_LOG_LABELS);

/** Index of each label in an entry's first char. */
const LABEL_INDEX: ReadonlyMap<string, number> = new Map(KEY_LOG_LABELS.map((l, i) => [l, i]));

/**
 * Secrets by client random (hex, lower case) then label. A capture's key log holds every session it will
 * ever decrypt (a 10 GB capture: some 50 000), so each session is one map entry whose value is a flat
 * latin1 string of `[label index][length][secret bytes]` entries: about 300 bytes of heap for a TLS 1.3
 * session instead of 1.7 KB as a Map of typed arrays. Keys and values are fresh strings, never slices of
 * the key log text (a V8 sliced string keeps its parent alive).
 */
export class KeyStore {
  private readonly sessions = new Map<string, string>();
  private readonly resumable = new Map<string, Uint8Array>();

  /** Number of client randoms with at least one secret. */
  get size(): number {
    return this.sessions.size;
  }

  /** Adds one secret (at most 255 bytes); `clientRandom` is 64 hex digits. Ignored past MAX_SESSIONS. */
  add(label: KeyLogLabel, clientRandom: string, secret: Uint8Array): void {
    const li = LABEL_INDEX.get(label);
    if (li === undefined || secret.length > 0xff) return;
    // A fresh string: the caller's may be a slice of a large key log text.
    const key = Buffer.from(clientRandom.toLowerCase(), "latin1").toString("latin1");
    const old = this.sessions.get(key);
    if (old === undefined && this.sessions.size >= MAX_SESSIONS) return;
    const kept = old === undefined ? [] : entriesWithout(old, li);
    const bytes = Buffer.alloc(kept.reduce((n, e) => n + e.length, 0) + 2 + secret.length);
    let off = 0;
    for (const e of kept) off += bytes.write(e, off, "latin1");
    bytes[off] = li;
    bytes[off + 1] = secret.length;
    bytes.set(secret, off + 2);
    this.sessions.set(key, bytes.toString("latin1"));
  }

  /** The secret logged under `label` for this client random (a new array each call). */
  get(clientRandom: string, label: KeyLogLabel): Uint8Array | undefined {
    const v = this.sessions.get(clientRandom.toLowerCase());
    const li = LABEL_INDEX.get(label);
    if (v === undefined || li === undefined) return undefined;
    for (let p = 0; p + 2 <= v.length; p += 2 + v.charCodeAt(p + 1)) {
      if (v.charCodeAt(p) !== li) continue;
      const out = new Uint8Array(v.charCodeAt(p + 1));
      for (let i = 0; i < out.length; i++) out[i] = v.charCodeAt(p + 2 + i);
      return out;
    }
    return undefined;
  }

  /** True when any secret is known for this client random. */
  has(clientRandom: string): boolean {
    return this.sessions.has(clientRandom.toLowerCase());
  }

  /** True when nothing could decrypt anything: no secrets and no remembered sessions. */
  get empty(): boolean {
    return this.sessions.size === 0 && this.resumable.size === 0;
  }

  /** Remembers the master secret of a TLS ≤ 1.2 session id (hex) for later resumptions. */
  rememberSession(sessionId: string, master: Uint8Array): void {
    if (sessionId === "") return;
    const key = sessionId.toLowerCase();
    this.resumable.delete(key);
    if (this.resumable.size >= MAX_RESUMABLE) {
      const oldest = this.resumable.keys().next().value;
      if (oldest !== undefined) this.resumable.delete(oldest);
    }
    this.resumable.set(key, master);
  }

  /** The master secret of a session id seen decrypted earlier in the run. */
  resumedMaster(sessionId: string): Uint8Array | undefined {
    return sessionId === "" ? undefined : this.resumable.get(sessionId.toLowerCase());
  }

  /** Adds every `LABEL <client_random hex> <secret hex>` line of NSS key log text. */
  addKeyLog(text: string): KeyLogLoad {
    const res: KeyLogLoad = { added: 0, bad: 0, ignored: 0 };
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === "" || line.startsWith("#")) continue;
      if (IGNORED.has(line.split(/\s/, 1)[0])) res.ignored++;
      else if (this.addLine(line)) res.added++;
      else {
        res.bad++;
        res.firstBadLine ??= i + 1;
      }
    }
    return res;
  }

  private addLine(line: string): boolean {
    const parts = line.split(/\s+/);
    if (parts.length !== 3) return false;
    const [label, random, secret] = parts;
    if (!(KEY_LOG_LABELS as readonly string[]).includes(label)) return false;
    if (random.length !== 64 || !HEX_RE.test(random)) return false;
    // TLS 1.2 master secret: 48 bytes; TLS 1.3 secrets: the hash length (32 or 48).
    if (secret.length % 2 !== 0 || secret.length < 64 || secret.length > 128 || !HEX_RE.test(secret)) {
      return false;
    }
    this.add(label as KeyLogLabel, random, Buffer.from(secret, "hex"));
    return true;
  }
}

/** The entries of a session's value string other than label `li`'s. */
function entriesWithout(v: string, li: number): string[] {
  const out: string[] = [];
  for (let p = 0; p + 2 <= v.length; p += 2 + v.charCodeAt(p + 1)) {
    if (v.charCodeAt(p) !== li) out.push(v.slice(p, p + 2 + v.charCodeAt(p + 1)));
  }
  return out;
}
