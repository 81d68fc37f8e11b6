import { createHttpConsumer } from "../../../src/decode/http/http-decoder.ts";
import { CTX } from "./http-helpers.ts";
function mk(bodySize: number, n: number) {
  const body = "x".repeat(bodySize);
  const req = `GET /api/v1/config?imei=868031020761234&t=1 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: okhttp/4.9.0\r\nAccept: */*\r\n\r\n`;
  const res = `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  return { req: Buffer.from(req), res: Buffer.from(res) };
}
for (const [size, n] of [[200, 150000]] as const) {
  const { req, res } = mk(size, n);
  const out = { record() {}, weird() {}, payload() {} };
  const c0 = process.cpuUsage();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = createHttpConsumer(CTX, out);
    c.data(true, req, 0, 1);
    for (let o = 0; o < res.length; o += 1448) c.data(false, res.subarray(o, o + 1448), 0, 2);
    c.end();
    total += req.length + res.length;
  }
  const u = process.cpuUsage(c0);
  const s = (u.user + u.system) / 1e6;
  console.log(`body ${size}: ${(total / 1e6 / s).toFixed(0)} MB/s cpu, ${(n / s).toFixed(0)} conns/s`);
}
