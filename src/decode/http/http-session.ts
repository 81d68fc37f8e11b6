// One HTTP/1.x connection: two direction parsers, requests paired with responses first in, first out
// (pipelining, keep-alive), interim 1xx responses noted, CONNECT tunnels and Upgrades (WebSocket) switched
// to, and one `http` record per exchange. Which side is the client is read from the content (the side that
// sends request lines), not from who sent the first packet, so mid-stream captures pair correctly.

import type { HttpTag, HttpTransport } from "../../model/http.ts";
import type { HttpExchange, HttpRequest, HttpResponse } from "../../model/http-message.ts";
import type { StreamContext } from "../../session/stream-consumer.ts";
import type { DecoderOutput } from "../stream-decoder.ts";
import {
  emptyRequest,
  requestFromHead,
  responseFromHead,
  type UpgradeKind,
  upgradeOf,
} from "./http-exchange.ts";
import { type BodyFraming, bodyFraming } from "./http-framing.ts";
import type { ParsedHead } from "./http-head.ts";
import { HttpDirection } from "./http-parser.ts";
import type { HttpParserHost, HttpParserOptions, PassHandler } from "./http-parser-types.ts";
import { contentCodings, emitBodyPayload, emitHeadPayloads, type MessagePlace } from "./http-payloads.ts";
import { httpRecordFrom } from "./http-record.ts";
import { WebSocketReader } from "./websocket.ts";

/** Weird names the connection level reports. */
export const HTTP_SESSION_WEIRD_NAMES = ["http_too_many_pending"] as const;

/** Bounds and context of an HTTP connection decoder. */
export interface HttpSessionOptions extends HttpParserOptions {
  /** How the bytes were seen. */
  transport: HttpTransport;
  /** Cap on a body after content decoding. */
  maxDecodedBytes: number;
  /** Requests awaiting a response at most; older ones are logged without one. */
  maxPending: number;
  /** Bytes of a WebSocket message kept. */
  maxWsMessageBytes: number;
}

/** A request waiting for its response. */
interface Pending {
  depth: number;
  request: HttpRequest;
  bodyLen: number;
  incomplete: boolean;
  firstFrame: number;
  upgrade: UpgradeKind | undefined;
  info?: { code: number; msg: string };
}

// Bytes of a tunnel or an unparsed upgraded protocol are dropped here (the connection's data() says stop).
const IGNORE: PassHandler = { data() {}, gap() {} };

/** The decoder state of one connection. */
export class HttpSession implements HttpParserHost {
  private readonly dirs: [HttpDirection, HttpDirection];
  private readonly pending: Pending[] = [];
  private depth = 0;
  private stopped = false;
  /** The request whose body is being read. */
  private reading: Pending | undefined;
  private ws: WebSocketReader[] = [];

  constructor(
    private readonly ctx: StreamContext,
    private readonly out: DecoderOutput,
    private readonly o: HttpSessionOptions,
  ) {
    this.dirs = [new HttpDirection(true, this, o), new HttpDirection(false, this, o)];
  }

  /** Bytes of one direction; false once nothing more is wanted from the connection. */
  data(fromOrig: boolean, bytes: Uint8Array, ts: number, frame: number): boolean {
    if (this.stopped) return false;
    const dir = this.dirs[fromOrig ? 0 : 1];
    dir.push(bytes, ts, frame);
    const [a, b] = this.dirs;
    // Not HTTP after all (nothing parsed and this direction gave up), or neither direction readable.
    if ((a.dead && b.dead) || (dir.dead && this.depth === 0 && dir.messages === 0)) this.stopped = true;
    return !this.stopped;
  }

  /** Lost bytes of one direction. */
  gap(fromOrig: boolean, len: number): void {
    this.dirs[fromOrig ? 0 : 1].gap(len);
  }

  /** End of the connection: cut messages complete, unanswered requests are logged. */
  end(): void {
    for (const d of this.dirs) d.end();
    for (const w of this.ws) w.end();
    while (this.pending.length > 0) this.emitRecord(this.pending.shift()!, undefined, undefined);
  }

  /** See HttpParserHost. */
  onHead(dir: HttpDirection, head: ParsedHead): BodyFraming {
    const raw = dir.headBytes();
    // The field lines as sent, without the empty line that ends the head.
    let end = raw.length;
    if (raw[end - 1] === 0x0a) end--;
    if (raw[end - 1] === 0x0d) end--;
    const fields = raw.subarray(Math.min(head.fieldsStart, end), end);
    if (head.kind === "response") {
      emitHeadPayloads(this.place(dir, this.pending[0]?.depth ?? 0), this.out, undefined, fields);
      return bodyFraming(head, this.pending[0]?.request.method, this.framingWeird(dir));
    }
    const p = this.queue(dir, head);
    emitHeadPayloads(
      this.place(dir, p.depth),
      this.out,
      raw.subarray(head.targetStart, head.targetEnd),
      fields,
    );
    return bodyFraming(head, undefined, this.framingWeird(dir));
  }

