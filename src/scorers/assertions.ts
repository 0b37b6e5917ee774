/**
 * Assertions for custom tasks, as promptfoo users know them: a list of checks on each output, each with a weight,
 * combined into a weighted score and a pass/fail verdict.
 *
 * ```yaml
 * assert:
 *   - {type: contains, value: ["Paris", "paris"], mode: any}
 *   - {type: regex, pattern: "^\\w+$", weight: 0.5}
 *   - {type: json, schema: schemas/answer.json}
 *   - {type: javascript, file: checks.mjs, function: politeness}
 *   - {type: llm-rubric, rubric: "Names {{capital}} as the capital, politely"}
 * threshold: 0.75
 * ```
 *
 * Scores: "pass" (headline; 1 when every assertion passes, or — with `threshold` — when the weighted score reaches
 * it) and "score" (Σ weightᵢ·scoreᵢ / Σ weightᵢ, each assertion scoring 0–1). `value` fields are Mustache
 * templates over the data record; without one, an assertion checks against the task's target.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import type { ScoreContext, Scorer } from "../core/task.js";
import type { Sample, Score } from "../core/types.js";
import { checkTemplate, renderTemplate } from "../tasks/template.js";
import { llmRubric } from "./judge/rubric.js";
import { JUDGE_UNPARSED } from "./judge/verdicts.js";
import { choice, compileRegex, exact, numeric, regex, ScorerConfigError, targetsOf } from "./starter.js";

const weight = z.number().min(0).optional().describe("Weight in the weighted score (default 1)");
const value = z
  .union([z.string(), z.array(z.string()).min(1)])
  .optional()
  .describe("Expected value(s), Mustache templates over the record; default: the task's target");

const EqualsAssertion = z.strictObject({
  type: z.literal("equals"),
  value,
  ignoreCase: z.boolean().optional(),
  trim: z.boolean().optional(),
  weight,
});
const ContainsAssertion = z.strictObject({
  type: z.literal("contains"),
  value,
  mode: z.enum(["any", "all"]).optional().describe("any (default): one value suffices; all: every value must appear"),
  ignoreCase: z.boolean().optional().describe("Default true"),
  weight,
});
const RegexAssertion = z.strictObject({
  type: z.literal("regex"),
  pattern: z.string().min(1),
  flags: z.string().optional(),
  weight,
});
const NumericAssertion = z.strictObject({
  type: z.literal("numeric"),
  value,
  tolerance: z.number().min(0).optional(),
  relative: z.boolean().optional(),
  weight,
});
const JsonAssertion = z.strictObject({
  type: z.literal("json"),
  schema: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .optional()
    .describe("A JSON Schema, inline or a file path relative to the task file"),
  weight,
});
const ChoiceAssertion = z.strictObject({ type: z.literal("choice"), weight });
const JavascriptAssertion = z.strictObject({
  type: z.literal("javascript"),
  file: z.string().min(1).describe("An ES module, relative to the task file"),
  function: z.string().min(1).optional().describe('The exported function (default: "default")'),
  weight,
});
const RubricAssertion = z.strictObject({
  type: z.literal("llm-rubric"),
  rubric: z.string().min(1).describe("What a passing output does (Mustache over the record); graded by the judge"),
  threshold: z.number().optional().describe("Lowest passing judge score"),
  weight,
});

export const AssertionSpec = z.discriminatedUnion("type", [
  EqualsAssertion,
  ContainsAssertion,
  RegexAssertion,
  NumericAssertion,
  JsonAssertion,
  ChoiceAssertion,
  JavascriptAssertion,
  RubricAssertion,
]);
export type AssertionSpec = z.output<typeof AssertionSpec>;

export const ASSERTION_TYPES = [
  "equals",
  "contains",
  "regex",
  "numeric",
  "json",
  "choice",
  "javascript",
  "llm-rubric",
] as const;

/** One assertion's verdict on one output. */
interface Verdict {
  pass: boolean;
  /** 0..1 */
  score: number;
  reason?: string;
  /** The judge's answer could not be read: counted as a failure and reported. */
  unparsed?: Score;
}

