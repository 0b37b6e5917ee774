import type { Task } from "../core/task.js";

/**
 * Built-in benchmarks by name. The benchmark suite (GSM8K, MMLU, …) registers here; until it lands the registry
 * is empty and tasks come from config files.
 */
const BUILTIN: Record<string, () => Task> = {};

export function builtinTaskNames(): string[] {
  return Object.keys(BUILTIN).sort();
}

export function builtinTask(name: string): Task {
  const make = BUILTIN[name];
  if (!make) throw new Error(`unknown built-in task "${name}"`);
  return make();
}
