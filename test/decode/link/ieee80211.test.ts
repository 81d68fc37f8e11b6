// 802.11 data frames (105) and radiotap (127): plain, QoS, four-address, HT control, protected and
// management frames skipped, radiotap's data-pad flag.

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeIeee80211, decodeRadiotap } from "../../../src/decode/link/ieee80211.ts";
import { LINK_IP, LINK_MALFORMED, LINK_NOT_IP, newLinkResult } from "../../../src/decode/link/link-result.ts";
import { LINKTYPE_IEEE802_11, LINKTYPE_IEEE802_11_RADIOTAP } from "../../../src/decode/link/link-types.ts";
import { cat, decodeOnce, hex, IPV4_TCP_SYN } from "../decode-helpers.ts";

const ADDRS = hex(`
  00 11 22 33 44 55   # address 1
  66 77 88 99 aa bb   # address 2
  02 00 00 00 00 01   # address 3
`);
const SNAP_IPV4 = hex("aa aa 03 00 00 00 08 00   # LLC/SNAP, ethertype IPv4");

function link(frame: Uint8Array, pad = false): { status: number; netOff: number } {
  const r = newLinkResult();
  const status = decodeIeee80211(frame, 0, frame.length, pad, r);
  return { status, netOff: r.netOff };
}

test("data frame to the AP: 24-byte header, LLC/SNAP, IPv4", () => {
  const frame = cat(
    hex("08 01 2c 00   # FC: type data, subtype 0; flags ToDS; duration"),
    ADDRS,
    hex("10 00   # sequence 1, fragment 0"),
    SNAP_IPV4,
    IPV4_TCP_SYN,
  );
  assert.deepEqual(link(frame), { status: LINK_IP, netOff: 32 });
  assert.equal(decodeOnce(frame, LINKTYPE_IEEE802_11).kind, "tcp");
});

test("QoS data (+2), with HT control (+4), and four-address WDS frames (+6)", () => {
  const qos = cat(
    hex("88 02 00 00"),
    ADDRS,
    hex("20 00"),
    hex("00 00   # QoS control, TID 0"),
    SNAP_IPV4,
    IPV4_TCP_SYN,
  );
  assert.deepEqual(link(qos), { status: LINK_IP, netOff: 34 });
  const ht = cat(
    hex("88 82 00 00   # QoS data, FromDS + Order"),
    ADDRS,
    hex("20 00 00 00"),
    hex("00 00 00 00   # HT control"),
    SNAP_IPV4,
    IPV4_TCP_SYN,
  );
  assert.deepEqual(link(ht), { status: LINK_IP, netOff: 38 });
  const wds = cat(
    hex("88 03 00 00   # QoS data, ToDS + FromDS"),
    ADDRS,
    hex("30 00"),
    hex("02 00 00 00 00 02   # address 4"),
    hex("00 00"),
    SNAP_IPV4,
    IPV4_TCP_SYN,
  );
  assert.deepEqual(link(wds), { status: LINK_IP, netOff: 40 });
  assert.equal(decodeOnce(wds, LINKTYPE_IEEE802_11).kind, "tcp");
});

test("protected, null-data, management, fragmented and A-MSDU frames are not read", () => {
  const body = cat(SNAP_IPV4, IPV4_TCP_SYN);
  const cases = {
    protected: cat(hex("08 41 00 00   # data, ToDS + Protected"), ADDRS, hex("10 00"), body),
    nullData: cat(hex("48 01 00 00   # subtype 4: null data"), ADDRS, hex("10 00")),
    beacon: cat(hex("80 00 00 00   # management, beacon"), ADDRS, hex("10 00"), body),
    moreFragments: cat(hex("08 05 00 00   # ToDS + MoreFragments"), ADDRS, hex("10 00"), body),
    laterFragment: cat(hex("08 01 00 00"), ADDRS, hex("11 00   # fragment number 1"), body),
    amsdu: cat(hex("88 01 00 00"), ADDRS, hex("20 00"), hex("80 00   # QoS control: A-MSDU present"), body),
  };
  for (const [name, f] of Object.entries(cases)) assert.equal(link(f).status, LINK_NOT_IP, name);
});

