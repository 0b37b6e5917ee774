import { useCallback, useEffect, useRef, useState } from "react";
import { formatP } from "../../../src/report/formatting.js";
import type {
  ClaimResult,
  ClaimRow,
  ClaimsCheckResponse,
  ClaimsResponse,
  RunOverview,
} from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { apiUrl, postJson, useApi } from "../api";
import { ErrorNote, Loading, Note, SafeLink } from "../components/ui";

/** Runs up to this many samples are checked as soon as the page opens; bigger ones wait for the button. */
const AUTO_CHECK_SAMPLES = 20_000;

/** Claims about this run, and vendors' published numbers beside what the run measured. */
export function Claims({ runId, overview }: RunPageProps) {
  return (
    <section>
      <h1>Claims</h1>
      {overview ? <ClaimsCheck runId={runId} overview={overview} /> : <Loading what="the run" />}
      <VendorClaims runId={runId} />
    </section>
  );
}

/** Starter claims for this run: its first two models on its first task, in each of the four forms. */
function starterClaims(overview: RunOverview): string {
  const [a, b] = overview.run.models;
  const task = overview.run.tasks[0];
  const lines = [
    "# One claim per line: A > B on TASK [by N points] · A non-inferior to B on TASK by N points ·",
    "# A ≈ B on TASK within N points · cost(A, TASK) < K × cost(B, TASK). Models and tasks as named in the run.",
    "alpha: 0.05",
    "claims:",
  ];
  if (a && b && task) {
    lines.push(
      `  - ${a} > ${b} on ${task}`,
      `  - ${b} non-inferior to ${a} on ${task} by 2 points`,
      `  - ${a} ≈ ${b} on ${task} within 2 points`,
      `  - cost(${b}, ${task}) < 0.5 × cost(${a}, ${task})`,
    );
  }
  return `${lines.join("\n")}\n`;
}

type CheckState = { data: ClaimsCheckResponse | null; error: string | null; busy: boolean };

function ClaimsCheck({ runId, overview }: { runId: string; overview: RunOverview }) {
  const [text, setText] = useState(() => starterClaims(overview));
  const [state, setState] = useState<CheckState>({ data: null, error: null, busy: false });
  const pending = useRef<AbortController | null>(null);
  const check = useCallback(
    (claims: string) => {
      pending.current?.abort();
      const controller = new AbortController();
      pending.current = controller;
      setState((s) => ({ ...s, busy: true, error: null }));
      postJson<ClaimsCheckResponse>(
        `/api/runs/${encodeURIComponent(runId)}/claims/check`,
        { text: claims },
        controller.signal,
      )
        .then((data) => setState({ data, error: null, busy: false }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setState({ data: null, error: (error as Error).message, busy: false });
        });
    },
    [runId],
  );
  const canCompare = overview.run.models.length >= 2;
  const auto = canCompare && overview.run.done <= AUTO_CHECK_SAMPLES;
  const initial = useRef(text);
  useEffect(() => {
    if (auto) check(initial.current);
    return () => pending.current?.abort();
  }, [auto, check]);
  const report = state.data?.report;
  return (
    <div className="claims-check">
      <h2>Claims about this run</h2>
      <Note>
        Each claim is tested on the run's paired samples with a one-sided test at level α; p-values are adjusted across
        the claims (Holm), so the chance of any wrong "supported" stays at most α. The interval is the two-sided 1 − 2α
        interval of A − B (a cost ratio for cost claims). Inconclusive claims say how many samples would settle them.
      </Note>
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={Math.min(14, Math.max(6, text.split("\n").length + 1))}
        spellCheck={false}
        aria-label="claims"
      />
      <div className="actions">
        <button type="button" className="button primary" onClick={() => check(text)} disabled={state.busy}>
          Check claims
        </button>
        {state.busy ? <span className="muted">testing…</span> : null}
        {report ? (
          <span data-testid="verdict-counts">
            {report.counts.supported} supported · {report.counts.contradicted} contradicted ·{" "}
            {report.counts.inconclusive} inconclusive (α = {report.alpha}, Holm over {report.adjustment.family})
          </span>
        ) : null}
      </div>
      {state.error ? <ErrorNote error={state.error} /> : null}
      {!canCompare ? <Note>This run has one model: claims compare two.</Note> : null}
      {report ? <VerdictTable claims={report.claims} alpha={report.alpha} /> : null}
    </div>
  );
}

function effectText(r: ClaimResult): string {
  if (!r.effect) return "-";
  const { estimate, ci, measure } = r.effect;
  if (measure === "ratio") return `${estimate.toFixed(3)}× [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}]`;
  const f = (v: number) => (r.unitScale ? `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}` : v.toPrecision(3));
  return `${f(estimate)} [${f(ci.lower)}, ${f(ci.upper)}]${r.unitScale ? " pts" : ""}`;
}

