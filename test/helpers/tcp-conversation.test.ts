// TCP conversations as tshark sees them: frame and byte counts (worked out by hand from header sizes), and
// follow-stream bytes equal to the planted data even with reordering, retransmission, sequence wrap, IPv6,
// every link layer, mid-stream starts and RST closes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { conversations, pattern, saveSynth as save, tsharkOn as tshark } from "./synth-tshark.ts";
import { type SynthLink, TrafficSynth } from "./traffic-synth.ts";
import { NO_TSHARK } from "./tshark.ts";

/**
 * The bytes each side sent in TCP stream `n`, from `-z follow,tcp,raw,n`: `client` is tshark's node 0 (the
 * sender of the stream's first frame), `server` node 1 (its lines are tab-indented).
 */
function follow(file: string, n: number): { client: Buffer; server: Buffer } {
  const lines = tshark(file, ["-q", "-z", `follow,tcp,raw,${n}`]).split("\n");
  const start = lines.findIndex((l) => l.startsWith("Node 1:")) + 1;
  const client: Buffer[] = [];
  const server: Buffer[] = [];
  for (const l of lines.slice(start)) {
    if (l.startsWith("====")) break;
    if (l.startsWith("\t")) server.push(Buffer.from(l.slice(1), "hex"));
    else if (l) client.push(Buffer.from(l, "hex"));
  }
  return { client: Buffer.concat(client), server: Buffer.concat(server) };
}

test("a plain conversation has the frames and bytes its headers add up to", { skip: NO_TSHARK }, () => {
  const s = new TrafficSynth({ seed: 1 });
  const request = pattern(100, 1);
  const response = pattern(3000, 2);
  s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.3",
    clientPort: 40000,
    serverPort: 80,
    exchanges: [
      { fromClient: true, data: request },
      { fromClient: false, data: response },
    ],
  });
  const file = save(s);
  // Ethernet 14 + IPv4 20 + TCP 20 = 54 bytes of headers; SYN and SYN/ACK add 12 bytes of options.
  // Client: SYN 66, ACK 54, 100 bytes of data 154, ACK 54, FIN 54, last ACK 54 = 6 frames, 436 bytes.
  // Server: SYN/ACK 66, ACK 54, 1460 + 1460 + 80 bytes of data (1514, 1514, 134), FIN 54 = 6 frames, 3336 bytes.
  assert.deepEqual(conversations(file, "tcp").get("10.0.0.2:40000 <-> 10.0.0.3:80"), [6, 436, 6, 3336]);
  const f = follow(file, 0);
  assert.deepEqual(new Uint8Array(f.client), request);
  assert.deepEqual(new Uint8Array(f.server), response);
});

test("reordered, retransmitted, wrapping, IPv6 segments still follow to the planted bytes", {
  skip: NO_TSHARK,
}, () => {
  for (const link of ["ethernet", "sll", "sll2", "raw"] as SynthLink[]) {
    const s = new TrafficSynth({ seed: 9, link });
    const up = pattern(2500, 3);
    const down = pattern(20000, 4);
    const tail = pattern(700, 5);
    s.tcpConversation({
      client: "2001:db8::2",
      server: "2001:db8::443",
      clientPort: 41000,
      serverPort: 443,
      mss: 536,
      isn: { client: 0xffffff00, server: 0xfffffff0 },
      reorder: 0.5,
      retransmit: 0.3,
      exchanges: [
        { fromClient: true, data: up },
        { fromClient: false, data: down },
        { fromClient: true, data: tail },
      ],
    });
    const file = save(s);
    const f = follow(file, 0);
    assert.deepEqual(new Uint8Array(f.client), new Uint8Array([...up, ...tail]), link);
    assert.deepEqual(new Uint8Array(f.server), down, link);
    const flags = tshark(file, [
      "-Y",
      "tcp.analysis.out_of_order || tcp.analysis.retransmission",
      "-T",
      "fields",
      "-e",
      "frame.number",
    ]);
    assert.ok(flags.trim().split("\n").length >= 5, `${link}: expected reordering and retransmissions`);
  }
});

test("a mid-stream start has no SYN and an RST close ends it", { skip: NO_TSHARK }, () => {
  const s = new TrafficSynth({ seed: 2, link: "raw" });
  const data = pattern(4000, 6);
  s.tcpConversation({
    client: "10.0.0.2",
    server: "10.0.0.3",
    clientPort: 40000,
    serverPort: 8080,
    handshake: false,
    close: "rst",
    exchanges: [{ fromClient: false, data }],
  });
  const file = save(s);
  const flags = tshark(file, ["-T", "fields", "-e", "tcp.flags.syn", "-e", "tcp.flags.reset"])
    .trim()
    .split("\n");
  assert.ok(
    flags.every((l) => !l.startsWith("1")),
    "no SYN",
  );
  assert.equal(flags[flags.length - 1], "0\t1");
  // Without a SYN the first frame is the server's, so tshark makes the server node 0.
  const f = follow(file, 0);
  assert.deepEqual([new Uint8Array(f.client), f.server.length], [data, 0]);
});
