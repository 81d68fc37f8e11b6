// The profile as reports show it: device, home country and each value looked for, masked unless revealed.

import { maskValue } from "../detect/mask.ts";
import { PROFILE_STRING_KEYS, type Profile } from "../detect/profile/profile-types.ts";
import type { ReportProfile, ReportProfileValue } from "../report/report-types.ts";

/** Values listed at most (a profile with a whole address book stays readable). */
const MAX_VALUES = 200;

/** The report's profile section. */
export function profileSummary(p: Profile, needles: number, reveal: boolean): ReportProfile {
  const show = (v: string) => (reveal ? v : maskValue(v));
  const values: ReportProfileValue[] = [];
  const add = (kind: ReportProfileValue["kind"], label: string, v: string) => {
    if (values.length < MAX_VALUES) values.push({ kind, label, value_masked: show(v) });
  };
  for (const key of PROFILE_STRING_KEYS) for (const v of p[key]) add(key, key.replace(/_/g, " "), v);
  for (const c of p.contacts) {
    const who = c.name ? `contact ${c.name}` : "contact";
    if (c.name) add("contact_name", "contact name", c.name);
    for (const ph of c.phones) add("contact_phone", `${who} phone`, ph);
    for (const e of c.emails) add("contact_email", `${who} email`, e);
  }
  for (const s of p.sms) {
    if (s.number) add("sms_number", "SMS number", s.number);
    if (s.text) add("sms_text", "SMS text", s.text);
  }
  for (const c of p.custom) add("custom", c.label, c.value);
  for (const l of p.location) add("location", "location", `${l.lat},${l.lon}`);
  const out: ReportProfile = { values, needles };
  if (p.device) out.device = p.device;
  if (p.home_country) out.home_country = p.home_country;
  return out;
}
