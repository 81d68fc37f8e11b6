// Renderings of the text-like identifiers: email, carrier, serial, Android ID, advertising ID, IMSI, ICCID and
// custom values. Plain needles match case-insensitively (an identifier in another case is still the identifier);
// the exact, lower and upper spellings are kept as separate forms because base64 and digests are case-sensitive.

import { binaryForm, caseVariants, type Form, type FormOptions, textForm } from "./forms.ts";

/** Email: matched in any case; digests of the trimmed lower-case address (the usual ad-tech normalisation). */
export function emailForms(email: string): Form[] {
  const exact = email.trim();
  const lower = exact.toLowerCase();
  const forms = [textForm(lower, "exact", { caseInsensitive: true, hash: true })];
  if (exact !== lower) forms.push(textForm(exact, "as-written", { caseInsensitive: true, hash: true }));
  return forms;
}

/** Carrier name: any case, and without spaces (`ChinaMobile`); not hashed (it is not secret by itself). */
export function carrierForms(carrier: string): Form[] {
  const opts: FormOptions = { caseInsensitive: true };
  const forms = [textForm(carrier, "exact", opts), ...caseVariants(carrier, opts)];
  const compact = carrier.replace(/\s+/g, "");
  if (compact !== carrier) forms.push(textForm(compact, "compact", { ...opts, encode: false }));
  return forms;
}

/** Serial numbers and custom values: any case; base64/hex/digests of each spelling. */
export function genericTextForms(value: string): Form[] {
  const opts: FormOptions = { caseInsensitive: true, hash: true };
  return [textForm(value, "exact", opts), ...caseVariants(value, opts)];
}

/** Android ID (64-bit hex): lower/upper hex, and the decimal rendering some apps send (unsigned and signed). */
export function androidIdForms(id: string): Form[] {
  const opts: FormOptions = { caseInsensitive: true, hash: true };
  const forms = [textForm(id.toLowerCase(), "exact", opts), textForm(id.toUpperCase(), "upper", opts)];
  if (!/^[0-9a-fA-F]{1,16}$/.test(id)) return forms;
  const unsigned = BigInt(`0x${id}`);
  forms.push(textForm(unsigned.toString(), "decimal", { encode: false, wholeWord: true }));
  const signed = BigInt.asIntN(64, unsigned);
  if (signed < 0n)
    forms.push(textForm(signed.toString(), "decimal-signed", { encode: false, wholeWord: true }));
  return forms;
}

/** Advertising ID (UUID): dashed and bare, lower and upper (IDFA is upper-case), and the 16 raw bytes. */
export function aaidForms(uuid: string): Form[] {
  const opts: FormOptions = { caseInsensitive: true, hash: true };
  const lower = uuid.toLowerCase();
  const bare = lower.replace(/-/g, "");
  const forms = [
    textForm(lower, "exact", opts),
    textForm(lower.toUpperCase(), "upper", opts),
    textForm(bare, "bare", opts),
    textForm(bare.toUpperCase(), "bare-upper", opts),
  ];
  if (/^[0-9a-f]{32}$/.test(bare)) {
    const raw = new Uint8Array(16);
    for (let i = 0; i < 16; i++) raw[i] = Number.parseInt(bare.slice(i * 2, i * 2 + 2), 16);
    forms.push(binaryForm(raw, "bytes"));
  }
  return forms;
}

/** IMSI and ICCID: their digits, hashed too. */
export function digitsForms(digits: string): Form[] {
  return [textForm(digits, "exact", { hash: true })];
}
