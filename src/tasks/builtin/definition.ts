import { UserError } from "../../core/errors.js";
import type { Task } from "../../core/task.js";
import type { GenerationSettings } from "../../core/types.js";

/** Options a user may give a built-in benchmark (`tasks: [{builtin: mmlu, subjects: [anatomy]}]` or the CLI). */
export interface BuiltinTaskOptions {
  /** Folder holding the benchmark's files, laid out as in ../shared/datasets/<name>; default: the bundled copy. */
  path?: string;
  /** Keep only these subjects / categories (MMLU subjects, MMLU-Pro categories, MT-Bench categories). */
  subjects?: string[];
  /** A named variant of the prompt format, e.g. gsm8k "cot-8shot" (default) or "zeroshot". */
  variant?: string;
}

/** What `arbiter tasks` shows about a built-in benchmark. */
export interface BuiltinTaskInfo {
  name: string;
  description: string;
  /** Metrics reported, headline first (e.g. ["flexible-extract", "strict-match"]). */
  metrics: string[];
  /** Prompt-format variants; the first is the default. */
  variants?: string[];
  /** Generation settings the task asks for. */
  settings: GenerationSettings;
  /** Number of samples in the full test set. */
  samples: number;
  /** True when the data ships with Arbiter; false when the licence requires loading it from a path. */
  bundled: boolean;
  /** Data licence as the source states it. */
  license: string;
  /** Whether scoring calls a judge model (`--judge`) or runs code in the sandbox. */
  needs?: ("judge" | "sandbox")[];
}

export interface BuiltinTaskDefinition {
  info: BuiltinTaskInfo;
  create(options: BuiltinTaskOptions): Task;
}

/** A user-facing problem with a built-in task's options or data (unknown subject, missing data folder, …). */
export class BuiltinTaskError extends UserError {
  override name = "BuiltinTaskError";
}
