// The one entry the pipeline calls per frame: link layer, IP (with defragmentation) and TCP/UDP headers,
// decoded in place into a reused `PacketLayers`. Never throws: bad headers become weirds and the kind
// "malformed"; unknown link types are counted and reported once each.

import { IPPROTO_TCP, IPPROTO_UDP, type PacketLayers } from "../model/layers.ts";
import { type Packet, packetTime } from "../model/packet.ts";
import type { WeirdSink } from "../model/weird.ts";
import { type FragmentInfo, IpDefrag } from "../session/ip-defrag.ts";
import { IP_FRAGMENT, IP_OK, type IpResult, newIpResult } from "./ip/ip-result.ts";
import { decodeIpv4 } from "./ip/ipv4.ts";
import { decodeIpv6 } from "./ip/ipv6.ts";
import { decodeLink } from "./link/link-decoder.ts";
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_IP,
  LINK_MALFORMED,
  LINK_NOT_IP,
  type LinkResult,
  newLinkResult,
} from "./link/link-result.ts";
import { linkTypeName } from "./link/link-types.ts";
import { decodeTcp, TRANSPORT_MALFORMED, TRANSPORT_ODD } from "./transport/tcp.ts";
import { decodeUdp } from "./transport/udp.ts";

/** What a frame turned out to be. */
export const PACKET_KINDS = [
  "tcp",
  "udp",
  "other-ip",
  "not-ip",
  "fragment",
  "malformed",
  "unknown-link",
] as const;
export type PacketKind = (typeof PACKET_KINDS)[number];

/** Weirds this module emits itself (the layers' own weirds are listed in their modules). */
export const PACKET_DECODER_WEIRDS = ["unknown_link_type", "bad_ip_version", "truncated_ip_header"] as const;

const EMPTY = new Uint8Array(0);
/** IPv4 (4) and IPv6 (41) as the protocol of an IP datagram: a tunnel. */
const IPPROTO_IPIP = 4;
const IPPROTO_IPV6 = 41;
/** Tunnels inside tunnels (plus one level for a reassembled datagram) beyond this are left as other-ip. */
const MAX_TUNNEL_DEPTH = 4;

/** Options of the packet decoder. */
export interface PacketDecoderOptions {
  /** Where weirds go. */
  weird: WeirdSink;
  /** Bounds of IP reassembly (see `IpDefragOptions`). */
  defrag?: { maxDatagrams?: number; maxBytes?: number; maxTotalBytes?: number; timeoutSec?: number };
}

/** Decodes frames into IP + TCP/UDP views; one instance per input (it holds fragments between frames). */
export class PacketDecoder {
  /** Counts per link type never decoded (unknown link types are counted, not fatal). */
  readonly unknownLinkTypes = new Map<number, number>();
  private readonly weird: WeirdSink;
  private readonly defrag: IpDefrag;
  private readonly link: LinkResult = newLinkResult();
  private readonly ip: IpResult = newIpResult();
  private readonly frag: FragmentInfo = {
    version: 4,
    data: new Uint8Array(0),
    ipOff: 0,
    hdrLen: 0,
    id: 0,
    proto: 0,
    offset: 0,
    more: false,
    payOff: 0,
    payLen: 0,
  };
  private lastTs = 0;

  constructor(opts: PacketDecoderOptions) {
    this.weird = opts.weird;
    this.defrag = new IpDefrag(opts.weird, opts.defrag);
  }

  /** Fills `out` (reused) for a TCP/UDP packet; returns the kind. Never throws. */
  decode(p: Packet, out: PacketLayers): PacketKind {
    const ts = p.tsSec + p.tsNsec / 1e9;
    this.lastTs = ts;
    if (this.defrag.size !== 0) this.defrag.expire(ts);
    const end = p.offset + p.capLen;
    const r = this.link;
    const status = decodeLink(p.linkType, p.data, p.offset, end, r);
    if (status !== LINK_IP) {
      if (status === LINK_NOT_IP) return "not-ip";
      if (status === LINK_MALFORMED) return this.bad(p, r.weird, r.detail);
      return this.unknownLink(p, r.innerLinkType);
    }
    // Bytes the frame had on the wire from the network header on; the snaplen may have cut the capture.
    const consumed = r.netOff - p.offset;
    const wire = p.origLen > p.capLen ? p.origLen - consumed : end - r.netOff;
    return this.decodeIp(p, p.data, r.netOff, end, wire, r.etherType, out, 0);
  }

  /** End of input: datagrams still missing fragments are reported and dropped. */
  end(): void {
    this.defrag.end(this.lastTs);
  }

  /** Datagrams waiting for fragments (for statistics). */
  get pendingFragments(): number {
    return this.defrag.size;
  }

