import { useMemo } from "react";
import { escapeHtml } from "../../../src/report/formatting.js";
import type { SpeedMetric, SpeedResponse } from "../../../src/web/api-types.js";
import type { RunPageProps } from "../App";
import { useApi } from "../api";
import { Chart } from "../components/Chart";
import { ErrorNote, Loading, Note } from "../components/ui";

const fmt = (v: number, unit: string) =>
  unit === "ms" || v >= 100 ? `${Math.round(v).toLocaleString("en-US")} ${unit}` : `${v.toFixed(1)} ${unit}`;

interface BoxTooltip {
  name?: string;
  value?: unknown;
}

function boxOption(m: SpeedMetric) {
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 20, bottom: 60 },
    tooltip: {
      trigger: "item",
      formatter: (p: BoxTooltip) => {
        const v = Array.isArray(p.value) ? (p.value as number[]).slice(-5) : [];
        const names = ["p5", "q1", "median", "q3", "p95"];
        return `${escapeHtml(p.name ?? "")}<br/>${v.map((x, i) => `${names[i]} ${escapeHtml(fmt(x, m.unit))}`).join("<br/>")}`;
      },
    },
    xAxis: {
      type: "category",
      data: m.distributions.map((d) => d.model),
      axisLabel: { interval: 0, hideOverlap: true },
    },
    yAxis: { type: "value", name: m.unit, scale: true, splitLine: { lineStyle: { color: "#eee" } } },
    series: [
      {
        type: "boxplot",
        name: m.label,
        itemStyle: { color: "#dbe4ff", borderColor: "#4263eb" },
        data: m.distributions.map((d) => [d.p5, d.q1, d.median, d.q3, d.p95]),
      },
    ],
  };
}

function histogramOption(m: SpeedMetric) {
  const labels = m.edges.slice(0, -1).map((e, i) => {
    const last = i === m.edges.length - 2;
    return last ? `≥ ${fmt(e, m.unit)}` : fmt(e, m.unit);
  });
  return {
    animation: false,
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    legend: { top: 0, type: "scroll" },
    tooltip: {
      trigger: "axis",
      formatter: (items: { seriesName?: string; name?: string; value?: unknown }[]) =>
        `${escapeHtml(items[0]?.name ?? "")}<br/>${items.map((it) => `${escapeHtml(it.seriesName ?? "")}: ${escapeHtml(String(it.value))}`).join("<br/>")}`,
    },
    xAxis: { type: "category", data: labels, name: m.unit, nameLocation: "middle", nameGap: 36 },
    yAxis: { type: "value", name: "answers", splitLine: { lineStyle: { color: "#eee" } } },
    series: Object.entries(m.counts).map(([model, counts]) => ({
      type: "bar",
      name: model,
      data: counts,
      barGap: "0%",
    })),
  };
}

function MetricSection({ metric }: { metric: SpeedMetric }) {
  const box = useMemo(() => boxOption(metric), [metric]);
  const hist = useMemo(() => histogramOption(metric), [metric]);
  return (
    <div className="speed-metric" data-metric={metric.key}>
      <h2>{metric.label}</h2>
      {metric.distributions.length === 0 ? (
        <Note>Not measured in this run (answers were not streamed, or carried no usage).</Note>
      ) : (
        <>
          <div className="charts">
            <div className="chart-box">
              <Chart option={box} height={300} label={`${metric.label} box plot`} />
            </div>
            <div className="chart-box">
              <Chart option={hist} height={300} label={`${metric.label} histogram`} />
            </div>
          </div>
          <table className="data compact" aria-label={`${metric.label} quantiles`}>
            <thead>
              <tr>
                <th>model</th>
                <th className="num">n</th>
                <th className="num">min</th>
                <th className="num">p5</th>
                <th className="num">q1</th>
                <th className="num">median</th>
                <th className="num">q3</th>
                <th className="num">p95</th>
                <th className="num">max</th>
                <th className="num">mean</th>
              </tr>
            </thead>
            <tbody>
              {metric.distributions.map((d) => (
                <tr key={d.model}>
                  <td>{d.model}</td>
                  <td className="num">{d.n.toLocaleString("en-US")}</td>
                  {[d.min, d.p5, d.q1, d.median, d.q3, d.p95, d.max, d.mean].map((v, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                    <td key={i} className="num">
                      {fmt(v, metric.unit)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

export function Speed({ runId }: RunPageProps) {
  const res = useApi<SpeedResponse>(`/api/runs/${encodeURIComponent(runId)}/speed`);
  if (res.error) return <ErrorNote error={res.error} />;
  if (!res.data) return <Loading what="speed distributions" />;
  return (
    <section>
      <h1>Speed</h1>
      <Note>
        Per answer: time to first token (first content or reasoning delta), time to first answer token (later for
        reasoning models), output tokens per second after the first token, and latency. Boxes span the quartiles with
        the median; whiskers reach the 5th and 95th percentiles. Histograms share their bins across models; the last bin
        holds everything above the 99th percentile.
      </Note>
      {res.data.metrics.map((m) => (
        <MetricSection key={m.key} metric={m} />
      ))}
    </section>
  );
}
