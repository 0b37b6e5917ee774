import type { Task } from "../core/task.js";
import { arcChallenge } from "./builtin/arc-challenge.js";
import { cmmlu } from "./builtin/cmmlu.js";
import type { BuiltinTaskDefinition, BuiltinTaskInfo, BuiltinTaskOptions } from "./builtin/definition.js";
import { BuiltinTaskError } from "./builtin/definition.js";
import { gsm8k } from "./builtin/gsm8k.js";
import { humaneval } from "./builtin/humaneval.js";
import { ifeval } from "./builtin/ifeval.js";
import { math500 } from "./builtin/math500.js";
import { mbpp } from "./builtin/mbpp.js";
import { mmlu } from "./builtin/mmlu.js";
import { mmluPro } from "./builtin/mmlu-pro.js";
import { mtBench } from "./builtin/mt-bench.js";
import { pairwise } from "./builtin/pairwise.js";
import { truthfulqaMc1 } from "./builtin/truthfulqa.js";

/**
 * Built-in benchmarks by name. Each module under builtin/ exports one {@link BuiltinTaskDefinition}; adding a
 * benchmark is one import and one line here.
 */
const BUILTIN: BuiltinTaskDefinition[] = [
  gsm8k,
  math500,
  mmlu,
  mmluPro,
  cmmlu,
  arcChallenge,
  truthfulqaMc1,
  ifeval,
  humaneval,
  mbpp,
  mtBench,
  pairwise,
];

function definition(name: string): BuiltinTaskDefinition {
  const found = BUILTIN.find((d) => d.info.name === name);
  if (!found) {
    const known = builtinTaskNames();
    throw new BuiltinTaskError(
      `unknown built-in task "${name}"${known.length > 0 ? `; built-in tasks: ${known.join(", ")}` : ""}`,
    );
  }
  return found;
}

export function builtinTaskNames(): string[] {
  return BUILTIN.map((d) => d.info.name).sort();
}

export function builtinTaskInfos(): BuiltinTaskInfo[] {
  return [...BUILTIN].sort((a, b) => a.info.name.localeCompare(b.info.name)).map((d) => d.info);
}

export function builtinTask(name: string, options: BuiltinTaskOptions = {}): Task {
  const def = definition(name);
  if (options.variant !== undefined && !(def.info.variants ?? []).includes(options.variant)) {
    const variants = def.info.variants ?? [];
    throw new BuiltinTaskError(
      `${name}: unknown variant "${options.variant}"; ${variants.length > 0 ? `variants: ${variants.join(", ")}` : "it has no variants"}`,
    );
  }
  return def.create(options);
}
