/**
 * Finding JSON objects in free text, for judges asked to "respond with a JSON object" that wrap it in a code fence,
 * put prose around it, or write it the way the prompt's own example does (`{reason: string, pass: boolean}`).
 *
 * Each `{` is tried as the start of an object: the text up to its matching `}` (braces inside strings do not count)
 * is parsed as JSON, and if that fails, after these repairs: bare keys quoted (`{pass: true}`), single-quoted strings
 * made double-quoted, Python's True/False/None made JSON's, trailing commas dropped, and raw line breaks inside
 * strings escaped. Objects are returned in the order they start; an object nested in another is not returned apart.
 */

/** Top-level JSON objects found in `text`, in order. Never throws. */
export function extractJsonObjects(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  let from = 0;
  for (let start = text.indexOf("{", from); start !== -1; start = text.indexOf("{", from)) {
    const end = matchingBrace(text, start);
    const candidate = end === -1 ? null : text.slice(start, end + 1);
    const value = candidate === null ? undefined : parseLenient(candidate);
    if (value !== undefined && end !== -1) {
      found.push(value);
      from = end + 1;
    } else {
      from = start + 1;
    }
  }
  return found;
}

/** The index of the `}` closing the `{` at `start`, skipping strings in either quote; -1 if it never closes. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      // An apostrophe inside a bare word ("don't") is not a quote.
      if (c === "'" && /[A-Za-z0-9]/.test(text[i - 1] ?? "")) continue;
      quote = c;
    } else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseLenient(candidate: string): Record<string, unknown> | undefined {
  for (const text of [candidate, repair(candidate)]) {
    try {
      const value: unknown = JSON.parse(text);
      if (isObject(value)) return value;
    } catch {
      // Try the next form.
    }
  }
  return undefined;
}

const PYTHON_LITERALS: Record<string, string> = { True: "true", False: "false", None: "null" };
const WORD = /[A-Za-z_$][\w$-]*/y;
const KEY_COLON = /\s*:/y;
const CLOSER_AHEAD = /\s*[}\]]/y;
const SIMPLE_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function stickyMatch(pattern: RegExp, text: string, at: number): string | null {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0] ?? null;
}

/** The candidate rewritten as strict JSON where the repairs described above apply; otherwise unchanged. */
function repair(candidate: string): string {
  let out = "";
  let i = 0;
  while (i < candidate.length) {
    const c = candidate[i] as string;
    if (c === '"' || c === "'") {
      const { json, next } = readString(candidate, i, c);
      out += json;
      i = next;
      continue;
    }
    const word = stickyMatch(WORD, candidate, i);
    if (word !== null) {
      const isKey = stickyMatch(KEY_COLON, candidate, i + word.length) !== null;
      out += isKey ? JSON.stringify(word) : (PYTHON_LITERALS[word] ?? word);
      i += word.length;
      continue;
    }
    if (c === "," && stickyMatch(CLOSER_AHEAD, candidate, i + 1) !== null) {
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The string starting at `start` (quoted by `quote`) as a JSON string literal, and the index after it. */
function readString(text: string, start: number, quote: string): { json: string; next: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\\") {
      const unicode = /^u[0-9a-fA-F]{4}/.exec(text.slice(i + 1, i + 6));
      if (unicode) {
        value += String.fromCharCode(Number.parseInt(unicode[0].slice(1), 16));
        i += 6;
        continue;
      }
      // JSON's one-letter escapes; a backslash before anything else (\", \', \\, \/) stands for that character.
      const next = text[i + 1] ?? "";
      value += SIMPLE_ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    if (c === quote) return { json: JSON.stringify(value), next: i + 1 };
    // Raw line breaks and tabs inside the string are kept as characters; JSON.stringify escapes them.
    value += c;
    i++;
  }
  return { json: JSON.stringify(value), next: i };
}
