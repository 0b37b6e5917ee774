/**
 * `arbiter report RUN --md FILE`: the run as GitHub-flavoured Markdown for a pull-request comment — the leaderboard,
 * the cost/quality frontier per task and every pair of models head to head. Table cells are escaped so that a
 * model's or task's name can neither break a table nor inject HTML, links, math ($…$) or @-mentions.
 */
import {
  formatDifference,
  formatMoney,
  formatMs,
  formatP,
  formatRate,
  formatScore,
  formatScoreCi,
} from "./formatting.js";
import { intervalNotes } from "./leaderboard.js";
import type { ReportBundle } from "./report-data.js";

/** Escapes text for a Markdown table cell (one line, no table breaks, no markup, no HTML, no mentions). */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/\r?\n|\r/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+!|~$]/g, "\\$&")
    .replace(/@/g, "&#64;");
}

const md = escapeMarkdown;

function table(header: string[], rows: string[][], align: ("l" | "r")[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${align.map((a) => (a === "r" ? "---:" : "---")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

export function renderMarkdownReport(bundle: ReportBundle): string {
  const { run } = bundle.report.summary;
  const currency = bundle.report.currency;
  const lines: string[] = [
    `## Arbiter run \`${run.id.replace(/`/g, "")}\``,
    "",
    `${md(run.status)} · ${run.done}${run.totalItems ? `/${run.totalItems}` : ""} samples · started ${md(run.createdAt)} · costs in ${currency}`,
    "",
    "### Leaderboard",
    "",
    ...table(
      ["model", "task", "n", "score [95% CI]", "errors", `cost ${currency}`, "per correct", "TTFT p50", "tok/s p50"],
      bundle.rows.map((r) => [
        md(r.model),
        md(r.task),
        String(r.n),
        md(formatScoreCi(r.mean, r.ci, r.binary)),
        String(r.errors),
        md(formatMoney(r.cost, currency, r.costPartial)),
        md(formatMoney(r.perCorrect, currency)),
        md(formatMs(r.ttftP50)),
        md(formatRate(r.tpsP50)),
      ]),
      ["l", "l", "r", "r", "r", "r", "r", "r", "r"],
    ),
  ];
  const notes = intervalNotes(bundle.rows);
  if (notes.length > 0) lines.push("", `Intervals: ${md(notes.join("; "))}.`);
  if (bundle.rows.some((r) => r.costPartial || r.cost === null)) {
    lines.push("", "Costs marked unknown or +? include calls that could not be priced: unknown, not 0.");
  }

  if (bundle.pareto.length > 0) {
    lines.push("", "### Cost and quality", "");
    lines.push(
      ...table(
        ["scope", "on the cost/quality frontier", "dominated (share of bootstrap resamples)", "cost unknown"],
        bundle.pareto.map((v) => {
          const frontier = v.points.filter((p) => p.onCostFrontier === true);
          const dominated = v.points.filter((p) => p.onCostFrontier === false);
          const unknown = v.points.filter((p) => p.onCostFrontier === null);
          return [
            md(v.task ?? "all tasks (pooled)"),
            frontier
              .map(
                (p) =>
                  `${md(p.model)} (${md(formatScore(p.quality, v.binary))}, ${md(formatMoney(p.costPerSample, v.currency))}/sample)`,
              )
              .join("; ") || "-",
            dominated
              .map(
                (p) =>
                  `${md(p.model)} by ${p.dominatedBy.map(md).join(", ")}${p.dominatedFraction === null ? "" : ` (${(p.dominatedFraction * 100).toFixed(0)}%)`}`,
              )
              .join("; ") || "-",
            unknown.map((p) => md(p.model)).join(", ") || "-",
          ];
        }),
        ["l", "l", "l", "l"],
      ),
    );
  }

  if (bundle.pairs.length > 0) {
    lines.push("", "### Head-to-head", "");
    lines.push("Paired on the same samples; p-values adjusted across tasks (Holm).", "");
    const binaryOf = new Map(bundle.rows.map((r) => [r.task, r.binary]));
    for (const pair of bundle.pairs) {
      lines.push(`**A = ${md(pair.a)}, B = ${md(pair.b)}**`, "");
      lines.push(
        ...table(
          ["task", "n", "A", "B", "A − B [95% CI]", "p (Holm)", "verdict", "A better / B better / same"],
          pair.result.comparison.tasks.map((t) => {
            const binary = binaryOf.get(t.task) ?? true;
            const c = pair.result.counts[t.task];
            return [
              md(t.task),
              String(t.n),
              md(formatScore(t.meanA, binary)),
              md(formatScore(t.meanB, binary)),
              md(
                `${formatDifference(t.difference, binary)} [${formatDifference(t.ci.lower, binary)}, ${formatDifference(t.ci.upper, binary)}]`,
              ),
              md(formatP(t.pAdjusted)),
              md(t.verdict),
              c ? `${c.a_better} / ${c.b_better} / ${c.same}` : "-",
            ];
          }),
          ["l", "r", "r", "r", "r", "r", "l", "r"],
        ),
        "",
      );
    }
    if (bundle.pairsOmitted > 0) lines.push(`${bundle.pairsOmitted} more pair(s) not shown.`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
