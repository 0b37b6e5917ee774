/**
 * Custom tasks: data (a JSONL, JSON-array, CSV or Parquet file, or a Hugging Face dataset), Mustache prompt
 * templates, and either a starter scorer or a list of weighted assertions (see scorers/assertions.ts).
 *
 * ```yaml
 * name: capitals
 * data: data/capitals.jsonl        # relative to the file that declares the task
 * system: Answer with one word.
 * prompt: "What is the capital of {{country}}?"
 * target: "{{capital}}"
 * scorer: {type: includes}
 * settings: {temperature: 0, maxTokens: 50}
 * ```
 *
 * Each record becomes one {@link Sample}: `input` is the rendered prompt, `target` the rendered target, `metadata`
 * the record itself. The prompt is the user's: choices are never added to it; a template that wants them lists them
 * itself (`{{#choices}}- {{.}}\n{{/choices}}`).
 */

import { z } from "zod";
import { UserError } from "../core/errors.js";
import type { Scorer, Task } from "../core/task.js";
import type { ChatMessage, GenerationSettings, Sample } from "../core/types.js";
import { AssertionSpec, assertionsNeedJudge, buildAssertions, checkAssertionModules } from "../scorers/assertions.js";
import {
  buildScorer,
  choiceLetters,
  lastNumber,
  resolveChoiceTarget,
  ScorerSpec,
  targetsOf,
} from "../scorers/index.js";
import { JUDGE_UNPARSED } from "../scorers/judge/verdicts.js";
import { DATA_FORMATS, DataFileError, dataFileError, describeJsonValue, readRecords } from "./data-files.js";
import { type DataSource, dataSource } from "./data-source.js";
import { checkTemplate, lookupPath, missingTemplateFields, renderTemplate, soleVariable } from "./template.js";

/** Generation settings a task (or a model) asks for. `stop` may be one string; it is normalized to a list. */
export const GenerationSettingsSchema = z.strictObject({
  temperature: z.number().min(0).optional().describe("Sampling temperature"),
  maxTokens: z.number().int().positive().optional().describe("Maximum output tokens"),
  topP: z.number().min(0).max(1).optional().describe("Nucleus sampling probability mass"),
  seed: z.number().int().optional().describe("Sampling seed, where the provider supports one"),
  stop: z
    .union([z.string(), z.array(z.string())])
    .transform((stop) => (typeof stop === "string" ? [stop] : stop))
    .optional()
    .describe("Stop sequence(s)"),
  reasoningEffort: z.enum(["low", "medium", "high"]).optional().describe("Reasoning effort for reasoning models"),
  stream: z.boolean().optional().describe("Stream the answer (needed to measure time to first token)"),
});

// The parsed settings are exactly the core type.
const _settingsMatchCore: (s: z.output<typeof GenerationSettingsSchema>) => GenerationSettings = (s) => s;
void _settingsMatchCore;

function templateIssue(template: string | undefined, path: string, ctx: z.RefinementCtx): void {
  if (template === undefined) return;
  try {
    checkTemplate(template);
  } catch (err) {
    ctx.addIssue({ code: "custom", path: [path], message: err instanceof Error ? err.message : String(err) });
  }
}

