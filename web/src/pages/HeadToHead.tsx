import { formatDifference, formatMoney, formatMs, formatP, formatScore } from "../../../src/report/formatting.js";
import type { CompareResponse, DiffPage, DiffSide, PairFilter } from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { apiUrl, useApi } from "../api";
import { Pager } from "../components/Pager";
import { ErrorNote, Loading, Note, TextBlock, Toggle } from "../components/ui";
import { navigate, withQuery } from "../router";

const FILTERS: { value: PairFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "a_better", label: "A right, B wrong" },
  { value: "b_better", label: "A wrong, B right" },
  { value: "differ", label: "Different scores" },
  { value: "same", label: "Same score" },
];

const PAGE = 20;

export function HeadToHead({ runId, overview, search, path }: RunPageProps) {
  const models = overview?.run.models ?? [];
  const a = search.get("a") ?? models[0] ?? "";
  const b = search.get("b") ?? models.find((m) => m !== a) ?? "";
  const asked = search.get("filter");
  const filter = FILTERS.find((f) => f.value === asked)?.value ?? "all";
  const task = search.get("task") ?? "";
  const offset = Math.max(0, Math.trunc(Number(search.get("o"))) || 0);
  const ready = a !== "" && b !== "" && a !== b;
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const stats = useApi<CompareResponse>(ready ? apiUrl(`${base}/compare`, { a, b }) : null);
  const diff = useApi<DiffPage, number>(
    ready
      ? apiUrl(`${base}/compare/samples`, {
          a,
          b,
          filter,
          task,
          after: search.get("after"),
          before: search.get("before"),
          limit: PAGE,
        })
      : null,
    offset,
  );
  const set = (changes: Record<string, string | undefined>, keepPage = false) =>
    navigate(
      withQuery(path, search, keepPage ? changes : { ...changes, after: undefined, before: undefined, o: undefined }),
      { replace: !keepPage },
    );
  if (!overview) return <Loading what="the run" />;
  if (models.length < 2) return <Note>This run has one model: nothing to compare.</Note>;
  const counts = stats.data ? sumCounts(stats.data.counts, task) : null;
  return (
    <section>
      <div className="heading">
        <h1>Head-to-head</h1>
        <label>
          A{" "}
          <select value={a} onChange={(e) => set({ a: e.target.value })} aria-label="model A">
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          B{" "}
          <select value={b} onChange={(e) => set({ b: e.target.value })} aria-label="model B">
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!ready ? <ErrorNote error="Pick two different models." /> : null}
      {stats.error ? <ErrorNote error={stats.error} /> : null}
      {ready && !stats.data && !stats.error ? <Loading what="paired statistics" /> : null}
      {stats.data ? <Stats data={stats.data} /> : null}
      {ready ? (
        <>
          <h2>Sample by sample</h2>
          <div className="filters">
            <Toggle
              label="outcome filter"
              value={filter}
              options={FILTERS.map((f) => ({
                value: f.value,
                label: `${f.label}${counts ? ` (${counts[f.value].toLocaleString("en-US")})` : ""}`,
              }))}
              onChange={(v) => set({ filter: v === "all" ? undefined : v })}
            />
            <label>
              task{" "}
              <select value={task} onChange={(e) => set({ task: e.target.value })} aria-label="task">
                <option value="">all tasks</option>
                {overview.run.tasks.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {diff.error ? <ErrorNote error={diff.error} /> : null}
          {diff.data ? (
            <>
              <Pager
                page={diff.data}
                offset={diff.meta ?? 0}
                pageSize={PAGE}
                busy={diff.loading}
                onChange={(change) => set(change, true)}
              />
              <DiffList page={diff.data} a={a} b={b} epochs={overview.run.epochs} stale={diff.loading} />
            </>
          ) : diff.error ? null : (
            <Loading what="samples" />
          )}
        </>
      ) : null}
    </section>
  );
}

