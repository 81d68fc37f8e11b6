// The one escaping helper of the HTML report. Every string that reaches the page goes through `html`, which
// escapes it for both text and double-quoted attribute contexts; only markup built by this folder's own code
// is `SafeHtml`. Strings from the traffic are hostile by assumption (a capture can carry any bytes in a Host
// header), so nothing here trusts them, and they are never placed in style, URL or event attributes.

/** Longest string the template tag interpolates; longer ones are clipped so a report stays bounded. */
export const MAX_INTERPOLATED = 4096;

/** Markup that this folder built and vouches for: its text parts were escaped when it was made. */
export class SafeHtml {
  /** The markup. */
  readonly html: string;
  /** Wraps markup; only this module and `svgPathData` create instances from strings. */
  constructor(markup: string) {
    this.html = markup;
  }
  /** The markup, so a `SafeHtml` concatenates naturally into the final document. */
  toString(): string {
    return this.html;
  }
}

/** What `html` accepts between its literal parts: strings (escaped), markup, lists, and nothing. */
export type HtmlValue = string | SafeHtml | readonly HtmlValue[] | null | undefined | false;

/** The five characters that can end a text run or a quoted attribute value (HTML Living Standard §13.1). */
const SPECIAL: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Control characters the HTML parser reports as errors (C0 except tab/LF/CR, DEL, C1) and lone UTF-16
 * surrogates, which cannot be encoded as UTF-8; both become U+FFFD so the file stays valid.
 */
const UNWANTED =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `value` escaped for HTML text and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(UNWANTED, "\ufffd").replace(/[&<>"']/g, (c) => SPECIAL[c]);
}

/** `value` cut to `max` characters (never inside a surrogate pair) with an ellipsis when it was longer. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** Appends one interpolated value to `out`, escaping strings. */
function append(out: string[], value: HtmlValue): void {
  if (value === null || value === undefined || value === false) return;
  if (value instanceof SafeHtml) out.push(value.html);
  else if (Array.isArray(value)) for (const v of value) append(out, v);
  // Types admit only strings here, but a report read back from JSON may hold anything: text it is.
  else out.push(escapeHtml(clip(String(value), MAX_INTERPOLATED)));
}

/**
 * Template tag building markup: literal parts are kept, every interpolated string is clipped and escaped.
 * Numbers are not accepted: callers format them first (format.ts), so no raw number reaches the page.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const out: string[] = [strings[0]];
  for (let i = 0; i < values.length; i++) {
    append(out, values[i]);
    out.push(strings[i + 1]);
  }
  return new SafeHtml(out.join(""));
}

/** SVG path data as drawn by d3-geo: only commands, digits, signs, dots, commas and spaces pass. */
const PATH_DATA = /^[MLZAHVCQmlzahvcq0-9.,eE\s+-]*$/;

/** Path data built by our projection code, checked to hold no markup before it is trusted. */
export function svgPathData(d: string): SafeHtml {
  return new SafeHtml(PATH_DATA.test(d) ? d : "");
}

/**
 * Our own stylesheet for the `<style>` element, which is raw text: entities are not decoded there, so it is
 * written as is, and refused if it holds `<` (the only way out of a raw text element is `</style`).
 */
export function styleText(css: string): SafeHtml {
  if (css.includes("<")) throw new Error("phonehome: report stylesheet must not contain '<'");
  return new SafeHtml(css);
}
