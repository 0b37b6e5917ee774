/**
 * Prompt templates: Mustache (https://mustache.github.io/mustache.5.html) with HTML escaping turned off, because
 * prompts are not HTML: `{{x}}` and `{{{x}}}` both insert the value verbatim (`<b>&` stays `<b>&`).
 *
 * - `{{a.b}}` reads a nested field; `{{#list}}…{{.}}…{{/list}}` repeats for each item; `{{^x}}…{{/x}}` renders
 *   when `x` is missing, false or empty.
 * - Strings and numbers are inserted as they are; an object or an array is inserted as JSON (`["Paris","Lyon"]`),
 *   never as `[object Object]` or a bare comma list.
 * - A missing field renders as nothing, as Mustache does; tasks check fields up front with
 *   {@link missingTemplateFields} so a typo is an error, not a silently empty prompt.
 * - Partials (`{{> name}}`) are not supported.
 */

import Mustache from "mustache";
import { UserError } from "../core/errors.js";

export class TemplateError extends UserError {
  override name = "TemplateError";
}

type Token = [string, string, number, number, ...unknown[]];

/** Inserts a value verbatim; objects and arrays as JSON. */
function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

class PlainWriter extends Mustache.Writer {
  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1] ?? "");
    // Mustache's contract: undefined renders as nothing.
    return value == null ? (undefined as unknown as string) : stringify(value);
  }
}

const writer = new PlainWriter();
// One cache of parsed templates, bounded (below), instead of Mustache's own unbounded one keyed per render.
// (@types/mustache leaves the field out; Writer.parse skips caching when it is undefined.)
(writer as unknown as { templateCache: undefined }).templateCache = undefined;
const OPTIONS: Mustache.RenderOptions = { escape: stringify };

/** Parsed and checked templates: a dataset renders the same few templates for every record. */
const parsedTemplates = new Map<string, Token[]>();
const MAX_PARSED_TEMPLATES = 1000;

function tokens(template: string): Token[] {
  const known = parsedTemplates.get(template);
  if (known) return known;
  const list = parseTokens(template);
  if (parsedTemplates.size >= MAX_PARSED_TEMPLATES) parsedTemplates.clear();
  parsedTemplates.set(template, list);
  return list;
}

function parseTokens(template: string): Token[] {
  let parsed: unknown;
  try {
    parsed = writer.parse(template);
  } catch (err) {
    throw new TemplateError(`invalid template: ${err instanceof Error ? err.message : String(err)}`);
  }
  const list = parsed as Token[];
  const partial = findToken(list, (t) => t[0] === ">");
  if (partial) throw new TemplateError(`invalid template: partials ({{> ${partial[1]}}}) are not supported`);
  return list;
}

function findToken(list: Token[], predicate: (t: Token) => boolean): Token | undefined {
  for (const t of list) {
    if (predicate(t)) return t;
    const children = t[4];
    if ((t[0] === "#" || t[0] === "^") && Array.isArray(children)) {
      const found = findToken(children as Token[], predicate);
      if (found) return found;
    }
  }
  return undefined;
}

/** Throws a {@link TemplateError} when the template does not parse (e.g. an unclosed section) or uses a partial. */
export function checkTemplate(template: string): void {
  tokens(template);
}

/** Renders `template` with the fields of `record`, without HTML escaping. Throws {@link TemplateError} if invalid. */
export function renderTemplate(template: string, record: Record<string, unknown>): string {
  const parsed = tokens(template) as unknown as string[][];
  return writer.renderTokens(parsed, new Mustache.Context(record), undefined, template, OPTIONS);
}

/**
 * The distinct top-level record fields the template uses, in order of first use: `{{a.b}}` → `a`; section names
 * (`{{#x}}`, `{{^x}}`) count, names inside a section do not (they may be fields of the section's items).
 */
export function templateFields(template: string): string[] {
  const fields = new Set<string>();
  for (const t of tokens(template)) {
    if (t[0] !== "name" && t[0] !== "&" && t[0] !== "#" && t[0] !== "^") continue;
    const head = t[1].split(".")[0];
    if (head && t[1] !== ".") fields.add(head);
  }
  return [...fields];
}

/**
 * The variables of the template, outside any section, that `record` does not have (full dotted names, e.g.
 * `meta.level`). Sections are conditional, so a missing section field is not reported. A field that is present but
 * null counts as present.
 */
export function missingTemplateFields(template: string, record: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const t of tokens(template)) {
    if (t[0] !== "name" && t[0] !== "&") continue;
    if (t[1] === "." || hasPath(record, t[1])) continue;
    if (!missing.includes(t[1])) missing.push(t[1]);
  }
  return missing;
}

function hasPath(record: Record<string, unknown>, path: string): boolean {
  return walk(record, path) !== ABSENT;
}

const ABSENT = Symbol("absent");

function walk(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return ABSENT;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** If the template is exactly one variable tag (`{{answer}}`, `{{{answer}}}`, `{{& answer}}`), its name. */
export function soleVariable(template: string): string | null {
  const list = tokens(template.trim());
  const only = list.length === 1 ? list[0] : undefined;
  return only && (only[0] === "name" || only[0] === "&") && only[1] !== "." ? only[1] : null;
}

/** Looks up a dotted path the way a template does (own properties only); undefined when absent. */
export function lookupPath(record: Record<string, unknown>, path: string): unknown {
  const value = walk(record, path);
  return value === ABSENT ? undefined : value;
}
