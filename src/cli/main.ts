#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TOOL_VERSION } from "../core/version.js";
import { exitCodeFor, reportError } from "./errors.js";

// `arbiter runs | head`: the reader left, so there is nobody to tell; stop quietly rather than with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const program = new Command()
  .name("arbiter")
  .description("Settle AI-model claims with measurements: quality, speed and cost on the same work.")
  .version(TOOL_VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

/**
 * A command's action, loaded when that command runs: `arbiter --version` or `arbiter runs` need not compile the
 * runner, the scorers, the dashboard server and the tokenizers first.
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async (...args: unknown[]): Promise<void> => {
    const action = (await load())[name] as (...args: unknown[]) => unknown;
    await action(...args);
  };
}

const dbOption = () => new Option("--db <path>", "SQLite store (default: .arbiter/arbiter.db, or db: in the config)");

program
  .command("demo")
  .description("Offline tour, no key: a local model and replayed GPT-4 answers on IFEval, scored, compared, reported")
  .option("--limit <n>", "prompts (default 270: every recorded one)", positiveInt)
  .option("--html <file>", "where to write the HTML report (default: beside the store, demo-report.html)")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/demo.js"), "demoCommand"));

program
  .command("run")
  .description("Run models × tasks × samples × epochs and record every call")
  .argument("[config]", "config file (YAML)")
  .option("-m, --model <ref...>", "model(s) as provider/model, e.g. deepseek/deepseek-chat (replaces the config's)")
  .option("-t, --task <name...>", "task(s) to run (default: every task in the config)")
  .option("--limit <n>", "first N samples of each task", positiveInt)
  .option("--sample-seed <n>", "with --limit: a seeded random sample of N instead of the first N", integerArg)
  .option("--judge <ref>", "judge model (provider/model) for tasks scored by a judge: MT-Bench, pairwise, llm-rubric")
  .option("--epochs <n>", "times to run each sample", positiveInt)
  .option("--concurrency <n>", "calls in flight per provider", positiveInt)
  .option("--max-errors <n>", "exit 1 when more samples than this fail (default 0)", nonNegativeInt)
  .option("--no-cache", "call the model even when the store already has the answer")
  .option("--resume <run>", "continue an interrupted run with its original settings")
  .option("--retry-errors", "with --resume: try failed samples again")
  .option("--json", "print one JSON document instead of a table")
  .option("--currency <code>", "reporting currency: USD or CNY (default: the config's currency:, else USD)")
  .option("--dry-run", "count tokens and estimate the cost range; make no call")
  .option("--max-cost <amount>", "hard budget, e.g. 0.50USD or 3CNY: no call is sent that could exceed it")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/run.js"), "runCommand"));

program
  .command("runs")
  .description("List runs")
  .option("--json", "JSON output")
  .option("--limit <n>", "how many", positiveInt)
  .addOption(dbOption())
  .action(lazy(() => import("./commands/runs.js"), "runsCommand"));

program
  .command("show")
  .description("Print one run's summary")
  .argument("<run>", "run id")
  .option("--json", "JSON output")
  .option("--currency <code>", "reporting currency: USD or CNY (default: the run's)")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/runs.js"), "showCommand"));

program
  .command("providers")
  .description("List provider presets and their API-key variables")
  .option("--json", "JSON output")
  .action(lazy(() => import("./commands/info.js"), "providersCommand"));

program
  .command("compare")
  .description(
    "Paired comparison of two models on the same samples: difference, CI, p-value per task (adjusted across tasks)",
  )
  .argument("<a>", "model A as labelled in its run, e.g. deepseek/deepseek-chat")
  .argument("<b>", "model B (may be A's name, in another run: see --run-b)")
  .option("--run <run>", "A's run (default: the latest)")
  .option("--run-b <run>", "B's run (default: A's); samples pair by task, sample id and epoch")
  .option("-t, --task <name>", "one task only")
  .option("--margin <delta>", "also test whether B is non-inferior to A by this margin, e.g. 0.02")
  .addOption(
    new Option(
      "--adjust <method>",
      "p-value adjustment across tasks: holm (family-wise error rate) or bh (false discovery rate)",
    )
      .choices(["holm", "bh"])
      .default("holm"),
  )
  .addOption(
    new Option(
      "--epochs-reduce <how>",
      "what a sample's epochs become before pairing: their mean, max or majority vote",
    )
      .choices(["mean", "max", "majority"])
      .default("mean"),
  )
  .option("--json", "JSON output")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/compare.js"), "compareCommand"));

program
  .command("ratings")
  .description(
    "Bradley–Terry ratings (Elo scale, Chatbot Arena's method) with 95% CIs and ranks from pairwise judge verdicts",
  )
  .argument("[runs...]", "run(s) with the pairwise task (default: the latest run)")
  .option("-t, --task <name>", "only this task's judgments (default: every task with win-rate scores)")
  .option("--bootstrap <n>", "bootstrap resamples for the intervals, 0 for none (default 1000)", nonNegativeInt)
  .option("--seed <n>", "bootstrap seed (default 1)", integerArg)
  .option("--prior <n>", "virtual ties added per pair of players, when one side won every battle (default 0)", Number)
  .option("--json", "JSON output")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/ratings.js"), "ratingsCommand"));

program
  .command("claims")
  .description(
    "Check claims (A > B on T, non-inferior, ≈, cost ratios) against a run: supported, contradicted or inconclusive; or list vendors' published claims (--vendor)",
  )
  .argument("[file]", "claims file (YAML), e.g. examples/claims.yaml")
  .option("--run <run>", "the run (default for a claims file: the latest)")
  .option(
    "--vendor [model]",
    "list vendors' published claims (of one model, e.g. deepseek-v3), measured beside with --run",
  )
  .option("--currency <code>", "currency of cost claims' figures: USD or CNY (default: the run's)")
  .option("--json", "JSON output")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/claims.js"), "claimsAction"));

program
  .command("report")
  .description("Write a run's report: self-contained HTML, Markdown for a PR comment, or JUnit XML for CI")
  .argument("<run>", "run id")
  .option("--html <file>", "one HTML file: leaderboard, quality vs cost (Pareto) and head-to-head; no scripts")
  .option("--md <file>", "Markdown (- for stdout)")
  .option("--junit <file>", "JUnit XML: a testsuite per model × task, a testcase per sample")
  .option("--currency <code>", "reporting currency: USD or CNY (default: the run's)")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/report.js"), "reportCommand"));

program
  .command("view")
  .description("Web dashboard over the store: leaderboard, Pareto, head-to-head, samples, speed, prices, claims")
  .option("--port <n>", "port to listen on (default 7357; 0 for any free port)", nonNegativeInt)
  .option("--host <address>", "address to listen on (default 127.0.0.1: this machine only)")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/view.js"), "viewCommand"));

program
  .command("plan")
  .description("Samples a paired comparison needs to detect a difference with 80% power (McNemar, Connor 1987)")
  .requiredOption("--difference <delta>", "the difference to detect, e.g. 0.03 or 3%")
  .option("--accuracy <p>", "expected accuracy around which the two models sit, e.g. 0.7")
  .option("--discordance <p>", "share of samples where exactly one model is right, e.g. 0.15 (better than --accuracy)")
  .option("--power <p>", "default 0.8")
  .option("--alpha <a>", "two-sided, default 0.05")
  .option("--json", "JSON output")
  .action(lazy(() => import("./commands/plan.js"), "planCommand"));

program
  .command("cost")
  .description(
    "Price a finished run again: at another date and time, in another currency, or at another model's prices",
  )
  .argument("<run>", "run id")
  .option("--at <datetime>", "price every call as if made then (UTC), e.g. 2024-05-20 or 2025-02-26T17:00:00Z")
  .option("--currency <code>", "USD or CNY")
  .option("--as <model>", "bill the recorded usage at this model's prices, e.g. deepseek/deepseek-chat")
  .option("--json", "JSON output")
  .addOption(dbOption())
  .action(lazy(() => import("./commands/cost.js"), "costCommand"));

program
  .command("prices")
  .description("Prices in force at a date (default now), or a model's price history with sources")
  .argument("[model]", "API model id or alias, e.g. deepseek-chat")
  .option("--at <date>", "a date or date-time (UTC), e.g. 2025-02-10 or 2025-02-26T17:00:00Z")
  .option("--currency <code>", "only prices listed in USD or CNY")
  .option("--history", "every price the catalog has for the model, oldest first, with sources")
  .option("--json", "JSON output")
  .action(lazy(() => import("./commands/prices.js"), "pricesCommand"));

program
  .command("tasks")
  .description("List the built-in tasks (and a config's own) with their metrics, settings and data")
  .argument("[config]", "config file whose tasks to list too")
  .option("--json", "JSON output")
  .action(lazy(() => import("./commands/tasks.js"), "tasksCommand"));

program
  .command("schema")
  .description("Print the config file's JSON Schema (for editor completion)")
  .action(lazy(() => import("./commands/info.js"), "schemaCommand"));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function integerArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end here too, with code 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    reportError(error);
    process.exitCode = exitCodeFor(error);
  }
}
