// Finds where and why a text is not JSON. `JSON.parse` only names a position for some errors (V8's
// "Unexpected token" messages carry none), and the CLI must name the byte offset of the problem, so a
// failed parse is re-scanned here. Iterative, so deep nesting cannot overflow the stack.

/** Position (UTF-16 index into the text) and reason of the first JSON syntax error. */
export interface JsonSyntaxError {
  /** Index of the offending character, or the text's length for an early end. */
  pos: number;
  /** Lower-case reason, e.g. `expected ',' or '}' after property value`. */
  reason: string;
}

const ARRAY = 1;
const OBJECT = 2;
const HEX = /^[0-9A-Fa-f]$/;

/** Scans `text` from `start` as one RFC 8259 JSON text; returns the first error, or undefined when valid. */
export function findJsonError(text: string, start = 0): JsonSyntaxError | undefined {
  const stack: number[] = [];
  let i = start;
  let expectValue = true;
  for (;;) {
    i = skipWs(text, i);
    if (expectValue) {
      const r = text[i] === "{" || text[i] === "[" ? openContainer(text, i, stack) : scanScalar(text, i);
      if (typeof r !== "number") return r;
      // An opened container leaves us expecting its first value; a closed one (or a scalar) does not.
      expectValue = r < 0;
      i = r < 0 ? -r - 1 : r;
      continue;
    }
    if (stack.length === 0) {
      return i < text.length ? { pos: i, reason: "unexpected data after the JSON value" } : undefined;
    }
    const top = stack[stack.length - 1]!;
    const c = text[i];
    if (c === undefined) return { pos: i, reason: "unexpected end of input" };
    if (c === ",") {
      i = skipWs(text, i + 1);
      if (top === OBJECT) {
        const k = scanKey(text, i);
        if (typeof k !== "number") return k;
        i = k;
      }
      expectValue = true;
    } else if ((top === ARRAY && c === "]") || (top === OBJECT && c === "}")) {
      stack.pop();
      i++;
    } else {
      const want = top === OBJECT ? "',' or '}' after property value" : "',' or ']' after array element";
      return { pos: i, reason: `expected ${want}, found ${describe(text, i)}` };
    }
  }
}

/**
 * Opens `{` or `[` at `i`. Returns `-(next + 1)` when a first member must follow (the container was pushed),
 * or the index after an empty `{}` / `[]`.
 */
function openContainer(text: string, i: number, stack: number[]): number | JsonSyntaxError {
  const object = text[i] === "{";
  const j = skipWs(text, i + 1);
  if (text[j] === (object ? "}" : "]")) return j + 1;
  stack.push(object ? OBJECT : ARRAY);
  if (!object) return -j - 1;
  const k = scanKey(text, j);
  return typeof k === "number" ? -k - 1 : k;
}

/** Scans a string, number or literal starting at `i`. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text[i];
  if (c === undefined) return { pos: i, reason: "unexpected end of input" };
  if (c === '"') return scanString(text, i);
  if (c === "-" || (c >= "0" && c <= "9")) return scanNumber(text, i);
  for (const lit of ["true", "false", "null"]) {
    if (c === lit[0]) {
      for (let k = 1; k < lit.length; k++) {
        if (text[i + k] !== lit[k]) return { pos: i + k, reason: `bad literal, expected '${lit}'` };
      }
      return i + lit.length;
    }
  }
  return { pos: i, reason: `unexpected ${describe(text, i)}` };
}

/** Scans `"key"` then `:` and the whitespace after it. */
function scanKey(text: string, i: number): number | JsonSyntaxError {
  if (text[i] !== '"') {
    return { pos: i, reason: `expected a double-quoted property name, found ${describe(text, i)}` };
  }
  const end = scanString(text, i);
  if (typeof end !== "number") return end;
  const j = skipWs(text, end);
  if (text[j] !== ":")
    return { pos: j, reason: `expected ':' after property name, found ${describe(text, j)}` };
  return j + 1;
}

/** RFC 8259 §7: no raw control characters, only the listed escapes, `\u` with four hex digits. */
function scanString(text: string, i: number): number | JsonSyntaxError {
  for (let j = i + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return { pos: j, reason: "bad control character in string" };
    if (code !== 0x5c) continue;
    const e = text[++j];
    if (e === "u") {
      for (let k = 1; k <= 4; k++) {
        if (!HEX.test(text[j + k] ?? "")) return { pos: j + k, reason: "bad unicode escape in string" };
      }
      j += 4;
    } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
      return e === undefined
        ? { pos: j, reason: "unterminated string" }
        : { pos: j, reason: "bad escape in string" };
    }
  }
  return { pos: text.length, reason: "unterminated string" };
}

/** RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
function scanNumber(text: string, i: number): number | JsonSyntaxError {
  let j = i;
  if (text[j] === "-") j++;
  if (!isDigit(text, j)) return { pos: j, reason: "no digit after minus sign" };
  if (text[j] === "0") j++;
  else while (isDigit(text, j)) j++;
  if (text[j] === ".") {
    j++;
    if (!isDigit(text, j)) return { pos: j, reason: "no digit after decimal point" };
    while (isDigit(text, j)) j++;
  }
  if (text[j] === "e" || text[j] === "E") {
    j++;
    if (text[j] === "+" || text[j] === "-") j++;
    if (!isDigit(text, j)) return { pos: j, reason: "exponent without digits" };
    while (isDigit(text, j)) j++;
  }
  return j;
}

function isDigit(text: string, j: number): boolean {
  const c = text.charCodeAt(j);
  return c >= 0x30 && c <= 0x39;
}

/** RFC 8259 §2: only space, tab, line feed and carriage return. */
function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/** A character for a message: printable ones quoted, others as U+XXXX, the end as "end of input". */
function describe(text: string, i: number): string {
  const code = text.codePointAt(i);
  if (code === undefined) return "end of input";
  if (code > 0x20 && code < 0x7f) return `'${String.fromCharCode(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** 1-based line and column (in characters) of `pos`, for messages a person can find in an editor. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k >= 0 && k < pos; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: pos - lineStart + 1 };
}
