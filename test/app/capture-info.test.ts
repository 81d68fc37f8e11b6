import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { captureInfo, isoNanos } from "../../src/app/capture-info.ts";
import { writePcapng } from "../helpers/capture-writer.ts";
import { ethernet, ipv4, PROTO, udp } from "../helpers/packet-builder.ts";

test("isoNanos keeps every nanosecond", () => {
  assert.equal(isoNanos(1_407_749_400, 1), "2014-08-11T09:30:00.000000001Z");
  assert.equal(isoNanos(0, 999_999_999), "1970-01-01T00:00:00.999999999Z");
});

test("info counts what the writer planted: sections, interfaces, packets, span, secrets, comments, conns", async () => {
  const frame = (sport: number) =>
    ethernet({
      type: 0x0800,
      payload: ipv4({
        src: "10.0.0.2",
        dst: "10.0.0.9",
        proto: PROTO.udp,
        payload: udp({ srcPort: sport, dstPort: 53, payload: new Uint8Array(8) }),
      }),
    });
  const bytes = writePcapng([
    {
      byteOrder: "little",
      comment: "lab run 7",
      interfaces: [{ linkType: 1, tsresol: 9, name: "wlan0" }],
      blocks: [
        { kind: "epb", frame: { data: frame(40000), tsSec: 100, tsNsec: 5 } },
        { kind: "dsb", secretsType: 0x544c534b, data: new TextEncoder().encode("CLIENT_RANDOM aa bb\n") },
        { kind: "epb", frame: { data: frame(40001), tsSec: 102, tsNsec: 7, comment: "second" } },
      ],
    },
    {
      byteOrder: "big",
      interfaces: [{ linkType: 1 }],
      blocks: [{ kind: "epb", frame: { data: frame(40000), tsSec: 101, tsNsec: 0 } }],
    },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), "phonehome-info-")), "x.pcapng");
  writeFileSync(file, bytes);
  const info = await captureInfo(file);
  assert.equal(info.format, "pcapng");
  assert.deepEqual(info.byte_order, ["little", "big"]);
  assert.equal(info.sections, 2);
  assert.deepEqual(
    info.interfaces.map((i) => [i.index, i.section, i.link_type, i.name, i.packets]),
    [
      [0, 0, 1, "wlan0", 2],
      [1, 1, 1, undefined, 1],
    ],
  );
  assert.equal(info.packets, 3);
  assert.equal(info.first_ts, "1970-01-01T00:01:40.000000005Z");
  assert.equal(info.last_ts, "1970-01-01T00:01:42.000000007Z");
  assert.equal(info.secrets_blocks, 1);
  assert.deepEqual(info.comments, ["lab run 7", "second"]);
  // Two UDP 5-tuples: source ports 40000 (in both sections) and 40001.
  assert.equal(info.conns, 2);
});
