import { loadConfigFile } from "../../config/load.js";
import { Budget, parseBudget } from "../../pricing/budget.js";
import type { Catalog } from "../../pricing/catalog.js";
import { callPricer } from "../../pricing/run-costs.js";
import type { Currency } from "../../pricing/schema.js";
import { estimateRun } from "../../runner/estimate.js";
import { specFromConfig } from "../../runner/prepare.js";
import { ResumeError, resumeRun, type SessionResult, startRun } from "../../runner/session.js";
import type { RunSpec } from "../../runner/spec.js";
import { UsageError } from "../errors.js";
import { formatEstimates } from "../format.js";
import { type ProgressDisplay, startProgress } from "../progress.js";
import { catalogFor, printReport, reportFor, reportingCurrency } from "../report.js";
import { openStore } from "../store-path.js";

export interface RunFlags {
  model?: string[];
  task?: string[];
  limit?: number;
  sampleSeed?: number;
  judge?: string;
  epochs?: number;
  concurrency?: number;
  maxErrors?: number;
  cache: boolean;
  resume?: string;
  retryErrors?: boolean;
  json?: boolean;
  db?: string;
  currency?: string;
  dryRun?: boolean;
  maxCost?: string;
}

function budgetFrom(text: string, currency: Currency, catalog: Catalog): Budget {
  const parsed = parseBudget(text, currency);
  if (!parsed) throw new UsageError(`--max-cost "${text}": expected an amount such as 0.50, 0.5USD or 3CNY`);
  return new Budget(parsed.amount, parsed.currency, catalog);
}

/** Runs (or resumes, or estimates) and prints the summary; returns the run's id (none for --dry-run). */
export async function runCommand(configPath: string | undefined, flags: RunFlags): Promise<string | undefined> {
  if (flags.resume) {
    const conflicting = (["model", "task", "limit", "epochs", "sampleSeed", "judge"] as const).filter(
      (k) => flags[k] !== undefined,
    );
    if (configPath || conflicting.length > 0) {
      throw new UsageError(
        `--resume continues a run with its own settings: drop ${[configPath ? "the config file" : "", ...conflicting.map((k) => `--${k}`)].filter(Boolean).join(", ")}`,
      );
    }
  }
  if (flags.retryErrors && !flags.resume) throw new UsageError("--retry-errors only makes sense with --resume RUN");

  const loaded = configPath ? await loadConfigFile(configPath) : null;
  const spec: RunSpec | null = flags.resume
    ? null
    : specFromConfig(loaded, {
        models: flags.model,
        tasks: flags.task,
        limit: flags.limit,
        sampleSeed: flags.sampleSeed,
        judge: flags.judge,
        epochs: flags.epochs,
        concurrency: flags.concurrency,
        maxErrors: flags.maxErrors,
      });

  if (spec?.judge && spec.models.some((m) => m.ref === spec.judge?.ref)) {
    // Self-judging flatters the judge (self-preference bias); allowed, but never silent.
    process.stderr.write(
      `warning: the judge ${spec.judge.label} is also a model under test: its scores of its own answers may be biased\n`,
    );
  }
  const store = await openStore(flags.db, loaded?.config.db);
  if (flags.dryRun) {
    if (!spec) throw new UsageError("--dry-run estimates a new run: it cannot be combined with --resume");
    try {
      const currency = reportingCurrency(flags.currency ?? spec.currency);
      const estimates = await estimateRun(spec, await catalogFor(spec), currency, (m, t) =>
        store.observedOutputTokens(m, t),
      );
      process.stdout.write(
        flags.json ? `${JSON.stringify({ dryRun: true, estimates }, null, 2)}\n` : `${formatEstimates(estimates)}\n`,
      );
    } finally {
      await store.close();
    }
    return undefined;
  }
  const stop = new AbortController();
  const abort = new AbortController();
  let display: ProgressDisplay | null = null;
  const say = (message: string) => (display ? display.note(message) : process.stderr.write(`${message}\n`));
  const onSigint = () => {
    if (!stop.signal.aborted) {
      say("stopping: finishing the calls in flight (Ctrl-C again to abort them)");
      stop.abort();
    } else {
      say("aborting the calls in flight");
      abort.abort();
    }
  };
  process.on("SIGINT", onSigint);
  let result: SessionResult;
  try {
    const catalog = await catalogFor(
      spec ?? ((await store.getRun(flags.resume ?? ""))?.spec as RunSpec | undefined) ?? null,
    );
    const currency = reportingCurrency(flags.currency ?? spec?.currency);
    const budget = flags.maxCost ? budgetFrom(flags.maxCost, currency, catalog) : undefined;
    const options = {
      budget,
      pricer: callPricer(catalog, currency),
      store,
      cache: flags.cache,
      signals: { stop: stop.signal, abort: abort.signal },
      onStart: (runId: string, progress: Parameters<typeof startProgress>[0]) => {
        process.stderr.write(`run ${runId}: ${progress.total} items\n`);
        display = startProgress(progress, currency);
      },
    };
    try {
      result = flags.resume
        ? await resumeRun(flags.resume, { ...options, retryErrors: flags.retryErrors, concurrency: flags.concurrency })
        : await startRun(spec as RunSpec, options);
    } catch (error) {
      if (error instanceof ResumeError) throw new UsageError(error.message);
      throw error;
    } finally {
      (display as ProgressDisplay | null)?.stop();
      display = null;
    }
    const report = await reportFor(store, result.runId, flags.currency);
    if (!report) throw new Error(`run ${result.runId} vanished from the store`);
    printReport(report, flags.json);
    const summary = report.summary;

    const storedSpec = summary.run.spec as RunSpec;
    const maxErrors = flags.maxErrors ?? storedSpec.maxErrors ?? 0;
    const failed = summary.groups.reduce((n, g) => n + Object.values(g.errors).reduce((a, b) => a + (b ?? 0), 0), 0);
    if (budget) {
      process.stderr.write(
        `budget: spent ${Number(budget.spent.toPrecision(6))} of ${budget.limit} ${budget.currency}` +
          (budget.reason
            ? ` — stopped early: ${budget.reason}; continue with  arbiter run --resume ${result.runId} --max-cost AMOUNT\n`
            : "\n"),
      );
    }
    if (budget?.reason) {
      process.exitCode = 0;
    } else if (result.interrupted) {
      process.stderr.write(`interrupted: continue with  arbiter run --resume ${result.runId}\n`);
      process.exitCode = 130;
    } else if (failed > maxErrors) {
      process.stderr.write(`${failed} samples failed (more than --max-errors ${maxErrors})\n`);
      process.exitCode = 1;
    }
    return result.runId;
  } finally {
    process.off("SIGINT", onSigint);
    await store.close();
  }
}
