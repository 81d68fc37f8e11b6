// Turns a device profile into the matcher's needles: every value of every kind, in every rendering (forms),
// encoding and digest, each tagged with its variant and transform steps, deduplicated by bytes+kind+value.
// Short plain forms become whole-word, lower-confidence needles; short encoded ones are dropped.

import type { IdentifierKind } from "../../model/finding.ts";
import type { Needle } from "../detect-types.ts";
import type { Profile } from "../profile/profile-types.ts";
import { contactGroups } from "./contacts.ts";
import { base64Encodings, type Encoded, hexEncoding, urlEncodings } from "./encodings.ts";
import type { Form, FormGroup } from "./forms.ts";
import { digestEncodings } from "./hashes.ts";
import { imeiForms } from "./imei.ts";
import { macForms } from "./mac.ts";
import { phoneForms } from "./phone.ts";
import { smsGroups } from "./sms.ts";
import {
  aaidForms,
  androidIdForms,
  carrierForms,
  digitsForms,
  emailForms,
  genericTextForms,
} from "./text.ts";

/** Plain needles shorter than this are whole-word only, with at most SHORT_CONFIDENCE. */
export const SHORT_NEEDLE = 6;
/** Plain needles shorter than this are dropped: a 1–2 byte pattern matches everywhere. */
export const MIN_NEEDLE = 3;
/** Confidence cap of a short needle. */
export const SHORT_CONFIDENCE = 0.5;

/** Finding labels of the kinds that have one fixed label. */
export const KIND_LABELS = {
  imei: "IMEI",
  imsi: "IMSI",
  iccid: "ICCID",
  phone_number: "phone number",
  carrier: "carrier",
  email: "email",
  android_id: "Android ID",
  aaid: "advertising ID",
  mac: "MAC address",
  serial: "serial number",
} as const satisfies Partial<Record<IdentifierKind, string>>;

/** Builds the form renderer for each single-string profile key. */
const FAMILIES: { [K in keyof typeof KIND_LABELS]: (value: string, home?: string) => Form[] } = {
  imei: imeiForms,
  imsi: digitsForms,
  iccid: digitsForms,
  phone_number: phoneForms,
  carrier: carrierForms,
  email: emailForms,
  android_id: androidIdForms,
  aaid: aaidForms,
  mac: macForms,
  serial: genericTextForms,
};

/** Every form group of a profile (one per profile value), in profile order. */
export function formGroupsFromProfile(p: Profile): FormGroup[] {
  const home = p.home_country;
  const groups: FormGroup[] = [];
  for (const kind of Object.keys(FAMILIES) as (keyof typeof FAMILIES)[]) {
    for (const value of p[kind]) {
      groups.push({ kind, label: KIND_LABELS[kind], value, forms: FAMILIES[kind](value, home) });
    }
  }
  p.contacts.forEach((c, i) => {
    groups.push(...contactGroups(c, i, home));
  });
  p.sms.forEach((m, i) => {
    groups.push(...smsGroups(m, i, home));
  });
  for (const c of p.custom) {
    groups.push({ kind: "custom", label: c.label, value: c.value, forms: genericTextForms(c.value) });
  }
  return groups;
}

/** Expansions already made, by profile object (needles are never changed once made). */
const expanded = new WeakMap<Profile, readonly Needle[]>();

/**
 * All needles of a profile, deduplicated (the first needle for given bytes+kind+value wins). Expanded once per
 * profile object: the detector and the record masker of one run share the expansion.
 */
export function needlesFromProfile(p: Profile): readonly Needle[] {
  let needles = expanded.get(p);
  if (!needles) {
    needles = expandProfile(p);
    expanded.set(p, needles);
  }
  return needles;
}

