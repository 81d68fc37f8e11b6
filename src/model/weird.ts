// A `weird` is malformed or surprising input turned into data instead of a crash (after Zeek's weird.log).

/** One oddity seen in the input. */
export interface WeirdRecord {
  /** Record type tag. */
  type: "weird";
  /** Time of the packet that showed the oddity (float seconds since the epoch), 0 when not tied to one. */
  ts: number;
  /** Stable snake_case name, e.g. `tcp_overlap_mismatch`; each module lists its names in a `*_WEIRD_NAMES` tuple. */
  name: string;
  /** Connection uid, when the oddity belongs to a connection. */
  uid?: string;
  /** Frame number of the packet that showed it, when there is one. */
  frame?: number;
  /** Free text with the specifics (offsets, lengths, values). */
  detail?: string;
}

/** Where weirds go; every stage that can meet bad input is given one. */
export type WeirdSink = (w: Omit<WeirdRecord, "type">) => void;