export const CustomTaskSpec = z
  .strictObject({
    name: z.string().min(1).describe("Task name"),
    description: z.string().optional().describe("What the task measures"),
    data: z
      .string()
      .min(1)
      .describe(
        "Data file (.jsonl, .ndjson, .json, .csv or .parquet) relative to this file; or hf:owner/name/path/file (a file of a Hugging Face dataset); or hf:owner/name with split: (and subset:)",
      ),
    split: z.string().min(1).optional().describe('With data: hf:owner/name: the split to read (default "test")'),
    subset: z
      .string()
      .min(1)
      .optional()
      .describe("With data: hf:owner/name: the dataset's config (subset), when it has several"),
    format: z.enum(DATA_FORMATS).optional().describe("Data format; inferred from the extension when absent"),
    idField: z
      .string()
      .min(1)
      .optional()
      .describe('Field holding each sample\'s id; default "id" when records have one, else the record number'),
    system: z.string().optional().describe("System prompt (Mustache template over the record's fields)"),
    prompt: z.string().min(1).describe('User prompt (Mustache template), e.g. "What is the capital of {{country}}?"'),
    target: z
      .string()
      .optional()
      .describe('Target (Mustache template), e.g. "{{answer}}"; optional only for the regex scorer'),
    choicesField: z
      .string()
      .min(1)
      .optional()
      .describe("Field holding the options: an array, or a string with a JSON array (CSV)"),
    scorer: ScorerSpec.optional().describe(
      "exact | includes | numeric | choice | regex, or {type: ..., ...options}; or give assert: instead",
    ),
    assert: z
      .array(AssertionSpec)
      .min(1)
      .optional()
      .describe(
        "Assertions on each output: equals, contains, regex, numeric, json, choice, javascript, llm-rubric (each with an optional weight)",
      ),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("With assert: a sample passes when the weighted assertion score reaches this (default: all must pass)"),
    settings: GenerationSettingsSchema.optional().describe("Generation settings the task needs"),
  })
  .superRefine((spec, ctx) => {
    templateIssue(spec.system, "system", ctx);
    templateIssue(spec.prompt, "prompt", ctx);
    templateIssue(spec.target, "target", ctx);
    if ((spec.scorer === undefined) === (spec.assert === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: spec.scorer === undefined ? [] : ["assert"],
        message:
          spec.scorer === undefined
            ? "a task needs either scorer: (e.g. includes) or assert: (a list of assertions)"
            : "give either scorer: or assert:, not both",
      });
      return;
    }
    if (spec.threshold !== undefined && spec.assert === undefined) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "threshold applies to assert: only" });
    }
    if (spec.target !== undefined) return;
    if (spec.scorer !== undefined) {
      const type = typeof spec.scorer === "string" ? spec.scorer : spec.scorer.type;
      if (type !== "regex") {
        ctx.addIssue({
          code: "custom",
          path: ["target"],
          message: `the ${type} scorer needs a target template, e.g. "{{answer}}"`,
        });
      }
      return;
    }
    spec.assert?.forEach((a, i) => {
      if (
        a.type === "choice" ||
        ((a.type === "equals" || a.type === "contains" || a.type === "numeric") && a.value === undefined)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["assert", i],
          message: `this ${a.type} assertion compares with the target: give the task a target template (e.g. "{{answer}}")${a.type === "choice" ? "" : " or the assertion a value"}`,
        });
      }
    });
  });

/** A custom task as parsed (settings.stop normalized to a list). */
export type CustomTaskSpec = z.output<typeof CustomTaskSpec>;
/** A custom task as written in a task file. */
export type CustomTaskSpecInput = z.input<typeof CustomTaskSpec>;

export class CustomTaskError extends UserError {
  override name = "CustomTaskError";
}

function parseSpec(spec: CustomTaskSpecInput): CustomTaskSpec {
  const parsed = CustomTaskSpec.safeParse(spec);
  if (parsed.success) return parsed.data;
  const name = typeof (spec as { name?: unknown }).name === "string" ? ` "${(spec as { name: string }).name}"` : "";
  throw new CustomTaskError(`task${name}: ${z.prettifyError(parsed.error)}`);
}

/** Per-pass state while turning records into samples (ids must be unique within one pass over the file). */
interface SampleState {
  label: string;
  count: number;
  /** The id field in use: spec.idField, "id" when the first record has it, or null (record numbers). */
  idField: string | null | undefined;
  seen: Map<string, number>;
}

function fieldList(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  return keys.length === 0 ? "no fields" : keys.join(", ");
}

function sampleId(spec: CustomTaskSpec, record: Record<string, unknown>, line: number, state: SampleState): string {
  if (state.idField === undefined) state.idField = spec.idField ?? (Object.hasOwn(record, "id") ? "id" : null);
  let id: string;
  if (state.idField === null) {
    id = String(state.count);
  } else {
    const value = record[state.idField];
    if (value === undefined || value === null || value === "") {
      throw dataFileError(
        state.label,
        line,
        `id field "${state.idField}" not found${value === undefined ? "" : " (it is empty)"}; the record has: ${fieldList(record)}`,
      );
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw dataFileError(
        state.label,
        line,
        `id field "${state.idField}" is ${describeJsonValue(value)}, expected a string or a number`,
      );
    }
    id = String(value);
  }
  const first = state.seen.get(id);
  if (first !== undefined) throw dataFileError(state.label, line, `duplicate id "${id}" (first used on line ${first})`);
  state.seen.set(id, line);
  return id;
}