  /**
   * A request joins the queue at its head, so an interim or early response (100-continue, a 401 before the
   * upload ends) pairs with it while its body is still arriving.
   */
  private queue(dir: HttpDirection, head: ParsedHead): Pending {
    const serverPort = dir.fromOrig ? this.ctx.resp_p : this.ctx.orig_p;
    const p: Pending = {
      depth: ++this.depth,
      request: requestFromHead(head, dir.firstTs || this.ctx.ts, serverPort, this.o.transport),
      bodyLen: 0,
      incomplete: false,
      firstFrame: dir.firstFrame,
      upgrade: upgradeOf(head),
    };
    if (this.pending.length >= this.o.maxPending) {
      const detail = `${this.o.maxPending} requests without a response`;
      this.weird("http_too_many_pending", detail, dir.lastTs, dir.lastFrame);
      this.emitRecord(this.pending.shift()!, undefined, undefined);
    }
    this.pending.push(p);
    this.reading = p;
    return p;
  }

  private framingWeird(dir: HttpDirection): (name: string, detail: string) => void {
    return (name, detail) => this.weird(name, detail, dir.lastTs, dir.lastFrame);
  }

  /** See HttpParserHost. */
  onMessage(dir: HttpDirection): void {
    if (dir.head!.kind === "request") this.onRequest(dir);
    else this.onResponse(dir);
  }

  /** See HttpParserHost. */
  weird(name: string, detail: string, ts: number, frame: number): void {
    this.out.weird({ ts, name, uid: this.ctx.uid, frame, detail });
  }

  private place(dir: HttpDirection, index: number): MessagePlace {
    return { uid: this.ctx.uid, fromOrig: dir.fromOrig, ts: dir.lastTs, frame: dir.lastFrame, index };
  }

  private onRequest(dir: HttpDirection): void {
    const p = this.reading!;
    this.reading = undefined;
    const codings = [...contentCodings(p.request.headers), ...(dir.framing?.transferCodings ?? [])];
    emitBodyPayload(dir.body.bytes(), codings, this.place(dir, p.depth), this.out, this.o);
    p.bodyLen = dir.body.total;
    p.incomplete = dir.incomplete;
    if (dir.body.truncated) p.request.bodyTruncated = true;
    if (p.upgrade) dir.hold();
  }

  private onResponse(dir: HttpDirection): void {
    const head = dir.head!;
    const p = this.pending[0];
    // 1xx other than 101 are interim (RFC 9110 §15.2): the request still awaits its final response.
    if (head.status < 200 && head.status !== 101) {
      if (p) p.info = { code: head.status, msg: head.reason };
      return;
    }
    if (p) this.pending.shift();
    const response = responseFromHead(head, dir.firstTs);
    const codings = [...contentCodings(head.headers), ...(dir.framing?.transferCodings ?? [])];
    emitBodyPayload(dir.body.bytes(), codings, this.place(dir, p?.depth ?? 0), this.out, this.o);
    if (dir.body.truncated) response.bodyTruncated = true;
    const tags = this.switchProtocols(dir, p, head.status);
    if (dir.incomplete) tags.push("incomplete");
    this.emitRecord(p, response, dir, tags);
  }

  /** After a final response to CONNECT or an Upgrade: switch the connection, or resume HTTP. */
  private switchProtocols(dir: HttpDirection, p: Pending | undefined, status: number): HttpTag[] {
    const client = this.dirs[dir.fromOrig ? 1 : 0];
    if (!p?.upgrade) return [];
    if (p.upgrade === "connect" && status >= 200 && status < 300) {
      this.stopAll();
      return ["connect"];
    }
    if (status !== 101 || p.upgrade === "connect") {
      client.release();
      return [];
    }
    if (p.upgrade === "other") {
      this.stopAll();
      return ["upgrade"];
    }
    const depth = p.depth;
    const reader = (d: HttpDirection): WebSocketReader => {
      const sink = {
        message: (data: Uint8Array, _op: number, ts: number, frame: number): void =>
          this.out.payload({
            uid: this.ctx.uid,
            layer: "ws.message",
            data,
            fromOrig: d.fromOrig,
            ts,
            frame,
            index: depth,
          }),
        weird: (name: string, detail: string, ts: number, frame: number): void =>
          this.weird(name, detail, ts, frame),
      };
      return new WebSocketReader(d === client, sink, { maxMessageBytes: this.o.maxWsMessageBytes });
    };
    const cr = reader(client);
    const sr = reader(dir);
    this.ws = [cr, sr];
    dir.passTo(sr);
    client.release(cr);
    return ["websocket"];
  }

  private stopAll(): void {
    for (const d of this.dirs) d.passTo(IGNORE);
    this.stopped = true;
  }

  private emitRecord(
    p: Pending | undefined,
    res: HttpResponse | undefined,
    dir?: HttpDirection,
    tags: HttpTag[] = [],
  ): void {
    const request = p?.request ?? emptyRequest(res?.ts ?? dir?.firstTs ?? this.ctx.ts);
    if (!p) tags.push("no-request");
    if (p?.incomplete) tags.push("incomplete");
    const x: HttpExchange = {
      request,
      response: res,
      source: "packet",
      index: p?.depth ?? 0,
      connectionId: this.ctx.uid,
    };
    const first = p?.firstFrame ?? dir?.firstFrame ?? 0;
    const last = dir?.lastFrame ?? first;
    this.out.record(
      httpRecordFrom(x, this.ctx, this.o.transport, {
        trans_depth: p?.depth ?? 0,
        request_body_len: p?.bodyLen ?? 0,
        response_body_len: dir?.body.total ?? 0,
        frames: first > 0 ? [first, last] : undefined,
        tags: [...new Set(tags)],
        info: p?.info,
      }),
    );
  }
}
