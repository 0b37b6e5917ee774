import { TOOL_VERSION } from "../core/version.js";
import type { Budget } from "../pricing/budget.js";
import { closeHttp } from "../providers/http.js";
import type { Store } from "../store/store.js";
import type { StopSignals } from "./execute.js";
import { type PrepareOptions, planFromSpec } from "./prepare.js";
import {
  type CallPricer,
  countItems,
  executeRun,
  newProgress,
  type RunPlan,
  type RunProgress,
  type RunResult,
} from "./runner.js";
import { newRunId, type RunSpec } from "./spec.js";

export interface SessionOptions extends PrepareOptions {
  store: Store;
  cache?: boolean;
  signals?: StopSignals;
  /** Prices each successful call for the live cost on the progress line. */
  pricer?: CallPricer;
  /** A hard spending limit for the calls of this session. */
  budget?: Budget;
  /** Receives the live counters before the first call (the CLI draws its progress bar from them). */
  onStart?: (runId: string, progress: RunProgress) => void;
}

export interface SessionResult extends RunResult {
  runId: string;
}

/** Starts a new run of `spec` and executes it to the end (or until stopped). */
export async function startRun(spec: RunSpec, options: SessionOptions): Promise<SessionResult> {
  const runId = newRunId();
  const plan = await planFromSpec(spec, runId, options);
  const total = await countItems(plan);
  await options.store.createRun({ id: runId, toolVersion: TOOL_VERSION, spec, totalItems: total });
  return execute(runId, plan, total, options, false);
}

/** Continues a stored run with its stored spec: items it already has are neither called nor written again. */
export async function resumeRun(
  runId: string,
  options: SessionOptions & { retryErrors?: boolean; concurrency?: number },
): Promise<SessionResult> {
  const run = await options.store.getRun(runId);
  if (!run) throw new ResumeError(`no run "${runId}" in the store (see: arbiter runs)`);
  const spec = run.spec as RunSpec;
  if (options.concurrency !== undefined) spec.concurrencyOverride = options.concurrency;
  if (options.retryErrors) await options.store.forgetFailedSamples(runId);
  const plan = await planFromSpec(spec, runId, options);
  const total = await countItems(plan);
  await options.store.setRunStatus(runId, "running", total);
  return execute(runId, plan, total, options, true);
}

export class ResumeError extends Error {
  override name = "ResumeError";
}

async function execute(
  runId: string,
  plan: RunPlan,
  total: number,
  options: SessionOptions,
  resume: boolean,
): Promise<SessionResult> {
  const progress = newProgress();
  progress.total = total;
  options.onStart?.(runId, progress);
  const given = options.signals ?? { stop: new AbortController().signal, abort: new AbortController().signal };
  // Running out of budget stops the run the way Ctrl-C does: calls in flight finish, nothing new is sent.
  const signals = options.budget ? { ...given, stop: AbortSignal.any([given.stop, options.budget.signal]) } : given;
  try {
    const result = await executeRun(
      plan,
      {
        store: options.store,
        cache: options.cache ?? true,
        signals,
        resume,
        budget: options.budget,
        pricer: options.pricer,
      },
      progress,
    );
    const budgetStop = options.budget?.signal.aborted && !given.stop.aborted;
    await options.store.setRunStatus(
      runId,
      budgetStop ? "budget_exhausted" : result.interrupted ? "interrupted" : "completed",
    );
    return { runId, ...result };
  } catch (error) {
    await options.store.setRunStatus(runId, "failed").catch(() => undefined);
    throw error;
  } finally {
    await closeHttp();
    const adapters = new Set(plan.models.map((m) => m.runtime.adapter));
    for (const adapter of adapters) await adapter.close?.();
  }
}
