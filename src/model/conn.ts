// The `conn` record: one per TCP or UDP connection, the record every other log joins on via `uid`.

import type { Destination } from "./destination.ts";

/** Transport protocols the session layer tracks. */
export const CONN_PROTOS = ["tcp", "udp"] as const;
export type ConnProto = (typeof CONN_PROTOS)[number];

/**
 * Zeek-style connection states: S0 (SYN, no answer), S1 (established, not closed), SF (normal close),
 * REJ (SYN answered by RST), RSTO/RSTR (reset by originator/responder), RSTOS0/RSTRH (reset before
 * establishment), SH/SHR (half-open close), OTH (no SYN seen: mid-stream start, or UDP).
 */
export const CONN_STATES = [
  "S0",
  "S1",
  "SF",
  "REJ",
  "S2",
  "S3",
  "RSTO",
  "RSTR",
  "RSTOS0",
  "RSTRH",
  "SH",
  "SHR",
  "OTH",
] as const;
export type ConnState = (typeof CONN_STATES)[number];

/** Fields every connection-bound record carries, so any two logs join on `uid`. */
export interface ConnId {
  /** Time of the first packet, float seconds since the epoch. */
  ts: number;
  /** Connection identifier, unique within a run (`C` + base62), equal across logs of the same connection. */
  uid: string;
  /** Community ID v1 (seed 0) of the connection, e.g. `1:LQU9qZlK+B5F3KDmev6m5PMibrg=`. */
  community_id: string;
  /** Originator (the side that sent the first packet, or the SYN) address. */
  orig_h: string;
  /** Originator port. */
  orig_p: number;
  /** Responder address. */
  resp_h: string;
  /** Responder port. */
  resp_p: number;
}

/** One TCP or UDP connection. */
export interface ConnRecord extends ConnId {
  /** Record type tag. */
  type: "conn";
  /** Transport protocol. */
  proto: ConnProto;
  /** Application protocol a decoder recognised (`dns`, `http`, `tls`, ...), when one did. */
  service?: string;
  /** Seconds from first to last packet. */
  duration: number;
  /** Time of the last packet. */
  last_ts: number;
  /** Payload bytes sent by the originator (TCP: sequence-space bytes, as Zeek counts them). */
  orig_bytes: number;
  /** Payload bytes sent by the responder. */
  resp_bytes: number;
  /** Packets sent by the originator. */
  orig_pkts: number;
  /** Packets sent by the responder. */
  resp_pkts: number;
  /** IP-layer bytes (IP total length) sent by the originator. */
  orig_ip_bytes: number;
  /** IP-layer bytes sent by the responder. */
  resp_ip_bytes: number;
  /** Frame bytes on the wire sent by the originator (what `tshark -z conv` counts). */
  orig_wire_bytes: number;
  /** Frame bytes on the wire sent by the responder. */
  resp_wire_bytes: number;
  /** Connection state (see `CONN_STATES`); `OTH` for UDP. */
  state: ConnState;
  /** Zeek-style history letters (S syn, H syn-ack, A ack, D data, F fin, R rst; upper case orig, lower resp). */
  history: string;
  /** Bytes lost to gaps in TCP sequence space (never seen). */
  missed_bytes: number;
  /** Who the responder is (set by `analyze`'s attribution stage). */
  dest?: Destination;
  /** Frame number of the first packet. */
  first_frame: number;
  /** Frame number of the last packet. */
  last_frame: number;
}
