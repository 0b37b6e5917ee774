import type { IntervalMethod, MetricEstimate } from "../report/intervals.js";
import { costOf, type GroupCostReport, headlineOf, type RunReport } from "../report/run-report.js";
import type { GroupEstimate } from "../runner/estimate.js";
import type { GroupSummary, RunInfo } from "../store/records.js";
import { groupKey } from "../store/sqlite-writes.js";

/** Renders a run summary as an aligned text table for a terminal. */
export function formatSummary(report: RunReport): string {
  const { run, groups } = report.summary;
  const lines = [
    `run ${run.id}  ${run.status}  ${run.done}${run.totalItems ? `/${run.totalItems}` : ""} items  started ${run.createdAt}${run.endedAt ? `  ended ${run.endedAt}` : ""}`,
    "",
  ];
  const header = [
    "model",
    "task",
    "n",
    "score [95% CI]",
    "errors",
    "calls",
    "cached",
    "tokens in",
    "tokens out",
    "latency p50/p95",
    "TTFT p50",
    "tok/s p50",
    `cost ${report.currency}`,
    "per correct",
  ];
  const rows = groups.map((g) => [
    g.model,
    g.task,
    String(g.n),
    formatEstimate(headlineOf(report, g), g.metrics[0]?.binary ?? true),
    formatErrors(g),
    String(g.calls),
    String(g.cacheHits),
    formatTokens(g.usage.inputTokens, g.usage.unknownUsage),
    formatTokens(g.usage.outputTokens, g.usage.unknownUsage),
    `${ms(g.latencyMs.p50)} / ${ms(g.latencyMs.p95)}`,
    ms(g.ttftMs.p50),
    g.outputTokensPerSecond.p50 === null ? "-" : g.outputTokensPerSecond.p50.toFixed(1),
    money(costOf(report, g), "total"),
    money(costOf(report, g), "perCorrect"),
  ]);
  const judged = groups.some((g) => costOf(report, g)?.judge);
  if (judged) {
    header.push(`judge ${report.currency}`);
    groups.forEach((g, i) => {
      rows[i]?.push(judgeMoney(costOf(report, g)));
    });
  }
  lines.push(...table([header, ...rows]));
  lines.push(...metricLines(report), ...categoryLines(report), ...errorLines(report));
  const methods = new Set(
    [...report.estimates.values()].flatMap((list) => list.map((e) => e.method)).filter((m) => m !== null),
  );
  if (methods.size > 0) lines.push("", `intervals: ${[...methods].map((m) => METHOD_NOTES[m]).join("; ")}`);
  if (groups.some((g) => g.usage.unknownUsage > 0)) {
    lines.push("", "* some responses carried no usage: their token counts are unknown and not included above.");
  }
  return lines.join("\n");
}

const METHOD_NOTES: Record<IntervalMethod, string> = {
  wilson: "Wilson for 0/1 scores",
  t: "Student t for graded scores",
  "cluster-robust:category": "cluster-robust on categories (subjects)",
  "cluster-robust:sample": "cluster-robust on samples (several epochs)",
};

/** A metric's mean with its interval: a percentage for 0/1 scores, the score itself on other scales. */
function formatEstimate(e: MetricEstimate | undefined, binary: boolean): string {
  if (!e || e.mean === null) return "-";
  const f = (v: number) => (binary ? (v * 100).toFixed(1) : v.toFixed(2));
  const unit = binary ? "%" : "";
  const ci = e.ci ? ` [${f(e.ci.lower)}, ${f(e.ci.upper)}]` : "";
  return `${f(e.mean)}${unit}${ci} (${e.n})`;
}

/** Metrics beyond the headline one (GSM8K strict-match, IFEval loose accuracies, unparsed judge verdicts). */
function metricLines(report: RunReport): string[] {
  const out: string[] = [];
  for (const g of report.summary.groups) {
    const estimates = report.estimates.get(groupKey(g.model, g.task)) ?? [];
    estimates.slice(1).forEach((e, i) => {
      const binary = g.metrics[i + 1]?.binary ?? true;
      out.push(`  ${g.model}  ${g.task}  ${e.metric}: ${formatEstimate(e, binary)}`);
    });
  }
  for (const g of report.summary.groups) {
    const cost = costOf(report, g);
    const ci = cost?.perCorrectCI;
    if (!cost || !ci || cost.perCorrect === null || cost.perCorrect === 0) continue;
    const upper = Number.isFinite(ci.upper) ? amount(ci.upper) : "∞";
    out.push(
      `  ${g.model}  ${g.task}  cost per correct: ${amount(cost.perCorrect)} [${amount(ci.lower)}, ${upper}] ${report.currency}`,
    );
  }
  for (const [key, list] of report.passAtK) {
    const g = report.summary.groups.find((x) => groupKey(x.model, x.task) === key);
    if (!g) continue;
    out.push(`  ${g.model}  ${g.task}  ${list.map((p) => `pass@${p.k} ${(p.value * 100).toFixed(1)}%`).join("  ")}`);
  }
  return out.length > 0 ? ["", "other metrics:", ...out] : [];
}

