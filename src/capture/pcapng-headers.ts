// The pcapng blocks that describe rather than carry data: Section Header Block options (§4.1) and
// Interface Description Blocks (§4.2), whose if_tsresol/if_tsoffset decide how every packet time reads.

import type { InterfaceInfo, SectionInfo } from "./capture-events.ts";
import type { BlockProblem } from "./pcapng-blocks.ts";
import { OPT_COMMENT, optionText, optionU64, walkOptions } from "./pcapng-options.ts";
import { MICROSECONDS, type TsScale, tsScale } from "./pcapng-time.ts";

const SHB_STRING_OPTIONS: Record<number, string> = { 2: "shb_hardware", 3: "shb_os", 4: "shb_userappl" };
const IDB_STRING_OPTIONS: Record<number, string> = {
  2: "if_name",
  3: "if_description",
  12: "if_os",
  15: "if_hardware",
  18: "if_iana_tzname",
};
const IDB_U64_OPTIONS: Record<number, string> = { 8: "if_speed", 16: "if_txspeed", 17: "if_rxspeed" };
const IF_TSRESOL = 9;
const IF_FILTER = 11;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;

/** Fills `info.options` and `info.comments` from the options of the SHB at `pos` (fixed part: 24 bytes). */
export function readShbOptions(
  info: SectionInfo,
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
  problem: BlockProblem,
): void {
  const ok = walkOptions(view, pos + 24, pos + len - 4, le, (code, off, n) => {
    if (code === OPT_COMMENT) info.comments.push(optionText(buf, off, n));
    else if (SHB_STRING_OPTIONS[code]) info.options[SHB_STRING_OPTIONS[code]] = optionText(buf, off, n);
  });
  if (!ok) problem("pcapng_bad_option", "section header options overrun the block");
}

/** An Interface Description Block: what `iface` reports, and the scale its packet times use. */
export function readIdb(
  buf: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  le: boolean,
  index: number,
  section: number,
  problem: BlockProblem,
): { info: InterfaceInfo; scale: TsScale } | undefined {
  if (len < 20) {
    problem("pcapng_bad_block", `interface description block of ${len} bytes`);
    return undefined;
  }
  const info: InterfaceInfo = {
    index,
    section,
    linkType: view.getUint16(pos + 8, le),
    snapLen: view.getUint32(pos + 12, le),
    tsResolution: 1e6,
    tsOffset: 0,
    options: {},
    comments: [],
  };
  let scale = MICROSECONDS;
  const ok = walkOptions(view, pos + 16, pos + len - 4, le, (code, off, n) => {
    if (code === OPT_COMMENT) info.comments.push(optionText(buf, off, n));
    else if (IDB_STRING_OPTIONS[code]) info.options[IDB_STRING_OPTIONS[code]] = optionText(buf, off, n);
    else if (IDB_U64_OPTIONS[code]) {
      const v = optionU64(view, off, n, le);
      if (v !== undefined) info.options[IDB_U64_OPTIONS[code]] = v;
    } else if (code === IF_TSRESOL && n >= 1) {
      const s = tsScale(buf[off]);
      if (s) scale = s;
      else problem("pcapng_bad_tsresol", `if_tsresol 0x${buf[off].toString(16)} is finer than 64 bits hold`);
    } else if (code === IF_TSOFFSET && n >= 8) info.tsOffset = Number(view.getBigInt64(off, le));
    else if (code === IF_FCSLEN && n >= 1) info.fcsLen = fcsBytes(buf[off]);
    // if_filter: a type byte, then for type 0 the libpcap filter text.
    else if (code === IF_FILTER && n >= 1 && buf[off] === 0)
      info.options.if_filter = optionText(buf, off + 1, n - 1);
  });
  if (!ok) problem("pcapng_bad_option", "interface options overrun the block");
  info.tsResolution = scale.units;
  return { info, scale };
}

/** if_fcslen counts bits (Wireshark and the current draft); a value that is not a whole byte count is bytes. */
function fcsBytes(v: number): number {
  return v % 8 === 0 ? v / 8 : v;
}
