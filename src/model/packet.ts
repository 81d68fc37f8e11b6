// What a capture reader yields for each frame. Readers reuse one object per input to keep the hot path
// free of allocation: a consumer copies what it keeps beyond the call.

/** One captured frame. */
export interface Packet {
  /** 1-based frame number across the whole input, numbered as Wireshark numbers frames. */
  frame: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999 999 999. */
  tsNsec: number;
  /** LINKTYPE_* value of the interface that captured the frame (FCS/reserved bits removed). */
  linkType: number;
  /** Interface index within the input, counted across all pcapng sections (0 for pcap). */
  iface: number;
  /** The bytes live in data[offset, offset + capLen). */
  data: Uint8Array;
  /** Start of the frame within data. */
  offset: number;
  /** Bytes captured (may be less than origLen when the snaplen cut the frame). */
  capLen: number;
  /** Bytes the frame had on the wire. */
  origLen: number;
  /** Frame comments (pcapng opt_comment), or undefined when there are none. */
  comments: string[] | undefined;
}

/** Timestamp of a packet as float seconds, the unit every record's `ts` uses. */
export function packetTime(p: Pick<Packet, "tsSec" | "tsNsec">): number {
  return p.tsSec + p.tsNsec / 1e9;
}
