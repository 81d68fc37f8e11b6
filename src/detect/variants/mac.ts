// MAC address renderings: `:`/`-`/no separator, Cisco dotted groups, upper and lower case, and the six raw
// bytes (as sent in binary protocols). Digests of the common forms cover ad SDKs that hash the MAC. Upper-case
// forms exist for their (case-sensitive) base64 and digests; their plain needle folds into the lower one.

import { binaryForm, type Form, textForm } from "./forms.ts";

/** Forms of a MAC address given as 12 hex digits with or without separators. */
export function macForms(mac: string): Form[] {
  const hex = mac.replace(/[^0-9a-fA-F]/g, "").toLowerCase();
  if (hex.length !== 12) return [textForm(mac, "exact", { caseInsensitive: true })];
  const pairs = hex.match(/../g) ?? [];
  const colon = pairs.join(":");
  const dash = pairs.join("-");
  const dotted = `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`;
  const ci = { caseInsensitive: true };
  const raw = new Uint8Array(pairs.map((p) => Number.parseInt(p, 16)));
  return [
    textForm(colon, "colon", { ...ci, hash: true }),
    textForm(colon.toUpperCase(), "colon-upper", { ...ci, hash: true }),
    textForm(dash, "dash", ci),
    textForm(dash.toUpperCase(), "dash-upper", ci),
    textForm(hex, "bare", { ...ci, hash: true }),
    textForm(hex.toUpperCase(), "bare-upper", { ...ci, hash: true }),
    textForm(dotted, "dotted", { ...ci, encode: false }),
    binaryForm(raw, "bytes", { hash: true }),
  ];
}
