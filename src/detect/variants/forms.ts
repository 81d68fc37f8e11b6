// Plain renderings ("forms") of one profile value, before encodings and hashes are derived from them.
// Each family file (imei.ts, phone.ts, ...) turns a value into forms; needles.ts expands forms into needles.

import type { IdentifierKind } from "../../model/finding.ts";

/** One textual (or binary) rendering of a profile value, e.g. the E.164 form of a phone number. */
export interface Form {
  /** The rendering's bytes (UTF-8 for text); ASCII-lower-cased when `caseInsensitive`. */
  bytes: Uint8Array;
  /** Name of the rendering, e.g. `exact`, `e164`, `dashed`, `colon-upper`. */
  variant: string;
  /** Derive base64 (three alignments) and hex needles from it. URL-encoding is always tried. */
  encode: boolean;
  /** Derive MD5 / SHA-1 / SHA-256 digest needles from it (set on normalised forms only). */
  hash: boolean;
  /** Raw bytes rather than text: no URL-encoding, no case folding. */
  binary: boolean;
  /** The plain needle matches ASCII case-insensitively. */
  caseInsensitive: boolean;
  /** The plain needle only counts when not surrounded by ASCII letters/digits. */
  wholeWord: boolean;
  /** Confidence of a match of the plain needle (encoded and hashed forms inherit it). */
  confidence: number;
  /** The form's bytes before case folding (what encodings and digests are computed from). */
  source: Uint8Array;
}

/** Options of a form; every field defaults to the strong, exact, text case. */
export type FormOptions = Partial<
  Pick<Form, "encode" | "hash" | "caseInsensitive" | "wholeWord" | "confidence">
>;

/** All the forms of one profile value, with what a finding about it should say. */
export interface FormGroup {
  /** Identifier kind of every needle made from this group. */
  kind: IdentifierKind;
  /** Finding label, e.g. `IMEI`, `contact "Li Lei" phone`. */
  label: string;
  /** The profile value (unmasked). */
  value: string;
  /** Renderings; the first one is the canonical form (its derived variants carry no form prefix). */
  forms: Form[];
}

const utf8 = new TextEncoder();

/** ASCII-only lower-casing, matching what the matcher does to the haystack (A–Z only, never other bytes). */
export function asciiLower(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out[i] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  }
  return out;
}

/** A text form; case-insensitive forms store ASCII-lower-cased bytes as the Needle contract requires. */
export function textForm(text: string, variant: string, opts: FormOptions = {}): Form {
  const source = utf8.encode(text);
  const caseInsensitive = opts.caseInsensitive ?? false;
  return {
    bytes: caseInsensitive ? asciiLower(source) : source,
    variant,
    encode: opts.encode ?? true,
    hash: opts.hash ?? false,
    binary: false,
    caseInsensitive,
    wholeWord: opts.wholeWord ?? false,
    confidence: opts.confidence ?? 1,
    source,
  };
}

/** A binary form (e.g. the 6 raw bytes of a MAC): matched exactly, base64/hex/digests derived from it. */
export function binaryForm(bytes: Uint8Array, variant: string, opts: FormOptions = {}): Form {
  return {
    bytes,
    variant,
    encode: opts.encode ?? true,
    hash: opts.hash ?? false,
    binary: true,
    caseInsensitive: false,
    wholeWord: false,
    confidence: opts.confidence ?? 1,
    source: bytes,
  };
}

/** Upper/lower-case renderings of `text` that differ from it, for encodings that are case-sensitive. */
export function caseVariants(text: string, opts: FormOptions): Form[] {
  const out: Form[] = [];
  const lower = text.toLowerCase();
  const upper = text.toUpperCase();
  if (lower !== text) out.push(textForm(lower, "lower", opts));
  if (upper !== text && upper !== lower) out.push(textForm(upper, "upper", opts));
  return out;
}
