// Zeek-style TCP connection state: a per-endpoint state machine driven by the flags each side sends, the
// `history` letters, and the conn_state summary (S0, SF, REJ, ...) derived from both endpoints at close.
// Follows the behaviour Zeek documents for conn.log so our states read the same to an analyst.

import type { ConnState } from "../model/conn.ts";
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../model/layers.ts";

// Module-local copies of imported constants: the TypeScript loader turns imported bindings into getter
// calls, which the per-packet path should not pay for.
const SYN = TCP_SYN;
const ACK = TCP_ACK;
const FIN = TCP_FIN;
const RST = TCP_RST;

/** Endpoint states, as Zeek names them. */
export const TCP_ENDPOINT_STATES = [
  "inactive",
  "syn_sent",
  "syn_ack_sent",
  "partial",
  "established",
  "closed",
  "reset",
] as const;
export type TcpEndpointState = (typeof TCP_ENDPOINT_STATES)[number];

// Numeric forms of TCP_ENDPOINT_STATES for the per-packet path.
const INACTIVE = 0;
const SYN_SENT = 1;
const SYN_ACK_SENT = 2;
const PARTIAL = 3;
const ESTABLISHED = 4;
const CLOSED = 5;
const RESET = 6;

/** History letters in bit order: upper case for the originator, lower case (bit + 8) for the responder. */
const HISTORY_LETTERS = "SHADFR^";
const H_SYN = 0;
const H_SYNACK = 1;
const H_ACK = 2;
const H_DATA = 3;
const H_FIN = 4;
const H_RST = 5;

/** Zeek's RSTOS0 test: an originator SYN, then a reset with no handshake, ack, fin or gap in between. */
const RSTOS0_HISTORY = /^\^?S[^HAFGIQ]*R/;

/** Per-connection TCP state: both endpoints, and the history string in order of first appearance. */
export class TcpConnState {
  /** Originator endpoint state (index into TCP_ENDPOINT_STATES). */
  orig = INACTIVE;
  /** Responder endpoint state. */
  resp = INACTIVE;
  private origPrev = INACTIVE;
  private respPrev = INACTIVE;
  private seen = 0;
  /** Zeek-style history (S h A D F R, upper = originator), each letter once. */
  history = "";

  /** Originator's endpoint state by name. */
  get origState(): TcpEndpointState {
    return TCP_ENDPOINT_STATES[this.orig];
  }
  /** Responder's endpoint state by name. */
  get respState(): TcpEndpointState {
    return TCP_ENDPOINT_STATES[this.resp];
  }

  /** True once both sides sent FIN, or either side reset: a new SYN here starts a new connection. */
  get closed(): boolean {
    return (this.orig === CLOSED && this.resp === CLOSED) || this.orig === RESET || this.resp === RESET;
  }

  /** Feeds one packet's flags and payload length (bytes on the wire) into the state machine and history. */
  packet(fromOrig: boolean, flags: number, len: number): void {
    this.recordHistory(fromOrig, flags, len);
    const self = fromOrig ? this.orig : this.resp;
    const peer = fromOrig ? this.resp : this.orig;
    let nextSelf = self;
    let nextPeer = peer;
    switch (self) {
      case INACTIVE: {
        const both = fromInactive(fromOrig, flags, len, peer, this.orig);
        nextSelf = both & 0xf;
        nextPeer = both >> 4;
        break;
      }
      case SYN_SENT:
      case SYN_ACK_SENT:
        if (flags & FIN) nextSelf = CLOSED;
        if (flags & RST) nextSelf = RESET;
        break;
      case ESTABLISHED:
      case PARTIAL:
        if (flags & SYN && !(flags & ACK) && self === PARTIAL && peer === INACTIVE) nextSelf = SYN_SENT;
        if (flags & FIN && !(flags & RST)) {
          nextSelf = CLOSED;
          // A FIN answered by the peer's earlier FIN-then-RST is a normal close, not a reset.
          if (peer === RESET && (fromOrig ? this.respPrev : this.origPrev) === CLOSED) nextPeer = CLOSED;
        }
        if (flags & RST) nextSelf = RESET;
        break;
      case CLOSED:
        // After a FIN exchange a RST changes nothing; after a one-sided FIN it is an abort.
        if (flags & RST && peer !== CLOSED) nextSelf = RESET;
        break;
    }
    this.set(fromOrig, nextSelf);
    this.set(!fromOrig, nextPeer);
  }

