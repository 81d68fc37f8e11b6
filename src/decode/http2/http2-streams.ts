// The streams of one HTTP/2 connection as exchanges (RFC 9113 §5, §8.1): a request's field section, data and
// trailers, then the response's (after any 1xx), joined per stream with bounded bodies, and one `http` record
// per stream through the same builder as HTTP/1 when the stream closes (both ends, a reset, or the end of
// the connection). Head and body payloads go to the detector under the same layer names as HTTP/1.

import type { HttpTag, HttpTransport } from "../../model/http.ts";
import type { HttpExchange, HttpHeader, HttpRequest, HttpResponse } from "../../model/http-message.ts";
import type { StreamContext } from "../../session/stream-consumer.ts";
import { BodyBuffer } from "../http/body-buffer.ts";
import {
  contentCodings,
  emitBodyPayload,
  emitHeadPayloads,
  type MessagePlace,
} from "../http/http-payloads.ts";
import { httpRecordFrom } from "../http/http-record.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import { errorName, type Http2WeirdName } from "./http2-frames.ts";
import { malformation, requestFromFields, responseFromFields, type SectionKind } from "./http2-messages.ts";

/** Bounds and context of a connection's streams. */
export interface Http2StreamOptions {
  /** How the bytes were seen. */
  transport: HttpTransport;
  /** Streams open at once at most; the oldest is closed (and logged) to make room. */
  maxStreams: number;
  /** Body bytes kept per message for the detector; the rest is counted. */
  maxBodyBytes: number;
  /** Body bytes kept across all open streams of the connection. */
  maxHeldBodyBytes: number;
  /** Cap on a body after content decoding. */
  maxDecodedBytes: number;
}

/** The packet a frame came in: its time, its number, and the number of the packet where the frame began. */
export interface Moment {
  ts: number;
  frame: number;
  startFrame: number;
}

/** One side of a stream. */
interface Side {
  body: BodyBuffer;
  /** END_STREAM seen. */
  done: boolean;
  /** Body already handed to the detector. */
  emitted: boolean;
}

/** One stream. */
interface Stream {
  id: number;
  depth: number;
  request?: HttpRequest;
  response?: HttpResponse;
  info?: { code: number; msg: string };
  req: Side;
  res: Side;
  firstFrame: number;
  lastFrame: number;
}

/** Weird reporter of the connection (at the current packet). */
export type Http2Weird = (name: Http2WeirdName, detail: string, at: Moment) => void;

