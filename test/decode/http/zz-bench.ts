import { createHttpConsumer } from "../../../src/decode/http/http-decoder.ts";
import { CTX } from "./http-helpers.ts";
function mk(bodySize: number, n: number) {
  const body = "x".repeat(bodySize);
  const req = `GET /api/v1/config?imei=868031020761234&t=1 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: okhttp/4.9.0\r\nAccept-Encoding: gzip\r\nCookie: a=b; c=d\r\n\r\n`;
  const res = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nDate: Mon\r\nServer: nginx\r\n\r\n${body}`;
  return { req: Buffer.from(req.repeat(n)), res: Buffer.from(res.repeat(n)) };
}
for (const [size, n] of [[200, 20000], [10000, 2000], [1000000, 50]] as const) {
  const { req, res } = mk(size, n);
  let payloads = 0;
  const out = { record() {}, weird() {}, payload() { payloads++; } };
  const t0 = performance.now();
  const c = createHttpConsumer(CTX, out);
  const seg = 1460;
  // interleave: requests segments then responses segments per exchange approx
  let ro = 0, so = 0, frame = 0;
  while (ro < req.length || so < res.length) {
    if (ro < req.length) { c.data(true, req.subarray(ro, ro + seg * 2), 0, ++frame); ro += seg * 2; }
    for (let k = 0; k < 8 && so < res.length; k++) { c.data(false, res.subarray(so, so + seg), 0, ++frame); so += seg; }
  }
  c.end();
  const ms = performance.now() - t0;
  console.log(`body ${size}: ${((req.length + res.length) / 1e6 / (ms / 1000)).toFixed(0)} MB/s, ${(n / (ms / 1000)).toFixed(0)} exchanges/s, payloads ${payloads}`);
}
