import type { ChatMessage, GenerationSettings, ModelRequest, Sample, Score } from "./types.js";

/** A dataset streams its samples; it is never required to hold them all in memory. */
export type Dataset = () => AsyncIterable<Sample>;

/** Builds the request for one sample: system prompt, few-shot examples, template. Pure. */
export type Solver = (sample: Sample) => { messages: ChatMessage[]; settings?: GenerationSettings };

/** Judges one output against its sample. Pure, except scorers that execute code or call a judge. */
export type Scorer = (output: string, sample: Sample) => Score | Promise<Score>;

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
): ModelRequest {
  const solved = task.solver(sample);
  const settings = Object.assign(
    {},
    definedOnly(defaults),
    definedOnly(task.settings ?? {}),
    definedOnly(solved.settings ?? {}),
    definedOnly(modelSettings),
  );
  return { messages: solved.messages, settings };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
