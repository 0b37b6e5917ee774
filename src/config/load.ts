/**
 * Reads `arbiter.yaml`: YAML with source positions, then the zod schema. Every problem is reported as
 * `file:line:column: field: what was expected`, pointing at the offending value (or key) in the file.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "./errors.js";
import { type ArbiterConfig, ConfigSchema, describeValue } from "./schema.js";

export interface LoadedConfig {
  config: ArbiterConfig;
  /** The file as named by the caller (used in messages). */
  file: string;
  /** Absolute directory of the file: task data paths are relative to it. */
  baseDir: string;
}

/** How many problems one error reports. */
const MAX_PROBLEMS = 5;

type PathSegment = string | number;
type Issue = z.core.$ZodIssue;

interface Problem {
  path: PathSegment[];
  message: string;
  /** Point at the key of the last path segment rather than at its value. */
  atKey?: boolean;
}

interface Located {
  text: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Reads and validates a config file. Throws {@link ConfigError} for a missing file, bad YAML or a bad config. */
export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`${path}: file not found`, { file: path });
    if (code === "EISDIR") throw new ConfigError(`${path}: is a directory, expected a YAML file`, { file: path });
    if (code === "EACCES") throw new ConfigError(`${path}: permission denied`, { file: path });
    throw new ConfigError(`${path}: cannot read: ${(error as Error).message}`, { file: path });
  }
  return parseConfig(text, path);
}

/** Parses and validates config text; `file` names it in messages and sets `baseDir`. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const config = parseYaml(ConfigSchema, text, file, "a map with models: and tasks:");
  return { config, file, baseDir: dirname(resolve(file)) };
}

/**
 * Parses YAML text and validates it against `schema` (a config, a task file); every problem is reported as
 * `file:line:column: field: what was expected`. `expected` says what an empty file should have held.
 */
export function parseYaml<S extends z.ZodType>(schema: S, text: string, file: string, expected: string): z.output<S> {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true });

  if (doc.errors.length > 0) {
    const lines = doc.errors.slice(0, MAX_PROBLEMS).map((error) => {
      const pos = error.linePos?.[0];
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      const reason = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
      return { text: `${where}: YAML syntax error: ${reason}`, line: pos?.line, column: pos?.col };
    });
    throw problemsError(file, lines, doc.errors.length);
  }

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ""))) {
    throw new ConfigError(`${file}: the file is empty: expected ${expected}`, { file });
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // e.g. an alias expanding too many times ("billion laughs").
    throw new ConfigError(`${file}: ${(error as Error).message}`, { file });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const root = schema as unknown as Schema;
    const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, [], data, root));
    const located = dedupe(problems.map((p) => locate(p, doc, lineCounter, file)));
    located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw problemsError(file, located, located.length);
  }
  return parsed.data;
}

function problemsError(file: string, problems: Located[], total: number): ConfigError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const lines = shown.map((p) => p.text);
  if (total > shown.length) lines.push(`… and ${total - shown.length} more`);
  const first = shown[0];
  return new ConfigError(lines.join("\n"), {
    file,
    ...(first?.line !== undefined ? { line: first.line } : {}),
    ...(first?.column !== undefined ? { column: first.column } : {}),
    ...(first?.field !== undefined ? { field: first.field } : {}),
  });
}