function readChoices(field: string, record: Record<string, unknown>, line: number, label: string): string[] {
  if (!Object.hasOwn(record, field)) {
    throw dataFileError(label, line, `choices field "${field}" not found; the record has: ${fieldList(record)}`);
  }
  let value: unknown = record[field];
  const expected = `expected an array of options or a string holding a JSON array, e.g. ["Paris", "Lyon"]`;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw dataFileError(label, line, `choices field "${field}" is a string that is not a JSON array: ${expected}`);
    }
  }
  if (!Array.isArray(value)) {
    throw dataFileError(label, line, `choices field "${field}" is ${describeJsonValue(value)}: ${expected}`);
  }
  if (value.length === 0 || value.length > 26) {
    throw dataFileError(label, line, `choices field "${field}" has ${value.length} options: expected 1 to 26`);
  }
  return value.map((option, i) => {
    if (typeof option === "string") return option;
    if (typeof option === "number" || typeof option === "boolean") return String(option);
    throw dataFileError(
      label,
      line,
      `choices field "${field}": option ${i + 1} is ${describeJsonValue(option)}, expected a string`,
    );
  });
}

/** The values templates see: the record, with the choices field as a parsed list. */
function viewOf(spec: CustomTaskSpec, record: Record<string, unknown>, choices?: string[]): Record<string, unknown> {
  return spec.choicesField !== undefined && choices !== undefined
    ? { ...record, [spec.choicesField]: choices }
    : record;
}

function renderTarget(template: string, view: Record<string, unknown>): string | string[] {
  // `{{answers}}` naming a list gives a list of acceptable targets.
  const sole = soleVariable(template);
  if (sole !== null) {
    const value = lookupPath(view, sole);
    if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  }
  return renderTemplate(template, view);
}

function toSample(spec: CustomTaskSpec, record: Record<string, unknown>, line: number, state: SampleState): Sample {
  state.count++;
  const id = sampleId(spec, record, line, state);
  const choices =
    spec.choicesField === undefined ? undefined : readChoices(spec.choicesField, record, line, state.label);
  const view = viewOf(spec, record, choices);
  for (const template of [spec.system, spec.prompt, spec.target]) {
    if (template === undefined) continue;
    const missing = missingTemplateFields(template, view)[0];
    if (missing !== undefined) {
      throw dataFileError(
        state.label,
        line,
        `template field "${missing}" not found; the record has: ${fieldList(record)}`,
      );
    }
  }
  const sample: Sample = {
    id,
    input: renderTemplate(spec.prompt, view),
    target: spec.target === undefined ? "" : renderTarget(spec.target, view),
    metadata: record,
  };
  if (choices !== undefined) sample.choices = choices;
  return sample;
}

/** Checks what a scorer needs from a target that the scorer itself cannot check until a run. */
function checkTarget(spec: CustomTaskSpec, sample: Sample, line: number, label: string): void {
  const types = new Set<string>();
  if (spec.scorer !== undefined) types.add(typeof spec.scorer === "string" ? spec.scorer : spec.scorer.type);
  for (const a of spec.assert ?? []) {
    // Assertions with their own value do not read the target.
    if (a.type === "choice" || (a.type === "numeric" && a.value === undefined)) types.add(a.type);
  }
  const targets = targetsOf(sample);
  if (types.has("choice") && !targets.some((t) => resolveChoiceTarget(t, sample.choices) !== null)) {
    const letters = choiceLetters(sample.choices?.length);
    throw dataFileError(
      label,
      line,
      `target ${JSON.stringify(sample.target)} is not a choice letter (${letters[0]}–${letters[letters.length - 1]})${sample.choices ? " or the text of a choice" : ""}: the choice scorer expects a letter, e.g. "B"`,
    );
  }
  if (types.has("numeric") && !targets.some((t) => lastNumber(t) !== null)) {
    throw dataFileError(label, line, `target ${JSON.stringify(sample.target)} has no number for the numeric scorer`);
  }
}

