// Shared shapes of the detector's parts (profile → needles, payload → views → matches/hits → findings).
// Plain data only; the parts live in src/detect/<part>/.

import type { IdentifierKind } from "../model/finding.ts";

/** One byte pattern the matcher looks for, and what finding it means. */
export interface Needle {
  /** The bytes to find. For case-insensitive needles: already lower-cased ASCII. */
  bytes: Uint8Array;
  /** Identifier kind. */
  kind: IdentifierKind;
  /** Label for the finding (e.g. `IMEI`, `contact "Li Wei" phone`). */
  label: string;
  /** The profile value this needle was made from (unmasked; never written out unless revealed). */
  value: string;
  /** Variant name, e.g. `exact`, `digits`, `e164`, `national`, `dashed`, `url`, `base64`, `hex`, `md5-hex`. */
  variant: string;
  /**
   * Transform steps the variant applied to the value, in order of application, as they appear at the end
   * of a finding's chain, e.g. `["sha256(imei)"]`, `["base64"]`, `["urlencode"]`; empty for plain forms.
   */
  steps: string[];
  /** Match ASCII case-insensitively (the matcher lower-cases the haystack's A–Z). */
  caseInsensitive?: boolean;
  /** Only count a match not surrounded by ASCII letters/digits (names, short values). */
  wholeWord?: boolean;
  /** Confidence of a match (1 for strong variants). */
  confidence: number;
}

/** One step of decoding in a chain, e.g. `{ step: "gzip" }`, `{ step: "json", at: "$.data.d" }`. */
export interface ChainStep {
  /** Transform name: a payload layer (`http.body`, `raw.stream`...), or `gzip`, `deflate`, `zlib`, `br`,
   * `zstd`, `base64`, `hex`, `json`, `form`, `query`, `multipart`, `protobuf`, `urldecode`. */
  step: string;
  /** Where inside the parent the bytes sat: a JSON path, a form/query name, a protobuf field path, a part name. */
  at?: string;
}

/** One decoded layer of a payload, handed to the matcher and the detectors. */
export interface View {
  /** The bytes of this layer. */
  data: Uint8Array;
  /** How these bytes were reached from the payload, outermost first (the payload layer is the first step). */
  chain: ChainStep[];
  /** The key this value sat under (JSON key, form/query name, header name, protobuf field number), if any. */
  key?: string;
  /** Field description for findings, e.g. `json:$.data.d`, `query:imei`, `header:X-Device`, `raw`. */
  field: string;
  /** True when this view is a scalar leaf (one JSON value, one form value, one varint rendered as text). */
  leaf: boolean;
}

/** A generic detector's guess: an identifier-like value with no profile behind it. */
export interface GenericHit {
  /** Kind guessed. */
  kind: IdentifierKind;
  /** The value as found (masked on output). */
  value: string;
  /** 0..1. */
  confidence: number;
  /** Short reason, e.g. `15 digits, Luhn valid, TAC 86, key "imei"`. */
  reason: string;
  /** For locations: decimal places. */
  precision?: number;
}
