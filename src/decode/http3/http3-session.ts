// One HTTP/3 connection over decrypted QUIC streams (RFC 9114): client-initiated bidirectional streams are
// requests (HEADERS, DATA, trailing HEADERS each way), unidirectional streams carry control and the QPACK
// encoder streams that fill each side's dynamic table (RFC 9204). Each request stream becomes one `http`
// record (version "3", transport tls-decrypted) and the detector gets its URI, header blocks and bodies as
// the HTTP/1 decoder hands them on. Field sections that wait for encoder stream data are held, bounded.

import type { StreamContext } from "../../session/stream-consumer.ts";
import { contentCodings, emitBodyPayload, emitHeadPayloads } from "../http/http-payloads.ts";
import type { QuicStreamApp } from "../quic/quic-decrypt.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { exchangeRecord, messagePlace, RequestStream } from "./http3-exchange.ts";
import { H3_FRAME, type Http3FrameHandler, Http3FrameReader } from "./http3-frames.ts";
import { BodyBudget, H3Message, statusOf } from "./http3-message.ts";
import { DEFAULT_HTTP3_OPTIONS, type Http3Options, type Http3Weird } from "./http3-options.ts";
import { UniStream } from "./http3-uni-stream.ts";
import { EncoderStreamReader } from "./qpack-encoder-stream.ts";
import { decodeFieldSection } from "./qpack-field-section.ts";

export { DEFAULT_HTTP3_OPTIONS, HTTP3_WEIRD_NAMES, type Http3Options } from "./http3-options.ts";

/** QPACK's default table capacity when no SETTINGS was seen (RFC 9204 §5 says 0; encoders then cannot insert). */
const UNKNOWN_CAPACITY = 4096;