function DiffList({
  page,
  a,
  b,
  epochs,
  stale,
}: {
  page: DiffPage;
  a: string;
  b: string;
  epochs: number;
  stale: boolean;
}) {
  return (
    <div className={stale ? "diffs stale" : "diffs"} aria-busy={stale}>
      {page.rows.length === 0 ? <Note>No sample matches.</Note> : null}
      {page.rows.map((r) => (
        <article key={`${r.task}\u0000${r.sampleId}\u0000${r.epoch}`} className="diff" data-testid="diff-row">
          <h3>
            {r.task} · sample {r.sampleId}
            {epochs > 1 ? ` · epoch ${r.epoch}` : ""}
          </h3>
          <dl className="prompt">
            <dt>Prompt</dt>
            <dd>
              <TextBlock text={r.prompt} />
            </dd>
            <dt>Target</dt>
            <dd className="target">{r.target}</dd>
          </dl>
          <div className="sides">
            <Side label="A" model={a} side={r.a} currency={page.currency} />
            <Side label="B" model={b} side={r.b} currency={page.currency} />
          </div>
        </article>
      ))}
    </div>
  );
}

function sumCounts(counts: CompareResponse["counts"], task: string): Record<PairFilter, number> {
  const total: Record<PairFilter, number> = { all: 0, differ: 0, a_better: 0, b_better: 0, same: 0 };
  for (const [t, c] of Object.entries(counts)) {
    if (task && t !== task) continue;
    for (const k of Object.keys(total) as PairFilter[]) total[k] += c[k];
  }
  return total;
}

function Side({ label, model, side, currency }: { label: string; model: string; side: DiffSide; currency: string }) {
  return (
    <div className={`side side-${label.toLowerCase()}`} data-side={label}>
      <h4>
        {label} = {model}
      </h4>
      <p className="facts">
        score <b>{side.score === null ? "none" : String(side.score)}</b> · answer{" "}
        <span className="answer">{side.answer ?? "(none)"}</span> · cost {formatMoney(side.cost, currency)} · latency{" "}
        {formatMs(side.latencyMs)}
        {side.status === "error" ? <span className="error-tag"> · error {side.errorClass}</span> : null}
      </p>
      <TextBlock text={side.output} className="output" />
    </div>
  );
}

function Stats({ data }: { data: CompareResponse }) {
  const { comparison, counts, tooFew, binary } = data;
  return (
    <>
      <table className="data" aria-label="paired statistics">
        <thead>
          <tr>
            <th>task</th>
            <th className="num">n</th>
            <th className="num">A</th>
            <th className="num">B</th>
            <th className="num">A − B [95% CI]</th>
            <th className="num">p</th>
            <th className="num">p (Holm)</th>
            <th>verdict</th>
            <th className="num">A better / B better / same</th>
          </tr>
        </thead>
        <tbody>
          {comparison.tasks.map((t) => {
            const bin = binary[t.task] ?? true;
            const c = counts[t.task];
            return (
              <tr key={t.task}>
                <td>{t.task}</td>
                <td className="num">{t.n.toLocaleString("en-US")}</td>
                <td className="num">{formatScore(t.meanA, bin)}</td>
                <td className="num">{formatScore(t.meanB, bin)}</td>
                <td className="num">
                  {formatDifference(t.difference, bin)} [{formatDifference(t.ci.lower, bin)},{" "}
                  {formatDifference(t.ci.upper, bin)}]
                </td>
                <td className="num">{formatP(t.pValue)}</td>
                <td className="num">{formatP(t.pAdjusted)}</td>
                <td className={`verdict ${t.verdict.replace(/ /g, "-")}`}>{t.verdict}</td>
                <td className="num">{c ? `${c.a_better} / ${c.b_better} / ${c.same}` : "-"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Note>
        Paired on the same samples (p-values adjusted across tasks: {comparison.adjustment}).{" "}
        {[...new Set(comparison.tasks.map((t) => t.method))].join("; ")}. Counts include failed calls as losses.
      </Note>
      {tooFew.length > 0 ? <Note>Too few paired samples to test: {tooFew.join(", ")}.</Note> : null}
    </>
  );
}
