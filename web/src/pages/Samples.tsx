import { Fragment, useEffect, useState } from "react";
import { formatMoney, formatMs } from "../../../src/report/formatting.js";
import type { SampleDetail, SampleRow, SamplesPage } from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { apiUrl, useApi } from "../api";
import { Pager } from "../components/Pager";
import { ErrorNote, Loading, Note, TextBlock } from "../components/ui";
import { navigate, withQuery } from "../router";

const PAGE = 50;

/** Every sample of the run, filtered and searched on the server, one page at a time. */
export function Samples({ runId, overview, search, path }: RunPageProps) {
  const params = {
    model: search.get("model") ?? "",
    task: search.get("task") ?? "",
    status: search.get("status") ?? "",
    score: search.get("score") ?? "",
    q: search.get("q") ?? "",
  };
  const offset = Math.max(0, Math.trunc(Number(search.get("o"))) || 0);
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  // Fetched at once, beside the run's overview: the table never waits for it.
  const page = useApi<SamplesPage, number>(
    apiUrl(`${base}/samples`, { ...params, after: search.get("after"), before: search.get("before"), limit: PAGE }),
    offset,
  );
  const [query, setQuery] = useState(params.q);
  useEffect(() => setQuery(params.q), [params.q]);
  const [open, setOpen] = useState<string | null>(null);
  const set = (changes: Record<string, string | undefined>, keepPage = false) => {
    setOpen(null);
    navigate(
      withQuery(path, search, keepPage ? changes : { ...changes, after: undefined, before: undefined, o: undefined }),
      { replace: !keepPage },
    );
  };
  const models = overview?.run.models ?? [];
  const tasks = overview?.run.tasks ?? [];
  return (
    <section>
      <h1>Samples</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: query.trim() });
        }}
      >
        <Select label="model" value={params.model} options={models} onChange={(v) => set({ model: v })} />
        <Select label="task" value={params.task} options={tasks} onChange={(v) => set({ task: v })} />
        <Select label="status" value={params.status} options={["ok", "error"]} onChange={(v) => set({ status: v })} />
        <Select
          label="score"
          value={params.score}
          options={["pass", "fail", "none"]}
          names={{ pass: "full marks (≥ 1)", fail: "below 1", none: "no score" }}
          onChange={(v) => set({ score: v })}
        />
        <label>
          search{" "}
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="answer, prompt or sample id"
            aria-label="search"
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {page.error ? <ErrorNote error={page.error} /> : null}
      {page.data ? (
        <>
          <Pager
            page={page.data}
            offset={page.meta ?? 0}
            pageSize={PAGE}
            busy={page.loading}
            onChange={(change) => set(change, true)}
          />
          <table
            className={page.loading ? "data samples stale" : "data samples"}
            aria-label="samples"
            aria-busy={page.loading}
          >
            <thead>
              <tr>
                <th>model</th>
                <th>task</th>
                <th>sample</th>
                <th>status</th>
                <th className="num">score</th>
                <th>answer</th>
                <th>output</th>
                <th className="num">latency</th>
                <th className="num">TTFT</th>
                <th className="num">tokens out</th>
              </tr>
            </thead>
            <tbody>
              {page.data.rows.map((r) => (
                <Fragment key={r.itemKey}>
                  <Row
                    row={r}
                    epochs={overview?.run.epochs ?? 1}
                    open={open === r.itemKey}
                    toggle={() => setOpen(open === r.itemKey ? null : r.itemKey)}
                  />
                  {open === r.itemKey ? (
                    <tr className="detail-row">
                      <td colSpan={10}>
                        <Detail runId={runId} itemKey={r.itemKey} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
          {page.data.rows.length === 0 ? <Note>No sample matches these filters.</Note> : null}
        </>
      ) : page.error ? null : (
        <Loading what="samples" />
      )}
    </section>
  );
}

function Select({
  label,
  value,
  options,
  names,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  names?: Record<string, string>;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {names?.[o] ?? o}
          </option>
        ))}
        {value && !options.includes(value) ? <option value={value}>{value}</option> : null}
      </select>
    </label>
  );
}