/** How a task's outputs are scored: a starter scorer, or assertions (which report several metrics). */
interface TaskScoring {
  scorerName: string;
  scorer: Scorer;
  /** Metrics the scorer reports, headline first, when it reports more than one. */
  metrics?: string[];
  /** An llm-rubric assertion asks the run's judge. */
  needsJudge?: boolean;
}

interface Built extends TaskScoring {
  spec: CustomTaskSpec;
  source: DataSource;
}

function buildTaskScorer(spec: CustomTaskSpec, baseDir: string): TaskScoring {
  if (spec.assert !== undefined) {
    const scorer = buildAssertions(spec.assert, {
      baseDir,
      task: spec.name,
      ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
    });
    if (!assertionsNeedJudge(spec.assert)) return { scorerName: "pass", scorer, metrics: ["pass", "score"] };
    return { scorerName: "pass", scorer, metrics: ["pass", "score", JUDGE_UNPARSED], needsJudge: true };
  }
  const built = buildScorer(spec.scorer ?? "exact");
  return { scorerName: built.name, scorer: built.scorer };
}

function prepare(input: CustomTaskSpecInput, baseDir: string): Built {
  const spec = parseSpec(input);
  let scoring: TaskScoring;
  try {
    scoring = buildTaskScorer(spec, baseDir);
  } catch (err) {
    throw new CustomTaskError(`task "${spec.name}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const source = dataSource(spec.data, baseDir, {
    ...(spec.split !== undefined ? { split: spec.split } : {}),
    ...(spec.subset !== undefined ? { subset: spec.subset } : {}),
  });
  return { spec, source, ...scoring };
}

function newState(label: string): SampleState {
  return { label, count: 0, idField: undefined, seen: new Map() };
}

/**
 * A task from a spec. Checks the spec and templates now (throws {@link CustomTaskError}); the data file is read
 * only when the dataset is iterated, one record at a time, and a bad record throws {@link DataFileError} naming
 * its file and line. Call {@link validateCustomTask} to check the file up front.
 */
export function buildCustomTask(input: CustomTaskSpecInput, baseDir: string): Task {
  const { spec, source, scorerName, scorer, metrics, needsJudge } = prepare(input, baseDir);
  const system = spec.system !== undefined && spec.system.trim() !== "" ? spec.system : undefined;
  const task: Task = {
    name: spec.name,
    dataset: async function* () {
      // One id space across a split's files: ids must be unique in the whole dataset.
      const state = newState(source.label);
      for (const file of await source.files()) {
        state.label = file.label;
        for await (const { record, line } of readRecords(file.path, spec.format, { label: file.label })) {
          yield toSample(spec, record, line, state);
        }
      }
    },
    solver: (sample) => {
      const messages: ChatMessage[] = [];
      if (system !== undefined) {
        messages.push({
          role: "system",
          content: renderTemplate(system, viewOf(spec, sample.metadata ?? {}, sample.choices)),
        });
      }
      if (typeof sample.input === "string") messages.push({ role: "user", content: sample.input });
      else messages.push(...sample.input);
      return { messages };
    },
    scorer,
    scorerName,
  };
  if (spec.description !== undefined) task.description = spec.description;
  if (spec.settings !== undefined) task.settings = spec.settings;
  if (metrics !== undefined) task.metrics = metrics;
  if (needsJudge) task.needsJudge = true;
  return task;
}

/**
 * Checks a task before a run: the spec, the templates, that the data file opens and parses up to its first record,
 * and that the first record has every field the templates, `idField` and `choicesField` name (and a target the
 * scorer can read). Reads only the first record. Throws {@link CustomTaskError} or {@link DataFileError}.
 */
export async function validateCustomTask(input: CustomTaskSpecInput, baseDir: string): Promise<void> {
  const { spec, source } = prepare(input, baseDir);
  if (spec.assert !== undefined) {
    try {
      await checkAssertionModules(spec.assert, baseDir);
    } catch (err) {
      throw new CustomTaskError(`task "${spec.name}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const first = (await source.files())[0];
  if (first !== undefined) {
    for await (const { record, line } of readRecords(first.path, spec.format, { label: first.label })) {
      const sample = toSample(spec, record, line, newState(first.label));
      checkTarget(spec, sample, line, first.label);
      return;
    }
  }
  throw new DataFileError(`${source.label}: no records found: expected at least one`, source.label);
}