function VerdictTable({ claims, alpha }: { claims: ClaimResult[]; alpha: number }) {
  return (
    <table className="data" aria-label="claim verdicts">
      <thead>
        <tr>
          <th>claim</th>
          <th>verdict</th>
          <th className="num">n</th>
          <th className="num">effect [{Math.round((1 - 2 * alpha) * 100)}% CI]</th>
          <th className="num">p (Holm)</th>
          <th>why</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((r) => (
          <tr key={r.line} data-verdict={r.verdict}>
            <td>
              {r.statement}
              {r.canonical !== r.statement ? <div className="muted">{r.canonical}</div> : null}
            </td>
            <td>
              <span className={`badge badge-${r.verdict}`}>{r.verdict}</span>
            </td>
            <td className="num">{r.n === null ? "-" : r.n.toLocaleString("en-US")}</td>
            <td className="num">{effectText(r)}</td>
            <td className="num">{r.pAdjusted === null ? "-" : formatP(r.pAdjusted)}</td>
            <td className="reason">
              {r.reason}
              {r.samplesNeeded && !/[.!?]$/.test(r.reason) ? "." : ""}
              {r.samplesNeeded
                ? ` About ${r.samplesNeeded.total.toLocaleString("en-US")} paired samples (${r.samplesNeeded.additional.toLocaleString("en-US")} more) would likely make it ${r.samplesNeeded.toward}.`
                : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const WHERE: Record<"inside" | "above" | "below", { badge: string; text: string; title: string }> = {
  inside: {
    badge: "consistent",
    text: "consistent",
    title: "the published number is inside the 95% interval of what this run measured",
  },
  above: {
    badge: "above",
    text: "published higher",
    title: "the published number is above the 95% interval of what this run measured: not reproduced here",
  },
  below: {
    badge: "below",
    text: "published lower",
    title: "the published number is below the 95% interval of what this run measured",
  },
};

function measuredCell(c: ClaimRow) {
  if (c.measured.length === 0) return <span className="muted">not in this run</span>;
  return (
    <ul className="measured">
      {c.measured.map((m) => (
        <li key={`${m.label}\u0000${m.task}`}>
          {m.label}:{" "}
          {m.value === null ? (
            "other scale"
          ) : (
            <>
              <b>{m.value.toFixed(1)}</b>
              {m.lower !== null && m.upper !== null ? ` [${m.lower.toFixed(1)}, ${m.upper.toFixed(1)}]` : ""}
            </>
          )}{" "}
          (n = {m.n.toLocaleString("en-US")})
        </li>
      ))}
    </ul>
  );
}

function verdictCell(c: ClaimRow) {
  if (c.measured.length === 0) return null;
  return (
    <ul className="measured">
      {c.measured.map((m) => {
        const w = m.published ? WHERE[m.published] : null;
        return (
          <li key={`${m.label}\u0000${m.task}`}>
            {w ? (
              <span className={`badge badge-${w.badge}`} title={w.title}>
                {w.text}
              </span>
            ) : (
              <span className="badge badge-none" title="the published number is on another scale">
                not comparable
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Vendors' published benchmark numbers beside what this run measured for the same model and task. */
function VendorClaims({ runId }: { runId: string }) {
  const res = useApi<ClaimsResponse>(apiUrl("/api/claims", { run: runId }));
  const [onlyMeasured, setOnlyMeasured] = useState<boolean | null>(null);
  const [filter, setFilter] = useState("");
  if (res.error) return <ErrorNote error={res.error} />;
  if (!res.data) return <Loading what="published claims" />;
  if (!res.data.available) return <Note>The catalog has no claims file (data/catalog/claims.json).</Note>;
  const measuredCount = res.data.rows.filter((c) => c.measured.length > 0).length;
  // Until the user chooses, show what the run measured when it measured anything.
  const only = onlyMeasured ?? measuredCount > 0;
  const f = filter.toLowerCase();
  const rows = res.data.rows.filter(
    (c) =>
      (!only || c.measured.length > 0) &&
      (!f || `${c.model} ${c.benchmark} ${c.claimant} ${c.task ?? ""}`.toLowerCase().includes(f)),
  );
  return (
    <>
      <div className="heading">
        <h2>Vendors' published claims</h2>
        <label>
          <input type="checkbox" checked={only} onChange={(e) => setOnlyMeasured(e.target.checked)} /> only those this
          run measured ({measuredCount})
        </label>
        <input
          type="search"
          value={filter}
          placeholder="model, benchmark, vendor"
          onChange={(e) => setFilter(e.target.value)}
          aria-label="filter claims"
        />
      </div>
      <Note>
        Published numbers as the vendor printed them, each with its source; the run's measurement of the same model on
        the same task beside it (× 100 for percentages, with its 95% interval), and where the published number falls
        against that interval. Settings rarely agree (shots, prompts, chain of thought, grader): a published number
        above the interval says the run did not reproduce it under its own settings, not that the vendor is wrong.
      </Note>
      <table className="data" aria-label="claims">
        <thead>
          <tr>
            <th>model</th>
            <th>benchmark</th>
            <th>setting</th>
            <th className="num">published</th>
            <th>measured in this run</th>
            <th>verdict</th>
            <th>claimed by</th>
            <th className="nowrap">date</th>
            <th>source</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>{c.model}</td>
              <td>
                {c.benchmark}
                {c.metric ? ` (${c.metric})` : ""}
              </td>
              <td>{c.setting ?? ""}</td>
              <td className="num">{c.published === null ? "-" : c.published}</td>
              <td>{measuredCell(c)}</td>
              <td>{verdictCell(c)}</td>
              <td>{c.claimant}</td>
              <td className="nowrap">{c.date}</td>
              <td title={c.sourceQuote}>
                <SafeLink url={c.sourceUrl}>source</SafeLink>
                {c.verified ? "" : " (unverified)"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <Note>No published claim matches.</Note> : null}
    </>
  );
}
