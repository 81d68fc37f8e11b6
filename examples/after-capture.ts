// The re-test after the MIUI update (redmi-1s-2014-after.pcapng): the same requests as the first test, now
// over real TLS (registration over TLS 1.2, address book and SMS over TLS 1.3) made with Node's TLS on
// loopback and laid into the capture at the Xiaomi address. The client's key log travels inside the file
// as a Decryption Secrets Block, so Wireshark (and phonehome, with issue 7) can read the requests.

import { PcapngWriter } from "../src/report/pcapng-writer.ts";
import { apiLookup, contactsExchange, registerExchange, smsExchange } from "./before-capture.ts";
import { EXAMPLE } from "./example-data.ts";
import { Timeline } from "./lib/flows.ts";
import { type Frame, LINKTYPE_ETHERNET } from "./lib/frames.ts";
import { type Credentials, recordTlsSession, selfSignedCert, type TlsVersion } from "./lib/tls-loopback.ts";

/** What the re-test produced. */
export interface AfterCapture {
  /** Frames in time order. */
  frames: Frame[];
  /** NSS key log of both sessions. */
  keyLog: string;
  /** Negotiated version and cipher suite of each session, in connection order. */
  sessions: { version: string; cipher: string }[];
}

/** The two HTTPS connections: which requests each carries, on which port, pinned to which version. */
const CONNECTIONS = [
  { version: "TLSv1.2", port: 42310, isn: [0x61a0c311, 0x0d93e2f4], exchanges: () => [registerExchange()] },
  {
    version: "TLSv1.3",
    port: 42318,
    isn: [0x7e3b5502, 0x44c1a9d7],
    exchanges: () => [contactsExchange(), smsExchange()],
  },
] as const;

/** Runs both TLS sessions and lays them, after the DNS lookup, on the re-test's timeline. */
export async function buildAfter(
  creds: Credentials = selfSignedCert(EXAMPLE.apiHost),
): Promise<AfterCapture> {
  const e = EXAMPLE;
  const t = new Timeline();
  let clock = apiLookup(t, e.afterStart, 0x2c7a, 38407) + 0.05;
  const keyLogs: string[] = [];
  const sessions: AfterCapture["sessions"] = [];
  for (const c of CONNECTIONS) {
    const rec = await recordTlsSession({
      creds,
      servername: e.apiHost,
      version: c.version as TlsVersion,
      exchanges: c.exchanges(),
    });
    keyLogs.push(rec.keyLog);
    sessions.push({ version: rec.version, cipher: rec.cipher });
    clock =
      t.tcp({
        phone: e.phoneIp,
        phonePort: c.port,
        server: e.xiaomiApi,
        serverPort: 443,
        isn: [c.isn[0], c.isn[1]],
        start: clock,
        writes: rec.chunks.map((ch) => ({ fromPhone: ch.fromClient, data: ch.data })),
        comment: `${rec.version} session recorded with Node's TLS on loopback and moved to ${e.xiaomiApi}; its keys are in this file's Decryption Secrets Block`,
      }) + 0.5;
  }
  return { frames: t.sorted(), keyLog: keyLogs.join(""), sessions };
}

/** The pcapng file: SHB, one Ethernet interface, the key log as a DSB before any packet, then the frames. */
export function afterPcapng(c: AfterCapture): Uint8Array {
  const w = new PcapngWriter({
    comment:
      "phonehome example: the 2014 Redmi 1S re-test after the MIUI update, reconstructed (fake identifiers)",
    userappl: "phonehome examples/make-example.ts",
  });
  const iface = w.addInterface({
    linkType: LINKTYPE_ETHERNET,
    name: "wlan0",
    description: "the laptop hotspot the phone was connected to",
  });
  w.tlsKeyLog(c.keyLog);
  for (const f of c.frames) {
    w.packet({
      linkType: LINKTYPE_ETHERNET,
      iface,
      tsSec: Math.floor(f.us / 1e6),
      tsNsec: (f.us % 1e6) * 1000,
      data: f.data,
      comments: f.comments,
    });
  }
  return w.close();
}
