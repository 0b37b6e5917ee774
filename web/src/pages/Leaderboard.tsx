import { useMemo } from "react";
import { formatMoney, formatMs, formatRate, formatScore, formatScoreCi } from "../../../src/report/formatting.js";
import type { LeaderboardResponse, LeaderboardRow } from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { apiUrl, useApi } from "../api";
import { type Column, SortableTable } from "../components/SortableTable";
import { ErrorNote, Loading, Note, Toggle } from "../components/ui";
import { navigate, withQuery } from "../router";

export function Leaderboard({ runId, overview, search, path }: RunPageProps) {
  const currency = search.get("currency") ?? overview?.currency ?? "";
  const board = useApi<LeaderboardResponse>(apiUrl(`/api/runs/${encodeURIComponent(runId)}/leaderboard`, { currency }));
  const columns = useMemo(() => (board.data ? leaderboardColumns(board.data.currency) : []), [board.data]);
  if (board.error) return <ErrorNote error={board.error} />;
  if (!board.data) return <Loading what="the leaderboard (every call is priced)" />;
  const { rows } = board.data;
  const tasks = [...new Set(rows.map((r) => r.task))];
  const models = [...new Set(rows.map((r) => r.model))];
  return (
    <section>
      <div className="heading">
        <h1>Leaderboard</h1>
        <CurrencyToggle
          value={board.data.currency}
          onChange={(c) => navigate(withQuery(path, search, { currency: c }), { replace: true })}
        />
      </div>
      {tasks.length > 1 ? <Matrix rows={rows} models={models} tasks={tasks} /> : null}
      <SortableTable
        label="leaderboard"
        rows={rows}
        columns={columns}
        rowKey={(r) => `${r.model}\u0000${r.task}`}
        initial={{ key: "score", direction: "descending" }}
      />
      {board.data.intervalNotes.length > 0 ? <Note>95% intervals: {board.data.intervalNotes.join("; ")}.</Note> : null}
      {board.data.unpricedModels.length > 0 ? (
        <Note>
          Some calls to {board.data.unpricedModels.join(", ")} could not be priced (no price in force at their time, or
          usage without a count the price needs): their cost shows as unknown or +?, never as 0.
        </Note>
      ) : null}
      <Note>
        Cost is what the model's calls in this run cost at the prices in force at each call's time; per correct is the
        cost over the sum of scores. TTFT and tokens/s are medians over the answers (tokens/s after the first token).
      </Note>
    </section>
  );
}

const CURRENCIES = [
  { value: "USD", label: "USD" },
  { value: "CNY", label: "CNY" },
] as const;

export function CurrencyToggle({ value, onChange }: { value: string; onChange: (c: "USD" | "CNY") => void }) {
  return (
    <Toggle
      label="currency"
      value={value === "CNY" ? "CNY" : "USD"}
      options={CURRENCIES}
      onChange={(c) => onChange(c)}
    />
  );
}

function leaderboardColumns(currency: string): Column<LeaderboardRow>[] {
  return [
    { key: "model", label: "model", sort: (r) => r.model, render: (r) => r.model },
    { key: "task", label: "task", sort: (r) => r.task, render: (r) => r.task },
    { key: "n", label: "n", numeric: true, sort: (r) => r.n, render: (r) => r.n.toLocaleString("en-US") },
    {
      key: "score",
      label: "score [95% CI]",
      numeric: true,
      sort: (r) => r.mean,
      title: "headline metric with its 95% interval",
      render: (r) => (
        <span title={r.metric ?? ""} className="score">
          {formatScoreCi(r.mean, r.ci, r.binary)}
        </span>
      ),
    },
    {
      key: "errors",
      label: "errors",
      numeric: true,
      sort: (r) => r.errors,
      render: (r) =>
        r.errors === 0 ? (
          "0"
        ) : (
          <span
            title={Object.entries(r.errorsByClass)
              .map(([c, n]) => `${n} ${c}`)
              .join(", ")}
          >
            {r.errors}
          </span>
        ),
    },
    {
      key: "cost",
      label: `cost ${currency}`,
      numeric: true,
      sort: (r) => r.cost,
      render: (r) => formatMoney(r.cost, currency, r.costPartial),
    },
    {
      key: "perCorrect",
      label: "per correct",
      numeric: true,
      sort: (r) => r.perCorrect,
      render: (r) => formatMoney(r.perCorrect, currency),
    },
    { key: "ttft", label: "TTFT p50", numeric: true, sort: (r) => r.ttftP50, render: (r) => formatMs(r.ttftP50) },
    { key: "tps", label: "tok/s p50", numeric: true, sort: (r) => r.tpsP50, render: (r) => formatRate(r.tpsP50) },
    {
      key: "latency",
      label: "latency p50",
      numeric: true,
      sort: (r) => r.latencyP50,
      render: (r) => formatMs(r.latencyP50),
    },
  ];
}

/** Models × tasks at a glance: each cell the headline score. */
function Matrix({ rows, models, tasks }: { rows: LeaderboardRow[]; models: string[]; tasks: string[] }) {
  const cell = new Map(rows.map((r) => [`${r.model}\u0000${r.task}`, r]));
  return (
    <table className="data matrix" aria-label="models by tasks">
      <thead>
        <tr>
          <th>model</th>
          {tasks.map((t) => (
            <th key={t} className="num">
              {t}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m}>
            <td>{m}</td>
            {tasks.map((t) => {
              const r = cell.get(`${m}\u0000${t}`);
              return (
                <td key={t} className="num">
                  {r ? formatScore(r.mean, r.binary) : "-"}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