/** The HTTP/3 layer of one QUIC connection. */
export class Http3Session implements QuicStreamApp {
  private readonly requests = new Map<number, RequestStream>();
  private readonly uni = new Map<number, UniStream>();
  /** Per sender (0 client, 1 server): its encoder stream and the table it fills. */
  private readonly encoders = [new EncoderStreamReader(), new EncoderStreamReader()];
  /** SETTINGS_QPACK_MAX_TABLE_CAPACITY per announcing side. */
  private readonly capacity: (number | undefined)[] = [undefined, undefined];
  private readonly blocked: [RequestStream, number][] = [];
  private readonly weirds = new Set<Http3Weird>();
  private readonly budget: BodyBudget;
  private depth = 0;
  private ts = 0;
  private frame = 0;

  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    private readonly o: Http3Options = DEFAULT_HTTP3_OPTIONS,
  ) {
    this.budget = new BodyBudget(o.maxBodyBudget);
  }

  data(fromClient: boolean, id: number, bytes: Uint8Array, ts: number, frame: number): void {
    this.ts = ts;
    this.frame = frame;
    if (id & 2) {
      // Unidirectional: the low bit says who opened it, so ids of both senders never collide.
      this.uniStream(fromClient, id)?.push(bytes);
      return;
    }
    // Server-initiated bidirectional streams have no meaning in HTTP/3 (§6.1); extensions use them.
    if (id & 1) return;
    const rs = this.request(id);
    if (!rs) return;
    const side = fromClient ? 0 : 1;
    const m = rs.msgs[side];
    if (m.done) return;
    m.seen(ts, frame);
    if (m.blocked) this.hold(rs, m, bytes);
    else this.feed(rs, side, bytes);
  }

  fin(fromClient: boolean, id: number, ts: number, frame: number): void {
    const rs = this.openRequest(id, ts, frame);
    const side = fromClient ? 0 : 1;
    const m = rs?.msgs[side];
    if (!rs || !m || m.done) return;
    m.seen(ts, frame);
    if (m.blocked) m.heldFin = true;
    else this.finishMessage(rs, side);
  }

  reset(fromClient: boolean, id: number, ts: number, frame: number): void {
    const rs = this.openRequest(id, ts, frame);
    const side = fromClient ? 0 : 1;
    const m = rs?.msgs[side];
    if (!rs || !m || m.done) return;
    m.seen(ts, frame);
    m.incomplete = true;
    m.blocked = undefined;
    this.finishMessage(rs, side);
  }

  /** Notes the time of the event; the client-initiated request stream `id` if one is open. */
  private openRequest(id: number, ts: number, frame: number): RequestStream | undefined {
    this.ts = ts;
    this.frame = frame;
    return id & 3 ? undefined : this.requests.get(id);
  }

  end(): void {
    for (const [rs, side] of this.blocked) {
      const m = rs.msgs[side];
      if (!m.blocked) continue;
      const table = this.encoders[side].table;
      this.weird(
        "qpack_blocked_stream",
        `stream ${rs.id}: field section still waits, ${table.inserted} inserts seen`,
      );
      m.blocked = undefined;
      m.incomplete = true;
    }
    this.blocked.length = 0;
    for (const rs of [...this.requests.values()]) {
      for (const side of [0, 1]) if (!rs.msgs[side].done) this.finishMessage(rs, side, true);
    }
  }

  private uniStream(fromClient: boolean, id: number): UniStream | undefined {
    let u = this.uni.get(id);
    if (!u) {
      if (this.uni.size >= this.o.maxOpenRequests) return undefined;
      u = new UniStream(
        fromClient,
        {
          maxTableCapacity: (c, cap) => {
            this.capacity[c ? 0 : 1] = cap;
          },
          encoderStream: (c, bytes) => this.encoderStream(c ? 0 : 1, bytes),
          problem: (name, detail) => this.weird(name, detail),
        },
        this.o.maxFrameBytes,
      );
      this.uni.set(id, u);
    }
    return u;
  }

  private encoderStream(side: number, bytes: Uint8Array): void {
    const enc = this.encoders[side];
    const added = enc.push(bytes);
    if (enc.failed !== undefined) this.weird("qpack_bad_encoder_instruction", enc.failed);
    if (added > 0) this.unblock(side);
  }

  private request(id: number): RequestStream | undefined {
    let rs = this.requests.get(id);
    if (rs) return rs;
    if (this.requests.size >= this.o.maxOpenRequests) {
      this.weird("http3_too_many_streams", `request stream ${id}: ${this.o.maxOpenRequests} already open`);
      return undefined;
    }
    const msg = (side: number) => {
      const reader = new Http3FrameReader(
        this.frameHandler(() => rs!, side),
        this.o.maxFrameBytes,
      );
      return new H3Message(reader, this.o.maxBodyBytes, this.budget);
    };
    rs = new RequestStream(id, [msg(0), msg(1)]);
    this.requests.set(id, rs);
    return rs;
  }

  /** Feeds stream bytes to a message's frame reader; what a blocked HEADERS frame left is held. */
  private feed(rs: RequestStream, side: number, bytes: Uint8Array): void {
    const m = rs.msgs[side];
    const used = m.reader.push(bytes);
    if (used < bytes.length) this.hold(rs, m, bytes.subarray(used));
  }

  private hold(rs: RequestStream, m: H3Message, bytes: Uint8Array): void {
    if (m.hold(bytes, this.o.maxHeldBytes)) return;
    this.weird(
      "qpack_blocked_stream",
      `stream ${rs.id}: more than ${this.o.maxHeldBytes} bytes behind a blocked section`,
    );
    m.incomplete = true;
  }

  private frameHandler(rs: () => RequestStream, side: number): Http3FrameHandler {
    return {
      start: (type) => {
        if (type === H3_FRAME.headers) return "whole";
        if (type === H3_FRAME.data) {
          if (rs().msgs[side].headers) return "stream";
          this.weird("http3_bad_frame", `stream ${rs().id}: DATA before HEADERS`);
          return "skip";
        }
        if (type === H3_FRAME.settings || type === H3_FRAME.goaway || type === H3_FRAME.maxPushId) {
          this.weird(
            "http3_bad_frame",
            `stream ${rs().id}: frame type 0x${type.toString(16)} on a request stream`,
          );
        }
        return "skip"; // PUSH_PROMISE, CANCEL_PUSH-like and unknown types (§9: ignored)
      },
      frame: (_type, payload) => this.headersFrame(rs(), side, payload),
      chunk: (_type, bytes) => rs().msgs[side].data(bytes),
      problem: (name, detail) => this.weird(name, `stream ${rs().id}: ${detail}`),
    };
  }

  /** A HEADERS payload; false when it waits for the encoder stream (the reader pauses). */
  private headersFrame(rs: RequestStream, side: number, payload: Uint8Array): boolean {
    const table = this.encoders[side].table;
    const r = decodeFieldSection(
      payload,
      table,
      this.capacity[1 - side] ?? Math.max(table.capacity, UNKNOWN_CAPACITY),
    );
    if (r.status === "blocked") {
      if (this.blocked.length >= this.o.maxBlocked) {
        this.weird(
          "qpack_blocked_stream",
          `stream ${rs.id}: more than ${this.o.maxBlocked} blocked sections`,
        );
        return true;
      }
      rs.msgs[side].blocked = Uint8Array.from(payload);
      this.blocked.push([rs, side]);
      return false;
    }
    if (r.status === "error") {
      this.weird("qpack_bad_field_section", `stream ${rs.id}: ${r.why}`);
      return true;
    }
    this.fields(rs, side, r.headers);
    return true;
  }

  /** A decoded header section: the request's, an interim or final response's, or trailers. */
  private fields(rs: RequestStream, side: number, headers: { name: string; value: string }[]): void {
    const m = rs.msgs[side];
    if (m.headers) {
      m.trailers.push(...headers);
      return;
    }
    if (side === 1) {
      const status = statusOf(headers);
      // 1xx are interim (RFC 9114 §4.1): the final response follows.
      if (status >= 100 && status < 200) {
        m.info = { code: status, msg: "" };
        return;
      }
    } else rs.depth = ++this.depth;
    m.headers = headers;
    const place = messagePlace(rs, side, this.ctx.uid, this.ts, this.frame);
    const path = side === 0 ? headers.find((h) => h.name === ":path")?.value : undefined;
    emitHeadPayloads(place, this.out, path, headers);
  }

  /** Retries the sections of `side` that waited, in arrival order, after its encoder stream moved on. */
  private unblock(side: number): void {
    const waiting = this.blocked.filter(([, s]) => s === side);
    if (waiting.length === 0) return;
    this.blocked.splice(0, this.blocked.length, ...this.blocked.filter(([, s]) => s !== side));
    for (const [rs] of waiting) {
      const m = rs.msgs[side];
      const payload = m.blocked;
      if (!payload) continue; // reset meanwhile
      m.blocked = undefined;
      if (!this.headersFrame(rs, side, payload)) continue; // still blocked: listed again
      const held = m.held;
      m.held = [];
      m.heldBytes = 0;
      for (const b of held) {
        if (m.blocked) this.hold(rs, m, b);
        else this.feed(rs, side, b);
      }
      if (m.heldFin && !m.blocked) this.finishMessage(rs, side);
    }
  }

  private finishMessage(rs: RequestStream, side: number, atEnd = false): void {
    const m = rs.msgs[side];
    m.done = true;
    if (atEnd || !m.reader.atBoundary) m.incomplete = true;
    if (m.headers && !m.bodyEmitted) {
      m.bodyEmitted = true;
      const codings = contentCodings(m.headers);
      emitBodyPayload(
        m.body.bytes(),
        codings,
        messagePlace(rs, side, this.ctx.uid, this.ts, this.frame),
        this.out,
        this.o,
      );
    }
    const [req, res] = rs.msgs;
    if (req.done && res.done) {
      this.requests.delete(rs.id);
      this.out.record(exchangeRecord(rs, this.ctx, this.ts));
    }
  }

  private weird(name: Http3Weird, detail: string): void {
    if (this.weirds.has(name)) return;
    this.weirds.add(name);
    this.out.weird({ ts: this.ts, name, uid: this.ctx.uid, frame: this.frame, detail });
  }
}
