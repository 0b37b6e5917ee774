import { randomBytes } from "node:crypto";
import type { ArbiterConfig, ProviderOverride } from "../config/schema.js";
import type { GenerationSettings } from "../core/types.js";
import type { BuiltinTaskOptions } from "../tasks/builtin/definition.js";
import type { CustomTaskSpecInput } from "../tasks/custom.js";

/**
 * Everything a run needs, in plain data: stored with the run so that `--resume` rebuilds exactly the same plan.
 * It holds names of API-key variables, never keys.
 */
export interface RunSpec {
  configFile: string | null;
  baseDir: string;
  models: ModelSpec[];
  tasks: TaskSpec[];
  providers: Record<string, ProviderOverride>;
  defaults: GenerationSettings;
  epochs: number;
  limit?: number;
  /** With `limit`: draw a seeded random sample of that size instead of taking the first ones. */
  sampleSeed?: number;
  /** The judge model for scorers that need one (MT-Bench, pairwise, llm-rubric). */
  judge?: ModelSpec;
  /** Calls in flight per provider unless the provider sets its own. */
  concurrency: number;
  /** --concurrency on the command line: overrides every provider's own setting. */
  concurrencyOverride?: number;
  maxErrors: number;
  /** Reporting currency (config `currency:`); reports default to USD. */
  currency?: string;
  /** The config's own prices, merged over the catalog whenever this run is priced. */
  prices?: unknown[];
}

export interface ModelSpec {
  label: string;
  ref: string;
  settings: GenerationSettings;
}

/** A built-in benchmark with options: `{builtin: mmlu, subjects: [anatomy], name: mmlu-anatomy}`. */
export interface BuiltinTaskSpec extends BuiltinTaskOptions {
  builtin: string;
  /** The task's name in results (default: the benchmark's name). */
  name?: string;
}

/** A custom task from the config, the name of a built-in task, or a built-in task with options. */
export type TaskSpec = CustomTaskSpecInput | BuiltinTaskSpec | string;

export interface CliOverrides {
  models?: string[];
  tasks?: string[];
  limit?: number;
  sampleSeed?: number;
  judge?: string;
  epochs?: number;
  concurrency?: number;
  maxErrors?: number;
}

export const DEFAULT_CONCURRENCY = 8;

export function taskName(spec: TaskSpec): string {
  if (typeof spec === "string") return spec;
  if ("builtin" in spec) return spec.name ?? spec.builtin;
  return spec.name;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

export function modelSpecs(models: ArbiterConfig["models"]): ModelSpec[] {
  return (models ?? []).map((m) =>
    typeof m === "string"
      ? { label: m, ref: m, settings: {} }
      : { label: m.name ?? m.ref, ref: m.ref, settings: m.settings ?? {} },
  );
}
