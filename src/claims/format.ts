/** Text output of claim verdicts and of vendor claims beside measurements. */
import type { ClaimResult, ClaimsReport } from "./evaluate.js";
import type { Measured, VendorClaimWithMeasured } from "./vendor.js";

const sig = (v: number, digits = 4): string =>
  Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
const signed = (s: string): string => (s.startsWith("-") || s === "0" ? s.replace(/^-/, "−") : `+${s}`);
const pct = (level: number): string => `${Math.round(level * 1000) / 10}%`;
const fmtP = (p: number | null): string =>
  p === null ? "-" : p < 1e-4 ? p.toExponential(1) : Number(p.toPrecision(3)).toString();

/** A score difference: percentage points for 0–1 scores, score units otherwise; `unit` appends " points". */
function difference(v: number, r: ClaimResult, unit = true): string {
  if (!r.unitScale) return signed(sig(v));
  return `${signed((v * 100).toFixed(1))}${unit ? " points" : ""}`;
}

function scoreValue(v: number, r: ClaimResult): string {
  return r.unitScale ? `${(v * 100).toFixed(1)}%` : sig(v);
}

function money(v: number, currency: string): string {
  return `${sig(v, 3)} ${currency}`;
}

function effectLine(r: ClaimResult): string {
  const e = r.effect;
  if (!e) return "";
  const level = pct(e.ci.level);
  if (e.measure === "ratio") {
    return `cost(A)/cost(B) ${sig(e.estimate)}, ${level} CI [${sig(e.ci.lower)}, ${sig(e.ci.upper)}] vs K = ${sig(r.factor ?? 1)}`;
  }
  const margin =
    r.kind === "superiority"
      ? (r.margin ?? 0) > 0
        ? ` vs margin ${difference(r.margin ?? 0, r)}`
        : ""
      : r.kind === "non-inferiority"
        ? ` vs −δ = ${difference(-(r.margin ?? 0), r)}`
        : ` vs ±δ = ±${difference(r.margin ?? 0, r).replace(/^\+/, "")}`;
  const unit = r.unitScale ? " points" : "";
  return `A − B ${difference(e.estimate, r)}, ${level} CI [${difference(e.ci.lower, r, false)}, ${difference(e.ci.upper, r, false)}]${unit}${margin}`;
}

function claimBlock(r: ClaimResult, file: string): string {
  const lines: string[] = [];
  lines.push(`${file}:${r.line}  ${r.statement}${r.id ? `  [${r.id}]` : ""}`);
  const stats = [effectLine(r)];
  if (r.pValue !== null && r.pValueAgainst !== null) {
    const forClaim = `p ${fmtP(r.pValue)} (adjusted ${fmtP(r.pAdjusted)})`;
    const against = `p against ${fmtP(r.pValueAgainst)} (adjusted ${fmtP(r.pAdjustedAgainst)})`;
    stats.push(
      r.verdict === "supported" ? forClaim : r.verdict === "contradicted" ? against : `${forClaim}, ${against}`,
    );
  }
  if (r.n !== null) stats.push(`n ${r.n}`);
  lines.push(`  → ${r.verdict.toUpperCase()}${stats.some(Boolean) ? `   ${stats.filter(Boolean).join("   ")}` : ""}`);
  if (r.kind === "cost-ratio" && r.costA && r.costB && r.currency) {
    lines.push(
      `    cost per sample: A = ${r.a} ${money(r.costA.perSample, r.currency)}, B = ${r.b} ${money(r.costB.perSample, r.currency)} (totals ${money(r.costA.total, r.currency)}, ${money(r.costB.total, r.currency)})`,
    );
  } else if (r.meanA !== undefined && r.meanB !== undefined) {
    const kind = r.scores === "binary" ? "0/1 scores" : "graded scores";
    lines.push(
      `    means: A = ${r.a} ${scoreValue(r.meanA, r)}, B = ${r.b} ${scoreValue(r.meanB, r)} (${r.metric ?? "headline metric"}, ${kind})`,
    );
  }
  lines.push(`    why: ${r.reason}`);
  if (r.test) lines.push(`    test: ${r.test}`);
  if (r.samplesNeeded) {
    const s = r.samplesNeeded;
    lines.push(
      `    to settle: about ${s.total.toLocaleString("en-US")} paired samples in all (${s.additional.toLocaleString("en-US")} more), likely as ${s.toward} (${Math.round(s.power * 100)}% power at one-sided α = ${sig(s.alpha, 3)}; ${s.basis})`,
    );
  } else if (r.samplesNeededNote) {
    lines.push(`    to settle: unknown: ${r.samplesNeededNote}`);
  }
  if (r.source) lines.push(`    source: ${r.source}`);
  if (r.note) lines.push(`    note: ${r.note}`);
  return lines.join("\n");
}

