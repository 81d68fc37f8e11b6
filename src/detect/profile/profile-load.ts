// Loads a device profile (YAML or JSON, told apart by content) and validates it field by field: every bad
// field becomes one problem line with its path and line; doubtful but usable values become warnings.

import { readFileSync } from "node:fs";
import { LineCounter, type Node, parseDocument } from "yaml";
import { checkCountry, checkEmail, checkPhone, FIELD_CHECKS, type FieldResult } from "./profile-fields.ts";
import { ProfileReader } from "./profile-reader.ts";
import {
  emptyProfile,
  PROFILE_KEYS,
  PROFILE_STRING_KEYS,
  type Profile,
  type ProfileContact,
  type ProfileProblem,
} from "./profile-types.ts";

/** Radius used when a location gives none. */
export const DEFAULT_RADIUS_M = 1000;

/** A profile that cannot be used: every problem found, one per bad field. */
export class ProfileError extends Error {
  /** The profile file (as given by the caller). */
  readonly file: string;
  /** The problems, in document order. */
  readonly problems: ProfileProblem[];

  /** Builds the error; its message lists every problem with the file and line. */
  constructor(file: string, problems: ProfileProblem[]) {
    super([`invalid profile ${file}`, ...problems.map((p) => problemText(file, p))].join("\n"));
    this.name = "ProfileError";
    this.file = file;
    this.problems = problems;
  }

  /** One line per bad field, e.g. `phone.yaml:4: imei[1]: 15 digits expected, got "12345"`. */
  lines(): string[] {
    return this.problems.map((p) => problemText(this.file, p));
  }
}

/** `file:line: path: message` (the line when known). */
export function problemText(file: string, p: ProfileProblem): string {
  return `${p.line === undefined ? file : `${file}:${p.line}`}: ${problemLine(p)}`;
}