/** The open streams of a connection and the records of the closed ones. */
export class Http2Streams {
  /** True when the originator is the client (it sent the preface, or nobody did). */
  clientFromOrig = true;
  /** Set once the connection stopped decoding field blocks: streams it could not follow are not errors. */
  headersLost = false;
  private readonly open = new Map<number, Stream>();
  private depth = 0;
  private held = 0;
  /** Highest stream id opened by the client and by the server (push), to tell closed from idle streams. */
  private lastId = [0, 0];

  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    private readonly o: Http2StreamOptions,
    private readonly weird: Http2Weird,
  ) {}

  /** A HEADERS field section (undefined when header decoding was lost) with its END_STREAM flag. */
  headers(fromOrig: boolean, id: number, fields: HttpHeader[] | undefined, end: boolean, at: Moment): void {
    const fromClient = fromOrig === this.clientFromOrig;
    let s = this.open.get(id);
    if (!s) {
      // Without decoded fields (header decoding was lost) a new stream cannot be followed.
      if (!fields) return;
      if (!fromClient) {
        this.unknown(id, "HEADERS", at);
        return;
      }
      if (id % 2 === 0) {
        this.weird("http2_bad_stream_id", `client HEADERS on even stream ${id}`, at);
        return;
      }
      if (id <= this.lastId[0]) {
        this.weird("http2_stream_error", `HEADERS on closed stream ${id}`, at);
        return;
      }
      s = this.create(id, at);
      if (!s) return;
      this.lastId[0] = id;
      s.request = requestFromFields(fields, at.ts, this.serverPort(), this.o.transport);
      this.check(fields, "request", at);
      emitHeadPayloads(this.place(s, fromOrig, at), this.out, s.request.url, fields);
    } else if (fields) this.section(s, fromOrig, fromClient, fields, at);
    s.lastFrame = at.frame;
    if (end) this.endSide(s, fromOrig, fromClient, at);
  }

  /** A PUSH_PROMISE: the server opens stream `promised` with the request it stands for (RFC 9113 §8.4). */
  promise(fromOrig: boolean, id: number, promised: number, fields: HttpHeader[], at: Moment): void {
    if (fromOrig === this.clientFromOrig || promised % 2 === 1 || promised <= this.lastId[1]) {
      this.weird("http2_bad_stream_id", `PUSH_PROMISE of stream ${promised} on ${id}`, at);
      return;
    }
    const s = this.create(promised, at);
    if (!s) return;
    this.lastId[1] = promised;
    s.request = requestFromFields(fields, at.ts, this.serverPort(), this.o.transport);
    s.req.done = true;
    this.check(fields, "request", at);
    emitHeadPayloads(this.place(s, fromOrig, at), this.out, s.request.url, fields);
  }

  /** DATA of a stream. */
  data(fromOrig: boolean, id: number, bytes: Uint8Array, end: boolean, at: Moment): void {
    const s = this.open.get(id);
    if (!s) {
      this.unknown(id, "DATA", at);
      return;
    }
    const fromClient = fromOrig === this.clientFromOrig;
    const side = fromClient ? s.req : s.res;
    if (side.done || (!fromClient && !s.response && !this.headersLost)) {
      this.weird(
        "http2_stream_error",
        `DATA on stream ${id} ${side.done ? "after END_STREAM" : "before HEADERS"}`,
        at,
      );
      return;
    }
    this.append(side.body, bytes);
    s.lastFrame = at.frame;
    if (end) this.endSide(s, fromOrig, fromClient, at);
  }

  /** RST_STREAM: the stream ends here; a stream whose request was seen is still logged. */
  reset(id: number, code: number, at: Moment): void {
    const s = this.open.get(id);
    // NO_ERROR and CANCEL are how peers end streams they no longer want; other codes report a problem.
    if (code !== 0 && code !== 8) this.weird("http2_stream_reset", `stream ${id}: ${errorName(code)}`, at);
    if (s) this.close(s, at, true);
  }

  /** The connection ended: open streams are logged as they are. */
  end(at: Moment): void {
    for (const s of [...this.open.values()]) this.close(s, at, true);
  }

  private unknown(id: number, what: string, at: Moment): void {
    // Frames on a stream that was closed are normal after a reset (RFC 9113 §5.1); on an idle one they are not.
    if (this.headersLost || id <= this.lastId[id % 2 === 1 ? 0 : 1]) return;
    this.weird("http2_stream_error", `${what} on idle stream ${id}`, at);
  }

  private create(id: number, at: Moment): Stream | undefined {
    if (id === 0) return undefined;
    if (this.open.size >= this.o.maxStreams) {
      const oldest = this.open.values().next().value!;
      this.weird(
        "http2_too_many_streams",
        `${this.o.maxStreams} open streams; stream ${oldest.id} closed`,
        at,
      );
      this.close(oldest, at, true);
    }
    const side = (): Side => ({ body: new BodyBuffer(this.o.maxBodyBytes), done: false, emitted: false });
    const s: Stream = {
      id,
      depth: ++this.depth,
      req: side(),
      res: side(),
      firstFrame: at.startFrame,
      lastFrame: at.frame,
    };
    this.open.set(id, s);
    return s;
  }

  /** A later field section on an open stream: the response, an interim response, or trailers. */
  private section(s: Stream, fromOrig: boolean, fromClient: boolean, fields: HttpHeader[], at: Moment): void {
    const place = this.place(s, fromOrig, at);
    const side = fromClient ? s.req : s.res;
    if (side.done) {
      this.weird("http2_stream_error", `HEADERS on stream ${s.id} after END_STREAM`, at);
      return;
    }
    if (fromClient || s.response) {
      // Trailers follow the fields of their message (RFC 9113 §8.1).
      this.check(fields, "trailers", at);
      (fromClient ? s.request!.headers : s.response!.headers).push(...fields);
      emitHeadPayloads(place, this.out, undefined, fields);
      return;
    }
    const res = responseFromFields(fields, at.ts);
    this.check(fields, "response", at);
    emitHeadPayloads(place, this.out, undefined, fields);
    // 1xx are interim (RFC 9113 §8.1): the final response is still to come.
    if (res.status >= 100 && res.status < 200) s.info = { code: res.status, msg: "" };
    else s.response = res;
  }

  private check(fields: readonly HttpHeader[], kind: SectionKind, at: Moment): void {
    const why = malformation(fields, kind);
    if (why) this.weird("http2_malformed_headers", `${kind}: ${why}`, at);
  }

  /** END_STREAM of one side: its body goes to the detector; a stream with both sides ended is logged. */
  private endSide(s: Stream, fromOrig: boolean, fromClient: boolean, at: Moment): void {
    const side = fromClient ? s.req : s.res;
    side.done = true;
    this.emitBody(s, fromClient, fromOrig, at);
    if (s.req.done && s.res.done) this.close(s, at, false);
  }

  private emitBody(s: Stream, fromClient: boolean, fromOrig: boolean, at: Moment): void {
    const side = fromClient ? s.req : s.res;
    if (side.emitted) return;
    side.emitted = true;
    const msg = fromClient ? s.request : s.response;
    const codings = msg ? contentCodings(msg.headers) : [];
    emitBodyPayload(side.body.bytes(), codings, this.place(s, fromOrig, at), this.out, this.o);
    this.held -= side.body.kept;
    side.body.release();
  }

  /** Logs and forgets a stream; `cut` when it did not end normally (its unfinished bodies are handed on). */
  private close(s: Stream, at: Moment, cut: boolean): void {
    this.open.delete(s.id);
    const tags: HttpTag[] = [];
    const clientOrig = this.clientFromOrig;
    if (cut && ((s.request && !s.req.done) || (s.response && !s.res.done))) tags.push("incomplete");
    this.emitBody(s, true, clientOrig, at);
    this.emitBody(s, false, !clientOrig, at);
    if (!s.request) return;
    const x: HttpExchange = {
      request: s.request,
      response: s.response,
      source: "packet",
      index: s.depth,
      connectionId: this.ctx.uid,
    };
    if (s.req.body.truncated) s.request.bodyTruncated = true;
    if (s.response && s.res.body.truncated) s.response.bodyTruncated = true;
    this.out.record(
      httpRecordFrom(x, this.ctx, this.o.transport, {
        trans_depth: s.depth,
        request_body_len: s.req.body.total,
        response_body_len: s.res.body.total,
        frames: s.firstFrame > 0 ? [s.firstFrame, Math.max(s.firstFrame, s.lastFrame)] : undefined,
        tags,
        info: s.info,
      }),
    );
  }

  /** Appends within the per-message and per-connection bounds; what does not fit is only counted. */
  private append(body: BodyBuffer, bytes: Uint8Array): void {
    const room = Math.max(0, this.o.maxHeldBodyBytes - this.held);
    const before = body.kept;
    if (bytes.length <= room) body.append(bytes, 0, bytes.length);
    else {
      body.append(bytes, 0, room);
      body.skip(bytes.length - room);
      body.truncated = true;
    }
    this.held += body.kept - before;
  }

  private serverPort(): number {
    return this.clientFromOrig ? this.ctx.resp_p : this.ctx.orig_p;
  }

  private place(s: Stream, fromOrig: boolean, at: Moment): MessagePlace {
    return { uid: this.ctx.uid, fromOrig, ts: at.ts, frame: at.frame, index: s.depth };
  }
}
