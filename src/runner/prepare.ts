import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import type { LoadedConfig } from "../config/load.js";
import { resolveHeaderEnv } from "../config/schema.js";
import type { Task } from "../core/task.js";
import { parseModelRef } from "../core/types.js";
import { isHubRef } from "../hub/ref.js";
import { hubSnapshot } from "../hub/snapshot.js";
import { resolveProvider } from "../providers/presets.js";
import { connectionFor, createAdapter, createRuntime } from "../providers/registry.js";
import type { ProviderSettings } from "../providers/types.js";
import { buildCustomTask, validateCustomTask } from "../tasks/custom.js";
import { builtinTask, builtinTaskNames } from "../tasks/registry.js";
import { isTaskFile, loadTaskFile } from "../tasks/task-file.js";
import type { ProviderRuntime } from "./execute.js";
import type { RetryPolicy } from "./retry.js";
import type { ModelUnderTest, RunPlan } from "./runner.js";
import {
  type CliOverrides,
  DEFAULT_CONCURRENCY,
  type ModelSpec,
  modelSpecs,
  type RunSpec,
  type TaskSpec,
  taskName,
} from "./spec.js";

/** Providers whose model is a file on this machine: an in-process model, a recordings file to replay. */
const FILE_PROVIDERS: ReadonlySet<string> = new Set(["llamacpp", "replay"]);

/**
 * A model file (in-process model, recordings), made absolute: relative to the working directory on the command
 * line, to the config file's folder in a config, so that a resumed run finds the same file from anywhere.
 */
function localModelRef(ref: string, base: string): string {
  const parsed = parseModelRef(ref);
  // `hf:owner/repo/file.gguf` names a hub file, not a path.
  if (!parsed || !FILE_PROVIDERS.has(parsed.provider) || isAbsolute(parsed.model) || isHubRef(parsed.model)) {
    return ref;
  }
  return `${parsed.provider}/${resolve(base, parsed.model)}`;
}

/** Header names that carry credentials: their values must come from the environment, never the config. */
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

/** Combines a config file (if any) with command-line overrides into the spec a run is executed and stored with. */
export function specFromConfig(loaded: LoadedConfig | null, cli: CliOverrides): RunSpec {
  const config = loaded?.config;
  const where = loaded ? loaded.file : "command line";
  const models = cli.models?.length
    ? cli.models.map((ref) => ({ label: ref, ref: localModelRef(ref, process.cwd()), settings: {} }))
    : modelSpecs(config?.models).map((m) => ({ ...m, ref: localModelRef(m.ref, loaded?.baseDir ?? process.cwd()) }));
  if (models.length === 0) {
    throw new ConfigError(`${where}: no models to run: pass --model provider/model or list models: in the config`);
  }
  for (const m of models) {
    if (!parseModelRef(m.ref)) {
      throw new ConfigError(`${where}: model "${m.ref}" is not of the form provider/model (e.g. openai/gpt-4o)`);
    }
  }
  const labels = new Set<string>();
  for (const m of models) {
    if (labels.has(m.label)) {
      throw new ConfigError(`${where}: model "${m.label}" is listed twice: give one of them a distinct name:`);
    }
    labels.add(m.label);
  }

  for (const [name, provider] of Object.entries(config?.providers ?? {})) {
    for (const [header, value] of Object.entries(provider.headers ?? {})) {
      if (SECRET_HEADER.test(header) && !value.includes("${")) {
        throw new ConfigError(
          `${where}: providers.${name}.headers.${header}: put the secret in an environment variable and write \${VARIABLE} here, so that it is never stored with the run`,
        );
      }
    }
  }

  const configured: TaskSpec[] = (config?.tasks ?? []) as TaskSpec[];
  let tasks: TaskSpec[];
  if (cli.tasks?.length) {
    tasks = cli.tasks.map((name) => {
      const found = configured.find((t) => taskName(t) === name);
      if (found) return found;
      if (builtinTaskNames().includes(name)) return name;
      // A task file named on the command line is relative to the working directory.
      if (isTaskFile(name)) return resolve(name);
      const available = [...configured.map(taskName), ...builtinTaskNames()];
      throw new ConfigError(
        `${where}: unknown task "${name}"${available.length ? `: available tasks are ${available.join(", ")}` : ": the config defines no tasks"}`,
      );
    });
  } else {
    tasks = configured;
  }
  if (tasks.length === 0) {
    throw new ConfigError(`${where}: no tasks to run: pass --task NAME or define tasks: in the config`);
  }

  const spec: RunSpec = {
    configFile: loaded?.file ?? null,
    baseDir: loaded?.baseDir ?? process.cwd(),
    models,
    tasks,
    providers: config?.providers ?? {},
    defaults: config?.settings ?? {},
    epochs: cli.epochs ?? config?.epochs ?? 1,
    concurrency: config?.concurrency ?? DEFAULT_CONCURRENCY,
    maxErrors: cli.maxErrors ?? config?.maxErrors ?? 0,
  };
  const limit = cli.limit ?? config?.limit;
  if (limit !== undefined) spec.limit = limit;
  const sampleSeed = cli.sampleSeed ?? config?.sampleSeed;
  if (sampleSeed !== undefined) spec.sampleSeed = sampleSeed;
  const judge =
    cli.judge !== undefined
      ? { label: cli.judge, ref: cli.judge, settings: {} }
      : modelSpecs(config?.judge === undefined ? [] : [config.judge])[0];
  if (judge !== undefined) {
    if (!parseModelRef(judge.ref)) {
      throw new ConfigError(`${where}: judge "${judge.ref}" is not of the form provider/model (e.g. openai/gpt-4o)`);
    }
    spec.judge = {
      ...judge,
      ref: localModelRef(judge.ref, cli.judge !== undefined ? process.cwd() : (loaded?.baseDir ?? process.cwd())),
    };
  }
  if (config?.currency !== undefined) spec.currency = config.currency;
  if (config?.prices !== undefined) spec.prices = config.prices;
  if (cli.concurrency !== undefined) spec.concurrencyOverride = cli.concurrency;
  return spec;
}

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides of the retry timing (tests shorten it). */
  retry?: Partial<Omit<RetryPolicy, "maxRetries">>;
}

