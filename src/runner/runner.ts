import { setMaxListeners } from "node:events";
import { requestHash } from "../core/request-hash.js";
import { buildRequest, type Task } from "../core/task.js";
import type { ErrorClass, GenerationSettings, ModelRequest, Sample, Usage } from "../core/types.js";
import type { Budget } from "../pricing/budget.js";
import type { CachedAnswer, ItemResult } from "../store/records.js";
import type { Store } from "../store/store.js";
import { callWithRetries, type ProviderRuntime, type StopSignals } from "./execute.js";
import { ResultWriter } from "./writer.js";

/** A model under test: how it is labelled in results, where it is served, and its generation settings. */
export interface ModelUnderTest {
  /** `provider/model`, or the alias the config gave it. Unique within a run. */
  label: string;
  provider: string;
  model: string;
  /** Where the provider is served (part of the cache key: the same name may point elsewhere tomorrow). */
  endpoint: string;
  settings: GenerationSettings;
  runtime: ProviderRuntime;
}

export interface RunPlan {
  runId: string;
  tasks: Task[];
  models: ModelUnderTest[];
  epochs: number;
  /** First N samples of each task. */
  limit?: number;
  /** Run-wide default settings; the task's, then the model's, override them. */
  defaults: GenerationSettings;
}

export interface RunnerOptions {
  store: Store;
  /** Serve answers already in the store for the same request; failed attempts are never served. */
  cache: boolean;
  signals: StopSignals;
  /** Prices a successful call for the live cost on the progress line (null when it cannot be priced). */
  pricer?: CallPricer;
  /** A hard spending limit: calls reserve their worst case before they are sent. */
  budget?: Budget;
  /** The run already has results (a resume): skip the items it has. A new run skips the lookup. */
  resume?: boolean;
  /** Items in flight at once across all providers (bounds memory); defaults to the sum of concurrencies + 256. */
  maxInFlight?: number;
}

/** Live counters, updated in place while the run goes on; the CLI polls them for its progress line. */
export interface RunProgress {
  total: number | null;
  done: number;
  alreadyDone: number;
  failed: number;
  cacheHits: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  errorsByClass: Partial<Record<ErrorClass, number>>;
  startedAt: number;
  /** What the calls so far cost in the reporting currency (priced calls only), and how many could not be priced. */
  cost: number;
  unpricedCalls: number;
}

export type CallPricer = (provider: string, model: string, usage: Usage, at: Date) => number | null;

export interface RunResult {
  progress: RunProgress;
  interrupted: boolean;
}

interface WorkItem {
  task: Task;
  sample: Sample;
  epoch: number;
  model: ModelUnderTest;
  itemKey: string;
  request: ModelRequest;
  hash: string;
}

const BATCH = 64;

export function newProgress(): RunProgress {
  return {
    total: null,
    done: 0,
    alreadyDone: 0,
    failed: 0,
    cacheHits: 0,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    errorsByClass: {},
    startedAt: Date.now(),
    cost: 0,
    unpricedCalls: 0,
  };
}

export function itemKey(model: string, task: string, sampleId: string, epoch: number): string {
  return JSON.stringify([model, task, sampleId, epoch]);
}

/** Counts the run's items by streaming each dataset once (nothing is kept). */
export async function countItems(plan: Pick<RunPlan, "tasks" | "models" | "epochs" | "limit">): Promise<number> {
  let total = 0;
  for (const task of plan.tasks) {
    let n = 0;
    for await (const _ of task.dataset()) {
      if (plan.limit !== undefined && n >= plan.limit) break;
      n++;
    }
    total += n * plan.epochs * plan.models.length;
  }
  return total;
}

/**
 * Executes a run: streams models × tasks × samples × epochs, skips what the run already has (resume), serves
 * cached answers, calls providers under their limits, scores, and streams results to the store.
 */
