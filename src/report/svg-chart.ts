/**
 * Charts as SVG text on the server, with ECharts' server-side renderer (no DOM, no browser): what the HTML report
 * inlines so that it reads without scripts. ECharts is loaded on first use only: the CLI's other commands never
 * pay for it.
 */
import type { ChartOption } from "./chart-options.js";

export async function renderSvg(option: ChartOption, width: number, height: number): Promise<string> {
  const echarts = await import("echarts");
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false } as Parameters<typeof chart.setOption>[0]);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
