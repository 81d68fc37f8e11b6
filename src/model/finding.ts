// The `finding` record: one identifier seen leaving (or reaching) the device, with how it was encoded and
// where in the traffic it sits. Destination, transport and severity are filled by the attribution stage.

import type { ConnId } from "./conn.ts";
import type { Destination, Transport } from "./destination.ts";
import type { Severity } from "./judgement.ts";

/** Identifier kinds a device profile can list (and generic detectors can guess). */
export const IDENTIFIER_KINDS = [
  "imei",
  "imsi",
  "iccid",
  "phone_number",
  "carrier",
  "email",
  "android_id",
  "aaid",
  "mac",
  "serial",
  "location",
  "contact_name",
  "contact_phone",
  "contact_email",
  "sms_number",
  "sms_text",
  "custom",
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Which way the bytes travelled. */
export const DIRECTIONS = ["to_server", "from_server"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** One identifier seen in one message through one chain of encodings. */
export interface FindingRecord extends ConnId {
  /** Record type tag. */
  type: "finding";
  /** What was found. */
  kind: IdentifierKind;
  /** Human label, e.g. `IMEI`, `phone number`, `contact "Li Wei" phone`, or the custom label. */
  label: string;
  /** The value, masked (`86123•••••••0127`) unless the run was asked to reveal it. */
  value_masked: string;
  /**
   * How the value was encoded, outermost first, e.g. `["http.body", "gzip", "json $.data.d", "base64",
   * "sha256(imei)"]`. The first step is the payload layer; the last names the variant of the value.
   */
  chain: string[];
  /** True for a generic detector's guess (no profile value matched). */
  generic: boolean;
  /** 0..1; profile matches are 1 unless the variant is weak (short values, case-folded names). */
  confidence: number;
  /** First and last frame numbers of the bytes that carried it (as Wireshark numbers frames). */
  frames: number[];
  /** Field the value sat in, e.g. `query:imei`, `json:$.data.d`, `header:X-Device`, `form:phone`, `raw`. */
  field: string;
  /** Direction of the message. */
  direction: Direction;
  /** Host the message went to (HTTP Host, SNI, or the responder address). */
  host?: string;
  /** Request URL when the carrier was HTTP. */
  url?: string;
  /** Variant that matched, e.g. `e164`, `national`, `md5-hex`, `base64`, `exact`. */
  variant: string;
  /** For locations: decimal places sent. */
  precision?: number;
  /** How the bytes travelled (set by the detector from the payload; cleartext when in clear). */
  transport: Transport;
  /**
   * A short excerpt of the message around the value (up to 48 characters each side, printable ASCII,
   * the value itself masked unless revealed), for the evidence section of reports.
   */
  excerpt?: string;
  /** Who received it (attribution stage). */
  dest?: Destination;
  /** Severity level (judgement stage). */
  severity?: Severity;
  /** Why that severity, strongest first. */
  reasons?: string[];
  /** A Wireshark display filter showing the packets that carried it. */
  filter?: string;
}