/** `path: message`, or the message alone for whole-document problems. */
export function problemLine(p: ProfileProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** Reads and validates a profile file; throws ProfileError when it is unreadable or invalid. */
export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ProfileError(file, [
      { path: "", message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})` },
    ]);
  }
  return parseProfile(text, file);
}

/** Validates profile text (YAML, or JSON when it starts with `{`); warnings are in `profile.warnings`. */
export function parseProfile(text: string, file: string): Profile {
  text = text.replace(/^\uFEFF/, "");
  if (text.trimStart().startsWith("{")) {
    try {
      JSON.parse(text);
    } catch (e) {
      throw new ProfileError(file, [{ path: "", message: `not valid JSON: ${(e as Error).message}` }]);
    }
  }
  const lc = new LineCounter();
  // Failsafe schema: scalars stay the text the analyst wrote (no number or boolean guessing).
  const doc = parseDocument(text, { schema: "failsafe", lineCounter: lc, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ProfileError(
      file,
      doc.errors.map((e) => ({
        path: "",
        message: `not valid YAML: ${e.message.split("\n")[0]}`,
        line: e.linePos?.[0].line,
      })),
    );
  }
  const r = new ProfileReader(lc);
  const profile = readProfile(r, doc.contents);
  if (r.problems.length > 0) throw new ProfileError(file, r.problems.sort(byLine));
  profile.warnings = r.warnings;
  return profile;
}

function readProfile(r: ProfileReader, root: unknown): Profile {
  const p = emptyProfile();
  if (r.isEmpty(root)) return p;
  const f = r.fields(root, "", PROFILE_KEYS);
  if (!f) return p;
  const device = r.text(f.get("device"), "device")?.trim();
  if (device) p.device = device;
  const vendor = r.text(f.get("vendor"), "vendor")?.trim();
  if (vendor) p.vendor = vendor;
  const domains = r.texts(f.get("first_party_domains"), "first_party_domains").map((t) => t.text.trim());
  if (domains.some((d) => d !== ""))
    p.first_party_domains = domains.filter((d) => d !== "").map((d) => d.toLowerCase());
  const country = r.text(f.get("home_country"), "home_country");
  if (country?.trim())
    p.home_country = accept(r, "home_country", f.get("home_country"), checkCountry(country));
  for (const key of PROFILE_STRING_KEYS) {
    for (const t of r.texts(f.get(key), key)) {
      const value = accept(r, t.path, t.node, FIELD_CHECKS[key](t.text, p.home_country));
      if (value !== undefined && !p[key].includes(value)) p[key].push(value);
    }
  }
  readLocations(r, f.get("location"), p);
  readContacts(r, f.get("contacts"), p);
  readSms(r, f.get("sms"), p);
  readCustom(r, f.get("custom"), p);
  return p;
}

/** Document order (stable; problems without a line last). */
function byLine(a: ProfileProblem, b: ProfileProblem): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
}

/** Records a field check's error or warning; returns the accepted value. */
function accept(r: ProfileReader, path: string, node: unknown, res: FieldResult): string | undefined {
  if (res.error) r.error(path, node, res.error);
  else if (res.warning) r.warn(path, node, res.warning);
  return res.error ? undefined : res.value;
}

function readLocations(r: ProfileReader, node: Node | undefined, p: Profile): void {
  for (const item of r.list(node, "location")) {
    const f = r.fields(item.node, item.path, ["lat", "lon", "radius_m"]);
    if (!f) continue;
    if (!f.has("lat") || !f.has("lon")) r.error(item.path, item.node, "lat and lon are required");
    const lat = r.number(f.get("lat"), `${item.path}.lat`, -90, 90);
    const lon = r.number(f.get("lon"), `${item.path}.lon`, -180, 180);
    const radius = r.isEmpty(f.get("radius_m"))
      ? DEFAULT_RADIUS_M
      : r.number(f.get("radius_m"), `${item.path}.radius_m`, Number.MIN_VALUE, 20_037_509);
    if (lat !== undefined && lon !== undefined && radius !== undefined)
      p.location.push({ lat, lon, radius_m: radius });
  }
}

function readContacts(r: ProfileReader, node: Node | undefined, p: Profile): void {
  for (const item of r.list(node, "contacts")) {
    const f = r.fields(item.node, item.path, ["name", "phones", "emails"]);
    if (!f) continue;
    const c: ProfileContact = { phones: [], emails: [] };
    const name = r.text(f.get("name"), `${item.path}.name`)?.trim();
    if (name) c.name = name;
    for (const t of r.texts(f.get("phones"), `${item.path}.phones`)) {
      const v = accept(r, t.path, t.node, checkPhone(t.text, p.home_country));
      if (v !== undefined) c.phones.push(v);
    }
    for (const t of r.texts(f.get("emails"), `${item.path}.emails`)) {
      const v = accept(r, t.path, t.node, checkEmail(t.text));
      if (v !== undefined) c.emails.push(v);
    }
    if (!c.name && !f.has("phones") && !f.has("emails"))
      r.error(item.path, item.node, "a contact needs a name, phones or emails");
    p.contacts.push(c);
  }
}

function readSms(r: ProfileReader, node: Node | undefined, p: Profile): void {
  for (const item of r.list(node, "sms")) {
    const f = r.fields(item.node, item.path, ["number", "text"]);
    if (!f) continue;
    const number = r.text(f.get("number"), `${item.path}.number`);
    const text = r.text(f.get("text"), `${item.path}.text`);
    const n = number?.trim()
      ? accept(r, `${item.path}.number`, f.get("number"), checkPhone(number, p.home_country))
      : undefined;
    if (!number?.trim() && !text?.trim()) r.error(item.path, item.node, "an SMS needs a number or a text");
    p.sms.push({ ...(n !== undefined && { number: n }), ...(text?.trim() && { text }) });
  }
}

function readCustom(r: ProfileReader, node: Node | undefined, p: Profile): void {
  for (const item of r.list(node, "custom")) {
    const f = r.fields(item.node, item.path, ["label", "value"]);
    if (!f) continue;
    const label = r.text(f.get("label"), `${item.path}.label`)?.trim();
    const value = r.text(f.get("value"), `${item.path}.value`)?.trim();
    if (!label) r.error(`${item.path}.label`, f.get("label") ?? item.node, "a label is required");
    if (!value) r.error(`${item.path}.value`, f.get("value") ?? item.node, "a value is required");
    if (label && value) p.custom.push({ label, value });
  }
}
