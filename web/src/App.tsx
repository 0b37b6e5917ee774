import { lazy, Suspense } from "react";
import type { RunListItem, RunOverview } from "../../src/web/api-types.js";
import { apiUrl, useApi } from "./api";
import { ErrorNote, Link, Loading } from "./components/ui";
import { Claims } from "./pages/Claims";
import { HeadToHead } from "./pages/HeadToHead";
import { Leaderboard } from "./pages/Leaderboard";
import { Runs } from "./pages/Runs";
import { Samples } from "./pages/Samples";
import { navigate, useLocation } from "./router";

// Pages with charts load ECharts on demand: the leaderboard and the samples never wait for it.
const Pareto = lazy(() => import("./pages/Pareto").then((m) => ({ default: m.Pareto })));
const Speed = lazy(() => import("./pages/Speed").then((m) => ({ default: m.Speed })));
const Prices = lazy(() => import("./pages/Prices").then((m) => ({ default: m.Prices })));

export const TABS = [
  { tab: "", label: "Leaderboard" },
  { tab: "pareto", label: "Pareto" },
  { tab: "compare", label: "Head-to-head" },
  { tab: "samples", label: "Samples" },
  { tab: "speed", label: "Speed" },
  { tab: "claims", label: "Claims" },
  { tab: "prices", label: "Prices" },
] as const;

export type Tab = (typeof TABS)[number]["tab"];

export interface RunPageProps {
  runId: string;
  overview: RunOverview | null;
  search: URLSearchParams;
  path: string;
}

function parse(path: string): { runId: string | null; tab: string } {
  const m = /^\/runs\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(path);
  if (m) return { runId: decodeURIComponent(m[1] as string), tab: m[2] ?? "" };
  if (path === "/prices" || path === "/prices/") return { runId: null, tab: "prices" };
  return { runId: null, tab: path === "/" ? "runs" : "missing" };
}

export function App() {
  const { path, search } = useLocation();
  const { runId, tab } = parse(path);
  return (
    <div className="app">
      <header className="top">
        <Link to="/" className="brand">
          Arbiter
        </Link>
        {runId ? <RunPicker runId={runId} tab={tab} /> : null}
        <nav className="tabs" aria-label="pages">
          {runId ? (
            TABS.map((t) => (
              <Link
                key={t.tab}
                to={`/runs/${encodeURIComponent(runId)}${t.tab ? `/${t.tab}` : ""}`}
                className={t.tab === tab ? "tab active" : "tab"}
              >
                {t.label}
              </Link>
            ))
          ) : (
            <>
              <Link to="/" className={tab === "runs" ? "tab active" : "tab"}>
                Runs
              </Link>
              <Link to="/prices" className={tab === "prices" ? "tab active" : "tab"}>
                Prices
              </Link>
            </>
          )}
        </nav>
      </header>
      <main>
        {runId ? (
          <RunPages runId={runId} tab={tab} search={search} path={path} />
        ) : tab === "runs" ? (
          <Runs />
        ) : tab === "prices" ? (
          <Suspense fallback={<Loading what="prices" />}>
            <Prices runModels={[]} search={search} path={path} />
          </Suspense>
        ) : (
          <ErrorNote error={`No page at ${path}.`} />
        )}
      </main>
    </div>
  );
}

function RunPages({ runId, tab, search, path }: { runId: string; tab: string; search: URLSearchParams; path: string }) {
  const overview = useApi<RunOverview>(apiUrl(`/api/runs/${encodeURIComponent(runId)}`));
  if (overview.error) return <ErrorNote error={overview.error} />;
  const props: RunPageProps = { runId, overview: overview.data, search, path };
  const run = overview.data?.run;
  return (
    <>
      {run ? (
        <p className="run-meta" data-testid="run-meta">
          <span className={`status status-${run.status}`}>{run.status}</span> · {run.done.toLocaleString("en-US")}
          {run.totalItems ? ` / ${run.totalItems.toLocaleString("en-US")}` : ""} samples · {run.models.length} model(s)
          · {run.tasks.length} task(s) · started {run.createdAt.replace("T", " ").slice(0, 19)} UTC
        </p>
      ) : null}
      <Suspense fallback={<Loading what="the page" />}>
        {tab === "" ? (
          <Leaderboard {...props} />
        ) : tab === "pareto" ? (
          <Pareto {...props} />
        ) : tab === "compare" ? (
          <HeadToHead {...props} />
        ) : tab === "samples" ? (
          <Samples {...props} />
        ) : tab === "speed" ? (
          <Speed {...props} />
        ) : tab === "claims" ? (
          <Claims {...props} />
        ) : tab === "prices" ? (
          overview.data ? (
            <Prices runModels={overview.data.run.models} search={search} path={path} />
          ) : (
            <Loading what="the run" />
          )
        ) : (
          <ErrorNote error={`No page "${tab}".`} />
        )}
      </Suspense>
    </>
  );
}

function RunPicker({ runId, tab }: { runId: string; tab: string }) {
  const runs = useApi<RunListItem[]>("/api/runs");
  const list = runs.data ?? [];
  const known = list.some((r) => r.id === runId);
  return (
    <label className="run-picker">
      <span className="sr-only">Run</span>
      <select
        value={runId}
        aria-label="run"
        onChange={(e) => navigate(`/runs/${encodeURIComponent(e.target.value)}${tab ? `/${tab}` : ""}`)}
      >
        {known ? null : <option value={runId}>{runId}</option>}
        {list.map((r) => (
          <option key={r.id} value={r.id}>
            {r.id} · {r.status} · {r.models.join(", ")}
          </option>
        ))}
      </select>
    </label>
  );
}
