/**
 * ECharts options of the Pareto charts, shared by the dashboard (rendered in the browser) and the HTML report
 * (rendered to SVG on the server): the same picture in both. Pure data, no DOM and no Node: the browser bundle
 * imports this file too. Labels are set as text; ECharts escapes them in SVG.
 */
import type { ParetoPoint, ParetoView } from "./pareto.js";

// A structural subset of ECharts' option type: importing echarts' types here would pull them into the server build.
export type ChartOption = Record<string, unknown>;

const FRONTIER_COLOR = "#d9480f";
const POINT_COLOR = "#4263eb";
const MUTED = "#868e96";

/** Quality on the axis's scale: percentages for 0/1 scores. */
function qualityValue(view: Pick<ParetoView, "binary">, v: number): number {
  return view.binary ? v * 100 : v;
}

function qualityAxisName(view: Pick<ParetoView, "binary" | "metric">): string {
  return view.binary ? `score, % ${view.metric ? `(${view.metric})` : ""}`.trim() : (view.metric ?? "score");
}

/** Where a free model (cost 0: an in-process model) sits on a log axis: below the cheapest priced one. */
function freeFloor(points: ParetoPoint[]): number {
  const positive = points.flatMap((p) => (p.costPerSample !== null && p.costPerSample > 0 ? [p.costPerSample] : []));
  return positive.length > 0 ? Math.min(...positive) / 4 : 1e-6;
}

interface PlottedPoint {
  model: string;
  x: number;
  y: number;
  lower: number | null;
  upper: number | null;
  frontier: boolean;
  free: boolean;
}

/** The points a cost chart can show (known cost and quality), free models moved to the floor of the log axis. */
function costPoints(view: ParetoView): PlottedPoint[] {
  const floor = freeFloor(view.points);
  return view.points.flatMap((p) =>
    p.costPerSample === null || p.quality === null
      ? []
      : [
          {
            model: p.model,
            x: p.costPerSample > 0 ? p.costPerSample : floor,
            y: qualityValue(view, p.quality),
            lower: p.ci ? qualityValue(view, p.ci.lower) : null,
            upper: p.ci ? qualityValue(view, p.ci.upper) : null,
            frontier: p.onCostFrontier === true,
            free: p.costPerSample === 0,
          },
        ],
  );
}

function latencyPoints(view: ParetoView): PlottedPoint[] {
  return view.points.flatMap((p) =>
    p.latencyP50 === null || p.quality === null
      ? []
      : [
          {
            model: p.model,
            x: p.latencyP50,
            y: qualityValue(view, p.quality),
            lower: p.ci ? qualityValue(view, p.ci.lower) : null,
            upper: p.ci ? qualityValue(view, p.ci.upper) : null,
            frontier: p.onLatencyFrontier === true,
            free: false,
          },
        ],
  );
}

/** Quality (with 95% interval bars) against mean cost per sample on a log axis, with the frontier as a staircase. */
export function paretoCostOption(view: ParetoView, title?: string): ChartOption {
  const points = costPoints(view);
  return scatterOption(points, {
    title,
    xName: `mean cost per sample, ${view.currency} (log scale)`,
    yName: qualityAxisName(view),
    xType: "log",
    xFormat: formatMoneyTick,
    label: (p) => (p.free ? `${p.model} (free)` : p.model),
    percent: view.binary,
  });
}

/** Quality against median latency, with its frontier. */
export function paretoLatencyOption(view: ParetoView, title?: string): ChartOption {
  return scatterOption(latencyPoints(view), {
    title,
    xName: "median latency, ms",
    yName: qualityAxisName(view),
    xType: "value",
    xFormat: (v: number) => String(Math.round(v)),
    label: (p) => p.model,
    percent: view.binary,
  });
}

