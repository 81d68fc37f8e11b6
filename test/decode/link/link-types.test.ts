// Link type names as data.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  isKnownLinkType,
  LINK_TYPE_NAMES,
  LINK_TYPE_TABLE,
  linkTypeDescription,
  linkTypeName,
} from "../../../src/decode/link/link-types.ts";

test("names and descriptions by value, with a fallback for unknown values", () => {
  // Values from the tcpdump.org LINKTYPE list.
  assert.equal(linkTypeName(1), "ETHERNET");
  assert.equal(linkTypeName(113), "LINUX_SLL");
  assert.equal(linkTypeName(276), "LINUX_SLL2");
  assert.equal(linkTypeName(127), "IEEE802_11_RADIOTAP");
  assert.equal(linkTypeName(147), "LINKTYPE_147");
  assert.equal(LINK_TYPE_NAMES[228], "IPV4");
  assert.equal(LINK_TYPE_NAMES[9999], undefined);
  assert.equal(linkTypeDescription(258), "Apple PKTAP");
  assert.equal(linkTypeDescription(999), "unknown (999)");
  assert.ok(isKnownLinkType(0));
  assert.ok(!isKnownLinkType(147));
});

test("the table has unique values and names", () => {
  assert.equal(new Set(LINK_TYPE_TABLE.map((t) => t[0])).size, LINK_TYPE_TABLE.length);
  assert.equal(new Set(LINK_TYPE_TABLE.map((t) => t[1])).size, LINK_TYPE_TABLE.length);
});
