// Conformance over the shared corpus: for files covering every link family in it, the frames the packet
// decoder finds TCP and UDP in are exactly the frames tshark finds them in (outside ICMP error quotes;
// tshark names a reassembled datagram once, in the frame that completes it, as the decoder does); and the
// hand-written frame of every link type read back by tshark.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { CaptureHandler } from "../../src/capture/capture-events.ts";
import { PcapParser } from "../../src/capture/pcap-reader.ts";
import { PcapngParser } from "../../src/capture/pcapng-reader.ts";
import { PacketDecoder } from "../../src/decode/packet-decoder.ts";
import { newPacketLayers } from "../../src/model/layers.ts";
import { writePcap } from "../helpers/capture-writer.ts";
import { corpusPath, NO_CORPUS } from "../helpers/corpus.ts";
import { NO_TSHARK } from "../helpers/tshark.ts";
import { tsharkFramesAll } from "../helpers/tshark-frames.ts";
import { decodeOnce, VALID_FRAMES } from "./decode-helpers.ts";

/** Corpus files and what each one exercises. */
const FILES: [string, string][] = [
  ["tcpdump-tests/tests/LINKTYPE_RAW_ipv4.pcap", "raw IPv4"],
  ["tcpdump-tests/tests/LINKTYPE_RAW_ipv6.pcap", "raw IPv6"],
  ["libpcap-tests/tests/filter/loopback.pcap", "Ethernet loopback frames, no IP"],
  ["tcpdump-tests/tests/dns_tcp.pcap", "Ethernet, TCP"],
  ["tcpdump-tests/tests/quic_handshake.pcap", "BSD NULL, UDP"],
  ["tcpdump-tests/tests/tcp-handshake-nano.pcap", "Linux SLL, ns timestamps"],
  ["tcpdump-tests/tests/mptcp-v1.pcap", "Linux SLL, TCP options"],
  ["tcpdump-tests/tests/bgp_vpn_attrset.pcap", "PPP"],
  ["tcpdump-tests/tests/mpls-traceroute.pcap", "PPP + MPLS, ICMP quoting UDP"],
  ["tcpdump-tests/tests/nflog.pcap", "NFLOG, UDP"],
  ["zeek-traces/testing/btest/Traces/nflog-http.pcap", "NFLOG, TCP"],
  ["libpcap-tests/tests/filter/http_PPI.pcap", "PPI + 802.11 + LLC/SNAP"],
  ["zeek-traces/testing/btest/Traces/http-vlan-0.pcap", "802.1Q"],
  ["zeek-traces/testing/btest/Traces/ipv6-fragmented-dns.pcap", "IPv6 fragments"],
  ["tcpdump-tests/tests/ipv6-routing-header.pcap", "IPv6 routing header"],
  ["tcpdump-tests/tests/bigtcp-ipv6-hbh.pcap", "IPv6 jumbogram (BIG TCP)"],
  ["tcpdump-tests/tests/ipv4_tcp_http_xml_tso.pcap", "IPv4 total length 0 (TSO)"],
  ["zeek-traces/testing/btest/Traces/snap-tcp.pcap", "snaplen-cut frames"],
  ["zeek-traces/testing/btest/Traces/tcp/truncated-header.pcap", "snaplen cutting TCP options"],
  ["zeek-traces/testing/btest/Traces/raw_packets.pcap", "ARP, ICMP, TCP and UDP mixed"],
  ["zeek-traces/testing/btest/Traces/pcapng-multi-interface.pcapng", "pcapng, several interfaces"],
  ["zeek-traces/testing/btest/Traces/quic/firefox-102.13.0esr-blog-cloudflare-com.pcap", "many UDP (QUIC)"],
  ["tcpdump-tests/tests/ssh.pcap", "a whole TCP session"],
];

interface Found {
  tcp: number[];
  udp: number[];
}

function ours(file: string): Found {
  const bytes = new Uint8Array(readFileSync(file));
  const dec = new PacketDecoder({ weird: () => {} });
  const out = newPacketLayers();
  const found: Found = { tcp: [], udp: [] };
  const handler: CaptureHandler = {
    packet(p) {
      const k = dec.decode(p, out);
      if (k === "tcp" || k === "udp") found[k].push(p.frame);
    },
  };
  const pcapng = bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a;
  const parser = pcapng ? new PcapngParser(handler, { file }) : new PcapParser(handler, { file });
  parser.push(bytes);
  parser.end();
  dec.end();
  return found;
}

test("TCP and UDP frames equal tshark's on corpus files of every link family", {
  skip: NO_CORPUS || NO_TSHARK,
}, async () => {
  const files = FILES.map(([f]) => corpusPath(f));
  const rows = await tsharkFramesAll(files, 4);
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    const want: Found = { tcp: [], udp: [] };
    for (const r of rows[i]) {
      // tshark's `tcp && !icmp && !icmpv6` (and udp): the protocol chain of each frame.
      const protos = r["frame.protocols"].split(":");
      if (protos.includes("icmp") || protos.includes("icmpv6")) continue;
      if (protos.includes("tcp")) want.tcp.push(Number(r["frame.number"]));
      if (protos.includes("udp")) want.udp.push(Number(r["frame.number"]));
    }
    assert.ok(rows[i].length > 0, `tshark read ${FILES[i][0]}`);
    assert.deepEqual(ours(files[i]), want, `${FILES[i][0]} (${FILES[i][1]})`);
    total += want.tcp.length + want.udp.length;
  }
  assert.ok(total > 800, `only ${total} TCP/UDP frames compared`);
});

test("the hand-written frame of every link type decodes in tshark to the same transport and ports", {
  skip: NO_TSHARK,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "phonehome-links-"));
  try {
    // USER2 is PKTAP only by local convention; tshark does not dissect it so without configuration.
    const frames = VALID_FRAMES.filter(([lt]) => lt !== 149);
    const files = frames.map(([lt, f]) => {
      const file = join(dir, `lt${lt}.pcap`);
      writeFileSync(file, writePcap([{ data: f, tsSec: 1 }], { linkType: lt }));
      return file;
    });
    const rows = await tsharkFramesAll(files, 4);
    for (let i = 0; i < frames.length; i++) {
      const [lt, f] = frames[i];
      const { kind, out } = decodeOnce(f, lt);
      const row = rows[i][0];
      assert.ok(row, `tshark read link type ${lt}`);
      const protos = row["frame.protocols"].split(":");
      assert.ok(
        protos.includes(kind),
        `link type ${lt}: tshark says ${row["frame.protocols"]}, we say ${kind}`,
      );
      assert.equal(
        row[kind === "tcp" ? "tcp.srcport" : "udp.srcport"],
        String(out.srcPort),
        `link type ${lt}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
