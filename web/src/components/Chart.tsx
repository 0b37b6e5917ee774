import { useEffect, useRef } from "react";
import { echarts } from "../echarts";

/** One ECharts chart, resized with its box. Tooltip formatters must escape what they show (see html.ts). */
export function Chart({ option, height = 360, label }: { option: object; height?: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, null, { renderer: "svg" });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option as echarts.EChartsCoreOption, { notMerge: true });
  }, [option]);
  return <div className="chart" ref={box} style={{ height }} role="img" aria-label={label} data-chart={label} />;
}
