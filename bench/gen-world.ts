// The benchmark capture's world: the phone, the hosts it talks to (with ready-made DNS messages and TLS
// ClientHellos), and pools of bytes that flows slice from instead of generating bytes per packet.

import {
  DNS_TYPE,
  dnsQueryMessage,
  dnsResponseMessage,
  tlsClientHello,
} from "../test/helpers/app-messages.ts";
import { parseIpv4, parseIpv6 } from "../test/helpers/packet-builder.ts";
import type { Prng } from "../test/helpers/traffic-synth.ts";
import type { TcpConn } from "./gen-sink.ts";

/** What a host is for; plants go only to vendor and analytics hosts, as real leaks mostly do. */
export const HOST_ROLES = ["vendor", "analytics", "ads", "google", "cdn", "social", "other"] as const;
export type HostRole = (typeof HOST_ROLES)[number];

/** The phone's addresses. */
export const PHONE = {
  v4Text: "192.168.1.23",
  v6Text: "2001:db8:23::23",
  v4: parseIpv4("192.168.1.23"),
  v6: parseIpv6("2001:db8:23::23"),
  dnsText: "192.168.1.1",
  dns: parseIpv4("192.168.1.1"),
} as const;

/** One server the phone talks to. */
export interface Host {
  name: string;
  role: HostRole;
  v4: Uint8Array;
  v4Text: string;
  /** IPv6 address, for hosts that have one. */
  v6?: Uint8Array;
  v6Text?: string;
  /** DNS query and response (A, or AAAA when `v6`) with transaction id 0 at bytes 0–1. */
  dnsA: [Uint8Array, Uint8Array];
  dnsAAAA?: [Uint8Array, Uint8Array];
  /** A ClientHello with this SNI; bytes 11–42 are the random to vary per connection. */
  clientHello: Uint8Array;
}

const NAMES: [string, HostRole][] = [
  ["api.account.xiaomi.com", "vendor"],
  ["data.mistat.xiaomi.com", "vendor"],
  ["resolver.msg.xiaomi.net", "vendor"],
  ["sdkconfig.ad.xiaomi.com", "vendor"],
  ["tracking.miui.com", "vendor"],
  ["app-measurement.com", "analytics"],
  ["alog.umeng.com", "analytics"],
  ["api.mixpanel.com", "analytics"],
  ["in.appcenter.ms", "analytics"],
  ["api2.branch.io", "analytics"],
  ["pingma.qq.com", "analytics"],
  ["googleads.g.doubleclick.net", "ads"],
  ["ads.mopub.com", "ads"],
  ["api.unityads.unity3d.com", "ads"],
  ["www.google.com", "google"],
  ["android.clients.google.com", "google"],
  ["play.googleapis.com", "google"],
  ["connectivitycheck.gstatic.com", "google"],
  ["fonts.gstatic.com", "cdn"],
  ["img.alicdn.com", "cdn"],
  ["static.xx.fbcdn.net", "cdn"],
  ["cdn.jsdelivr.net", "cdn"],
  ["video.akamaized.net", "cdn"],
  ["graph.facebook.com", "social"],
  ["api.weibo.cn", "social"],
  ["api.twitter.com", "social"],
  ["news.example.com", "other"],
  ["weather.example.net", "other"],
  ["mail.example.org", "other"],
  ["shop.example.com", "other"],
];

