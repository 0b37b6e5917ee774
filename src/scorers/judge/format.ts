/**
 * Filling FastChat's judge templates the way FastChat does: Python's `str.format(**fields)` with named fields.
 *
 * Only what the templates use is supported: `{name}` inserts a field, `{{` and `}}` are literal braces. Values are
 * inserted once and never re-read, so an answer containing `{question}` or `}` stays as written. Anything Python would
 * reject (an unknown field, a lone `}`, an unclosed `{`) throws; positional fields, conversions (`!r`), format
 * specs (`:>10`) and attribute or index lookups are not used by any judge prompt and are rejected rather than guessed.
 * Fields the template does not name are ignored, as in Python (FastChat passes `ref_answer_2` to every
 * reference-guided template, including single-turn ones that only use `ref_answer_1`).
 */

export class TemplateFormatError extends Error {
  override name = "TemplateFormatError";
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The template with each `{name}` replaced by `fields[name]`. Throws {@link TemplateFormatError}. */
export function formatTemplate(template: string, fields: Readonly<Record<string, string>>): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    const close = template.indexOf("}", i);
    if (open === -1 && close === -1) {
      out += template.slice(i);
      break;
    }
    if (close !== -1 && (open === -1 || close < open)) {
      if (template[close + 1] !== "}") {
        throw new TemplateFormatError(`single "}" at offset ${close} of the template (write "}}" for a brace)`);
      }
      out += `${template.slice(i, close)}}`;
      i = close + 2;
      continue;
    }
    out += template.slice(i, open);
    if (template[open + 1] === "{") {
      out += "{";
      i = open + 2;
      continue;
    }
    const end = template.indexOf("}", open + 1);
    if (end === -1) throw new TemplateFormatError(`unclosed "{" at offset ${open} of the template`);
    const name = template.slice(open + 1, end);
    if (!FIELD_NAME.test(name)) {
      throw new TemplateFormatError(`unsupported replacement field "{${name}}" in the template: expected {name}`);
    }
    const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (value === undefined) {
      const known = Object.keys(fields);
      throw new TemplateFormatError(
        `the template uses {${name}} but no value was given for it (given: ${known.length > 0 ? known.join(", ") : "none"})`,
      );
    }
    out += value;
    i = end + 1;
  }
  return out;
}

/** The names of the fields a template uses, in order of first use. */
export function templateFieldNames(template: string): string[] {
  const names: string[] = [];
  // Remove escaped braces first so "{{x}}" is not read as a field.
  for (const m of template
    .replaceAll("{{", "")
    .replaceAll("}}", "")
    .matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1] ?? "";
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
