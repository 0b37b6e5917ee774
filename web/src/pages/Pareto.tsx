import { useMemo } from "react";
import { paretoCostOption, paretoLatencyOption } from "../../../src/report/chart-options.js";
import { escapeHtml, formatMoney, formatMs, formatScoreCi } from "../../../src/report/formatting.js";
import type { ParetoResponse } from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { apiUrl, useApi } from "../api";
import { Chart } from "../components/Chart";
import { ErrorNote, Loading, Note } from "../components/ui";
import { navigate, withQuery } from "../router";
import { CurrencyToggle } from "./Leaderboard";

interface TooltipParams {
  seriesType?: string;
  name?: string;
  value?: unknown;
}

function tooltip(xLabel: (x: number) => string) {
  return {
    trigger: "item",
    formatter: (p: TooltipParams) => {
      if (p.seriesType !== "scatter" || !Array.isArray(p.value)) return "";
      const [x, y] = p.value as [number, number];
      return `${escapeHtml(p.name ?? "")}<br/>${escapeHtml(xLabel(x))}<br/>score ${escapeHtml(y.toFixed(2))}`;
    },
  };
}

export function Pareto({ runId, overview, search, path }: RunPageProps) {
  const task = search.get("task") ?? "";
  const currency = search.get("currency") ?? overview?.currency ?? "";
  const res = useApi<ParetoResponse>(apiUrl(`/api/runs/${encodeURIComponent(runId)}/pareto`, { task, currency }));
  const view = res.data?.view;
  const costOption = useMemo(
    () =>
      view
        ? { ...paretoCostOption(view), tooltip: tooltip((x) => `cost/sample ${formatMoney(x, view.currency)}`) }
        : null,
    [view],
  );
  const latencyOption = useMemo(
    () => (view ? { ...paretoLatencyOption(view), tooltip: tooltip((x) => `latency p50 ${formatMs(x)}`) } : null),
    [view],
  );
  if (res.error) return <ErrorNote error={res.error} />;
  if (!res.data || !view || !costOption || !latencyOption) return <Loading what="the Pareto frontier (bootstrap)" />;
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withQuery(path, search, changes), { replace: true });
  const unknownCost = view.points.filter((p) => p.costPerSample === null);
  return (
    <section>
      <div className="heading">
        <h1>Quality vs cost and latency</h1>
        <label>
          task{" "}
          <select value={view.task ?? "*"} onChange={(e) => set({ task: e.target.value })} aria-label="task">
            {res.data.tasks.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
            {res.data.poolable ? <option value="*">all tasks (samples pooled)</option> : null}
          </select>
        </label>
        <CurrencyToggle value={view.currency} onChange={(c) => set({ currency: c })} />
      </div>
      <div className="charts">
        <div className="chart-box">
          <h2>Score vs cost per sample</h2>
          <Chart option={costOption} label="score vs cost" />
        </div>
        <div className="chart-box">
          <h2>Score vs median latency</h2>
          <Chart option={latencyOption} label="score vs latency" />
        </div>
      </div>
      <table className="data" aria-label="pareto points">
        <thead>
          <tr>
            <th>model</th>
            <th className="num">score [95% CI]</th>
            <th className="num">cost per sample</th>
            <th className="num">latency p50</th>
            <th>cost frontier</th>
            <th className="num">dominated in</th>
            <th>latency frontier</th>
          </tr>
        </thead>
        <tbody>
          {view.points.map((p) => (
            <tr key={p.model}>
              <td>{p.model}</td>
              <td className="num">{formatScoreCi(p.quality, p.ci, view.binary)}</td>
              <td className="num">{formatMoney(p.costPerSample, view.currency)}</td>
              <td className="num">{formatMs(p.latencyP50)}</td>
              <td>
                {p.onCostFrontier === null
                  ? "cost unknown"
                  : p.onCostFrontier
                    ? "on the frontier"
                    : `dominated by ${p.dominatedBy.join(", ")}`}
              </td>
              <td className="num">
                {p.dominatedFraction === null
                  ? "-"
                  : `${(p.dominatedFraction * 100).toFixed(1)}%${p.dominated ? " (reliably)" : ""}`}
              </td>
              <td>{p.onLatencyFrontier === null ? "-" : p.onLatencyFrontier ? "on the frontier" : "dominated"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Note>
        Bars are 95% intervals of the score. The dashed staircase is the Pareto frontier: no other model is at least as
        good for less (cost) or sooner (latency). In-process models cost nothing and sit at the left edge of the log
        axis, marked free.
        {view.bootstrap
          ? ` "Dominated in" is the share of ${view.bootstrap.resamples} bootstrap resamples of the ${view.bootstrap.samples.toLocaleString("en-US")} samples every priced model answered in which another model is both cheaper and better; reliably at ≥ ${(view.bootstrap.threshold * 100).toFixed(0)}%.`
          : ""}
      </Note>
      {unknownCost.length > 0 ? (
        <Note>
          Not on the cost chart (some calls could not be priced): {unknownCost.map((p) => p.model).join(", ")}.
        </Note>
      ) : null}
      {view.notes.map((n) => (
        <Note key={n}>{n}</Note>
      ))}
    </section>
  );
}
