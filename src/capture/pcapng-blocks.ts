// Decoders for the pcapng blocks that carry no packet: Name Resolution (§4.5), Interface Statistics (§4.6),
// Decryption Secrets (§4.7) and Custom blocks (§4.8). Each takes a well-framed block and reports defects
// inside it through `problem` without throwing; values that outlive the chunk are copied.

import type { InterfaceStats, NameRecord, SecretsInfo } from "./capture-events.ts";
import {
  ipv4Text,
  ipv6Text,
  nulSeparatedNames,
  OPT_COMMENT,
  optionText,
  optionU64,
  walkOptions,
} from "./pcapng-options.ts";
import { MICROSECONDS, type TsScale, timestampText } from "./pcapng-time.ts";

/** Reports a defect inside the current block. */
export type BlockProblem = (name: string, detail: string) => void;

const NRB_END = 0;
const NRB_IPV4 = 1;
const NRB_IPV6 = 2;

/** Name Resolution Block records (IPv4 and IPv6; EUI and unknown record types are skipped). */
export function readNrb(
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
  problem: BlockProblem,
): NameRecord[] {
  const out: NameRecord[] = [];
  const end = pos + len - 4;
  let off = pos + 8;
  while (off + 4 <= end) {
    const type = view.getUint16(off, le);
    const rlen = view.getUint16(off + 2, le);
    if (type === NRB_END) return out;
    const v = off + 4;
    if (v + rlen > end) {
      problem("pcapng_bad_nrb", `name record of ${rlen} bytes overruns the block`);
      return out;
    }
    if (type === NRB_IPV4 && rlen >= 4) {
      out.push({ address: ipv4Text(buf, v), names: nulSeparatedNames(buf, v + 4, v + rlen) });
    } else if (type === NRB_IPV6 && rlen >= 16) {
      out.push({ address: ipv6Text(buf, v), names: nulSeparatedNames(buf, v + 16, v + rlen) });
    }
    off = v + ((rlen + 3) & ~3);
  }
  // A missing nrb_record_end is tolerated, as Wireshark does: the block end bounds the records anyway.
  return out;
}

const ISB_TIME_OPTIONS: Record<number, string> = { 2: "isb_starttime", 3: "isb_endtime" };
const ISB_COUNT_OPTIONS: Record<number, string> = {
  4: "isb_ifrecv",
  5: "isb_ifdrop",
  6: "isb_filteraccept",
  7: "isb_osdrop",
  8: "isb_usrdeliv",
};

/** Interface Statistics Block: counters as decimal strings, times as float-second text, comments. */
export function readIsb(
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
  iface: number,
  scale: TsScale | undefined,
  tsOffset: number | undefined,
  problem: BlockProblem,
): InterfaceStats | undefined {
  if (len < 24) {
    problem("pcapng_bad_block", `interface statistics block of ${len} bytes`);
    return undefined;
  }
  const s = scale ?? MICROSECONDS;
  const off0 = tsOffset ?? 0;
  const options: Record<string, string> = {};
  const comments: string[] = [];
  const ok = walkOptions(view, pos + 20, pos + len - 4, le, (code, off, n) => {
    if (code === OPT_COMMENT) comments.push(optionText(buf, off, n));
    else if (ISB_TIME_OPTIONS[code] && n >= 8) {
      options[ISB_TIME_OPTIONS[code]] = timestampText(
        view.getUint32(off, le),
        view.getUint32(off + 4, le),
        s,
        off0,
      );
    } else if (ISB_COUNT_OPTIONS[code]) {
      const v = optionU64(view, off, n, le);
      if (v !== undefined) options[ISB_COUNT_OPTIONS[code]] = v;
    }
  });
  if (!ok) problem("pcapng_bad_option", "statistics options overrun the block");
  if (comments.length > 0) options.comment = comments.join("\n");
  return { iface, options };
}

/** Decryption Secrets Block: the secrets type and a copy of the secrets bytes. */
export function readDsb(
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
  offset: number,
  problem: BlockProblem,
): SecretsInfo | undefined {
  if (len < 20) {
    problem("pcapng_bad_block", `decryption secrets block of ${len} bytes`);
    return undefined;
  }
  const secretsType = view.getUint32(pos + 8, le);
  const secretsLen = view.getUint32(pos + 12, le);
  if (secretsLen > len - 20) {
    problem("pcapng_bad_dsb", `secrets length ${secretsLen} exceeds the ${len - 20} bytes the block holds`);
    return undefined;
  }
  return { secretsType, data: buf.slice(pos + 16, pos + 16 + secretsLen), offset };
}

/** Custom block: the private enterprise number and a copy of everything after it (data and options). */
export function readCustom(
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
): { pen: number; data: Uint8Array } | undefined {
  if (len < 16) return undefined;
  return { pen: view.getUint32(pos + 8, le), data: buf.slice(pos + 12, pos + len - 4) };
}
