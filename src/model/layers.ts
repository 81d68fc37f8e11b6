// The network and transport headers of one packet, decoded in place: offsets into `data`, no copies.
// One object is reused for every packet; the session layer copies what it keeps.

/** Decoded IP + TCP/UDP view of a packet. */
export interface PacketLayers {
  /** Buffer the offsets point into (the frame, or a reassembled IP datagram after defragmentation). */
  data: Uint8Array;
  /** 4 or 6. */
  ipVersion: 4 | 6;
  /** Offset of the source address in `data`. */
  srcOff: number;
  /** Offset of the destination address in `data`. */
  dstOff: number;
  /** Address length: 4 (IPv4) or 16 (IPv6). */
  addrLen: 4 | 16;
  /** Transport protocol number after all IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...). */
  ipProto: number;
  /** Bytes of the IP datagram (header + payload) as its header states them. */
  ipTotalLen: number;
  /** Source port (0 when not TCP/UDP). */
  srcPort: number;
  /** Destination port (0 when not TCP/UDP). */
  dstPort: number;
  /** TCP sequence number (unsigned 32-bit). */
  tcpSeq: number;
  /** TCP acknowledgement number (unsigned 32-bit). */
  tcpAck: number;
  /** TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
  tcpFlags: number;
  /** TCP window (unscaled). */
  tcpWindow: number;
  /** Offset of the application payload in `data`. */
  payloadOff: number;
  /** Application payload bytes present in the capture. */
  payloadLen: number;
  /** Application payload bytes per the IP/UDP headers (more than payloadLen when the snaplen cut the frame). */
  payloadWireLen: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** A fresh, zeroed layers object (allocate once per pipeline). */
export function newPacketLayers(): PacketLayers {
  return {
    data: new Uint8Array(0),
    ipVersion: 4,
    srcOff: 0,
    dstOff: 0,
    addrLen: 4,
    ipProto: 0,
    ipTotalLen: 0,
    srcPort: 0,
    dstPort: 0,
    tcpSeq: 0,
    tcpAck: 0,
    tcpFlags: 0,
    tcpWindow: 0,
    payloadOff: 0,
    payloadLen: 0,
    payloadWireLen: 0,
  };
}