function dedupe(located: Located[]): Located[] {
  const seen = new Set<string>();
  return located.filter((l) => {
    if (seen.has(l.text)) return false;
    seen.add(l.text);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Issues → problems

/** Zod's own English messages; any other message was written for this schema and is shown as is. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too small|Too big|Unrecognized key)/.test(message);
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  record: "a map",
  map: "a map",
  null: "an empty value",
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? `a ${expected}`;
}

/** A union branch that failed on the value's very type (a string where a map was expected, say). */
function failsAtRoot(issues: Issue[]): boolean {
  return issues.some((i) => i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value"));
}

function problemsOf(issue: Issue, base: PathSegment[], data: unknown, root: Schema): Problem[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  const value = valueAt(data, path);
  const custom = !isDefaultMessage(issue.message);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: unknownKeyMessage(key, path, data, root),
        atKey: true,
      }));
    case "invalid_union": {
      // The branch whose type matched says what is wrong inside the value; the others only say "not a string".
      const matching = issue.errors.filter((branch) => branch.length > 0 && !failsAtRoot(branch));
      if (matching.length === 1 && matching[0]) return matching[0].flatMap((i) => problemsOf(i, path, data, root));
      // Several forms of map (a built-in task with options, a custom task): the one the value nearly is wins.
      const fewest = Math.min(...matching.map((b) => b.length));
      const nearest = matching.filter((b) => b.length === fewest);
      if (matching.length > 1 && nearest.length === 1 && nearest[0]) {
        return nearest[0].flatMap((i) => problemsOf(i, path, data, root));
      }
      if (custom) return [{ path, message: issue.message }];
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        for (const i of branch)
          if (i.path.length === 0 && i.code === "invalid_type") expected.add(typeName(i.expected));
      }
      const what = expected.size > 0 ? [...expected].join(" or ") : "one of the allowed forms";
      return [{ path, message: `expected ${what}, got ${describeValue(value)}` }];
    }
    case "invalid_key": {
      const inner = issue.issues.find((i) => !isDefaultMessage(i.message));
      return [{ path, atKey: true, message: inner?.message ?? `invalid key ${describeValue(path[path.length - 1])}` }];
    }
    case "invalid_element":
      return issue.issues.flatMap((i) => problemsOf(i, path, data, root));
    default:
      return [{ path, message: custom ? issue.message : defaultMessage(issue, value) }];
  }
}

function defaultMessage(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return `required field is missing: expected ${typeName(issue.expected)}`;
      return `expected ${typeName(issue.expected)}, got ${describeValue(value)}`;
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const expected = options.length === 1 ? options[0] : `one of ${options.join(", ")}`;
      return `expected ${expected}, got ${describeValue(value)}`;
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = Number(small ? issue.minimum : issue.maximum);
      const op = small ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
      if (issue.origin === "string") {
        if (small && limit <= 1) return "expected a non-empty string";
        return `expected ${small ? "at least" : "at most"} ${limit} characters`;
      }
      if (issue.origin === "array" || issue.origin === "set") {
        return `expected ${small ? "at least" : "at most"} ${limit} item${limit === 1 ? "" : "s"}, got ${
          Array.isArray(value) ? value.length : describeValue(value)
        }`;
      }
      if (small && limit === 0 && !issue.inclusive) return `expected a positive number, got ${describeValue(value)}`;
      return `expected a number ${op} ${limit}, got ${describeValue(value)}`;
    }
    default:
      return issue.message;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Unknown keys: what was probably meant

