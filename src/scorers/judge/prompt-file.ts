/**
 * Reading a FastChat `judge_prompts.jsonl`: one prompt per line,
 * `{"name", "type": "single"|"pairwise", "system_prompt", "prompt_template", "output_format", …}`.
 * Other fields (description, category) are FastChat's notes and are not needed.
 */
import { dataFileError, describeJsonValue, readRecords } from "../../tasks/data-files.js";
import type { JudgePrompt } from "./prompts.js";

function stringField(record: Record<string, unknown>, field: string, label: string, line: number): string {
  const value = record[field];
  if (typeof value !== "string") {
    throw dataFileError(
      label,
      line,
      `judge prompt field "${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}, expected a string`,
    );
  }
  return value;
}

/** The prompts of a judge_prompts.jsonl by name. Throws a DataFileError naming the file and line. */
export async function readJudgePrompts(file: string, label = file): Promise<Map<string, JudgePrompt>> {
  const prompts = new Map<string, JudgePrompt>();
  const lines = new Map<string, number>();
  for await (const { record, line } of readRecords(file, "jsonl", { label })) {
    const name = stringField(record, "name", label, line);
    const type = stringField(record, "type", label, line);
    if (type !== "single" && type !== "pairwise") {
      throw dataFileError(label, line, `judge prompt "${name}" has type "${type}", expected "single" or "pairwise"`);
    }
    const first = lines.get(name);
    if (first !== undefined) {
      throw dataFileError(label, line, `judge prompt "${name}" is defined twice (first on line ${first})`);
    }
    lines.set(name, line);
    prompts.set(name, {
      name,
      type,
      systemPrompt: stringField(record, "system_prompt", label, line),
      promptTemplate: stringField(record, "prompt_template", label, line),
      outputFormat: stringField(record, "output_format", label, line),
    });
  }
  return prompts;
}