test("a cut MAC header is a weird", () => {
  const r = newLinkResult();
  const f = cat(hex("88 02 00 00"), ADDRS, hex("20 00 00"));
  assert.equal(decodeIeee80211(f, 0, f.length, false, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_80211_header");
});

test("radiotap: TSFT + Flags with FCS and data pad, then a padded QoS header", () => {
  const rt = hex(`
    00 00         # radiotap version 0, pad
    14 00         # header length 20
    03 00 00 00   # present: TSFT (bit 0), Flags (bit 1)
    01 02 03 04 05 06 07 08   # TSFT at offset 8, already 8-aligned
    30            # Flags: FCS at end (0x10), data pad (0x20)
    00 00 00      # padding to the header length
  `);
  // QoS data header is 26 bytes; with data pad it grows to 28 before the LLC header.
  const frame = cat(
    rt,
    hex("88 01 00 00"),
    ADDRS,
    hex("20 00 00 00"),
    hex("00 00   # pad"),
    SNAP_IPV4,
    IPV4_TCP_SYN,
    hex("de ad be ef   # FCS"),
  );
  const r = newLinkResult();
  assert.equal(decodeRadiotap(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 20 + 28 + 8);
  const { kind, out } = decodeOnce(frame, LINKTYPE_IEEE802_11_RADIOTAP);
  assert.equal(kind, "tcp");
  assert.equal(out.payloadLen, 0);
});

test("radiotap: TSFT aligned to 8 after an extended bitmap; Flags without data pad", () => {
  const rt = hex(`
    00 00 1c 00   # version 0, length 28
    03 00 00 80   # present word 1: TSFT, Flags, and bit 31 (another word follows)
    00 00 00 00   # present word 2
    20 20 20 20   # padding: fields start at 12, TSFT aligns to 16 (0x20 bytes would read as data pad)
    20 20 20 20 20 20 20 20   # TSFT
    00            # Flags: none
    00 00 00      # padding to the header length
  `);
  const frame = cat(rt, hex("88 01 00 00"), ADDRS, hex("20 00 00 00"), SNAP_IPV4, IPV4_TCP_SYN);
  const r = newLinkResult();
  assert.equal(decodeRadiotap(frame, 0, frame.length, r), LINK_IP);
  assert.equal(r.netOff, 28 + 26 + 8);
});

test("radiotap: extended present bitmaps are skipped; no Flags means no pad", () => {
  const rt = hex(`
    00 00 10 00   # version 0, length 16
    00 00 00 80   # present word 1: only bit 31 (another word follows)
    00 00 00 00   # present word 2
    00 00 00 00   # (no fields) padding to 16
  `);
  const frame = cat(rt, hex("08 01 00 00"), ADDRS, hex("10 00"), SNAP_IPV4, IPV4_TCP_SYN);
  assert.equal(decodeOnce(frame, LINKTYPE_IEEE802_11_RADIOTAP).kind, "tcp");
});

test("radiotap: bad version, short length and runaway bitmaps are weirds", () => {
  const r = newLinkResult();
  const v1 = hex("01 00 08 00 00 00 00 00");
  assert.equal(decodeRadiotap(v1, 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_radiotap_header");
  const short = hex("00 00 04 00 00 00 00 00");
  assert.equal(decodeRadiotap(short, 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_radiotap_header");
  const long = hex("00 00 40 00 00 00 00 00");
  assert.equal(decodeRadiotap(long, 0, 8, r), LINK_MALFORMED);
  assert.equal(r.weird, "truncated_radiotap_header");
  const runaway = hex("00 00 0c 00 00 00 00 80 00 00 00 80");
  assert.equal(decodeRadiotap(runaway, 0, runaway.length, r), LINK_MALFORMED);
  assert.equal(r.weird, "bad_radiotap_header");
});
