// Real TLS for the "after the update" example: a Node TLS client and server talk on loopback through a
// recording relay, so the capture carries genuine handshakes and ciphertext, and the client's `keylog`
// lines are the NSS key log Wireshark needs to decrypt them. The certificate is self-signed, made at
// generation time with the openssl command (Node has no API that creates X.509 certificates).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer as createTlsServer, type TLSSocket } from "node:tls";

/** TLS versions a recorded session may be pinned to. */
export const TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** A certificate and its private key, PEM. */
export interface Credentials {
  cert: string;
  key: string;
}

/** One request the client sends and the response the server answers it with. */
export interface TlsExchange {
  request: Uint8Array;
  response: Uint8Array;
}

/** What crossed the wire, in order, and the secrets to read it. */
export interface TlsRecording {
  /** TCP payload chunks as the relay saw them. */
  chunks: { fromClient: boolean; data: Uint8Array }[];
  /** NSS key log text from the client's `keylog` events. */
  keyLog: string;
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  version: string;
  /** Negotiated cipher suite (IANA name). */
  cipher: string;
}

/** Gives up on a session that has not finished after this long (loopback sessions take milliseconds). */
const SESSION_TIMEOUT_MS = 20_000;

/** A self-signed P-256 certificate for `host`, valid ten years from now. */
export function selfSignedCert(host: string): Credentials {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-example-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    const args = [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "3650",
      "-subj",
      `/O=phonehome example (self-signed)/CN=${host}`,
      "-addext",
      `subjectAltName=DNS:${host}`,
      "-keyout",
      key,
      "-out",
      cert,
    ];
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    if (r.error || r.status !== 0) {
      throw new Error(`openssl could not make a certificate: ${r.error?.message ?? r.stderr}`);
    }
    return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of one recorded session. */
export interface TlsSessionOptions {
  /** Server credentials; the client trusts exactly this certificate. */
  creds: Credentials;
  /** SNI the client sends (and the name it checks the certificate for). */
  servername: string;
  /** The TLS version both ends are pinned to. */
  version: TlsVersion;
  /** Request/response pairs, in order, one at a time. */
  exchanges: TlsExchange[];
}

/** Runs one TLS session on loopback and returns what the relay recorded. */
export async function recordTlsSession(o: TlsSessionOptions): Promise<TlsRecording> {
  const chunks: TlsRecording["chunks"] = [];
  const server = tlsServer(o);
  const tlsPort = await listen(server);
  let relayDone: Promise<void> = Promise.resolve();
  const relay = createServer((down) => {
    relayDone = pipeRecorded(down, tlsPort, chunks);
  });
  const relayPort = await listen(relay);
  try {
    const client = await runClient(o, relayPort);
    await withTimeout(relayDone, "the relay did not see both ends close");
    return { chunks: merge(chunks), ...client };
  } finally {
    relay.close();
    server.close();
  }
}

/** The server answers the i-th request once all of its bytes have arrived. */
function tlsServer(o: TlsSessionOptions): Server {
  return createTlsServer(
    { key: o.creds.key, cert: o.creds.cert, minVersion: o.version, maxVersion: o.version },
    (sock) => {
      let got = 0;
      let next = 0;
      let need = o.exchanges[0]?.request.length ?? 0;
      sock.on("data", (d: Buffer) => {
        got += d.length;
        while (next < o.exchanges.length && got >= need) {
          sock.write(o.exchanges[next].response);
          next++;
          need += o.exchanges[next]?.request.length ?? 0;
        }
      });
      sock.on("end", () => sock.end());
      sock.on("error", () => sock.destroy());
    },
  );
}

/** Forwards one connection to the TLS server, recording each chunk with its direction. */
function pipeRecorded(down: Socket, port: number, chunks: TlsRecording["chunks"]): Promise<void> {
  return new Promise((resolve) => {
    const up = netConnect(port, "127.0.0.1");
    let closed = 0;
    const done = () => {
      if (++closed === 2) resolve();
    };
    down.on("data", (d: Buffer) => {
      chunks.push({ fromClient: true, data: new Uint8Array(d) });
      up.write(d);
    });
    up.on("data", (d: Buffer) => {
      chunks.push({ fromClient: false, data: new Uint8Array(d) });
      down.write(d);
    });
    down.on("end", () => up.end());
    up.on("end", () => down.end());
    down.on("close", done);
    up.on("close", done);
    down.on("error", () => up.destroy());
    up.on("error", () => down.destroy());
  });
}

/** The client: handshake, each request after the previous response, then close_notify and FIN. */
async function runClient(o: TlsSessionOptions, port: number): Promise<Omit<TlsRecording, "chunks">> {
  const lines: string[] = [];
  const sock: TLSSocket = connect({
    host: "127.0.0.1",
    port,
    servername: o.servername,
    ca: o.creds.cert,
    minVersion: o.version,
    maxVersion: o.version,
    ALPNProtocols: ["http/1.1"],
  });
  sock.on("keylog", (line: Buffer) => lines.push(line.toString("latin1")));
  await withTimeout(once(sock, "secureConnect"), "TLS handshake did not finish");
  let got = 0;
  sock.on("data", (d: Buffer) => {
    got += d.length;
  });
  let want = 0;
  for (const x of o.exchanges) {
    want += x.response.length;
    sock.write(x.request);
    await withTimeout(
      until(sock, () => got >= want),
      "no response",
    );
  }
  const version = sock.getProtocol() ?? "";
  const cipher = sock.getCipher().standardName;
  sock.end();
  await withTimeout(once(sock, "close"), "the client did not close");
  return { keyLog: lines.map((l) => (l.endsWith("\n") ? l : `${l}\n`)).join(""), version, cipher };
}

/** Chunks in a row from the same side become one write. */
function merge(chunks: TlsRecording["chunks"]): TlsRecording["chunks"] {
  const out: TlsRecording["chunks"] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && last.fromClient === c.fromClient) {
      const joined = new Uint8Array(last.data.length + c.data.length);
      joined.set(last.data);
      joined.set(c.data, last.data.length);
      last.data = joined;
    } else out.push({ ...c });
  }
  return out;
}

function listen(s: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      resolve(typeof a === "object" && a ? a.port : 0);
    });
  });
}

function once(sock: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once(event, () => resolve());
    sock.once("error", reject);
  });
}

/** Resolves when `ready()` holds after some data arrived. */
function until(sock: Socket, ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const check = () => {
      if (!ready()) return;
      sock.off("data", check);
      resolve();
    };
    sock.on("data", check);
    sock.once("error", reject);
  });
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`example TLS session: ${what}`)), SESSION_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
