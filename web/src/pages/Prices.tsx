import { useMemo, useState } from "react";
import { escapeHtml } from "../../../src/report/formatting.js";
import type { PriceModel, PricesResponse } from "../../../src/web/api-types.js";
import { useApi } from "../api";
import { Chart } from "../components/Chart";
import { ErrorNote, Loading, Note, SafeLink } from "../components/ui";
import { navigate } from "../router";
import { CurrencyToggle } from "./Leaderboard";

const COLORS = ["#4263eb", "#d9480f", "#2b8a3e", "#ae3ec9", "#e67700", "#0b7285", "#c2255c", "#5c940d", "#364fc7"];

function timelineOption(data: PricesResponse, log: boolean) {
  const symbol = data.currency === "CNY" ? "¥" : "$";
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 60, bottom: 70 },
    // The cards above the chart are its legend (with each list's price moves).
    legend: { show: false },
    tooltip: {
      trigger: "item",
      formatter: (p: { seriesName?: string; value?: unknown }) => {
        const [t, v] = Array.isArray(p.value) ? (p.value as [string, number | null]) : ["", null];
        return `${escapeHtml(p.seriesName ?? "")}<br/>${escapeHtml(String(t).slice(0, 10))}: ${v === null ? "-" : escapeHtml(`${symbol}${Number(v).toPrecision(4)}`)} per 1M tokens`;
      },
    },
    dataZoom: [{ type: "inside" }, { type: "slider", bottom: 10, height: 18 }],
    xAxis: { type: "time" },
    yAxis: {
      type: log ? "log" : "value",
      name: `${data.currency} per 1M tokens${log ? " (log scale)" : ""}`,
      nameLocation: "middle",
      nameGap: 50,
      splitLine: { lineStyle: { color: "#eee" } },
    },
    series: data.series.flatMap((s, i) => {
      const color = COLORS[i % COLORS.length];
      // Input and output share the series' name, so one legend entry shows or hides both.
      const line = (kind: "input" | "output") => ({
        type: "line",
        name: s.name,
        data: log ? s[kind].map(([t, v]) => [t, v === 0 ? null : v]) : s[kind],
        step: "end",
        connectNulls: false,
        showSymbol: false,
        symbolSize: 6,
        lineStyle: { color, width: 2, type: kind === "output" ? "solid" : "dashed", opacity: s.converted ? 0.55 : 1 },
        itemStyle: { color },
      });
      return [line("input"), line("output")];
    }),
  };
}

/** How many of the most re-priced models the page shows when none is chosen: the price war at a glance. */
const DEFAULT_MODELS = 5;

/** Prices spanning more than this factor read better on a log axis (a 97% cut flattens a linear one). */
const LOG_SPREAD = 20;

function priceSpread(data: PricesResponse): number {
  const values = data.series.flatMap((s) => [...s.input, ...s.output].flatMap(([, v]) => (v && v > 0 ? [v] : [])));
  return values.length === 0 ? 1 : Math.max(...values) / Math.min(...values);
}

interface LineChange {
  first: number;
  last: number;
}

interface ListChange {
  name: string;
  color: string;
  converted: boolean;
  since: string;
  ended: string | null;
  input: LineChange | null;
  output: LineChange | null;
  /** Times the vendor changed the list's input or output price (a converted list's rate moves not counted). */
  changes: number;
}

function lineChange(points: [string, number | null][]): LineChange | null {
  const known = points.flatMap(([, v]) => (v === null ? [] : [v]));
  const first = known[0];
  const last = known.at(-1);
  return first === undefined || last === undefined ? null : { first, last };
}

