/**
 * llm-rubric: a judge model grades the output against a rubric written by the task's author, with promptfoo's
 * contract (https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/llm-rubric/): the judge gets
 * promptfoo's grading prompt ({@link rubricMessages}) and answers `{"reason": "...", "pass": true|false,
 * "score": 0..1}`, read by {@link parseRubricVerdict}.
 *
 * The rubric is a Mustache template over the sample's metadata (for a custom task: the data record), so
 * `"Names {{capital}} as the capital"` is checked per sample, as promptfoo fills `{{vars}}` into a rubric.
 *
 * Scores: "pass" (1 or 0; with a threshold, pass requires score ≥ threshold too) and "score" (the judge's score as
 * given, normally 0–1). An answer without a grade gives neither, but a {@link JUDGE_UNPARSED} score.
 */
import { JudgeMissingError, type Scorer } from "../../core/task.js";
import type { Score } from "../../core/types.js";
import { checkTemplate, missingTemplateFields, renderTemplate } from "../../tasks/template.js";
import { ScorerConfigError } from "../starter.js";
import { rubricMessages } from "./prompts.js";
import { JUDGE_UNPARSED, parseRubricVerdict, unparsedScore } from "./verdicts.js";

/** Metrics in the order reported, headline first. */
export const LLM_RUBRIC_METRICS = ["pass", "score", JUDGE_UNPARSED] as const;

export interface LlmRubricOptions {
  /** What a passing output does, e.g. "Is polite and names {{capital}}" (Mustache over the sample's metadata). */
  rubric: string;
  /** Pass only when the judge's score is at least this (promptfoo's `threshold`). */
  threshold?: number;
  /** The task's name, for the error when the run has no judge. */
  task?: string;
}

/** A scorer that asks the run's judge to grade each output against the rubric. Throws ScorerConfigError if invalid. */
export function llmRubric(options: LlmRubricOptions): Scorer {
  const { rubric, threshold } = options;
  if (typeof rubric !== "string" || rubric.trim() === "") {
    throw new ScorerConfigError("llm-rubric needs a rubric: a sentence saying what a passing output does");
  }
  try {
    checkTemplate(rubric);
  } catch (err) {
    throw new ScorerConfigError(`llm-rubric: the rubric ${err instanceof Error ? err.message : String(err)}`);
  }
  if (threshold !== undefined && !Number.isFinite(threshold)) {
    throw new ScorerConfigError(`llm-rubric: threshold must be a number (the lowest passing score), got ${threshold}`);
  }
  const task = options.task ?? "using the llm-rubric scorer";
  return async (output, sample, context) => {
    if (!context.judge) throw new JudgeMissingError(task);
    const view = sample.metadata ?? {};
    const missing = missingTemplateFields(rubric, view);
    if (missing.length > 0) {
      throw new Error(
        `sample ${sample.id}: the rubric uses ${missing.map((f) => `{{${f}}}`).join(", ")}, which the sample does not have`,
      );
    }
    const filled = renderTemplate(rubric, view);
    const judgment = await context.judge({ messages: rubricMessages(output, filled), settings: {} });
    const verdict = parseRubricVerdict(judgment, threshold);
    if (!verdict.ok) return [unparsedScore("rubric grade", verdict.why, judgment)];
    const reason = verdict.reason === "" ? "(the judge gave no reason)" : verdict.reason;
    const bar = threshold === undefined ? "" : ` (score ${verdict.score}, threshold ${threshold})`;
    const scores: Score[] = [
      {
        metric: "pass",
        value: verdict.pass ? 1 : 0,
        answer: verdict.pass ? "pass" : "fail",
        explanation: `${reason}${bar}`,
      },
      { metric: "score", value: verdict.score, answer: String(verdict.score), explanation: reason },
    ];
    return scores;
  };
}