/** The hosts, with deterministic public-looking addresses (about a third also have IPv6). */
export function buildHosts(rng: Prng): Host[] {
  const firstOctets = [
    8, 13, 23, 31, 42, 52, 58, 61, 101, 104, 110, 114, 116, 119, 140, 151, 157, 163, 185, 203,
  ];
  return NAMES.map(([name, role], i) => {
    const v4Text = `${rng.pick(firstOctets)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    const v6Text =
      i % 3 === 0 ? `2001:db8:${(i + 1).toString(16)}::${rng.int(1, 0xffff).toString(16)}` : undefined;
    return {
      name,
      role,
      v4: parseIpv4(v4Text),
      v4Text,
      v6: v6Text ? parseIpv6(v6Text) : undefined,
      v6Text,
      dnsA: [dnsQueryMessage(0, name, DNS_TYPE.A), dnsResponseMessage({ id: 0, name, answers: [v4Text] })],
      dnsAAAA: v6Text
        ? [dnsQueryMessage(0, name, DNS_TYPE.AAAA), dnsResponseMessage({ id: 0, name, answers: [v6Text] })]
        : undefined,
      clientHello: tlsClientHello({ sni: name, alpn: ["h2", "http/1.1"], tls13: true }),
    };
  });
}

/** Bytes flows copy from: ciphertext-like noise, HTML-like text, and a stream of TLS application records. */
export class BytePools {
  /** Pseudo-random bytes (ciphertext, images). */
  readonly random: Uint8Array;
  /** HTML-like text. */
  readonly text: Uint8Array;
  /** application_data records back to back; `tlsStarts` holds each record's offset and, last, the end. */
  readonly tls: Uint8Array;
  readonly tlsStarts: number[] = [];

  /** Fills the pools (a few MiB; done once per run). */
  constructor(rng: Prng) {
    this.random = new Uint8Array(4 << 20);
    const view = new DataView(this.random.buffer);
    for (let i = 0; i < this.random.length; i += 4) view.setUint32(i, rng.u32());
    this.text = htmlText(rng, 1 << 20);
    this.tls = new Uint8Array(8 << 20);
    let off = 0;
    for (;;) {
      // Mostly full records (2^14 + 17-byte AEAD tag, RFC 8446 §5.2), some short ones.
      const body = rng.float() < 0.85 ? 16401 : rng.int(40, 16401);
      if (off + 5 + body > this.tls.length) break;
      this.tlsStarts.push(off);
      this.tls.set([23, 3, 3, body >> 8, body & 0xff], off);
      const from = this.randomOffset(rng, body);
      this.tls.set(this.random.subarray(from, from + body), off + 5);
      off += 5 + body;
    }
    this.tlsStarts.push(off);
  }

  /** A random offset in `random` with `len` bytes after it. */
  randomOffset(rng: Prng, len: number): number {
    return rng.int(0, this.random.length - len);
  }

  /** A random offset in `text` with `len` bytes after it. */
  textOffset(rng: Prng, len: number): number {
    return rng.int(0, this.text.length - len);
  }

  /** Whole TLS records totalling at least `want` bytes (capped at half the pool): [offset, length]. */
  tlsSpan(rng: Prng, want: number): [number, number] {
    const starts = this.tlsStarts;
    const need = Math.min(want, this.tls.length >> 1);
    let i = rng.int(0, starts.length - 2);
    if (starts[starts.length - 1] - starts[i] < need) i = 0;
    let j = i + 1;
    while (starts[j] - starts[i] < need) j++;
    return [starts[i], starts[j] - starts[i]];
  }
}

const WORDS = (
  "phone data privacy network update weather news story city market price game video music photo " +
  "share friend message account login search result page today world sport travel food health"
).split(" ");

function htmlText(rng: Prng, size: number): Uint8Array {
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const words = Array.from({ length: rng.int(8, 40) }, () => rng.pick(WORDS)).join(" ");
    const p = `<p class="c${rng.int(1, 9)}">${words}.</p>\n`;
    parts.push(p);
    n += p.length;
  }
  return new TextEncoder().encode(parts.join("")).subarray(0, size);
}

/** A TCP connection from the phone to a host. */
export interface HostConn extends TcpConn {
  /** The server. */
  host: Host;
}

/** What hands out client ports and sequence numbers: both capture generators' worlds. */
interface ConnSource {
  port: number;
  rng: Prng;
}

/** The phone's next ephemeral port (32768–60999, Linux's default range, wrapping). */
export function nextPort(w: ConnSource): number {
  w.port = w.port >= 60999 ? 32768 : w.port + 1;
  return w.port;
}

/** A new connection from the phone to `host`:`sPort` (over IPv6 when asked and the host has an address). */
export function hostConn(w: ConnSource, host: Host, v6: boolean, sPort: number): HostConn {
  const six = v6 && host.v6 !== undefined;
  return {
    v6: six,
    client: six ? PHONE.v6 : PHONE.v4,
    server: six ? host.v6! : host.v4,
    cPort: nextPort(w),
    sPort,
    cNext: w.rng.u32(),
    sNext: w.rng.u32(),
    host,
  };
}