export function formatClaimsReport(report: ClaimsReport, runId: string): string {
  const c = report.counts;
  const total = report.claims.length;
  const head = [
    `run ${runId}: ${total} claim${total === 1 ? "" : "s"} in ${report.file} — ${c.supported} supported, ${c.contradicted} contradicted, ${c.inconclusive} inconclusive`,
    `one-sided tests at α = ${report.alpha}; p-values adjusted across the ${report.adjustment.family} tested claim${report.adjustment.family === 1 ? "" : "s"} with ${report.adjustment.name}`,
  ];
  return `${head.join("\n")}\n\n${report.claims.map((r) => claimBlock(r, report.file)).join("\n\n")}\n`;
}

function measuredText(m: Measured): string {
  const what = `${m.label} on ${m.task} (n ${m.n}${m.metric ? `, ${m.metric}` : ""})`;
  if (m.onPublishedScale) {
    const ci = m.onPublishedScale.ci;
    const range = ci ? ` [${ci.lower.toFixed(1)}, ${ci.upper.toFixed(1)}]` : "";
    const where =
      m.published === null
        ? ""
        : m.published === "inside"
          ? " — published value inside the measured 95% CI"
          : ` — published value ${m.published} the measured 95% CI`;
    return `${m.onPublishedScale.value.toFixed(1)}${range} ${what}${where}`;
  }
  return `mean ${sig(m.mean)} ${what} — not on the published number's scale`;
}

function quote(text: string, width = 116): string {
  const t = text.replace(/\s+/g, " ");
  return t.length > width ? `"${t.slice(0, width - 3)}…"` : `"${t}"`;
}

/** Published claims grouped by model, with a run's measurements beside them when given. */
export function formatVendorClaims(
  rows: VendorClaimWithMeasured[],
  run: { id: string; createdAt: string } | null,
): string {
  const byModel = new Map<string, VendorClaimWithMeasured[]>();
  for (const r of rows) {
    const key = r.claim.model;
    byModel.set(key, [...(byModel.get(key) ?? []), r]);
  }
  const out: string[] = [];
  if (run !== null) {
    const measured = rows.filter((r) => r.measured.length > 0 || r.competitors.length > 0).length;
    out.push(
      `run ${run.id} (${run.createdAt.slice(0, 10)}) measured ${measured} of these ${rows.length} claims' model × benchmark. Settings differ (shots, CoT, prompt, grader), and an API id may serve a newer model than the claim's: compare with care\n`,
    );
  }
  for (const [model, list] of byModel) {
    const first = list[0]?.claim;
    if (!first) continue;
    const ids = [first.modelId ? first.modelId : "not in the model catalog", ...first.apiModels.map((a) => `API ${a}`)];
    out.push(`${model} (${ids.join("; ")}) — ${list.length} published claim${list.length === 1 ? "" : "s"}`);
    for (const { claim: c, measured, competitors } of list) {
      const head: string[] = [`  ${c.benchmark}`];
      if (c.metric) head.push(c.metric);
      if (c.score !== null) head.push(`${sig(c.score)}${c.markedBest ? " (best in its table)" : ""}`);
      else head.push(`(no number published)${c.relation ? `: ${c.relation}` : ""}`);
      if (c.setting) head.push(`[${c.setting}]`);
      head.push(`— ${c.claimant}, ${c.date}${c.verified ? "" : " [unverified]"}`);
      out.push(head.join("  "));
      const others = c.comparedAgainst.map((o) => `${o.model}${o.score === null ? "" : ` ${sig(o.score)}`}`);
      if (others.length > 0) out.push(`    vs ${others.join(", ")}`);
      if (c.task) {
        for (const m of measured) out.push(`    measured: ${measuredText(m)}`);
        for (const comp of competitors) {
          for (const m of comp.measured) {
            out.push(
              `    measured ${comp.model}${comp.publishedScore === null ? "" : ` (published ${sig(comp.publishedScore)})`}: ${measuredText(m)}`,
            );
          }
        }
      }
      out.push(`    source: ${c.source_url}`);
      out.push(`    ${quote(c.source_quote)}`);
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