  private decodeIp(
    p: Packet,
    d: Uint8Array,
    off: number,
    end: number,
    wire: number,
    etherType: number,
    out: PacketLayers,
    depth: number,
  ): PacketKind {
    if (off >= end) return this.bad(p, "truncated_ip_header", "no bytes after the link header");
    const v = d[off] >> 4;
    if (
      etherType === ETHERTYPE_IPV4 ? v !== 4 : etherType === ETHERTYPE_IPV6 ? v !== 6 : v !== 4 && v !== 6
    ) {
      return this.bad(p, "bad_ip_version", `version nibble ${v} (ethertype 0x${etherType.toString(16)})`);
    }
    const ip = this.ip;
    const st = v === 4 ? decodeIpv4(d, off, end, wire, out, ip) : decodeIpv6(d, off, end, wire, out, ip);
    if (st === IP_OK) {
      const proto = out.ipProto;
      if ((proto === IPPROTO_IPIP || proto === IPPROTO_IPV6) && depth < MAX_TUNNEL_DEPTH) {
        // IP in IP (RFC 2003, RFC 2473, 6in4): the inner datagram is the conversation worth reading.
        const inner = proto === IPPROTO_IPIP ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
        return this.decodeIp(p, out.data, ip.l4Off, ip.l4End, ip.l4WireLen, inner, out, depth + 1);
      }
      return this.transport(p, out, ip);
    }
    if (st !== IP_FRAGMENT) return this.bad(p, ip.weird, ip.detail);
    return this.fragment(p, v === 4 ? 4 : 6, d, out, depth);
  }

  /** Hands a fragment to reassembly; decodes the datagram it completes, if it does. */
  private fragment(p: Packet, version: 4 | 6, d: Uint8Array, out: PacketLayers, depth: number): PacketKind {
    const ip = this.ip;
    if (ip.l4End - ip.l4Off < ip.l4WireLen) return this.cutFragment(p, out);
    const f = this.frag;
    f.version = version;
    f.data = d;
    f.ipOff = ip.ipOff;
    f.hdrLen = ip.hdrLen;
    f.id = ip.fragId;
    f.proto = ip.fragProto;
    f.offset = ip.fragOffset;
    f.more = ip.fragMore;
    f.payOff = ip.l4Off;
    f.payLen = ip.l4End - ip.l4Off;
    const whole = this.defrag.add(f, this.lastTs, p.frame);
    f.data = EMPTY;
    if (whole === undefined) return "fragment";
    // The reassembled datagram has no fragment fields left, so it is never a fragment again.
    const etherType = version === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
    return this.decodeIp(p, whole, 0, whole.length, whole.length, etherType, out, depth + 1);
  }

  /**
   * A fragment the snaplen cut cannot be reassembled (its siblings time out with a weird). As Wireshark does,
   * the first one's transport header is still read: ports and flags are worth having. UDP's own length
   * then speaks for the whole datagram; TCP's segment length is known only up to this fragment's end.
   */
  private cutFragment(p: Packet, out: PacketLayers): PacketKind {
    const ip = this.ip;
    if (ip.fragOffset !== 0) return "fragment";
    if (out.ipProto === IPPROTO_UDP && ip.l4End - ip.l4Off >= 8) {
      const d = out.data;
      ip.l4WireLen = Math.max(8, (d[ip.l4Off + 4] << 8) | d[ip.l4Off + 5]);
    }
    return this.transport(p, out, ip);
  }

  private transport(p: Packet, out: PacketLayers, ip: IpResult): PacketKind {
    const proto = out.ipProto;
    if (proto === IPPROTO_TCP || proto === IPPROTO_UDP) {
      const tcp = proto === IPPROTO_TCP;
      const st = tcp
        ? decodeTcp(out.data, ip.l4Off, ip.l4End, ip.l4WireLen, out, ip)
        : decodeUdp(out.data, ip.l4Off, ip.l4End, ip.l4WireLen, out, ip);
      if (st === TRANSPORT_MALFORMED) return this.bad(p, ip.weird, ip.detail);
      if (st === TRANSPORT_ODD) this.emit(p, ip.weird, ip.detail);
      return tcp ? "tcp" : "udp";
    }
    out.srcPort = 0;
    out.dstPort = 0;
    out.tcpSeq = 0;
    out.tcpAck = 0;
    out.tcpFlags = 0;
    out.tcpWindow = 0;
    out.payloadOff = ip.l4Off;
    out.payloadLen = ip.l4End - ip.l4Off;
    out.payloadWireLen = ip.l4WireLen;
    return "other-ip";
  }

  private unknownLink(p: Packet, linkType: number): PacketKind {
    const n = this.unknownLinkTypes.get(linkType);
    this.unknownLinkTypes.set(linkType, (n ?? 0) + 1);
    if (n === undefined) {
      this.emit(p, "unknown_link_type", `link type ${linkTypeName(linkType)} (${linkType}) is not decoded`);
    }
    return "unknown-link";
  }

  private bad(p: Packet, name: string, detail: string): PacketKind {
    this.emit(p, name, detail);
    return "malformed";
  }

  private emit(p: Packet, name: string, detail: string): void {
    this.weird({ ts: packetTime(p), name, frame: p.frame, detail });
  }
}