  private set(orig: boolean, state: number): void {
    if (orig) {
      if (state === this.orig) return;
      this.origPrev = this.orig;
      this.orig = state;
    } else if (state !== this.resp) {
      this.respPrev = this.resp;
      this.resp = state;
    }
  }

  private recordHistory(fromOrig: boolean, flags: number, len: number): void {
    if (flags & SYN) this.letter(fromOrig, flags & ACK ? H_SYNACK : H_SYN);
    if (flags & FIN) this.letter(fromOrig, H_FIN);
    if (flags & RST) this.letter(fromOrig, H_RST);
    if (len > 0) this.letter(fromOrig, H_DATA);
    else if (flags & ACK && !(flags & (SYN | FIN | RST))) this.letter(fromOrig, H_ACK);
  }

  private letter(fromOrig: boolean, bit: number): void {
    const mask = 1 << (fromOrig ? bit : bit + 8);
    if (this.seen & mask) return;
    this.seen |= mask;
    const c = HISTORY_LETTERS[bit];
    this.history += fromOrig ? c : c.toLowerCase();
  }

  /**
   * Zeek's conn_state from both endpoints at close. `origSize`/`respSize` are the sequence-space payload
   * sizes (they tell a rejected attempt from an aborted exchange when both sides reset).
   */
  connState(origSize: number, respSize: number): ConnState {
    const os = this.orig;
    const rs = this.resp;
    const oInactive = os === INACTIVE || os === PARTIAL;
    const rInactive = rs === INACTIVE || rs === PARTIAL;
    if (rs === RESET) {
      if (os === SYN_SENT || os === SYN_ACK_SENT || (os === RESET && origSize === 0 && respSize === 0)) {
        return "REJ";
      }
      return oInactive ? "RSTRH" : "RSTR";
    }
    if (os === RESET) {
      if (!rInactive) return "RSTO";
      return RSTOS0_HISTORY.test(this.history) ? "RSTOS0" : "OTH";
    }
    if (rs === CLOSED && os === CLOSED) return "SF";
    if (os === CLOSED) return rInactive ? "SH" : "S2";
    if (rs === CLOSED) return oInactive ? "SHR" : "S3";
    if (os === SYN_SENT && rs === INACTIVE) return "S0";
    if (os === ESTABLISHED && rs === ESTABLISHED) return "S1";
    return "OTH";
  }
}

/** Transitions of an endpoint that has sent nothing yet: new self state | new peer state << 4. */
function fromInactive(fromOrig: boolean, flags: number, len: number, peer: number, orig: number): number {
  let self = INACTIVE;
  if (flags & SYN) {
    if (fromOrig) {
      self = flags & ACK ? SYN_ACK_SENT : SYN_SENT;
    } else {
      // The responder's SYN(-ACK) establishes both sides (RFC 9293 §3.5: the handshake's second step).
      if (peer === SYN_SENT) peer = ESTABLISHED;
      self = ESTABLISHED;
    }
  }
  if (flags & FIN) self = CLOSED;
  if (flags & RST) self = RESET;
  if (self === INACTIVE) {
    // Some stacks ack a SYN before answering it: not yet a partial connection.
    if (!fromOrig && len === 0 && orig === SYN_SENT) return INACTIVE | (peer << 4);
    // A SYN-ACK was seen but its SYN was missed: this ACK completes the handshake.
    self = flags & ACK && peer === ESTABLISHED ? ESTABLISHED : PARTIAL;
  }
  return self | (peer << 4);
}