/** Each list on the chart: its input and output price when first listed and now (or when it ended). */
function listChanges(data: PricesResponse): ListChange[] {
  // Every line ends with a break at its last record's end; the latest end is "now".
  const endOf = (s: PricesResponse["series"][number]) => Date.parse(s.output.at(-1)?.[0] ?? "") || 0;
  const now = Math.max(0, ...data.series.map(endOf));
  return data.series.map((s, i) => {
    // The list's first price of either kind (an output price may be listed later than the input's).
    const since = [...s.input, ...s.output]
      .filter(([, v]) => v !== null)
      .map(([t]) => t)
      .sort()[0];
    const records = data.records
      .filter((r) => r.ref === s.ref && r.region === s.region && r.currency === s.listedIn)
      .sort((x, y) => (x.from ?? "").localeCompare(y.from ?? ""));
    const changes = records.filter(
      (r, k) => k > 0 && (r.input !== records[k - 1]?.input || r.output !== records[k - 1]?.output),
    ).length;
    return {
      name: s.name,
      color: COLORS[i % COLORS.length] as string,
      converted: s.converted,
      since: (since ?? "").slice(0, 10),
      // The catalog has no price for the list after this day (an ended or unrecorded list).
      ended: endOf(s) < now - 86_400_000 ? (s.output.at(-1)?.[0] ?? "").slice(0, 10) : null,
      input: lineChange(s.input),
      output: lineChange(s.output),
      changes,
    };
  });
}

function Change({ label, change, money }: { label: string; change: LineChange | null; money: (v: number) => string }) {
  if (!change) return <span className="muted">{label} -</span>;
  const pct = change.first === 0 ? null : ((change.last - change.first) / change.first) * 100;
  return (
    <span>
      {label}{" "}
      <b>
        {money(change.first)} → {money(change.last)}
      </b>{" "}
      {pct === null || Math.abs(pct) < 0.5 ? (
        <span className="muted">unchanged</span>
      ) : (
        <span className={pct < 0 ? "drop" : "rise"}>
          {pct > 0 ? "+" : "−"}
          {Math.abs(pct).toFixed(0)}%
        </span>
      )}
    </span>
  );
}

/** The chart's legend: one card per list, in its line's colour, with how its prices moved. */
function ChangeCards({ data }: { data: PricesResponse }) {
  const symbol = data.currency === "CNY" ? "¥" : "$";
  const money = (v: number) => `${symbol}${Number(v.toPrecision(3))}`;
  return (
    <section className="price-summary" aria-label="price changes">
      {listChanges(data).map((c) => (
        <div
          key={c.name}
          className={c.converted ? "price-card converted" : "price-card"}
          style={{ borderLeftColor: c.color }}
        >
          <div className="price-card-name">{c.name}</div>
          <div>
            <Change label="out" change={c.output} money={money} /> ·{" "}
            <Change label="in" change={c.input} money={money} />
          </div>
          <div className="muted">
            since {c.since || "?"}
            {c.ended ? ` until ${c.ended}` : ""} · {c.changes === 0 ? "never re-priced" : `re-priced ${c.changes}×`}
            {c.converted ? " · converted monthly" : ""}
          </div>
        </div>
      ))}
    </section>
  );
}