/** The spec's tasks, loaded and checked (each custom task's data file is opened and its first record checked). */
export async function tasksFromSpec(spec: RunSpec): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const t of spec.tasks) {
    if (typeof t === "string" && isTaskFile(t)) {
      const { spec: fileSpec, baseDir } = await loadTaskFile(resolve(spec.baseDir, t));
      await validateCustomTask(fileSpec, baseDir);
      tasks.push(buildCustomTask(fileSpec, baseDir));
    } else if (typeof t === "string") {
      tasks.push(builtinTask(t));
    } else if ("builtin" in t) {
      const { builtin, name, path, ...options } = t;
      // A data folder is relative to the config file, like custom tasks' data files; hf:owner/name is a hub
      // dataset downloaded (once) into the cache.
      const folder =
        path === undefined ? undefined : isHubRef(path) ? await hubSnapshot(path) : resolve(spec.baseDir, path);
      const task = builtinTask(builtin, folder === undefined ? options : { ...options, path: folder });
      tasks.push(name === undefined ? task : { ...task, name });
    } else {
      await validateCustomTask(t, spec.baseDir);
      tasks.push(buildCustomTask(t, spec.baseDir));
    }
  }
  return tasks;
}

/** Turns a spec into a runnable plan: providers resolved and connected, API keys present, tasks loaded and checked. */
export async function planFromSpec(spec: RunSpec, runId: string, options: PrepareOptions = {}): Promise<RunPlan> {
  const env = options.env ?? process.env;
  const runtimes = new Map<string, { settings: ProviderSettings; runtime: ProviderRuntime }>();
  const connect = (m: ModelSpec): ModelUnderTest => {
    const ref = parseModelRef(m.ref);
    if (!ref) throw new ConfigError(`model "${m.ref}" is not of the form provider/model`);
    let entry = runtimes.get(ref.provider);
    if (!entry) {
      const settings = resolveProvider(ref.provider, spec.providers[ref.provider], { concurrency: spec.concurrency });
      if (spec.concurrencyOverride !== undefined) settings.concurrency = spec.concurrencyOverride;
      const connection = connectionFor(settings, env, (headers) => resolveHeaderEnv(headers, env));
      entry = { settings, runtime: createRuntime(settings, createAdapter(settings, connection), options.retry) };
      runtimes.set(ref.provider, entry);
    }
    return {
      label: m.label,
      provider: ref.provider,
      model: ref.model,
      endpoint: entry.settings.baseURL,
      settings: m.settings,
      runtime: entry.runtime,
    };
  };
  const models = spec.models.map(connect);

  const tasks = await tasksFromSpec(spec);
  const judged = tasks.filter((t) => t.needsJudge).map((t) => t.name);
  if (judged.length > 0 && spec.judge === undefined) {
    throw new ConfigError(
      `task${judged.length > 1 ? "s" : ""} ${judged.join(", ")} need${judged.length > 1 ? "" : "s"} a judge model: pass --judge provider/model or set judge: in the config`,
    );
  }
  const plan: RunPlan = { runId, tasks, models, epochs: spec.epochs, defaults: spec.defaults };
  if (spec.judge !== undefined && judged.length > 0) plan.judge = connect(spec.judge);
  if (spec.limit !== undefined) plan.limit = spec.limit;
  if (spec.sampleSeed !== undefined) plan.sampleSeed = spec.sampleSeed;
  return plan;
}
