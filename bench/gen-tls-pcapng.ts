// The last step of the TLS benchmark capture: a pcapng whose key log comes first, as Decryption Secrets
// Blocks (TLSK, draft-ietf-opsawg-pcapng §4.7) before any packet, then the frames the generator wrote to a
// temporary pcap, rewritten as Enhanced Packet Blocks. The key log is only complete once every connection
// exists, hence the two files; both are streamed in bounded chunks.

import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { DSB_TLS_KEY_LOG } from "../src/decrypt/key-log.ts";
import { MAX_DSB_BYTES, PcapngWriter } from "../src/report/pcapng-writer.ts";

/** Bytes read or written per step. */
const CHUNK = 8 << 20;
/** pcap file header, and per-record header (tcpdump pcap format). */
const PCAP_HEADER = 24;
const PCAP_RECORD = 16;
/** Enhanced Packet Block type (§4.3). */
const EPB = 6;

/** Lower bound of the bytes before the first packet: SHB and IDB (≥ 48) and DSB framing (≥ 20 each). */
export function headBytesAtLeast(keyLogBytes: number): number {
  return 48 + keyLogBytes + 20 * Math.max(1, Math.ceil(keyLogBytes / MAX_DSB_BYTES));
}

/** Writes `out`: section and interface, the key log of `keyLogFile` as DSBs, then `pcapFile`'s frames. */
export function assemblePcapng(
  out: string,
  pcapFile: string,
  keyLogFile: string,
  comment: string,
): { bytes: number; frames: number } {
  const fd = openSync(out, "w");
  try {
    const writer = new PcapngWriter({ fd, comment, userappl: "phonehome bench/gen-tls.ts" });
    writer.addInterface({ linkType: 1, name: "wlan0", resolution: "us" });
    forEachKeyLogPart(keyLogFile, (part) => writer.secrets(DSB_TLS_KEY_LOG, part));
    writer.close();
    const head = writer.bytesWritten;
    const r = copyAsEpbs(pcapFile, fd);
    return { bytes: head + r.bytes, frames: r.frames };
  } finally {
    closeSync(fd);
  }
}

/** Calls `fn` with pieces of the key log of at most MAX_DSB_BYTES, each ending at a line end. */
function forEachKeyLogPart(file: string, fn: (part: Uint8Array) => void): void {
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(MAX_DSB_BYTES);
  let have = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, have, buf.length - have, null);
      have += n;
      if (have === 0) return;
      const cut = n === 0 ? have : buf.lastIndexOf(0x0a, have - 1) + 1;
      // A line longer than a whole block cannot happen with key log lines; cut anywhere then.
      const end = cut > 0 ? cut : have;
      fn(buf.subarray(0, end));
      buf.copy(buf, 0, end, have);
      have -= end;
      if (n === 0 && have === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** Rewrites each pcap record (µs timestamps, little-endian) as an EPB on interface 0, appended to `fd`. */
function copyAsEpbs(pcapFile: string, fd: number): { bytes: number; frames: number } {
  const src = openSync(pcapFile, "r");
  const inBuf = Buffer.allocUnsafe(CHUNK);
  const outBuf = Buffer.allocUnsafe(CHUNK + (1 << 20));
  let have = 0;
  let pos = PCAP_HEADER;
  let outPos = 0;
  let bytes = 0;
  let frames = 0;
  try {
    for (;;) {
      const n = readSync(src, inBuf, have, inBuf.length - have, pos);
      pos += n;
      have += n;
      let off = 0;
      while (off + PCAP_RECORD <= have) {
        const cap = inBuf.readUInt32LE(off + 8);
        if (off + PCAP_RECORD + cap > have) break;
        const us = inBuf.readUInt32LE(off) * 1e6 + inBuf.readUInt32LE(off + 4);
        outPos = epb(outBuf, outPos, us, inBuf, off + PCAP_RECORD, cap, inBuf.readUInt32LE(off + 12));
        off += PCAP_RECORD + cap;
        frames++;
        if (outPos > CHUNK) {
          bytes += flush(fd, outBuf, outPos);
          outPos = 0;
        }
      }
      inBuf.copy(inBuf, 0, off, have);
      have -= off;
      if (n === 0) break;
    }
    return { bytes: bytes + flush(fd, outBuf, outPos), frames };
  } finally {
    closeSync(src);
  }
}

/** One EPB (§4.3) at `at` in `out`; returns the offset after it. */
function epb(out: Buffer, at: number, us: number, src: Buffer, from: number, cap: number, orig: number) {
  const pad = (4 - (cap & 3)) & 3;
  const total = 32 + cap + pad;
  out.writeUInt32LE(EPB, at);
  out.writeUInt32LE(total, at + 4);
  out.writeUInt32LE(0, at + 8);
  out.writeUInt32LE(Math.floor(us / 0x100000000), at + 12);
  out.writeUInt32LE(us % 0x100000000, at + 16);
  out.writeUInt32LE(cap, at + 20);
  out.writeUInt32LE(orig, at + 24);
  src.copy(out, at + 28, from, from + cap);
  out.fill(0, at + 28 + cap, at + 28 + cap + pad);
  out.writeUInt32LE(total, at + total - 4);
  return at + total;
}

function flush(fd: number, buf: Buffer, len: number): number {
  let off = 0;
  while (off < len) off += writeSync(fd, buf, off, len - off);
  return len;
}
