// What the IP decoders hand to the packet decoder besides the shared `PacketLayers`: where the transport
// header is, how long the transport segment is, the fragment fields, and why a header was refused.
// One object is reused for every packet.

/** A refused header: a stable weird name and its specifics. */
export interface DecodeProblem {
  /** Stable snake_case weird name. */
  weird: string;
  /** Specifics (lengths, offsets, values). */
  detail: string;
}

/** Transport location and fragment fields of one IP datagram. */
export interface IpResult extends DecodeProblem {
  /** Offset of the transport header (of the fragment data for a fragment). */
  l4Off: number;
  /** End (exclusive) of the captured transport bytes: the IP datagram's end or the capture's, whichever first. */
  l4End: number;
  /** Transport bytes per the IP header(s), which may exceed what was captured. */
  l4WireLen: number;
  /** Offset of the IP header. */
  ipOff: number;
  /** IPv4 header length, or 40 for IPv6 (the fixed header kept for a reassembled datagram). */
  hdrLen: number;
  /** Fragment identification (IPv4 16-bit, IPv6 32-bit). */
  fragId: number;
  /** Byte offset of this fragment's data within the datagram's fragmentable part. */
  fragOffset: number;
  /** More fragments follow. */
  fragMore: boolean;
  /** Protocol of the fragmented payload (IPv4 protocol, or the IPv6 fragment header's next header). */
  fragProto: number;
}

/** The datagram's transport header is at `l4Off`. */
export const IP_OK = 0;
/** The datagram is a fragment (fields `frag*`); its data is at `l4Off` to `l4End`. */
export const IP_FRAGMENT = 1;
/** The header cannot be used (`weird`, `detail`). */
export const IP_MALFORMED = 2;

/** A zeroed result (allocate once per decoder). */
export function newIpResult(): IpResult {
  return {
    weird: "",
    detail: "",
    l4Off: 0,
    l4End: 0,
    l4WireLen: 0,
    ipOff: 0,
    hdrLen: 0,
    fragId: 0,
    fragOffset: 0,
    fragMore: false,
    fragProto: 0,
  };
}

/** Fills the problem and returns `IP_MALFORMED`. */
export function ipMalformed(r: DecodeProblem, weird: string, detail: string): number {
  r.weird = weird;
  r.detail = detail;
  return IP_MALFORMED;
}
