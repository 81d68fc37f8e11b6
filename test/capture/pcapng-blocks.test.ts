import assert from "node:assert/strict";
import { test } from "node:test";
import { readCustom, readDsb, readIsb, readNrb } from "../../src/capture/pcapng-blocks.ts";
import { tsScale } from "../../src/capture/pcapng-time.ts";
import { hex } from "./parse-helpers.ts";

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const noProblem = (name: string, detail: string) => assert.fail(`${name}: ${detail}`);

test("annotated hex: NRB with an IPv4 record of two names, an IPv6 record, an unknown record", () => {
  const b = hex(`
    04 00 00 00  44 00 00 00   # NRB, length 68
    01 00 0e 00                # nrb_record_ipv4, 14 bytes
    c0 00 02 01                # 192.0.2.1
    61 2e 65 78 00 62 2e 65 78 00  # "a.ex\\0b.ex\\0"
    00 00                      # padding
    02 00 13 00                # nrb_record_ipv6, 19 bytes
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
    76 36 00 00                # "v6\\0" + padding
    09 00 02 00 ff ff 00 00    # record type 9 (unknown), skipped
    00 00 00 00                # nrb_record_end
    44 00 00 00
  `);
  assert.equal(b.length, 68);
  assert.deepEqual(readNrb(b, view(b), 0, b.length, true, noProblem), [
    { address: "192.0.2.1", names: ["a.ex", "b.ex"] },
    { address: "2001:db8::1", names: ["v6"] },
  ]);
});

test("a name record overrunning the block is reported, earlier records kept", () => {
  const b = hex("04 00 00 00 1c 00 00 00  01 00 08 00 0a 00 00 01 78 00 00 00  01 00 40 00  1c 00 00 00");
  const problems: string[] = [];
  assert.deepEqual(
    readNrb(b, view(b), 0, b.length, true, (n) => problems.push(n)),
    [{ address: "10.0.0.1", names: ["x"] }],
  );
  assert.deepEqual(problems, ["pcapng_bad_nrb"]);
});

test("annotated hex: big-endian ISB with counters, start time and comment", () => {
  const b = hex(`
    00 00 00 05  00 00 00 3c   # ISB, length 60
    00 00 00 02                # interface 2
    00 00 00 00 00 00 00 00    # timestamp
    00 02 00 08 00 00 00 00 00 0f 42 41   # isb_starttime: 1000001 µs
    00 04 00 08 00 00 00 01 00 00 00 00   # isb_ifrecv = 2^32
    00 01 00 02 6f 6b 00 00    # opt_comment "ok"
    00 00 00 00
    00 00 00 3c
  `);
  assert.deepEqual(readIsb(b, view(b), 0, b.length, false, 7, tsScale(6), 0, noProblem), {
    iface: 7,
    options: { isb_starttime: "1.000001000", isb_ifrecv: "4294967296", comment: "ok" },
  });
});

test("DSB: secrets bytes copied; a length beyond the block is a problem", () => {
  const b = hex("0a 00 00 00 1c 00 00 00  4b 53 4c 54  05 00 00 00  68 65 6c 6c 6f 00 00 00  1c 00 00 00");
  const s = readDsb(b, view(b), 0, b.length, true, 100, noProblem);
  assert.equal(s?.secretsType, 0x544c534b);
  assert.equal(s?.offset, 100);
  assert.equal(new TextDecoder().decode(s?.data), "hello");
  b[16] = 0x7a; // the copy does not follow the input buffer
  assert.equal(new TextDecoder().decode(s?.data), "hello");
  b[12] = 50;
  const problems: string[] = [];
  assert.equal(
    readDsb(b, view(b), 0, b.length, true, 0, (n) => problems.push(n)),
    undefined,
  );
  assert.deepEqual(problems, ["pcapng_bad_dsb"]);
});

test("custom block: PEN and the bytes after it", () => {
  const b = hex("ad 0b 00 00 14 00 00 00  00 00 7e d9  01 02 03 04  14 00 00 00");
  assert.deepEqual(readCustom(b, view(b), 0, b.length, true), {
    pen: 0xd97e0000,
    data: Uint8Array.of(1, 2, 3, 4),
  });
  assert.equal(readCustom(b, view(b), 0, 12, true), undefined);
});
