// Builds HTTP/2 frames for tests (RFC 9113 §4.1, §6): any frame from its parts, and the common ones (SETTINGS,
// HEADERS with padding/priority, CONTINUATION, DATA, RST_STREAM, GOAWAY, PUSH_PROMISE), plus the client preface.

/** The client connection preface (RFC 9113 §3.4). */
export const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/** Frame type codes. */
export const T = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

/** Flag bits. */
export const F = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

/** One frame: 24-bit length, type, flags, stream id, payload. */
export function frame(
  type: number,
  flags: number,
  stream: number,
  payload: Uint8Array | number[] = [],
): Buffer {
  const p = Buffer.from(payload);
  const h = Buffer.alloc(9);
  h.writeUIntBE(p.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream >>> 0, 5);
  return Buffer.concat([h, p]);
}

/** SETTINGS with (id, value) pairs. */
export function settings(pairs: [number, number][] = []): Buffer {
  const p = Buffer.alloc(pairs.length * 6);
  pairs.forEach(([id, v], i) => {
    p.writeUInt16BE(id, i * 6);
    p.writeUInt32BE(v >>> 0, i * 6 + 2);
  });
  return frame(T.SETTINGS, 0, 0, p);
}

/** Options of a HEADERS or DATA frame. */
export interface FrameOptions {
  /** END_STREAM. */
  end?: boolean;
  /** END_HEADERS (HEADERS; default true). */
  endHeaders?: boolean;
  /** Pad length: PADDED with this many zero bytes of padding. */
  pad?: number;
  /** PRIORITY fields (HEADERS). */
  priority?: boolean;
}

/** HEADERS carrying a field block fragment. */
export function headers(stream: number, block: Uint8Array, o: FrameOptions = {}): Buffer {
  let flags = (o.end ? F.END_STREAM : 0) | (o.endHeaders === false ? 0 : F.END_HEADERS);
  if (o.priority) flags |= F.PRIORITY;
  if (o.pad !== undefined) flags |= F.PADDED;
  // Priority: exclusive dependency on stream 0, weight 16.
  const parts = o.priority ? [Uint8Array.from([0x80, 0, 0, 0, 15]), block] : [block];
  return frame(T.HEADERS, flags, stream, padded(parts, o.pad));
}

/** CONTINUATION with a fragment. */
export function continuation(stream: number, block: Uint8Array, endHeaders = true): Buffer {
  return frame(T.CONTINUATION, endHeaders ? F.END_HEADERS : 0, stream, block);
}

/** DATA. */
export function data(stream: number, bytes: Uint8Array | string, o: FrameOptions = {}): Buffer {
  const flags = (o.end ? F.END_STREAM : 0) | (o.pad !== undefined ? F.PADDED : 0);
  const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  return frame(T.DATA, flags, stream, padded([b], o.pad));
}

/** RST_STREAM with an error code. */
export function rstStream(stream: number, code: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(code);
  return frame(T.RST_STREAM, 0, stream, p);
}

/** GOAWAY. */
export function goaway(lastStream: number, code: number, debug = ""): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastStream, 0);
  p.writeUInt32BE(code, 4);
  return frame(T.GOAWAY, 0, 0, Buffer.concat([p, Buffer.from(debug, "latin1")]));
}

/** PUSH_PROMISE of `promised` on `stream`. */
export function pushPromise(stream: number, promised: number, block: Uint8Array): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(promised);
  return frame(T.PUSH_PROMISE, F.END_HEADERS, stream, Buffer.concat([p, block]));
}

function padded(parts: Uint8Array[], pad: number | undefined): Buffer {
  if (pad === undefined) return Buffer.concat(parts);
  return Buffer.concat([Uint8Array.from([pad]), ...parts, new Uint8Array(pad)]);
}