type Check = (output: string, sample: Sample, context: ScoreContext) => Verdict | Promise<Verdict>;

export interface AssertionOptions {
  /** Folder of the task file: relative `file` and `schema` paths start there. */
  baseDir: string;
  /** The task's name, for messages. */
  task: string;
  /** With it, the sample passes when the weighted score is at least this; without, when every assertion passes. */
  threshold?: number;
}

/** The values a sample's templates see: its data record. */
function viewOf(sample: Sample): Record<string, unknown> {
  return sample.metadata ?? {};
}

/** The expected values of an assertion for a sample: its own `value` templates, or the sample's target(s). */
function expected(values: string | string[] | undefined, sample: Sample): string[] {
  if (values === undefined) return targetsOf(sample);
  const list = Array.isArray(values) ? values : [values];
  return list.map((v) => renderTemplate(v, viewOf(sample)));
}

function withTarget(sample: Sample, target: string[]): Sample {
  return { ...sample, target };
}

function fromScore(s: Score): Verdict {
  return s.explanation === undefined
    ? { pass: s.value >= 1, score: s.value }
    : { pass: s.value >= 1, score: s.value, reason: s.explanation };
}

/** The text inside a Markdown code fence, if the output is one (models wrap JSON in ```json … ```). */
function unfenced(output: string): string {
  const fenced = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(output);
  return fenced?.[1] ?? output.trim();
}