export function Prices({ runModels, search, path }: { runModels: string[]; search: URLSearchParams; path: string }) {
  const catalogModels = useApi<PriceModel[]>("/api/prices/models");
  const currency = (search.get("currency") ?? "USD").toUpperCase();
  const asked = search.getAll("model");
  const known = new Set((catalogModels.data ?? []).map((m) => m.ref));
  const fromRun = runModels.filter((m) => known.has(m));
  const repriced = (catalogModels.data ?? []).filter((m) => m.records > 1);
  const chosen =
    asked.length > 0
      ? asked
      : fromRun.length > 0
        ? fromRun
        : (repriced.length > 0 ? repriced : (catalogModels.data ?? [])).slice(0, DEFAULT_MODELS).map((m) => m.ref);
  const url =
    catalogModels.data || asked.length > 0
      ? `/api/prices?${new URLSearchParams([...chosen.map((m) => ["model", m]), ["currency", currency]]).toString()}`
      : null;
  const prices = useApi<PricesResponse>(url);
  // Until the user ticks or unticks it, the axis is logarithmic when the prices span a wide range.
  const [logChoice, setLog] = useState<boolean | null>(null);
  const log = logChoice ?? (prices.data ? priceSpread(prices.data) > LOG_SPREAD : false);
  const option = useMemo(() => (prices.data ? timelineOption(prices.data, log) : null), [prices.data, log]);
  const [filter, setFilter] = useState("");
  const go = (models: string[], cur: string) => {
    const q = new URLSearchParams([...models.map((m) => ["model", m]), ["currency", cur]]);
    navigate(`${path}?${q.toString()}`, { replace: true });
  };
  if (catalogModels.error) return <ErrorNote error={catalogModels.error} />;
  return (
    <section>
      <div className="heading">
        <h1>Prices</h1>
        <label>
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
        </label>
        <CurrencyToggle value={currency} onChange={(c) => go(chosen, c)} />
      </div>
      <div className="prices-layout">
        <aside className="model-list">
          <input
            type="search"
            placeholder="filter models"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="filter models"
          />
          <ul>
            {(catalogModels.data ?? [])
              .filter((m) => !filter || `${m.ref} ${m.displayName}`.toLowerCase().includes(filter.toLowerCase()))
              .map((m) => (
                <li key={m.ref}>
                  <label title={m.displayName}>
                    <input
                      type="checkbox"
                      checked={chosen.includes(m.ref)}
                      onChange={(e) =>
                        go(e.target.checked ? [...chosen, m.ref] : chosen.filter((c) => c !== m.ref), currency)
                      }
                    />{" "}
                    {m.ref} <span className="muted">({m.records})</span>
                  </label>
                </li>
              ))}
          </ul>
        </aside>
        <div className="prices-main">
          {prices.error ? <ErrorNote error={prices.error} /> : null}
          {!prices.data || !option ? (
            prices.error ? null : (
              <Loading what="prices" />
            )
          ) : (
            <>
              <ChangeCards data={prices.data} />
              <Chart option={option} height={420} label="price history" />
              <Note>
                Solid: output price; dashed: input (cache-miss) price, per million tokens, as listed from each date.
                Faded lines are the vendor's list in the other currency, converted at each month's USD/CNY rate (the
                latest earlier month's where the catalog has none; a gap before its first); a vendor's own list in{" "}
                {prices.data.currency} is drawn unconverted.
              </Note>
              {prices.data.unknown.length > 0 ? (
                <Note>No prices in the catalog for {prices.data.unknown.join(", ")}.</Note>
              ) : null}
              <table className="data compact" aria-label="price records">
                <thead>
                  <tr>
                    <th>model</th>
                    <th>list</th>
                    <th>from (UTC)</th>
                    <th>to (UTC)</th>
                    <th className="num">input</th>
                    <th className="num">cached</th>
                    <th className="num">output</th>
                    <th>off-peak</th>
                    <th>source</th>
                  </tr>
                </thead>
                <tbody>
                  {prices.data.records.map((r) => (
                    <tr key={r.id}>
                      <td title={r.notes}>
                        {r.ref}
                        {r.verified ? "" : " (unverified)"}
                      </td>
                      <td>
                        {r.region} {r.currency}
                        {r.kind !== "list" ? ` [${r.kind}]` : ""}
                      </td>
                      <td>{r.from ? r.from.slice(0, 16).replace("T", " ") : "?"}</td>
                      <td>{r.to ? r.to.slice(0, 16).replace("T", " ") : "now"}</td>
                      <td className="num">{r.input ?? "-"}</td>
                      <td className="num">{r.cachedInput ?? "-"}</td>
                      <td className="num">{r.output ?? "-"}</td>
                      <td>{r.offPeak ?? ""}</td>
                      <td title={r.sourceQuote}>
                        <SafeLink url={r.sourceUrl}>source</SafeLink>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
