// `phonehome profile init [FILE]` writes a commented template; `phonehome profile check FILE` validates one.

import { existsSync, writeFileSync } from "node:fs";
import { loadProfile, problemText } from "../detect/profile/profile-load.ts";
import { PROFILE_TEMPLATE } from "../detect/profile/profile-template.ts";
import { needlesFromProfile } from "../detect/variants/needles.ts";
import { UsageError } from "./usage-error.ts";

/** Writes the template to `file`, or returns it for stdout when no file is given. */
export function profileInit(file: string | undefined, force = false): string | undefined {
  if (!file) return PROFILE_TEMPLATE;
  if (existsSync(file) && !force) throw new UsageError(`${file} exists (use --force to overwrite)`);
  writeFileSync(file, PROFILE_TEMPLATE);
  return undefined;
}

/**
 * Validates a profile; returns a summary line then one line per warning (loadProfile throws ProfileError with
 * a line per problem when the profile is invalid).
 */
export function profileCheck(file: string): string[] {
  const p = loadProfile(file);
  const needles = needlesFromProfile(p);
  const kinds = [...new Set(needles.map((n) => n.kind))];
  const summary = `${file}: ok — ${p.device ?? "unnamed device"}, ${needles.length} needles (${kinds.join(", ")})`;
  return [summary, ...p.warnings.map((w) => `warning: ${problemText(file, w)}`)];
}