function expandProfile(p: Profile): Needle[] {
  // Keyed by kind and value first, so the per-needle key is only its bytes (viewed, not copied, as latin1).
  const seen = new Map<string, Set<string>>();
  const shared = new Interner();
  const out: Needle[] = [];
  for (const group of formGroupsFromProfile(p)) {
    const id = `${group.kind}\u0000${group.value}`;
    let bytesSeen = seen.get(id);
    if (!bytesSeen) {
      bytesSeen = new Set();
      seen.set(id, bytesSeen);
    }
    for (const n of groupNeedles(group, shared)) {
      const key = Buffer.from(n.bytes.buffer, n.bytes.byteOffset, n.bytes.length).toString("latin1");
      if (bytesSeen.has(key)) continue;
      bytesSeen.add(key);
      out.push(n);
    }
  }
  packBytes(out);
  return out;
}

/**
 * Moves every needle's bytes into one buffer (each needle keeps a view of it): thousands of tiny buffers
 * would each cost a buffer object and an allocation of their own, and be copied one by one to a worker.
 */
function packBytes(needles: Needle[]): void {
  let total = 0;
  for (const n of needles) total += n.bytes.length;
  const slab = new Uint8Array(total);
  let at = 0;
  for (const n of needles) {
    slab.set(n.bytes, at);
    n.bytes = slab.subarray(at, at + n.bytes.length);
    at += n.bytes.length;
  }
}

/**
 * Shares the variant names and step lists that thousands of needles have in common (a profile of 200
 * contacts makes ~17,000 needles from ~100 variant names and ~40 step lists), so each needle costs little.
 */
class Interner {
  private readonly names = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();

  name(prefix: string, variant: string): string {
    const key = prefix + variant;
    let v = this.names.get(key);
    if (v === undefined) {
      v = key;
      this.names.set(key, v);
    }
    return v;
  }

  steps(steps: string[]): string[] {
    const key = steps.join("\u0000");
    let v = this.lists.get(key);
    if (v === undefined) {
      v = steps;
      this.lists.set(key, v);
    }
    return v;
  }
}

/**
 * Needles of one value. Variants of the canonical (first) form are named by their encoding alone (`base64`,
 * `md5-hex`); those of other forms are prefixed by the form (`national.base64`, `no-check.md5-hex`).
 */
export function needlesFromGroup(g: FormGroup): Needle[] {
  return groupNeedles(g, new Interner());
}

function groupNeedles(g: FormGroup, shared: Interner): Needle[] {
  const out: Needle[] = [];
  g.forms.forEach((form, i) => {
    const plain = plainNeedle(g, form, shared);
    if (plain) out.push(plain);
    const prefix = i === 0 ? "" : `${form.variant}.`;
    const derived: Encoded[] = [];
    if (!form.binary) derived.push(...urlEncodings(form.source));
    if (form.encode) derived.push(...base64Encodings(form.source), hexEncoding(form.source));
    if (form.hash) derived.push(...digestEncodings(form.source, g.kind));
    for (const e of derived) {
      if (e.bytes.length < SHORT_NEEDLE) continue;
      out.push(
        needle(g, e.bytes, shared.name(prefix, e.variant), shared.steps(e.steps), {
          caseInsensitive: e.caseInsensitive,
          wholeWord: false,
          confidence: form.confidence,
        }),
      );
    }
  });
  return out;
}

/** The form itself as a needle, or undefined when it is too short to mean anything. */
function plainNeedle(g: FormGroup, form: Form, shared: Interner): Needle | undefined {
  const len = form.bytes.length;
  if (len < MIN_NEEDLE) return undefined;
  const short = len < SHORT_NEEDLE;
  return needle(g, form.bytes, shared.name("", form.variant), shared.steps([]), {
    caseInsensitive: form.caseInsensitive,
    wholeWord: form.wholeWord || short,
    confidence: short ? Math.min(form.confidence, SHORT_CONFIDENCE) : form.confidence,
  });
}

/** One needle; every needle gets the same properties in the same order (one object shape, no spreads). */
function needle(
  g: FormGroup,
  bytes: Uint8Array,
  variant: string,
  steps: string[],
  o: Pick<Needle, "caseInsensitive" | "wholeWord" | "confidence">,
): Needle {
  return {
    bytes,
    kind: g.kind,
    label: g.label,
    value: g.value,
    variant,
    steps,
    caseInsensitive: o.caseInsensitive,
    wholeWord: o.wholeWord,
    confidence: o.confidence,
  };
}
