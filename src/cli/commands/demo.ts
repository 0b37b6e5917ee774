import { basename, dirname, resolve } from "node:path";
import { PACKAGE_ROOT } from "../../core/package-root.js";
import { PROVIDER_PRESETS } from "../../providers/presets.js";
import { displayPath } from "../../tasks/data-source.js";
import { storePath } from "../store-path.js";
import { compareCommand } from "./compare.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";

const DEMO_CONFIG = resolve(PACKAGE_ROOT, "examples/demo.yaml");
const LOCAL = "stories260K-local";
const RECORDED = "gpt-4-recorded";

export interface DemoFlags {
  db?: string;
  html?: string;
  limit?: number;
}

/**
 * `arbiter demo`: the whole product offline in under a minute. A local model and replayed GPT-4 answers on the same
 * IFEval prompts, scored by the IFEval checker with intervals, priced where a price exists, compared pair by pair,
 * written to a self-contained HTML report; then where to go next.
 */
export async function demoCommand(flags: DemoFlags): Promise<void> {
  const db = storePath(flags.db);
  const runId = await runCommand(DEMO_CONFIG, {
    cache: true,
    db,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
  });
  if (runId === undefined || (process.exitCode ?? 0) !== 0) return;

  process.stdout.write(`\nDoes ${RECORDED} beat ${LOCAL}? A paired test on the same prompts:\n\n`);
  await compareCommand(RECORDED, LOCAL, { run: runId, db });

  const html = flags.html ?? resolve(dirname(resolve(db)), "demo-report.html");
  await reportCommand(runId, { html, db });

  const dbFlag = flags.db === undefined && !process.env.ARBITER_DB ? "" : ` --db ${displayPath(resolve(db))}`;
  const self = invokedAs();
  const keys = Object.entries(PROVIDER_PRESETS)
    .filter(([, p]) => p.apiKeyEnv)
    .map(([name, p]) => `${name}: ${p.apiKeyEnv}`);
  const lines = [
    "",
    "Next:",
    `  report     ${html === "-" ? html : displayPath(html)}  (one file, no network: open it in a browser)`,
    `  dashboard  ${self} view${dbFlag}  (leaderboard, Pareto, head-to-head, samples, speed, prices, claims)`,
    `  samples    ${self} show ${runId}${dbFlag} --json`,
    "",
    "Measure real models: put the vendor's key in the environment and name the models, e.g.",
    "  export DEEPSEEK_API_KEY=…  DASHSCOPE_API_KEY=…",
    `  ${self} run -m deepseek/deepseek-chat -m qwen/qwen-max -t ifeval -t gsm8k --limit 100 --dry-run   # cost first`,
    `  ${self} run -m deepseek/deepseek-chat -m qwen/qwen-max -t ifeval -t gsm8k --limit 100`,
    `Key variables: ${keys.join(", ")}.`,
    "Local models: -m llamacpp/path/to/model.gguf (or llamacpp/hf:owner/repo/file.gguf), priced per hour of the",
    'machine with prices: [{provider: llamacpp, model: "*", currency: USD, perHour: 0.35}] in a config.',
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

/** How the user started Arbiter, so that the commands shown can be pasted: `arbiter` when on PATH, else `node …`. */
function invokedAs(): string {
  const script = process.argv[1] ?? "";
  return basename(script) === "arbiter" ? "arbiter" : `node ${displayPath(script)}`;
}
