// A small HTML tree builder for structural tests of generated reports: tags, attributes, text with character
// references decoded. Written independently of the report's escaper so the tests do not trust it. It
// follows the HTML tokenizer only as far as generated, well-formed markup needs (void elements, `/>` in
// SVG, raw text in <style>/<script>); anything else is a bug the tests should notice.

/** An element or the document. */
export interface HtmlElement {
  /** Lower-case tag name (`#document` for the root). */
  tag: string;
  /** Attributes, names lower-cased, values decoded. */
  attrs: Record<string, string>;
  /** Child elements and text, in order. */
  children: Array<HtmlElement | string>;
  /** Parent element. */
  parent?: HtmlElement;
}

const VOID = new Set([
  "meta",
  "link",
  "br",
  "hr",
  "img",
  "input",
  "area",
  "base",
  "col",
  "embed",
  "source",
  "wbr",
]);
const RAW_TEXT = new Set(["style", "script"]);

/** Decodes character references (named ones the report may use, decimal and hex). */
export function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return String.fromCodePoint(code);
    }
    return named[body.toLowerCase()] ?? m;
  });
}

/** Attributes of a start tag's inside (after the name). */
function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of s.matchAll(re)) attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  return attrs;
}

/** Parses a document into a tree; throws on an end tag that closes nothing open (malformed markup). */
export function parseHtml(src: string): HtmlElement {
  const root: HtmlElement = { tag: "#document", attrs: {}, children: [] };
  let cur = root;
  const re =
    /<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\/([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m.index > last) cur.children.push(decodeEntities(src.slice(last, m.index)));
    last = re.lastIndex;
    if (m[1]) {
      const tag = m[1].toLowerCase();
      let open: HtmlElement | undefined = cur;
      while (open && open.tag !== tag) open = open.parent;
      if (!open?.parent) throw new Error(`unmatched </${tag}> at ${m.index}`);
      cur = open.parent;
    } else if (m[2]) {
      const tag = m[2].toLowerCase();
      const inner = m[3] ?? "";
      const selfClosing = inner.trimEnd().endsWith("/");
      const el: HtmlElement = {
        tag,
        attrs: parseAttrs(selfClosing ? inner.trimEnd().slice(0, -1) : inner),
        children: [],
        parent: cur,
      };
      cur.children.push(el);
      if (RAW_TEXT.has(tag)) {
        const end = src.toLowerCase().indexOf(`</${tag}`, last);
        const stop = end < 0 ? src.length : end;
        el.children.push(src.slice(last, stop));
        re.lastIndex = last = src.indexOf(">", stop) + 1 || src.length;
      } else if (!selfClosing && !VOID.has(tag)) cur = el;
    }
  }
  if (last < src.length) cur.children.push(decodeEntities(src.slice(last)));
  return root;
}

/** Every element below `node` (depth first), optionally only those with a tag. */
export function findAll(node: HtmlElement, tag?: string): HtmlElement[] {
  const out: HtmlElement[] = [];
  const walk = (n: HtmlElement): void => {
    for (const c of n.children) {
      if (typeof c === "string") continue;
      if (!tag || c.tag === tag) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** The element with this id, or throws (a test wants it to exist). */
export function byId(node: HtmlElement, id: string): HtmlElement {
  const el = findAll(node).find((e) => e.attrs.id === id);
  if (!el) throw new Error(`no element with id "${id}"`);
  return el;
}

/** Elements below `node` whose class list has `cls`. */
export function byClass(node: HtmlElement, cls: string, tag?: string): HtmlElement[] {
  return findAll(node, tag).filter((e) => (e.attrs.class ?? "").split(/\s+/).includes(cls));
}

/** Decoded text content of an element (raw text of <style> as is). */
export function textOf(node: HtmlElement): string {
  return node.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}

/** Rows of a table's body. */
export function bodyRows(table: HtmlElement): HtmlElement[] {
  return findAll(table, "tbody").flatMap((b) =>
    b.children.filter((c): c is HtmlElement => typeof c !== "string" && c.tag === "tr"),
  );
}