function camelCase(key: string): string {
  return key.replace(/[_\-\s]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function normalized(key: string): string {
  return key.toLowerCase().replace(/[_\-\s]/g, "");
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The valid key `key` most likely stands for: its camelCase form, a different spelling of case, or a close typo. */
function closestKey(key: string, valid: string[]): string | undefined {
  const camel = camelCase(key);
  if (valid.includes(camel)) return camel;
  const n = normalized(key);
  const sameLetters = valid.find((v) => normalized(v) === n);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const d = editDistance(n, normalized(v));
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return bestDistance <= Math.min(2, Math.floor(n.length / 3)) ? best : undefined;
}

function unknownKeyMessage(key: string, path: PathSegment[], data: unknown, root: Schema): string {
  const shape = objectShapeAt(path, data, root);
  if (!shape) return `unknown field "${key}"`;
  const valid = Object.keys(shape);
  const suggestion = closestKey(key, valid);
  if (suggestion !== undefined) return `unknown field "${key}": did you mean "${suggestion}"?`;
  // A key one level too high, e.g. `temperature:` next to `ref:` instead of under `settings:`.
  for (const field of valid) {
    const child = shape[field];
    const inner = child ? objectShape(unwrap(child), undefined) : undefined;
    if (!inner) continue;
    const nested = closestKey(key, Object.keys(inner));
    if (nested !== undefined && (nested === key || nested === camelCase(key))) {
      return `unknown field "${key}": did you mean to put "${nested}" under ${field}:?`;
    }
  }
  return `unknown field "${key}": expected one of ${valid.join(", ")}`;
}

// Walking the schema along an issue path, to find which keys an object accepts. Reads zod's definitions.

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  getter?: () => Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  values?: unknown[];
}
type Schema = { _zod: { def: Def } };

function unwrap(schema: Schema): Schema {
  let s = schema;
  for (let depth = 0; depth < 50; depth++) {
    const def = s._zod.def;
    const next =
      def.type === "pipe"
        ? def.in
        : def.type === "lazy"
          ? def.getter?.()
          : def.innerType !== undefined
            ? def.innerType
            : undefined;
    if (next === undefined) return s;
    s = next;
  }
  return s;
}

/** For a union, the option that fits `value` best: same kind, and for maps the most matching keys. */
function choose(schema: Schema, value: unknown): Schema {
  const s = unwrap(schema);
  const options = s._zod.def.options;
  if (s._zod.def.type !== "union" || !options) return s;
  const isMapValue = value !== null && typeof value === "object" && !Array.isArray(value);
  let best = s;
  let bestScore = -1;
  for (const option of options) {
    const o = choose(option, value);
    const type = o._zod.def.type;
    let score = -1;
    if (type === "object" && isMapValue) {
      const shape = o._zod.def.shape ?? {};
      score = 1;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const field = shape[k];
        if (!field) continue;
        score += 1;
        const fieldDef = unwrap(field)._zod.def;
        if (fieldDef.type === "literal" && fieldDef.values?.includes(v)) score += 100;
      }
    } else if ((type === "array" && Array.isArray(value)) || (type === "record" && isMapValue)) {
      score = 1;
    }
    if (score > bestScore) [best, bestScore] = [o, score];
  }
  return best;
}

function objectShape(schema: Schema, value: unknown): Record<string, Schema> | undefined {
  const s = choose(schema, value);
  return s._zod.def.type === "object" ? s._zod.def.shape : undefined;
}

function objectShapeAt(path: PathSegment[], data: unknown, root: Schema): Record<string, Schema> | undefined {
  let schema: Schema | undefined = root;
  let value = data;
  for (const segment of path) {
    const s = choose(schema, value);
    const def = s._zod.def;
    if (def.type === "object") schema = def.shape?.[String(segment)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else schema = undefined;
    if (schema === undefined) return undefined;
    value = valueAt(value, [segment]);
  }
  return objectShape(schema, value);
}

// ---------------------------------------------------------------------------------------------------------------
// Problems → file positions

function formatPath(path: PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

interface Found {
  node?: Node | null;
  key?: Node | null;
}

/** The YAML nodes along `path`, as deep as they exist (a missing key stops at its parent map). */
function findNodes(doc: ReturnType<typeof parseDocument>, path: PathSegment[]): { found: Found; complete: boolean } {
  let found: Found = { node: doc.contents as Node | null };
  for (const segment of path) {
    let node = found.node;
    if (node && isAlias(node)) node = node.resolve(doc) ?? node;
    let next: Found | undefined;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (pair) next = { node: pair.value as Node | null, key: pair.key as Node | null };
    } else if (node && isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item !== undefined) next = { node: item as Node | null };
    }
    if (!next) return { found, complete: false };
    found = next;
  }
  return { found, complete: true };
}

function startOf(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function locate(
  problem: Problem,
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  file: string,
): Located {
  const { found, complete } = findNodes(doc, problem.path);
  let offset: number | undefined;
  if (complete) {
    const node = found.node;
    // A whole block map or list is best shown by its key; a scalar by the value itself.
    const preferKey =
      problem.atKey === true || !node || (isScalar(node) && node.value === null) || (isCollection(node) && !node.flow);
    offset = (preferKey ? startOf(found.key) : undefined) ?? startOf(node) ?? startOf(found.key);
  } else {
    offset = startOf(found.node) ?? startOf(found.key);
  }
  const field = formatPath(problem.path);
  const prefix = field === "" ? "" : `${field}: `;
  if (offset === undefined) return { text: `${file}: ${prefix}${problem.message}`, ...(field ? { field } : {}) };
  const { line, col } = lineCounter.linePos(offset);
  return {
    text: `${file}:${line}:${col}: ${prefix}${problem.message}`,
    line,
    column: col,
    ...(field ? { field } : {}),
  };
}