function jsonCheck(spec: z.output<typeof JsonAssertion>, options: AssertionOptions): Check {
  let validate: ValidateFunction | null = null;
  if (spec.schema !== undefined) {
    let schema: unknown = spec.schema;
    if (typeof spec.schema === "string") {
      const file = isAbsolute(spec.schema) ? spec.schema : resolve(options.baseDir, spec.schema);
      try {
        schema = JSON.parse(readFileSync(file, "utf8"));
      } catch (err) {
        throw new ScorerConfigError(
          `json assertion: cannot read the JSON Schema ${spec.schema}: ${(err as Error).message}`,
        );
      }
    }
    try {
      validate = new Ajv({ allErrors: true, strict: false }).compile(schema as object);
    } catch (err) {
      throw new ScorerConfigError(`json assertion: invalid JSON Schema: ${(err as Error).message}`);
    }
  }
  return (output) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(unfenced(output));
    } catch (err) {
      return { pass: false, score: 0, reason: `not JSON: ${(err as Error).message}` };
    }
    if (validate && !validate(parsed)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`).join("; ");
      return { pass: false, score: 0, reason: `JSON does not match the schema: ${problems}` };
    }
    return { pass: true, score: 1 };
  };
}

function containsCheck(spec: z.output<typeof ContainsAssertion>): Check {
  const ignoreCase = spec.ignoreCase ?? true;
  const norm = (t: string) => (ignoreCase ? t.normalize("NFC").toLowerCase() : t.normalize("NFC"));
  return (output, sample) => {
    const wanted = expected(spec.value, sample).filter((v) => v !== "");
    if (wanted.length === 0) return { pass: false, score: 0, reason: "nothing to look for (empty value and target)" };
    const haystack = norm(output);
    const found = wanted.filter((w) => haystack.includes(norm(w)));
    const pass = spec.mode === "all" ? found.length === wanted.length : found.length > 0;
    if (pass) return { pass, score: 1 };
    const missing = wanted.filter((w) => !found.includes(w)).map((w) => JSON.stringify(w));
    return {
      pass,
      score: 0,
      reason: spec.mode === "all" ? `missing ${missing.join(", ")}` : `contains none of ${missing.join(", ")}`,
    };
  };
}

function loadFunction(file: string, name: string, shown: string): Promise<(...args: unknown[]) => unknown> {
  return import(pathToFileURL(file).href).then(
    (module: Record<string, unknown>) => {
      const fn = module[name];
      if (typeof fn !== "function") {
        const exported = Object.keys(module)
          .filter((k) => typeof module[k] === "function")
          .sort();
        throw new ScorerConfigError(
          `javascript assertion: ${shown} exports no function "${name}"${exported.length > 0 ? `; it exports: ${exported.join(", ")}` : ""}`,
        );
      }
      return fn as (...args: unknown[]) => unknown;
    },
    (err: unknown) => {
      if (err instanceof ScorerConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new ScorerConfigError(
        code === "ERR_MODULE_NOT_FOUND"
          ? `javascript assertion: ${shown}: file not found`
          : `javascript assertion: ${shown} does not load: ${(err as Error).message}`,
      );
    },
  );
}

/** Loads every javascript assertion's module and checks its export, so that a typo fails before the run starts. */
export async function checkAssertionModules(specs: AssertionSpec[], baseDir: string): Promise<void> {
  for (const spec of specs) {
    if (spec.type !== "javascript") continue;
    const file = isAbsolute(spec.file) ? spec.file : resolve(baseDir, spec.file);
    await loadFunction(file, spec.function ?? "default", spec.file);
  }
}

/**
 * A user's function: `(output, {sample, vars}) => boolean | number | {pass, score?, reason?}`, possibly async.
 * Loaded once, when first needed; a missing export is reported with the file's name.
 */
function javascriptCheck(spec: z.output<typeof JavascriptAssertion>, options: AssertionOptions): Check {
  const file = isAbsolute(spec.file) ? spec.file : resolve(options.baseDir, spec.file);
  const name = spec.function ?? "default";
  let loaded: Promise<(...args: unknown[]) => unknown> | null = null;
  const load = () => {
    loaded ??= loadFunction(file, name, spec.file);
    return loaded;
  };
  return async (output, sample) => {
    const fn = await load();
    const result = await fn(output, { sample, vars: viewOf(sample) });
    if (typeof result === "boolean") return { pass: result, score: result ? 1 : 0 };
    if (typeof result === "number" && Number.isFinite(result)) {
      return { pass: result >= 1, score: Math.min(1, Math.max(0, result)) };
    }
    if (result && typeof result === "object" && typeof (result as { pass?: unknown }).pass === "boolean") {
      const r = result as { pass: boolean; score?: unknown; reason?: unknown };
      const score = typeof r.score === "number" && Number.isFinite(r.score) ? r.score : r.pass ? 1 : 0;
      return typeof r.reason === "string" ? { pass: r.pass, score, reason: r.reason } : { pass: r.pass, score };
    }
    throw new Error(
      `javascript assertion ${spec.file}#${name} returned ${JSON.stringify(result)}: expected a boolean, a number or {pass, score?, reason?}`,
    );
  };
}

function rubricCheck(spec: z.output<typeof RubricAssertion>, options: AssertionOptions): Check {
  const grade = llmRubric({
    rubric: spec.rubric,
    task: options.task,
    ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
  });
  return async (output, sample, context) => {
    const scored = await grade(output, sample, context);
    const list = Array.isArray(scored) ? scored : [scored];
    const unparsed = list.find((s) => s.metric === JUDGE_UNPARSED);
    if (unparsed) return { pass: false, score: 0, reason: "the judge's grade could not be read", unparsed };
    const pass = list.find((s) => s.metric === "pass");
    const score = list.find((s) => s.metric === "score");
    const verdict: Verdict = { pass: pass?.value === 1, score: Math.min(1, Math.max(0, score?.value ?? 0)) };
    if (pass?.explanation) verdict.reason = pass.explanation;
    return verdict;
  };
}

