// pcapng timestamps: a 64-bit count of interface time units (if_tsresol, draft-ietf-opsawg-pcapng §4.2)
// split into whole seconds and nanoseconds exactly. Common resolutions stay in double arithmetic that
// never exceeds 2^53; only exotic resolutions take the BigInt path.

/** How one interface's timestamps convert to seconds + nanoseconds. */
export interface TsScale {
  /** Time units per second. */
  units: number;
  /** True for a power-of-two resolution (if_tsresol with the top bit set). */
  base2: boolean;
  /** The resolution exponent: units = 10^exp or 2^exp. */
  exp: number;
  /** Units as a BigInt when the exact double path cannot be used, else undefined. */
  big: bigint | undefined;
}

/** Something that receives a split timestamp (a Packet, or a scratch object). */
export interface TsTarget {
  tsSec: number;
  tsNsec: number;
}

/** Largest units value for which the 16-bit long division below stays under 2^52. */
const MAX_FAST_UNITS = 2 ** 36;

/** The default resolution, microseconds (if_tsresol absent). */
export const MICROSECONDS: TsScale = { units: 1e6, base2: false, exp: 6, big: undefined };

/**
 * The scale for an if_tsresol byte: top bit clear → 10^-v seconds, set → 2^-(v & 0x7f) seconds.
 * Returns undefined for a resolution no 64-bit reader can represent (10^-20 and finer, 2^-64 and finer).
 */
export function tsScale(tsresol: number): TsScale | undefined {
  const base2 = (tsresol & 0x80) !== 0;
  const exp = tsresol & 0x7f;
  if (base2 ? exp > 63 : exp > 19) return undefined;
  const units = base2 ? 2 ** exp : 10 ** exp;
  const fast = units <= MAX_FAST_UNITS && (base2 ? exp <= 32 : exp <= 10);
  const big = fast ? undefined : base2 ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  return { units, base2, exp, big };
}

/**
 * Splits the timestamp `high:low` (two unsigned 32-bit halves) into `out.tsSec`/`out.tsNsec`, truncating
 * sub-nanosecond parts as Wireshark does. `tsOffset` (if_tsoffset, seconds) is added to the seconds.
 */
export function splitTimestamp(high: number, low: number, s: TsScale, tsOffset: number, out: TsTarget): void {
  if (s.big !== undefined) {
    splitBig(high, low, s.big, tsOffset, out);
    return;
  }
  const d = s.units;
  let sec: number;
  let rem: number;
  if (high < 0x100000) {
    // The whole value is below 2^52: one division, corrected for rounding of the float quotient.
    const v = high * 4294967296 + low;
    sec = Math.floor(v / d);
    rem = v - sec * d;
    if (rem < 0) {
      sec--;
      rem += d;
    } else if (rem >= d) {
      sec++;
      rem -= d;
    }
  } else {
    // Long division in base 2^16: each partial dividend is below 2^16 * d <= 2^52, so every step is exact.
    sec = 0;
    rem = 0;
    for (let i = 0; i < 4; i++) {
      const digit = i === 0 ? high >>> 16 : i === 1 ? high & 0xffff : i === 2 ? low >>> 16 : low & 0xffff;
      const cur = rem * 65536 + digit;
      let q = Math.floor(cur / d);
      rem = cur - q * d;
      if (rem < 0) {
        q--;
        rem += d;
      } else if (rem >= d) {
        q++;
        rem -= d;
      }
      sec = sec * 65536 + q;
    }
  }
  out.tsSec = sec + tsOffset;
  out.tsNsec = remToNanos(rem, s);
}

/** Nanoseconds in `rem` units (rem < units), truncated; exact for the scales the fast path accepts. */
function remToNanos(rem: number, s: TsScale): number {
  if (!s.base2) {
    if (s.exp <= 9) return rem * 10 ** (9 - s.exp);
    return Math.floor(rem / 10 ** (s.exp - 9));
  }
  if (s.exp <= 9) return Math.floor((rem * 1e9) / s.units);
  // 1e9 = 2^9 * 1953125, so rem * 1e9 / 2^e = rem * 1953125 / 2^(e-9), below 2^53 for e <= 32.
  return Math.floor((rem * 1953125) / 2 ** (s.exp - 9));
}

function splitBig(high: number, low: number, units: bigint, tsOffset: number, out: TsTarget): void {
  const v = (BigInt(high) << 32n) | BigInt(low);
  const sec = v / units;
  const rem = v % units;
  out.tsSec = Number(sec) + tsOffset;
  out.tsNsec = Number((rem * 1_000_000_000n) / units);
}

/** Float seconds of a raw timestamp, with nanosecond digits, as text (for ISB start/end times). */
export function timestampText(high: number, low: number, s: TsScale, tsOffset: number): string {
  const t: TsTarget = { tsSec: 0, tsNsec: 0 };
  splitTimestamp(high, low, s, tsOffset, t);
  return `${t.tsSec}.${String(t.tsNsec).padStart(9, "0")}`;
}
