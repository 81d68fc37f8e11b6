// The idle Redmi Note (redmi-note-idle.pcap): untouched on a desk, the phone asks CNNIC's public resolver
// for names, runs Android's connectivity check and a time sync with Google, and opens a TLS connection to
// an address CNNIC holds without any DNS lookup leading there. It carries no identifier: the point is the
// inventory of endpoints, which shows who a phone talks to when nobody uses it.

import { IDLE } from "./example-data.ts";
import { Timeline } from "./lib/flows.ts";
import { concat, type Frame } from "./lib/frames.ts";
import {
  dnsAnswer,
  dnsQuery,
  filler,
  httpRequest,
  httpResponse,
  tls12ClientFinish,
  tls12ResumedServerFlight,
  tlsAppData,
  tlsClientHello,
} from "./lib/messages.ts";

/** An SNTP client request: LI 0, version 4, mode 3 (RFC 5905 §7.3), transmit time set. */
function ntpRequest(ts: number): Uint8Array {
  const b = new Uint8Array(48);
  b[0] = 0x23;
  writeNtpTime(b, 40, ts);
  return b;
}

/** An SNTP server reply: mode 4, stratum 1, reference "GOOG", all four times near `ts`. */
function ntpReply(request: Uint8Array, ts: number): Uint8Array {
  const b = new Uint8Array(48);
  b[0] = 0x24;
  b[1] = 1;
  b[2] = 3;
  b[3] = 0xec; // precision 2^-20 s
  b.set([0x47, 0x4f, 0x4f, 0x47], 12);
  writeNtpTime(b, 16, ts - 10);
  b.set(request.subarray(40, 48), 24); // originate = the client's transmit time
  writeNtpTime(b, 32, ts);
  writeNtpTime(b, 40, ts + 0.0001);
  return b;
}

/** NTP timestamp: seconds since 1900 and a 32-bit fraction (RFC 5905 §6). */
function writeNtpTime(b: Uint8Array, off: number, unix: number): void {
  const v = new DataView(b.buffer, b.byteOffset);
  const sec = Math.floor(unix);
  v.setUint32(off, sec + 2_208_988_800);
  v.setUint32(off + 4, Math.floor((unix - sec) * 2 ** 32));
}

function lookup(t: Timeline, start: number, id: number, port: number, name: string, ip: string): number {
  return t.udp({
    phone: IDLE.phoneIp,
    phonePort: port,
    server: IDLE.cnnicDns,
    serverPort: 53,
    start,
    gap: 0.041,
    datagrams: [
      { fromPhone: true, data: dnsQuery(id, name) },
      { fromPhone: false, data: dnsAnswer(id, name, [ip], 300) },
    ],
  });
}

/** Every frame of the idle capture, in time order. */
export function buildIdle(): Frame[] {
  const d = IDLE;
  const t = new Timeline();
  const at = (s: number) => d.start + s;
  lookup(t, at(0), 0x0e11, 40117, d.checkHost, d.checkIp);
  t.tcp({
    phone: d.phoneIp,
    phonePort: 43120,
    server: d.checkIp,
    serverPort: 80,
    isn: [0x1b2c3d4e, 0x5f607182],
    start: at(0.2),
    rtt: 0.04,
    writes: [
      {
        fromPhone: true,
        data: httpRequest("GET", d.checkHost, "/generate_204", [
          ["User-Agent", "Dalvik/1.6.0 (Linux; U; Android 4.2.2; HM NOTE 1W MIUI/JHFMIBH45.0)"],
          ["Connection", "Keep-Alive"],
        ]),
      },
      {
        fromPhone: false,
        data: httpResponse(204, "No Content", [["Date", "Mon, 03 Nov 2014 16:00:00 GMT"]]),
      },
    ],
  });
  lookup(t, at(2), 0x0e12, 40133, d.timeHost, d.timeIp);
  const req = ntpRequest(at(2.2));
  t.udp({
    phone: d.phoneIp,
    phonePort: 123,
    server: d.timeIp,
    serverPort: 123,
    start: at(2.2),
    gap: 0.031,
    datagrams: [
      { fromPhone: true, data: req },
      { fromPhone: false, data: ntpReply(req, at(2.2)) },
    ],
  });
  cnnicTls(t, at(31));
  return t.sorted();
}

/** The unprompted TLS connection to CNNIC: no DNS, no SNI, a resumed session, then only ciphertext. */
function cnnicTls(t: Timeline, start: number): void {
  const d = IDLE;
  const session = filler(32, 12);
  t.tcp({
    phone: d.phoneIp,
    phonePort: 43151,
    server: d.cnnicTls,
    serverPort: 443,
    isn: [0x3c4d5e6f, 0x70819203],
    start,
    rtt: 0.09,
    writes: [
      { fromPhone: true, data: tlsClientHello(filler(32, 11), session) },
      { fromPhone: false, data: tls12ResumedServerFlight(filler(32, 13), session, filler(40, 14)) },
      { fromPhone: true, data: concat([tls12ClientFinish(filler(40, 15)), tlsAppData(filler(310, 16))]) },
      { fromPhone: false, data: tlsAppData(filler(1220, 17)) },
    ],
  });
}
