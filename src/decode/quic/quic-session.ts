// The state of one QUIC handshake record while packets arrive (Zeek's QUIC::Info): versions, connection IDs,
// what the ClientHello said, and the history letters. A UDP connection may carry several (after a Retry or a
// CONNECTION_CLOSE Zeek logs and starts afresh), so this is separate from the per-connection crypto state.

import type { ConnId } from "../../model/conn.ts";
import type { QuicRecord } from "../../model/quic.ts";
import type { DecryptStatus } from "./quic-decrypt.ts";

/** Most history letters kept (Zeek's QUIC::max_history_length). */
export const MAX_HISTORY = 100;

/** History letters (upper case for the client, lower case for the server). */
export const HISTORY_LETTERS = {
  initial: "I",
  handshake: "H",
  zeroRtt: "Z",
  retry: "R",
  close: "C",
  hello: "S",
  unknownVersion: "U",
  discarded: "X",
  short: "O",
} as const;

/** One handshake being observed. */
export class QuicSession {
  /** Time of its first packet. */
  readonly ts: number;
  /** Version name of its first packet. */
  readonly version: string;
  /** Client's first DCID, hex. */
  clientInitialDcid: string | undefined;
  /** Client's latest SCID, hex. */
  clientScid: string | undefined;
  /** Server's latest SCID, hex. */
  serverScid: string | undefined;
  /** SNI from the ClientHello. */
  serverName: string | undefined;
  /** ALPN list from the ClientHello. */
  alpn: string[] | undefined;
  /** JA4 of the ClientHello. */
  ja4: string | undefined;
  /** An Initial was decrypted. */
  decrypted = false;
  /** What decrypting Handshake and 1-RTT packets gave, when the decoder had keys. */
  decryption: DecryptStatus | undefined;
  private history = "";

  /** Starts a handshake seen first at `ts` with version name `version`. */
  constructor(ts: number, version: string) {
    this.ts = ts;
    this.version = version;
  }

  /** Appends a history letter for one side, up to MAX_HISTORY letters. */
  add(letter: string, fromOrig: boolean): void {
    if (this.history.length >= MAX_HISTORY) return;
    this.history += fromOrig ? letter : letter.toLowerCase();
  }

  /** True when no more letters fit. */
  historyFull(): boolean {
    return this.history.length >= MAX_HISTORY;
  }

  /** The record, with the connection's identity; fields in quic.log's order. */
  toRecord(id: ConnId): QuicRecord {
    const alpn = this.alpn !== undefined && this.alpn.length > 0 ? this.alpn : undefined;
    const r: QuicRecord = {
      type: "quic",
      ts: this.ts,
      uid: id.uid,
      community_id: id.community_id,
      orig_h: id.orig_h,
      orig_p: id.orig_p,
      resp_h: id.resp_h,
      resp_p: id.resp_p,
      version: this.version,
      ...(this.clientInitialDcid !== undefined && { client_initial_dcid: this.clientInitialDcid }),
      ...(this.clientScid !== undefined && { client_scid: this.clientScid }),
      ...(this.serverScid !== undefined && { server_scid: this.serverScid }),
      ...(this.serverName !== undefined && { server_name: this.serverName }),
      ...(alpn !== undefined && { client_protocol: alpn[0], alpn }),
      history: this.history,
      decrypted_initial: this.decrypted,
      decrypted: this.decryption?.decrypted ?? false,
    };
    if (this.decryption?.note !== undefined) r.decrypt_note = this.decryption.note;
    if (this.ja4 !== undefined) r.ja4 = this.ja4;
    return r;
  }
}
