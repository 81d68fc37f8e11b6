// Privacy by default for the protocol logs written beside findings: when a profile is given, every plain
// form of its values inside a record line (a URI, a header, a DNS name) is masked as findings are.

import type { Needle } from "./detect-types.ts";
import { maskValue } from "./mask.ts";
import { Matcher } from "./matcher/matcher.ts";

/** Masks the profile's values in serialised record lines. */
export class RecordMasker {
  private readonly matcher: Matcher;

  /** Uses the needles that are the value as written (no encoding or digest step). */
  constructor(needles: readonly Needle[]) {
    this.matcher = new Matcher(needles.filter((n) => n.steps.length === 0 && n.bytes.length >= 4));
  }

  /** The line with every occurrence of a profile value masked (unchanged when none occurs). */
  mask(line: string): string {
    const bytes = Buffer.from(line, "utf8");
    const spans: [number, number][] = [];
    this.matcher.scan(bytes, (_n, start, end) => spans.push([start, end]));
    if (spans.length === 0) return line;
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = "";
    let at = 0;
    for (const [start, end] of spans) {
      if (start < at) continue; // inside a span already masked
      out +=
        bytes.subarray(at, start).toString("utf8") + maskValue(bytes.subarray(start, end).toString("utf8"));
      at = end;
    }
    return out + bytes.subarray(at).toString("utf8");
  }
}
