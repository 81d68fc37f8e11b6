// TLS 1.3 sessions Node's `tls` module cannot produce, recorded with the OpenSSL command-line tools through
// the recording relay of tls-capture.ts: a KeyUpdate (s_client's `k` / `K` commands) and 0-RTT early data
// (a resumed session with `-early_data`). The client writes its key log with `-keylogfile`. Test helpers
// only; tests skip with NO_OPENSSL when the tool is absent.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./corpus.ts";
import { type RelayChunk, TcpRelay, TEST_TLS_HOST } from "./tls-capture.ts";

/** True when the openssl command is on PATH. */
export const HAS_OPENSSL = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

/** Message for `test(..., { skip })` when openssl is absent. */
export const NO_OPENSSL = HAS_OPENSSL ? false : "openssl is not installed";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "decrypt");
const STEP_TIMEOUT_MS = 10_000;

/** One step of an OpenSSL session. */
export type OpensslStep =
  /** The client sends a line (with "\n"); waits until the server printed it. */
  | { client: string }
  /** The server sends a line; waits until the client printed it. */
  | { server: string }
  /** s_client's KeyUpdate command: `k` updates the client's keys, `K` asks the server to update too. */
  | { keyUpdate: "k" | "K" };

/** What to record. */
export interface OpensslSessionSpec {
  /** The steps of the (last) connection. */
  steps: OpensslStep[];
  /** Resume a first session and send these bytes as 0-RTT early data in the second connection. */
  earlyData?: string;
  /** TLS 1.3 cipher suite (`-ciphersuites`), e.g. TLS_AES_128_GCM_SHA256. */
  cipher?: string;
}

/** A recorded OpenSSL session. */
export interface OpensslSession {
  /** The bytes of the last connection, as relayed. */
  chunks: RelayChunk[];
  /** Every connection's bytes (the first one primes 0-RTT resumption). */
  connections: RelayChunk[][];
  /** The client's key log (every connection). */
  keyLog: string;
  /** What the server printed (received application data among its status lines). */
  serverOut: string;
}

/** A child process whose stdout is collected and can be waited on. */
class Proc {
  out = "";
  private wake: (() => void) | undefined;
  readonly exited: Promise<unknown>;

  constructor(readonly child: ChildProcess) {
    const take = (d: Buffer) => {
      this.out += d.toString("latin1");
      this.wake?.();
    };
    // A tool that died mid-step must not crash the test process through its closed stdin.
    child.stdin?.on("error", () => {});
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
    this.exited = once(child, "exit");
  }

  /** Waits until the output from offset `from` on matches `what`. */
  async until(what: string | RegExp, label: string, from = 0): Promise<void> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    const seen = () => {
      const out = this.out.slice(from);
      return typeof what === "string" ? out.includes(what) : what.test(out);
    };
    while (!seen()) {
      if (Date.now() > deadline)
        throw new Error(`openssl: timed out waiting for ${label}; output:\n${this.out}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
  }

  write(s: string): void {
    this.child.stdin?.write(s);
  }
}

/** Runs s_server and s_client through a recording relay. */
export async function recordOpensslSession(spec: OpensslSessionSpec): Promise<OpensslSession> {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-openssl-"));
  const keylog = join(dir, "client.keylog");
  const early = spec.earlyData !== undefined;
  const suite = spec.cipher ? ["-ciphersuites", spec.cipher] : [];
  const procs: Proc[] = [];
  let relay: TcpRelay | undefined;
  const server = new Proc(
    spawn("openssl", [
      "s_server",
      ...["-accept", "127.0.0.1:0", "-tls1_3", "-naccept", early ? "2" : "1"],
      ...["-cert", join(FIXTURES, "server.cert.pem"), "-key", join(FIXTURES, "server.key.pem")],
      ...(early ? ["-early_data"] : []),
      ...suite,
    ]),
  );
  try {
    await server.until(/ACCEPT [^\n]*:(\d+)\n/, "s_server to listen");
    const port = Number(/ACCEPT [^\n]*:(\d+)\n/.exec(server.out)?.[1]);
    const r = await TcpRelay.start(port);
    relay = r;
    const client = (args: string[]) => {
      const p = new Proc(
        spawn("openssl", [
          "s_client",
          ...["-connect", `127.0.0.1:${r.port}`, "-tls1_3", "-servername", TEST_TLS_HOST],
          ...["-keylogfile", keylog, ...suite, ...args],
        ]),
      );
      procs.push(p);
      return p;
    };
    if (early) {
      const first = client(["-sess_out", join(dir, "sess.pem")]);
      await runSteps(first, server, [{ client: "priming connection" }]);
      writeFileSync(join(dir, "early.txt"), spec.earlyData ?? "");
      const second = client(["-sess_in", join(dir, "sess.pem"), "-early_data", join(dir, "early.txt")]);
      await runSteps(second, server, spec.steps);
    } else {
      await runSteps(client([]), server, spec.steps);
    }
    await server.exited;
    await r.close();
    relay = undefined;
    return {
      chunks: r.connections[r.connections.length - 1] ?? [],
      connections: r.connections,
      keyLog: readFileSync(keylog, "latin1"),
      serverOut: server.out,
    };
  } finally {
    // On a failed step nothing may keep the test process alive: the tools and the relay go.
    for (const p of [server, ...procs]) p.child.kill();
    relay?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSteps(client: Proc, server: Proc, steps: OpensslStep[]): Promise<void> {
  await client.until("Verify return code", "the handshake");
  // Each wait looks only at output after the step's write: s_client takes a command only at the start of
  // what one read() returns, so a line written before the previous command was handled would be lost.
  for (const step of steps) {
    const [c, s] = [client.out.length, server.out.length];
    if ("client" in step) {
      client.write(`${step.client}\n`);
      await server.until(step.client, `the server to receive "${step.client}"`, s);
    } else if ("server" in step) {
      server.write(`${step.server}\n`);
      await client.until(step.server, `the client to receive "${step.server}"`, c);
    } else {
      client.write(`${step.keyUpdate}\n`);
      await client.until("KEYUPDATE", "s_client to send its KeyUpdate", c);
    }
  }
  client.child.stdin?.end();
  await client.exited;
}
