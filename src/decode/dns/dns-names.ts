// Domain names on the wire (RFC 1035 §3.1) with message compression (§4.1.4): labels are followed through
// compression pointers, and every pointer must point before the start of the label run that holds it, so a
// name can neither loop nor jump forward (the forward-pointer blow-ups some fuzzers build) and reading one
// name costs at most one pass over the message.

/** The name was read completely. */
export const NAME_OK = 0;
/** The message ended inside the name. */
export const NAME_TRUNCATED = 1;
/** A pointer leads back into the label run that holds it (it would loop forever). */
export const NAME_LOOP = 2;
/** A pointer points forward, past the message, or into the 12-byte header. */
export const NAME_BAD_POINTER = 3;
/** The name is longer than 255 octets (RFC 1035 §2.3.4). */
export const NAME_TOO_LONG = 4;
/** A length byte starts with 01 or 10, label types RFC 6891 §5 retired. */
export const NAME_BAD_LABEL = 5;

/** Where a name ended and what it said; one object is reused for every name of a message. */
export interface NameResult {
  /** The name in text form (see `readName`); the labels read before an error when `error` is set. */
  text: string;
  /** Offset just after the name's in-place bytes, or -1 when the message structure is lost. */
  next: number;
  /** NAME_OK or one of the NAME_* errors. */
  error: number;
}

/** A fresh result object. */
export function newNameResult(): NameResult {
  return { text: "", next: -1, error: NAME_OK };
}

/** Longest name, in wire octets (labels with their length bytes, plus the root's zero byte). */
const MAX_NAME = 255;
/** Size of the DNS header: no pointer may land in it. */
const HEADER = 12;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the name at `off` of the message that spans `[base, end)` of `buf` into `out`. Text form: labels
 * joined by `.`, no trailing dot, the root alone as `.`; a `.` or `\` inside a label is escaped with `\`,
 * control bytes as `\DDD` (decimal, RFC 1035 §5.1); labels that are valid UTF-8 (mDNS names, RFC 6762 §16)
 * are kept as text, other high bytes become `\DDD`. Never throws; never reads outside `[base, end)`.
 */
export function readName(buf: Uint8Array, base: number, off: number, end: number, out: NameResult): void {
  let pos = off;
  let runStart = off;
  // Highest pointer position so far: a target at or below it lands in bytes this name already covered.
  let hi = off;
  let wire = 1;
  let text = "";
  out.next = -1;
  out.error = NAME_OK;
  for (;;) {
    if (pos >= end) {
      out.error = NAME_TRUNCATED;
      break;
    }
    const len = buf[pos];
    if (len === 0) {
      if (out.next < 0) out.next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) {
        out.error = NAME_TRUNCATED;
        break;
      }
      if (out.next < 0) out.next = pos + 2;
      const target = base + (((len & 0x3f) << 8) | buf[pos + 1]);
      if (pos > hi) hi = pos;
      if (target >= runStart) {
        // Back into what this name already covered: the same bytes again, forever. Beyond: a forward pointer.
        out.error = target <= hi ? NAME_LOOP : NAME_BAD_POINTER;
        break;
      }
      if (target < base + HEADER) {
        out.error = NAME_BAD_POINTER;
        break;
      }
      pos = target;
      runStart = target;
      continue;
    }
    if (kind !== 0) {
      out.error = NAME_BAD_LABEL;
      break;
    }
    if (pos + 1 + len > end) {
      out.error = NAME_TRUNCATED;
      break;
    }
    wire += len + 1;
    if (wire > MAX_NAME) {
      out.error = NAME_TOO_LONG;
      break;
    }
    const label = labelText(buf, pos + 1, pos + 1 + len);
    text = text === "" ? label : `${text}.${label}`;
    pos += 1 + len;
  }
  // A truncated in-place name ends the message; other errors inside it leave the rest unreadable too.
  if (out.error === NAME_TRUNCATED && out.next < 0) out.next = end;
  out.text = text === "" && out.error === NAME_OK ? "." : text;
}

/**
 * Skips the name at `off` without building text or following pointers (for cheap probing): returns the
 * offset after it, or -1 when it is malformed, runs past `end`, or (`noPointers`) uses compression.
 */
export function skipName(buf: Uint8Array, off: number, end: number, noPointers: boolean): number {
  let pos = off;
  let wire = 1;
  while (pos < end) {
    const len = buf[pos];
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) return noPointers || pos + 1 >= end ? -1 : pos + 2;
    if (len & 0xc0) return -1;
    wire += len + 1;
    if (wire > MAX_NAME) return -1;
    pos += 1 + len;
  }
  return -1;
}

/** One label as text (see `readName` for the escaping). */
function labelText(buf: Uint8Array, start: number, end: number): string {
  // The common case, printable ASCII with no `.` or `\`, is built in one pass with no intermediate arrays.
  let s = "";
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < 0x21 ? c !== 0x20 : c >= 0x7f || c === 0x2e || c === 0x5c) return unusualLabel(buf, start, end);
    s += String.fromCharCode(c);
  }
  return s;
}

/** A label with control, high, `.` or `\` bytes: UTF-8 text when it decodes cleanly and needs no escape. */
function unusualLabel(buf: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end && plain; i++) {
    const c = buf[i];
    if (c < 0x20 || c === 0x7f || c === 0x2e || c === 0x5c) plain = false;
  }
  if (plain) {
    try {
      return utf8.decode(buf.subarray(start, end));
    } catch {
      // Not UTF-8: fall through to byte escapes.
    }
  }
  return escapeBytes(buf, start, end);
}

/** Label bytes with `.` and `\` escaped and non-printable bytes as `\DDD`. */
function escapeBytes(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x2e || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c < 0x20 || c >= 0x7f) s += `\\${String(c).padStart(3, "0")}`;
    else s += String.fromCharCode(c);
  }
  return s;
}
