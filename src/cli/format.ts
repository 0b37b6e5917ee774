import { costOf, type GroupCostReport, type RunReport } from "../report/run-report.js";
import type { GroupEstimate } from "../runner/estimate.js";
import type { GroupSummary, RunInfo } from "../store/records.js";

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
    "score",
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
    g.meanScore === null ? "-" : `${(g.meanScore * 100).toFixed(1)}% (${g.scored})`,
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
  lines.push(...table([header, ...rows]));
  if (groups.some((g) => g.usage.unknownUsage > 0)) {
    lines.push("", "* some responses carried no usage: their token counts are unknown and not included above.");
  }
  return lines.join("\n");
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

/** A cost, "unknown" when calls could not be priced (never 0), "+?" when only some could. */
function money(cost: GroupCostReport | undefined, field: "total" | "perCorrect"): string {
  const value = cost?.[field];
  if (!cost || value === null || value === undefined) return cost && cost.unpricedCalls > 0 ? "unknown" : "-";
  const partial = field === "total" && cost.unpricedCalls > 0 ? "+?" : "";
  return `${value > 0 && value < 0.01 ? value.toPrecision(3) : value.toFixed(4)}${partial}`;
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
  const c = (v: number | null) => (v === null ? "?" : v > 0 && v < 0.01 ? v.toPrecision(3) : v.toFixed(4));
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