export async function executeRun(plan: RunPlan, options: RunnerOptions, progress = newProgress()): Promise<RunResult> {
  const { store, signals } = options;
  // Every call in flight listens to these two signals; thousands of listeners are expected, not a leak.
  setMaxListeners(0, signals.stop, signals.abort);
  const writer = new ResultWriter(store);
  const maxInFlight = options.maxInFlight ?? plan.models.reduce((n, m) => n + m.runtime.limiter.capacity, 0) + BATCH;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let fatal: unknown = null;

  const settle = () => {
    inFlight--;
    const w = wake;
    wake = null;
    w?.();
  };
  const waitUntil = async (condition: () => boolean) => {
    while (!condition()) await new Promise<void>((resolve) => (wake = resolve));
  };

  const accept = (result: ItemResult | null) => {
    if (!result) return;
    writer.add(result);
    progress.done++;
    progress.calls += result.attempts.length;
    if (result.cachedFrom !== null) progress.cacheHits++;
    if (!result.ok) {
      progress.failed++;
      const cls = result.errorClass ?? "server";
      progress.errorsByClass[cls] = (progress.errorsByClass[cls] ?? 0) + 1;
    }
  };

  const dispatch = (item: WorkItem, cached: CachedAnswer | undefined) => {
    inFlight++;
    const work = cached
      ? fromCache(plan.runId, item, cached)
      : callAndScore(plan.runId, item, signals, progress, options.budget, options.pricer);
    work
      .then(accept)
      .catch((error) => {
        fatal ??= error;
      })
      .finally(settle);
  };

  try {
    for await (const batch of batches(workItems(plan))) {
      if (signals.stop.aborted || fatal) break;
      const done = options.resume
        ? await store.findDone(
            plan.runId,
            batch.map((i) => i.itemKey),
          )
        : new Set<string>();
      progress.alreadyDone += done.size;
      const todo = batch.filter((i) => !done.has(i.itemKey));
      const cached = options.cache ? await store.findCached(todo.map((i) => i.hash)) : new Map<string, CachedAnswer>();
      for (const item of todo) {
        await waitUntil(() => inFlight < maxInFlight || fatal !== null);
        if (signals.stop.aborted || fatal) break;
        dispatch(item, cached.get(item.hash));
      }
    }
  } finally {
    // Whatever stops the loop (a bad record deep in a data file, say), answers already paid for are kept.
    await waitUntil(() => inFlight === 0);
    await writer.flush();
  }
  if (fatal) throw fatal;
  return { progress, interrupted: signals.stop.aborted };
}

async function* workItems(plan: RunPlan): AsyncGenerator<WorkItem> {
  for (const task of plan.tasks) {
    let n = 0;
    for await (const sample of task.dataset()) {
      if (plan.limit !== undefined && n >= plan.limit) break;
      n++;
      for (let epoch = 1; epoch <= plan.epochs; epoch++) {
        for (const model of plan.models) {
          const request = buildRequest(task, sample, plan.defaults, model.settings);
          yield {
            task,
            sample,
            epoch,
            model,
            itemKey: itemKey(model.label, task.name, sample.id, epoch),
            request,
            hash: requestHash({
              provider: model.provider,
              endpoint: model.endpoint,
              model: model.model,
              settings: request.settings,
              messages: request.messages,
              epoch,
            }),
          };
        }
      }
    }
  }
}

async function* batches<T>(source: AsyncIterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function baseResult(
  runId: string,
  item: WorkItem,
): Omit<ItemResult, "attempts" | "ok" | "errorClass" | "errorMessage" | "cachedFrom" | "scores"> {
  return {
    runId,
    itemKey: item.itemKey,
    model: item.model.label,
    task: item.task.name,
    sampleId: item.sample.id,
    epoch: item.epoch,
    messages: item.request.messages,
    target: item.sample.target,
    requestHash: item.hash,
  };
}

async function callAndScore(
  runId: string,
  item: WorkItem,
  signals: StopSignals,
  progress: RunProgress,
  budget: Budget | undefined,
  pricer: CallPricer | undefined,
): Promise<ItemResult | null> {
  const { model } = item;
  const call = await callWithRetries(model.runtime, model.model, item.request, item.hash, signals, budget);
  if (call.interrupted) return null;
  const final = call.final;
  if (final?.ok) {
    progress.inputTokens += final.usage?.inputTokens ?? 0;
    progress.outputTokens += final.usage?.outputTokens ?? 0;
    if (pricer) {
      const cost = final.usage ? pricer(final.provider, final.model, final.usage, new Date(final.startedAt)) : null;
      if (cost === null) progress.unpricedCalls++;
      else progress.cost += cost;
    }
    const scored = await score(item, final.output ?? "");
    return {
      ...baseResult(runId, item),
      attempts: call.attempts,
      ok: true,
      errorClass: null,
      errorMessage: scored.error,
      cachedFrom: null,
      scores: scored.scores,
    };
  }
  return {
    ...baseResult(runId, item),
    attempts: call.attempts,
    ok: false,
    errorClass: call.error?.errorClass ?? "server",
    errorMessage: call.error?.message ?? "no attempt was made",
    cachedFrom: null,
    scores: [],
  };
}

async function fromCache(runId: string, item: WorkItem, cached: CachedAnswer): Promise<ItemResult> {
  const scored = await score(item, cached.output);
  return {
    ...baseResult(runId, item),
    attempts: [],
    ok: true,
    errorClass: null,
    errorMessage: scored.error,
    cachedFrom: cached.attemptId,
    scores: scored.scores,
  };
}

/** A scorer that throws leaves the sample unscored (and says why) rather than failing the run. */
async function score(item: WorkItem, output: string): Promise<{ scores: ItemResult["scores"]; error: string | null }> {
  try {
    const scored = await item.task.scorer(output, item.sample, { turns: [output] });
    const list = Array.isArray(scored) ? scored : [scored];
    return {
      scores: list.map(({ metric, ...s }) => ({ scorer: metric ?? item.task.scorerName, ...s })),
      error: null,
    };
  } catch (error) {
    return { scores: [], error: `scorer ${item.task.scorerName} failed: ${(error as Error).message}` };
  }
}