/** Why samples failed: one message per model × task × error class (the rest are in the store and the dashboard). */
function errorLines(report: RunReport): string[] {
  const out = report.errors.map((e) => {
    const message = (e.message ?? "(no message)").replace(/\s+/g, " ");
    const shown = message.length > 240 ? `${message.slice(0, 240)}…` : message;
    return `  ${e.model}  ${e.task}  ${e.errorClass} ×${e.count}: ${shown} (sample ${e.sampleId}${e.count > 1 ? ", first of them" : ""})`;
  });
  return out.length > 0 ? ["", "errors:", ...out] : [];
}

/** Per-category means, when a task has a handful of categories (long lists go to --json and the dashboard). */
function categoryLines(report: RunReport): string[] {
  const byGroup = new Map<string, typeof report.categories>();
  for (const c of report.categories) {
    const headline = report.summary.groups.find((g) => g.model === c.model && g.task === c.task)?.metric;
    if (c.scorer !== headline) continue;
    const key = groupKey(c.model, c.task);
    byGroup.set(key, [...(byGroup.get(key) ?? []), c]);
  }
  const out: string[] = [];
  for (const list of byGroup.values()) {
    const first = list[0];
    if (!first) continue;
    if (list.length > 15) {
      out.push(`  ${first.model}  ${first.task}: ${list.length} categories (see --json or arbiter view)`);
      continue;
    }
    const cells = list.map((c) => `${c.category} ${(c.mean * 100).toFixed(1)}% (${c.scored})`);
    out.push(`  ${first.model}  ${first.task}: ${cells.join(", ")}`);
  }
  return out.length > 0 ? ["", "by category:", ...out] : [];
}

function judgeMoney(cost: GroupCostReport | undefined): string {
  const judge = cost?.judge;
  if (!judge) return "-";
  if (judge.total === null) return judge.unpricedCalls > 0 ? "unknown" : "-";
  const partial = judge.unpricedCalls > 0 ? "+?" : "";
  return `${amount(judge.total)}${partial}`;
}

export function formatRuns(runs: RunInfo[]): string {
  if (runs.length === 0) return "no runs yet";
  const header = ["run", "status", "items", "created", "models", "tasks"];
  const rows = runs.map((r) => {
    const spec = r.spec as { models?: { label: string }[]; tasks?: { name: string }[] };
    return [
      r.id,
      r.status,
      r.totalItems ? `${r.done}/${r.totalItems}` : String(r.done),
      r.createdAt.replace("T", " ").slice(0, 19),
      (spec.models ?? []).map((m) => m.label).join(", "),
      (spec.tasks ?? []).map((t) => t.name).join(", "),
    ];
  });
  return table([header, ...rows]).join("\n");
}

/** An amount of money: four decimals, or three significant digits below a cent. */
function amount(value: number): string {
  return value > 0 && value < 0.01 ? value.toPrecision(3) : value.toFixed(4);
}

/** A cost, "unknown" when calls could not be priced (never 0), "+?" when only some could. */
function money(cost: GroupCostReport | undefined, field: "total" | "perCorrect"): string {
  const value = cost?.[field];
  if (!cost || value === null || value === undefined) return cost && cost.unpricedCalls > 0 ? "unknown" : "-";
  const partial = field === "total" && cost.unpricedCalls > 0 ? "+?" : "";
  return `${amount(value)}${partial}`;
}

function formatErrors(g: GroupSummary): string {
  const entries = Object.entries(g.errors);
  if (entries.length === 0) return "0";
  return entries.map(([cls, n]) => `${n} ${cls}`).join(", ");
}

function formatTokens(n: number | null, unknown: number): string {
  return `${n === null ? "?" : compact(n)}${unknown > 0 ? "*" : ""}`;
}

export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function ms(value: number | null): string {
  if (value === null) return "-";
  return value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${Math.round(value)}ms`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** The dry run's table: tokens and the cost range before any call. */
export function formatEstimates(estimates: GroupEstimate[]): string {
  const c = (v: number | null) => (v === null ? "?" : amount(v));
  const header = [
    "model",
    "task",
    "items",
    "input tokens",
    "tokenizer",
    "output expected",
    "output max",
    "cost min – expected – max",
  ];
  const rows = estimates.map((e) => [
    e.model,
    e.task,
    String(e.items),
    compact(e.inputTokens),
    e.tokenizer,
    e.outputTokensExpected === null ? "? (no earlier run)" : compact(e.outputTokensExpected),
    e.outputTokensMax === null ? "unbounded" : compact(e.outputTokensMax),
    `${c(e.costMin)} – ${c(e.costExpected)} – ${c(e.costMax)} ${e.currency}${e.priceId === null && e.costMin === null ? " (no price)" : ""}`,
  ]);
  return [
    "dry run: no call made. Costs at today's prices, with no cache hits (the dearest case).",
    "",
    ...table([header, ...rows]),
  ].join("\n");
}
