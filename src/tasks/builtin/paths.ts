import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT } from "../../core/package-root.js";
import { BuiltinTaskError } from "./definition.js";

/** Where the bundled benchmark data lives: data/benchmarks/<name>, each with its licence note. */
export const BUNDLED_BENCHMARKS = join(PACKAGE_ROOT, "data", "benchmarks");

/**
 * The folder holding a benchmark's files: the user's `path` if given, else `$ARBITER_DATASETS/<name>` if that
 * variable is set, else the bundled copy. A benchmark whose licence forbids bundling (CMMLU, AlpacaEval) has no
 * bundled copy, and the error says how to point Arbiter at the data.
 */
export function benchmarkDir(name: string, path?: string): string {
  const candidates: string[] = [];
  if (path !== undefined) {
    const dir = resolve(path);
    if (!existsSync(dir)) throw new BuiltinTaskError(`${name}: data folder ${path} does not exist`);
    return dir;
  }
  const fromEnv = process.env.ARBITER_DATASETS;
  if (fromEnv) candidates.push(join(resolve(fromEnv), name));
  candidates.push(join(BUNDLED_BENCHMARKS, name));
  for (const dir of candidates) if (existsSync(dir)) return dir;
  throw new BuiltinTaskError(
    `${name}: no data found (looked in ${candidates.join(", ")}); give the folder with {builtin: ${name}, path: DIR} ` +
      `or set ARBITER_DATASETS to a folder holding ${name}/`,
  );
}
