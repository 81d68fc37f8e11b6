// Real TLS sessions recorded on loopback for decryption tests: Node's `tls` server and client talk through
// an in-process TCP relay that keeps every byte each way, the client's `keylog` event gives the NSS key
// log, and the bytes become a pcap (or a pcapng with the key log in a Decryption Secrets Block) through the
// synthetic TCP conversation of tcp-conversation.ts. Test helpers only.

import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { join } from "node:path";
import { type TLSSocket, connect as tlsConnect, createServer as tlsCreateServer } from "node:tls";
import { DSB_TLS_KEY_LOG } from "../../src/decrypt/key-log.ts";
import { type PcapngBlockSpec, writePcap, writePcapng } from "./capture-writer.ts";
import { REPO_ROOT } from "./corpus.ts";
import { utf8 } from "./net-bytes.ts";
import { type SynthFrame, TrafficSynth } from "./traffic-synth.ts";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "decrypt");

/** The throwaway test key and certificate (see test/fixtures/decrypt/README.md). */
export const TEST_TLS_KEY = readFileSync(join(FIXTURES, "server.key.pem"), "utf8");
/** Self-signed certificate for TEST_TLS_HOST; clients trust it as their CA. */
export const TEST_TLS_CERT = readFileSync(join(FIXTURES, "server.cert.pem"), "utf8");
/** The certificate's name (subject CN and first SAN). */
export const TEST_TLS_HOST = "tls-decrypt.phonehome.test";

/** Bytes one side wrote, as the relay forwarded them. */
export interface RelayChunk {
  /** Client → server. */
  fromClient: boolean;
  /** The bytes. */
  data: Uint8Array;
}

/** A TCP relay on loopback that records both directions of every connection through it. */
export class TcpRelay {
  /** Each accepted connection's chunks, in the order the relay saw them. */
  readonly connections: RelayChunk[][] = [];
  private closing: Promise<void>[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The port clients connect to. */
    readonly port: number,
  ) {}

  /** Starts a relay to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number): Promise<TcpRelay> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const addr = server.address();
    const relay = new TcpRelay(server, typeof addr === "object" && addr ? addr.port : 0);
    server.on("connection", (c) => relay.relay(c, targetPort));
    return relay;
  }

  /** Waits for every relayed connection to close, then stops listening. */
  async close(): Promise<void> {
    await Promise.all(this.closing);
    this.server.close();
    await once(this.server, "close");
  }

  /** Stops at once, dropping open connections (after a failed test step). */
  destroy(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }

  private relay(c: Socket, targetPort: number): void {
    const chunks: RelayChunk[] = [];
    this.connections.push(chunks);
    const up = tcpConnect(targetPort, "127.0.0.1");
    for (const s of [c, up]) this.sockets.add(s);
    const pipe = (from: Socket, to: Socket, fromClient: boolean) => {
      from.on("data", (d: Buffer) => {
        chunks.push({ fromClient, data: Uint8Array.from(d) });
        if (to.writable) to.write(d);
      });
      from.on("end", () => to.end());
      // A peer that resets (an OpenSSL tool exiting) ends the other side too; the bytes so far are kept.
      from.on("error", () => to.destroy());
    };
    pipe(c, up, true);
    pipe(up, c, false);
    const closed = (s: Socket) => new Promise<void>((r) => s.on("close", () => r()));
    this.closing.push(Promise.all([closed(c), closed(up)]).then(() => undefined));
  }
}

/** One application write in a recorded session. */
export interface TlsStep {
  /** Written by the client (else by the server). */
  fromClient: boolean;
  /** The bytes (strings are UTF-8). */
  data: string | Uint8Array;
}

/** What to record. */
export interface TlsSessionSpec {
  /** Protocol version, both sides pinned to it (default TLSv1.3). */
  version?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
  /** OpenSSL cipher list (≤ 1.2, e.g. `ECDHE-ECDSA-AES128-GCM-SHA256`) or TLS 1.3 suite (`TLS_AES_128_GCM_SHA256`). */
  cipher?: string;
  /** ALPN protocols both sides support, client preference order. */
  alpn?: string[];
  /** Writes in order; each waits until the previous one arrived. */
  steps?: TlsStep[];
  /** Shorthand for steps: the client's writes, then the server's. */
  clientSends?: (string | Uint8Array)[];
  /** Shorthand for steps: written after every client write arrived. */
  serverSends?: (string | Uint8Array)[];
  /** Offer encrypt_then_mac (OpenSSL's default, true); false sends CBC records MAC-then-encrypt. */
  encryptThenMac?: boolean;
}

/** A recorded session. */
export interface RecordedTlsSession {
  /** The bytes each way, as relayed. */
  chunks: RelayChunk[];
  /** NSS key log text the client logged. */
  keyLog: string;
  /** The ClientHello random (hex), the key of the key log lines. */
  clientRandom: string;
  /** Negotiated version (`TLSv1.3`), cipher (OpenSSL name) and ALPN protocol (false for none). */
  negotiated: { version: string; cipher: string; standardName: string; alpn: string | false };
  /** The plaintext each side received (to check the relay changed nothing). */
  received: { byClient: Uint8Array; byServer: Uint8Array };
}

const bytes = (d: string | Uint8Array): Uint8Array => (typeof d === "string" ? utf8(d) : d);