function buildCheck(spec: AssertionSpec, options: AssertionOptions): Check {
  switch (spec.type) {
    case "equals": {
      const scorer = exact({
        ...(spec.ignoreCase !== undefined ? { ignoreCase: spec.ignoreCase } : {}),
        ...(spec.trim !== undefined ? { trim: spec.trim } : {}),
      });
      return (output, sample) => fromScore(scorer(output, withTarget(sample, expected(spec.value, sample))));
    }
    case "contains":
      return containsCheck(spec);
    case "regex": {
      compileRegex(spec);
      const scorer = regex({ pattern: spec.pattern, ...(spec.flags !== undefined ? { flags: spec.flags } : {}) });
      return (output, sample) => fromScore(scorer(output, sample));
    }
    case "numeric": {
      const scorer = numeric({
        ...(spec.tolerance !== undefined ? { tolerance: spec.tolerance } : {}),
        ...(spec.relative !== undefined ? { relative: spec.relative } : {}),
      });
      return (output, sample) => fromScore(scorer(output, withTarget(sample, expected(spec.value, sample))));
    }
    case "json":
      return jsonCheck(spec, options);
    case "choice": {
      const scorer = choice();
      return (output, sample) => fromScore(scorer(output, sample));
    }
    case "javascript":
      return javascriptCheck(spec, options);
    case "llm-rubric":
      return rubricCheck(spec, options);
  }
}

/** Checks templates in `value` fields up front, so that a typo fails when the task loads. */
function checkValues(spec: AssertionSpec): void {
  if (!("value" in spec) || spec.value === undefined) return;
  for (const v of Array.isArray(spec.value) ? spec.value : [spec.value]) {
    try {
      checkTemplate(v);
    } catch (err) {
      throw new ScorerConfigError(`${spec.type} assertion: value ${(err as Error).message}`);
    }
  }
}

/** Whether any assertion needs the run's judge model. */
export function assertionsNeedJudge(specs: AssertionSpec[]): boolean {
  return specs.some((s) => s.type === "llm-rubric");
}

/**
 * One scorer from a list of assertions. Throws {@link ScorerConfigError} for a bad assertion (a regex that does
 * not compile, an unreadable JSON Schema) when the task is built, not halfway through a run.
 */
export function buildAssertions(specs: AssertionSpec[], options: AssertionOptions): Scorer {
  if (specs.length === 0) throw new ScorerConfigError("assert: list at least one assertion");
  const checks = specs.map((spec, i) => {
    try {
      checkValues(spec);
      return { spec, check: buildCheck(spec, options), weight: spec.weight ?? 1 };
    } catch (err) {
      throw new ScorerConfigError(`assert[${i}] (${spec.type}): ${(err as Error).message}`);
    }
  });
  const totalWeight = checks.reduce((sum, c) => sum + c.weight, 0);
  if (totalWeight <= 0) throw new ScorerConfigError("assert: the weights add up to 0: give at least one a weight > 0");
  return async (output, sample, context) => {
    const verdicts = await Promise.all(checks.map((c) => c.check(output, sample, context)));
    const weighted = verdicts.reduce((sum, v, i) => sum + v.score * (checks[i]?.weight ?? 0), 0) / totalWeight;
    const pass = options.threshold === undefined ? verdicts.every((v) => v.pass) : weighted >= options.threshold;
    const failed = verdicts
      .map((v, i) => (v.pass ? null : `${checks[i]?.spec.type}${v.reason ? `: ${v.reason}` : ""}`))
      .filter((f) => f !== null);
    const explanation = failed.length > 0 ? `failed: ${failed.join(" | ")}` : undefined;
    const scores: Score[] = [
      {
        metric: "pass",
        value: pass ? 1 : 0,
        answer: `${verdicts.filter((v) => v.pass).length}/${verdicts.length} assertions passed`,
        ...(explanation !== undefined ? { explanation } : {}),
      },
      { metric: "score", value: weighted, answer: null },
    ];
    for (const v of verdicts) if (v.unparsed) scores.push(v.unparsed);
    return scores;
  };
}
