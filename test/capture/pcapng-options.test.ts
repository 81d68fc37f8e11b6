import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ipv4Text,
  ipv6Text,
  nulSeparatedNames,
  optionText,
  walkOptions,
} from "../../src/capture/pcapng-options.ts";
import { ipBytes } from "../helpers/capture-writer.ts";
import { hex } from "./parse-helpers.ts";

test("ipv6Text follows RFC 5952 (examples from its sections 4 and 5)", () => {
  const cases: [string, string][] = [
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"], // first of equal runs (§4.2.3)
    ["2001:0db8:0000:0001:0001:0001:0001:0001", "2001:db8:0:1:1:1:1:1"], // one zero group stays (§4.2.2)
    ["2001:0db8:0000:0000:0001:0000:0000:0000", "2001:db8:0:0:1::"], // longest run wins
    ["0000:0000:0000:0000:0000:0000:0000:0000", "::"],
    ["0000:0000:0000:0000:0000:0000:0000:0001", "::1"],
    ["0000:0000:0000:0000:0000:ffff:c000:0280", "::ffff:192.0.2.128"], // §5
    ["fe80:0000:0000:0000:abcd:00ef:0000:0000", "fe80::abcd:ef:0:0"],
  ];
  for (const [full, want] of cases) {
    assert.equal(ipv6Text(hex(full.replaceAll(":", "")), 0), want, full);
  }
});

test("ipv4Text and the writer's ipBytes agree on a planted address", () => {
  assert.equal(ipv4Text(Uint8Array.of(0, 192, 0, 2, 1), 1), "192.0.2.1");
  assert.equal(ipv6Text(ipBytes("2001:db8::7:0:1"), 0), "2001:db8::7:0:1");
});

test("walkOptions visits options in order, stops at opt_endofopt, and flags an overrun", () => {
  const opts = hex(`
    01 00 03 00 61 62 63 00   # opt_comment "abc", padded
    02 00 00 00               # code 2, empty value
    00 00 00 00               # opt_endofopt
    05 00 04 00 ff ff ff ff   # after the end: never visited
  `);
  const view = new DataView(opts.buffer);
  const seen: [number, number, number][] = [];
  assert.equal(
    walkOptions(view, 0, opts.length, true, (c, o, l) => seen.push([c, o, l])),
    true,
  );
  assert.deepEqual(seen, [
    [1, 4, 3],
    [2, 12, 0],
  ]);
  assert.equal(optionText(opts, 4, 3), "abc");
  const overrun = hex("01 00 09 00 61 62 63 00");
  assert.equal(
    walkOptions(new DataView(overrun.buffer), 0, overrun.length, true, () => assert.fail("visited")),
    false,
  );
});

test("optionText drops trailing NULs; names split on NUL", () => {
  assert.equal(optionText(Uint8Array.of(0x68, 0x69, 0, 0), 0, 4), "hi");
  const names = new TextEncoder().encode("a.example\0b.example\0\0");
  assert.deepEqual(nulSeparatedNames(names, 0, names.length), ["a.example", "b.example"]);
});
