// The TCP side of a flow: feeds each segment to the state machine and to the reassembler of its direction,
// turning sequence numbers into stream offsets (SYN and FIN each take one sequence number, RFC 9293 §3.4),
// and ends the stream on RST or once both FINs are delivered.

import type { PacketLayers } from "../model/layers.ts";
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from "../model/layers.ts";
import type { StreamConsumer } from "./stream-consumer.ts";
import type { ReassemblyBudget } from "./tcp-reassembler.ts";
import { TcpReassembler } from "./tcp-reassembler.ts";
import { TcpConnState } from "./tcp-state.ts";

// Module-local copies of imported constants: the TypeScript loader turns imported bindings into getter
// calls, which the per-packet path should not pay for.
const SYN = TCP_SYN;
const ACK = TCP_ACK;
const FIN = TCP_FIN;
const RST = TCP_RST;

/** TCP state of one connection. */
export class TcpFlow {
  /** Zeek-style endpoint states and history. */
  readonly state = new TcpConnState();
  /** Originator → responder stream. */
  readonly orig: TcpReassembler;
  /** Responder → originator stream. */
  readonly resp: TcpReassembler;
  /** Sequence number of the originator's SYN, -1 when none was seen (tells a retransmitted SYN from a new one). */
  origIsn = -1;
  /** Sequence number of the responder's SYN, -1 when none was seen. */
  respIsn = -1;
  /** The consumer was ended (RST, or both streams complete). */
  finished = false;

  /** `consumer` undefined: accounting only. Bounds as for TcpReassembler. */
  constructor(consumer: StreamConsumer | undefined, maxHeld: number, budget?: ReassemblyBudget) {
    this.orig = new TcpReassembler(consumer, true, maxHeld, budget);
    this.resp = new TcpReassembler(consumer, false, maxHeld, budget);
  }

  /**
   * True when a SYN (no ACK) from this side opens a new connection on this 5-tuple, as Zeek decides it: on a
   * closed connection (FIN both ways or RST) any SYN but a retransmission of the side's earlier SYN; on an
   * open one, a SYN whose ISN differs from the side's earlier SYN (the old connection went quiet without FIN
   * or RST and the ports came round again: Zeek's `active_connection_reuse`). A side whose SYN was never seen
   * (capture started mid-connection, simultaneous open) does not reuse an open connection.
   */
  isReuse(fromOrig: boolean, l: PacketLayers): boolean {
    if ((l.tcpFlags & (SYN | ACK)) !== SYN) return false;
    const isn = fromOrig ? this.origIsn : this.respIsn;
    const seq = l.tcpSeq >>> 0;
    if (this.state.closed) return isn < 0 || isn !== seq;
    return isn >= 0 && isn !== seq;
  }

  /**
   * Takes one segment and returns the reassembler's REASM_* bits. When the stream is over (RST, or both
   * sides delivered up to their FIN) `finished` turns true and the caller ends the consumer.
   */
  segment(fromOrig: boolean, l: PacketLayers, ts: number, frame: number): number {
    const flags = l.tcpFlags;
    const wireLen = l.payloadWireLen; // whole and ≥ 0: the flow table checked it
    this.state.packet(fromOrig, flags, flags & RST ? 0 : wireLen);
    const dir = fromOrig ? this.orig : this.resp;
    const seq = l.tcpSeq >>> 0;
    let dataSeq = seq;
    if (flags & SYN) {
      dataSeq = (seq + 1) >>> 0;
      if (fromOrig) this.origIsn = seq;
      else this.respIsn = seq;
      // A SYN (re)defines the stream's start unless data already flowed (then it is a stray).
      if (!dir.started || (dir.high === 0 && dir.next === 0)) dir.start(dataSeq);
    } else if (!dir.started) {
      dir.start(seq);
    }
    if (flags & RST) {
      // A reset's sequence number and payload are not stream data (RFC 9293 §3.10.7.3); the stream ends.
      this.finished = true;
      return 0;
    }
    let result = 0;
    const rel = dir.rel(dataSeq);
    if (wireLen > 0) {
      const capLen = Math.min(l.payloadLen, wireLen);
      result = dir.add(rel, l.data, l.payloadOff, capLen, wireLen, ts, frame);
    }
    if (flags & FIN) dir.setFin(rel + wireLen);
    // The consumer needs no more of this connection: stop reassembling both directions, keep counting.
    if (dir.declined) (fromOrig ? this.resp : this.orig).drop();
    if (this.orig.done && this.resp.done) this.finished = true;
    return result;
  }

  /** The consumer declined more bytes in either direction (both are then dropped). */
  get declined(): boolean {
    return this.orig.declined || this.resp.declined;
  }

  /** Delivers what is held (gaps for the rest) and stops delivering; later segments are only counted. */
  detach(): void {
    this.orig.detach();
    this.resp.detach();
  }
}
