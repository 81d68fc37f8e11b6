// The evidence excerpt of a finding: a few dozen characters of the message around the value, printable
// ASCII only, with the value (and any other profile value in sight) masked unless the run reveals them.

/** Characters kept on each side of the value. */
export const EXCERPT_CONTEXT = 48;
/** Bytes of a payload searched for a value whose position is not known. */
const SEARCH_LIMIT = 64 * 1024;
const DOT = "•";

/** Marks byte ranges to hide: calls `hide(start, end)` for every profile value found in `bytes`. */
export type HideScanner = (bytes: Uint8Array, hide: (start: number, end: number) => void) => void;

/** Where the value sits: a view of the payload (or a decoded copy) and the value's range within it. */
export interface ExcerptSite {
  /** The payload the message layer carried. */
  payload: Uint8Array;
  /** The view the value was found in (may be a subarray of `payload` or a decoded copy). */
  view: Uint8Array;
  /** Start and end of the value within `view`, when the matcher told. */
  at?: [number, number];
  /** The value as found (used to locate it when the view is a decoded copy). */
  value: string;
}

/** The excerpt, or undefined when the value cannot be placed in the payload. */
export function excerptOf(site: ExcerptSite, reveal: boolean, scan?: HideScanner): string | undefined {
  const range = locate(site);
  if (!range) return undefined;
  const [start, end] = range;
  const from = Math.max(0, start - EXCERPT_CONTEXT);
  const to = Math.min(site.payload.length, end + EXCERPT_CONTEXT);
  const window = site.payload.subarray(from, to);
  const hidden = new Uint8Array(window.length);
  if (!reveal) {
    hidden.fill(1, start - from, end - from);
    scan?.(window, (s, e) => hidden.fill(1, Math.max(0, s), Math.min(window.length, e)));
  }
  let out = from > 0 ? "…" : "";
  for (let i = 0; i < window.length; i++) {
    const c = window[i];
    out += hidden[i] ? DOT : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  }
  return to < site.payload.length ? `${out}…` : out;
}

/** The value's range in `payload`: directly when the view is a slice of it, else by searching the text. */
function locate(site: ExcerptSite): [number, number] | undefined {
  const { payload, view, at } = site;
  if (at && view.buffer === payload.buffer) {
    const base = view.byteOffset - payload.byteOffset;
    if (base >= 0 && base + view.length <= payload.length) return [base + at[0], base + at[1]];
  }
  if (site.value.length === 0) return undefined;
  const hay = Buffer.from(payload.buffer, payload.byteOffset, Math.min(payload.length, SEARCH_LIMIT));
  const i = hay.indexOf(site.value, 0, "latin1");
  return i < 0 ? undefined : [i, i + Buffer.byteLength(site.value, "latin1")];
}