/** Runs one TLS session between Node's server and client through a recording relay. */
export async function recordTlsSession(spec: TlsSessionSpec): Promise<RecordedTlsSession> {
  const steps: TlsStep[] = spec.steps ?? [
    ...(spec.clientSends ?? []).map((data) => ({ fromClient: true, data })),
    ...(spec.serverSends ?? []).map((data) => ({ fromClient: false, data })),
  ];
  const version = spec.version ?? "TLSv1.3";
  const tlsOpts = tlsOptions(spec, version);
  const server = tlsCreateServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT, ...tlsOpts });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const addr = server.address();
  const relay = await TcpRelay.start(typeof addr === "object" && addr ? addr.port : 0);
  const accepted = once(server, "secureConnection") as Promise<[TLSSocket]>;
  const client = tlsConnect({
    host: "127.0.0.1",
    port: relay.port,
    servername: TEST_TLS_HOST,
    ca: TEST_TLS_CERT,
    ...tlsOpts,
  });
  const keyLog: string[] = [];
  client.on("keylog", (line: Buffer) => keyLog.push(line.toString("latin1")));
  await once(client, "secureConnect");
  const [peer] = await accepted;
  const received = await runSteps(client, peer, steps);
  const negotiated = {
    version: client.getProtocol() ?? "",
    cipher: client.getCipher().name,
    standardName: client.getCipher().standardName,
    alpn: client.alpnProtocol ?? false,
  };
  client.end();
  await Promise.all([once(client, "close"), once(peer, "close")]);
  await relay.close();
  server.close();
  const text = keyLog.join("");
  return {
    chunks: relay.connections[0] ?? [],
    keyLog: text,
    clientRandom: text.split(/\s+/)[1] ?? "",
    negotiated,
    received,
  };
}

function tlsOptions(spec: TlsSessionSpec, version: NonNullable<TlsSessionSpec["version"]>) {
  const old = version === "TLSv1" || version === "TLSv1.1";
  const cipher = spec.cipher;
  return {
    minVersion: version,
    maxVersion: version,
    // TLS 1.0/1.1 need OpenSSL's security level 0 (SHA-1 signatures) to be allowed at all.
    ...(cipher !== undefined
      ? { ciphers: old ? `${cipher}:@SECLEVEL=0` : cipher }
      : old
        ? { ciphers: "DEFAULT:@SECLEVEL=0" }
        : {}),
    ...(spec.alpn ? { ALPNProtocols: spec.alpn } : {}),
    // SSL_OP_NO_ENCRYPT_THEN_MAC, numerically, so the helper needs no crypto import for one flag.
    ...(spec.encryptThenMac === false ? { secureOptions: 0x80000 } : {}),
  };
}

/** Writes each step and waits for it to arrive; returns what each side received. */
async function runSteps(client: TLSSocket, peer: TLSSocket, steps: TlsStep[]) {
  const got = { byClient: [] as Buffer[], byServer: [] as Buffer[] };
  const count = { byClient: 0, byServer: 0 };
  let wake: (() => void) | undefined;
  const collect = (key: "byClient" | "byServer") => (d: Buffer) => {
    got[key].push(d);
    count[key] += d.length;
    wake?.();
  };
  client.on("data", collect("byClient"));
  peer.on("data", collect("byServer"));
  const want = { byClient: 0, byServer: 0 };
  for (const step of steps) {
    const key = step.fromClient ? "byServer" : "byClient";
    const data = bytes(step.data);
    want[key] += data.length;
    (step.fromClient ? client : peer).write(data);
    while (count[key] < want[key]) await new Promise<void>((r) => (wake = r));
  }
  return { byClient: Buffer.concat(got.byClient), byServer: Buffer.concat(got.byServer) };
}

/** Where a recorded conversation is placed on the synthetic network. */
export interface TlsCaptureOptions {
  /** Client address (default 10.0.0.2). */
  client?: string;
  /** Server address (default 203.0.113.10). */
  server?: string;
  /** Server port (default 443). */
  serverPort?: number;
  /** Client port (default 50000). */
  clientPort?: number;
  /** TCP maximum segment size (default 1460). */
  mss?: number;
}

/** The frames of a recorded conversation as one synthetic TCP connection. */
export function tlsFrames(chunks: RelayChunk[], o: TlsCaptureOptions = {}): SynthFrame[] {
  const synth = new TrafficSynth({ seed: 7 });
  synth.tcpConversation({
    client: o.client ?? "10.0.0.2",
    server: o.server ?? "203.0.113.10",
    clientPort: o.clientPort ?? 50000,
    serverPort: o.serverPort ?? 443,
    mss: o.mss,
    exchanges: chunks.map((c) => ({ fromClient: c.fromClient, data: c.data })),
  });
  return synth.sorted();
}

/** A pcap of the conversation (Ethernet). */
export function tlsPcap(chunks: RelayChunk[], o: TlsCaptureOptions = {}): Uint8Array {
  return writePcap(tlsFrames(chunks, o));
}

/** A pcapng of the conversation with `keyLog` in a Decryption Secrets Block before the packets. */
export function tlsPcapngWithKeys(
  chunks: RelayChunk[],
  keyLog: string,
  o: TlsCaptureOptions = {},
): Uint8Array {
  const blocks: PcapngBlockSpec[] = [
    { kind: "dsb", secretsType: DSB_TLS_KEY_LOG, data: utf8(keyLog) },
    ...tlsFrames(chunks, o).map((frame): PcapngBlockSpec => ({ kind: "epb", frame })),
  ];
  return writePcapng([{ interfaces: [{ linkType: 1 }], blocks }]);
}
