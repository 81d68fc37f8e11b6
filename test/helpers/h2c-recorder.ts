// Records a real HTTP/2 conversation: a node:http2 server and client on loopback in cleartext (h2c with
// prior knowledge), joined by an in-process TCP relay that keeps every chunk each way in the order the relay
// saw them. Tests turn the chunks into a capture with the TCP conversation synthesizer.

import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import net from "node:net";

/** One chunk the relay passed on. */
export interface RelayedChunk {
  /** True for client → server. */
  fromClient: boolean;
  /** The bytes. */
  data: Uint8Array;
}

/** A recorded conversation. */
export interface H2cRecording {
  /** Every chunk, in relay order. */
  chunks: RelayedChunk[];
  /** The port the client connected to (the relay's). */
  port: number;
}

type Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

const listen = (server: net.Server | http2.Http2Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

/** Runs `client` against an h2c server answering with `handler`, through a recording relay. */
export async function recordH2c(
  handler: Handler,
  client: (session: http2.ClientHttp2Session) => Promise<void>,
): Promise<H2cRecording> {
  const server = http2.createServer(handler);
  const serverPort = await listen(server);
  const chunks: RelayedChunk[] = [];
  let closed: () => void = () => {};
  const bothClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const relay = net.createServer((down) => {
    const up = net.connect(serverPort, "127.0.0.1");
    let open = 2;
    const done = () => {
      if (--open === 0) closed();
    };
    down.on("data", (d) => {
      chunks.push({ fromClient: true, data: new Uint8Array(d) });
      up.write(d);
    });
    up.on("data", (d) => {
      chunks.push({ fromClient: false, data: new Uint8Array(d) });
      down.write(d);
    });
    down.on("end", () => up.end());
    up.on("end", () => down.end());
    down.on("close", done);
    up.on("close", done);
    down.on("error", () => up.destroy());
    up.on("error", () => down.destroy());
  });
  const port = await listen(relay);
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    await client(session);
  } finally {
    session.close();
  }
  await bothClosed;
  relay.close();
  server.close();
  return { chunks, port };
}

/** Sends one request and collects the response head and body. */
export function request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string | Uint8Array,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers, { endStream: body === undefined });
    const parts: Buffer[] = [];
    let head: http2.IncomingHttpHeaders = {};
    req.on("response", (h) => {
      head = h;
    });
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () =>
      resolve({ status: Number(head[":status"]), headers: head, body: Buffer.concat(parts) }),
    );
    req.on("error", reject);
    if (body !== undefined) req.end(body);
  });
}