function scatterOption(
  points: PlottedPoint[],
  o: {
    title: string | undefined;
    xName: string;
    yName: string;
    xType: "log" | "value";
    xFormat: (v: number) => string;
    label: (p: PlottedPoint) => string;
    percent: boolean;
  },
): ChartOption {
  const frontier = points.filter((p) => p.frontier).sort((a, b) => a.x - b.x || a.y - b.y);
  // Interval bars: one line series broken between points by a null.
  const bars: (number | null)[][] = [];
  for (const p of points) {
    if (p.lower === null || p.upper === null) continue;
    bars.push([p.x, p.lower], [p.x, p.upper], [p.x, null]);
  }
  const ys = points.flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y]);
  const xs = points.map((p) => p.x);
  const y = niceRange(ys, o.percent);
  return {
    animation: false,
    ...(o.title ? { title: { text: o.title, left: "center", textStyle: { fontSize: 14 } } } : {}),
    grid: { left: 70, right: 40, top: o.title ? 50 : 30, bottom: 60 },
    xAxis: {
      type: o.xType,
      name: o.xName,
      nameLocation: "middle",
      nameGap: 32,
      scale: true,
      // Whole decades on a log axis, and room on the right of a linear one for the last point's label.
      ...(o.xType === "log" && xs.length > 0
        ? {
            min: 10 ** Math.floor(Math.log10(Math.min(...xs))),
            max: 10 ** Math.ceil(Math.log10(Math.max(...xs) * 3)),
            logBase: 10,
          }
        : xs.length > 0
          ? { min: 0, max: niceCeiling(Math.max(...xs) * 1.3) }
          : {}),
      axisLabel: { formatter: o.xFormat, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: "#eee" } },
    },
    yAxis: {
      type: "value",
      name: o.yName,
      nameLocation: "middle",
      nameGap: 48,
      scale: true,
      ...(y ? { min: y.min, max: y.max } : {}),
      splitLine: { lineStyle: { color: "#eee" } },
    },
    series: [
      {
        name: "95% interval",
        type: "line",
        data: bars,
        connectNulls: false,
        symbol: "none",
        silent: true,
        lineStyle: { color: MUTED, width: 1 },
      },
      {
        name: "Pareto frontier",
        type: "line",
        step: "end",
        data: frontier.map((p) => [p.x, p.y]),
        symbol: "none",
        silent: true,
        lineStyle: { color: FRONTIER_COLOR, width: 2, type: "dashed" },
      },
      {
        name: "models",
        type: "scatter",
        symbolSize: 12,
        data: points.map((p) => ({
          value: [p.x, p.y],
          name: p.model,
          itemStyle: { color: p.frontier ? FRONTIER_COLOR : POINT_COLOR },
          // A function, not a string: a string formatter would expand "{b}" and the like inside a model's name.
          // Up and to the right of the point: off its interval bar and off the frontier's level run, with a white
          // halo where a line still crosses the text.
          label: {
            show: true,
            formatter: () => o.label(p),
            position: "right",
            offset: [0, -10],
            color: "#212529",
            fontSize: 12,
            textBorderColor: "#fff",
            textBorderWidth: 3,
          },
        })),
        labelLayout: { moveOverlap: "shiftY" },
      },
    ],
  };
}

/** Axis bounds on round numbers around the values (within 0–100 for percentages). */
function niceRange(values: number[], percent: boolean): { min: number; max: number } | null {
  if (values.length === 0) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = niceStep(Math.max(hi - lo, percent ? 10 : Math.abs(hi) * 0.1 || 1) / 4);
  let min = Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  if (max - hi < step / 4) max += step;
  if (lo - min < step / 4) min -= step;
  if (percent) {
    min = Math.max(0, min);
    max = Math.min(100, max);
  }
  return { min: Number(min.toPrecision(6)), max: Number(max.toPrecision(6)) };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const step = niceStep(v / 5);
  return Math.ceil(v / step) * step;
}

/** Compact money on an axis: 0.00012 → 1.2e-4, 0.5 → 0.5. */
function formatMoneyTick(v: number): string {
  if (v === 0) return "0";
  if (v < 0.001 || v >= 1e5) return v.toExponential(0);
  return String(Number(v.toPrecision(2)));
}
