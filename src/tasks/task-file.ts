/**
 * Task files: one custom task per YAML file, so that a team can keep its tasks beside their data and name them
 * from a config (`tasks: [evals/refunds.yaml]`) or the command line (`--task evals/refunds.yaml`). Paths inside the
 * file (data, JSON Schemas, javascript assertions) are relative to the task file.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { parseYaml } from "../config/load.js";
import { CustomTaskSpec } from "./custom.js";

const TASK_FILE = /\.ya?ml$/i;

/** Whether a task entry names a task file rather than a built-in task. */
export function isTaskFile(entry: string): boolean {
  return TASK_FILE.test(entry);
}

export interface LoadedTaskFile {
  spec: CustomTaskSpec;
  /** Folder of the task file: its relative paths start there. */
  baseDir: string;
}

/** Reads and validates a task file; problems name the file, line and column ({@link ConfigError}). */
export async function loadTaskFile(file: string): Promise<LoadedTaskFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "task file not found"
        : code === "EISDIR"
          ? "is a directory, expected a YAML task file"
          : (error as Error).message;
    throw new ConfigError(`${file}: ${reason}`, { file });
  }
  const spec = parseYaml(CustomTaskSpec, text, file, "a task: name:, data:, prompt: and scorer: or assert:");
  return { spec, baseDir: dirname(resolve(file)) };
}
