import type { ChatMessage, GenerationSettings, ModelRequest, Sample, Score } from "./types.js";

/** A dataset streams its samples; it is never required to hold them all in memory. */
export type Dataset = () => AsyncIterable<Sample>;

/** Builds the request for one sample: system prompt, few-shot examples, template. Pure. */
export type Solver = (sample: Sample) => SolvedRequest;

export interface SolvedRequest {
  messages: ChatMessage[];
  settings?: GenerationSettings;
  /**
   * Later user turns of a multi-turn sample (MT-Bench): each is sent after the model's previous answer, in the same
   * conversation. The scorer sees every answer in {@link ScoreContext.turns}.
   */
  followUps?: string[];
}

/**
 * What a scorer may use beyond the output and the sample. A judge model is a separate role: it is priced and
 * recorded apart from the model under test, and it is absent when the run has none (a scorer that needs one
 * throws {@link JudgeMissingError}).
 */
export interface ScoreContext {
  /** Sends one request to the run's judge model and returns its answer text. */
  judge?: (request: ModelRequest) => Promise<string>;
  /** The model's answer to each turn of a multi-turn sample, in order (one entry for a single-turn sample). */
  turns?: string[];
}

/** A scorer that needs nothing but the output and the sample and reports one metric (exact, includes, …). */
export type SimpleScorer = (output: string, sample: Sample) => Score;

export class JudgeMissingError extends Error {
  override name = "JudgeMissingError";
  constructor(task: string) {
    super(`task ${task} needs a judge model: pass --judge provider/model (or set judge: in the config)`);
  }
}

/**
 * Judges one output against its sample. Pure, except scorers that execute code or call a judge.
 * A scorer that reports several metrics (GSM8K strict-match and flexible-extract, IFEval's four accuracies) returns
 * one {@link Score} per metric, each naming its `metric`; the first is the task's headline metric.
 */
export type Scorer = (
  output: string,
  sample: Sample,
  context: ScoreContext,
) => Score | Score[] | Promise<Score | Score[]>;

export interface Task {
  name: string;
  description?: string;
  dataset: Dataset;
  solver: Solver;
  scorer: Scorer;
  /** Name of the scorer, stored beside each score. */
  scorerName: string;
  /** Settings the task asks for (e.g. max_tokens for chain-of-thought); the model's own settings win. */
  settings?: GenerationSettings;
  /** Metric names the scorer reports, headline first (default: just `scorerName`). */
  metrics?: string[];
  /** Whether the scorer calls a judge model (then the run must name one). */
  needsJudge?: boolean;
}

/**
 * The request for one sample. Settings layer from the least to the most specific: run-wide defaults, the task's
 * needs, what the solver adds for this sample, then the model's own settings.
 */
export function buildRequest(
  task: Task,
  sample: Sample,
  defaults: GenerationSettings,
  modelSettings: GenerationSettings,
): PreparedRequest {
  const solved = task.solver(sample);
  const settings = Object.assign(
    {},
    definedOnly(defaults),
    definedOnly(task.settings ?? {}),
    definedOnly(solved.settings ?? {}),
    definedOnly(modelSettings),
  );
  return { messages: solved.messages, settings, followUps: solved.followUps ?? [] };
}

/** The first request of a sample's conversation, and the user turns that follow each answer. */
export interface PreparedRequest extends ModelRequest {
  followUps: string[];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
