/**
 * The IFEval scorer: four scores per prompt.
 *
 * - "prompt-strict" (headline) and "prompt-loose": 1 when every instruction of the prompt is followed, else 0. Their
 *   mean over prompts is IFEval's prompt-level accuracy.
 * - "instruction-strict" and "instruction-loose": the fraction of this prompt's instructions followed. Their mean
 *   over prompts is NOT IFEval's instruction-level accuracy, which pools instructions (followed ÷ total over all
 *   prompts) and so weights a prompt by its number of instructions. Each of these scores carries the counts as its
 *   answer, "followed/total" (e.g. "2/3"), and {@link instructionLevelAccuracy} sums them into the official figure.
 */
import type { Scorer } from "../../core/task.js";
import type { Sample, Score } from "../../core/types.js";
import { buildInstructions, evaluateChecks } from "./evaluate.js";
import { loadLanguageProfiles } from "./langdetect/detector.js";
import { IfevalInstructionError, type InstructionCheck } from "./registry.js";

export const IFEVAL_METRICS = ["prompt-strict", "prompt-loose", "instruction-strict", "instruction-loose"] as const;
export type IfevalMetric = (typeof IFEVAL_METRICS)[number];

/** What the scorer needs from a sample's metadata (IFEval's record fields). */
export interface IfevalSampleMetadata {
  instruction_id_list: string[];
  kwargs: Record<string, unknown>[];
}

/** The instruction ids and kwargs of a sample, or an error naming the sample and the missing field. */
export function ifevalMetadata(sample: Pick<Sample, "id" | "metadata">): IfevalSampleMetadata {
  const meta = (sample.metadata ?? {}) as Record<string, unknown>;
  const ids = meta.instruction_id_list;
  const kwargs = meta.kwargs;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
    throw new IfevalInstructionError(
      `IFEval sample ${sample.id}: metadata.instruction_id_list must be a non-empty list of instruction ids`,
    );
  }
  if (!Array.isArray(kwargs)) {
    throw new IfevalInstructionError(`IFEval sample ${sample.id}: metadata.kwargs must be a list of objects`);
  }
  return { instruction_id_list: ids, kwargs };
}

function summary(ids: readonly string[], followed: readonly boolean[], mode: "strict" | "loose"): string {
  const missed = ids.filter((_, i) => !followed[i]);
  const count = `${mode}: followed ${followed.length - missed.length} of ${followed.length} instructions`;
  return missed.length === 0 ? count : `${count}; not followed: ${missed.join(", ")}`;
}

/** The four scores of one response given its per-instruction results. */
export function ifevalScores(ids: readonly string[], strict: readonly boolean[], loose: readonly boolean[]): Score[] {
  const scores: Score[] = [];
  for (const [mode, results] of [
    ["strict", strict],
    ["loose", loose],
  ] as const) {
    const followed = results.filter(Boolean).length;
    const counts = `${followed}/${results.length}`;
    const explanation = summary(ids, results, mode);
    scores.push(
      { metric: `prompt-${mode}`, value: followed === results.length ? 1 : 0, answer: counts, explanation },
      { metric: `instruction-${mode}`, value: followed / results.length, answer: counts, explanation },
    );
  }
  // Headline first, then the order of IFEVAL_METRICS.
  return IFEVAL_METRICS.map((metric) => scores.find((s) => s.metric === metric) as Score);
}

/**
 * Scores a response against the sample's instructions (metadata.instruction_id_list and metadata.kwargs). Checkers
 * are built once per sample. Throws {@link IfevalInstructionError} for unknown instruction ids or bad arguments.
 */
export function ifevalScorer(): Scorer {
  const built = new WeakMap<object, InstructionCheck[]>();
  return async (output, sample) => {
    await loadLanguageProfiles();
    const meta = ifevalMetadata(sample);
    const key = sample.metadata as object;
    let checks = built.get(key);
    if (checks === undefined) {
      checks = buildInstructions(meta.instruction_id_list, meta.kwargs, `IFEval sample ${sample.id}`);
      built.set(key, checks);
    }
    const { strict, loose } = evaluateChecks(output, checks);
    return ifevalScores(meta.instruction_id_list, strict, loose);
  };
}

/**
 * IFEval's official instruction-level accuracy from the "instruction-strict" (or "-loose") scores of all prompts:
 * the answers' "followed/total" counts summed, followed ÷ total. Answers that are not "k/n" are an error.
 */
export function instructionLevelAccuracy(answers: Iterable<string | null>): {
  followed: number;
  total: number;
  accuracy: number;
} {
  let followed = 0;
  let total = 0;
  for (const answer of answers) {
    const m = /^(\d+)\/(\d+)$/.exec(answer ?? "");
    if (!m) throw new Error(`not an IFEval instruction count: ${JSON.stringify(answer)} (expected "followed/total")`);
    followed += Number(m[1]);
    total += Number(m[2]);
  }
  return { followed, total, accuracy: total === 0 ? Number.NaN : followed / total };
}