function Row({ row, epochs, open, toggle }: { row: SampleRow; epochs: number; open: boolean; toggle: () => void }) {
  const more = row.outputLength > (row.outputPreview?.length ?? 0);
  return (
    <tr className={open ? "open" : undefined} data-testid="sample-row">
      <td className="nowrap">{row.model}</td>
      <td className="nowrap">{row.task}</td>
      <td>
        <button type="button" className="linkish" onClick={toggle} aria-expanded={open}>
          {row.sampleId}
          {epochs > 1 ? ` (epoch ${row.epoch})` : ""}
        </button>
      </td>
      <td className={row.status === "error" ? "bad" : undefined}>
        {row.status === "error" ? `error: ${row.errorClass ?? "?"}` : row.cached ? "ok (cached)" : "ok"}
      </td>
      <td className="num" data-testid="score">
        {row.score === null ? "-" : String(row.score)}
      </td>
      <td className="answer">{row.answer ?? ""}</td>
      <td className="output-preview">
        {row.outputPreview ?? ""}
        {more ? "…" : ""}
      </td>
      <td className="num">{formatMs(row.latencyMs)}</td>
      <td className="num">{formatMs(row.ttftMs)}</td>
      <td className="num">{row.outputTokens ?? "-"}</td>
    </tr>
  );
}

function Detail({ runId, itemKey }: { runId: string; itemKey: string }) {
  const detail = useApi<SampleDetail>(apiUrl(`/api/runs/${encodeURIComponent(runId)}/sample`, { key: itemKey }));
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return <Loading what="the sample" />;
  const d = detail.data;
  return (
    <div className="detail">
      <div className="detail-grid">
        <div>
          <h4>Messages</h4>
          {d.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are a fixed, ordered list
            <div key={i} className="message">
              <span className="role">{m.role}</span>
              <TextBlock text={m.content} />
            </div>
          ))}
          <h4>Target</h4>
          <TextBlock text={d.target} />
        </div>
        <div>
          <h4>Answer{d.cachedFrom !== null ? ` (served from the cache: attempt ${d.cachedFrom})` : ""}</h4>
          <TextBlock text={d.output} className="output" />
          {d.reasoning ? (
            <>
              <h4>Reasoning</h4>
              <TextBlock text={d.reasoning} />
            </>
          ) : null}
          {d.turns && d.turns.length > 1 ? (
            <>
              <h4>Every turn</h4>
              {d.turns.map((t, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: turns are a fixed, ordered list
                <TextBlock key={i} text={t} />
              ))}
            </>
          ) : null}
          <h4>Scores</h4>
          {d.scores.length === 0 ? <Note>No score{d.errorMessage ? `: ${d.errorMessage}` : ""}.</Note> : null}
          <ul className="scores">
            {d.scores.map((s) => (
              <li key={s.metric}>
                <b>{s.metric}</b> {s.value} · answer <span className="answer">{s.answer ?? "(none)"}</span>
                {s.explanation ? <TextBlock text={s.explanation} /> : null}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h4>Calls</h4>
      <table className="data compact" aria-label="attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>role</th>
            <th>model</th>
            <th>status</th>
            <th className="num">tokens in / out</th>
            <th className="num">latency</th>
            <th className="num">TTFT</th>
            <th className="num">cost {d.currency}</th>
          </tr>
        </thead>
        <tbody>
          {d.attempts.map((a) => (
            <tr key={a.id}>
              <td>
                {a.attemptNo}
                {a.turn > 1 ? ` (turn ${a.turn})` : ""}
              </td>
              <td>{a.role}</td>
              <td>
                {a.provider}/{a.model}
                {a.reportedModel && a.reportedModel !== a.model ? ` → ${a.reportedModel}` : ""}
              </td>
              <td className={a.status === "error" ? "bad" : undefined}>
                {a.status === "error"
                  ? `${a.errorClass ?? "error"}: ${a.errorMessage ?? ""}`
                  : (a.finishReason ?? "ok")}
              </td>
              <td className="num">
                {a.inputTokens ?? "?"} / {a.outputTokens ?? "?"}
              </td>
              <td className="num">{formatMs(a.latencyMs)}</td>
              <td className="num">{formatMs(a.ttftMs)}</td>
              <td className="num">{formatMoney(a.cost, d.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
