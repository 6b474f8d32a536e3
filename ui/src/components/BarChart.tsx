import { useEffect, useRef } from "react";
import "./chartLocale";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type BarSeries = {
  label: string;
  values: number[];
  /** A CSS colour variable of the theme, e.g. `--accent`. */
  color: string;
  /** The bar's share of its slot, 0–1; a narrower series draws over a wider one. */
  width: number;
};

type Props = {
  /** One label per bar slot (days, agents, sources). */
  labels: string[];
  series: BarSeries[];
  /** How a value reads on the axis and in the legend (a duration, a count). */
  format?: (value: number) => string;
  height?: number;
  testId: string;
  /** What the chart shows, for screen readers (the table beside it has the numbers). */
  title: string;
};

const DARK = "(prefers-color-scheme: dark)";

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/**
 * Bars drawn by uPlot on a canvas, in the theme's colours: the chart is
 * drawn again when the system switches between light and dark, and when
 * its box changes width.
 */
export function BarChart({ labels, series, format, height = 180, testId, title }: Props) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    const fmt = format ?? ((v: number) => String(Math.round(v)));
    const draw = () => {
      plot?.destroy();
      const text = cssVar("--text");
      const grid = cssVar("--border");
      const xs = labels.map((_, i) => i);
      // At most about 12 labels under the axis, however many bars.
      const every = Math.max(1, Math.ceil(labels.length / 12));
      const axisFont = "12px system-ui, sans-serif";
      const opts: uPlot.Options = {
        width: Math.max(240, el.clientWidth),
        height,
        scales: {
          x: { time: false, range: () => [-0.5, Math.max(0.5, labels.length - 0.5)] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          {
            stroke: text,
            font: axisFont,
            grid: { show: false },
            ticks: { stroke: grid },
            splits: () => xs.filter((i) => i % every === 0),
            values: (_u, splits) => splits.map((i) => labels[i] ?? ""),
          },
          {
            stroke: text,
            font: axisFont,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            size: 60,
            values: (_u, splits) => splits.map((v) => fmt(v)),
          },
        ],
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        series: [
          { label: "", value: (_u, v) => (v === null ? "" : (labels[v] ?? "")) },
          ...series.map((s) => ({
            label: s.label,
            stroke: cssVar(s.color),
            fill: cssVar(s.color),
            width: 0,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? "–" : fmt(v)),
            paths: uPlot.paths.bars?.({ size: [s.width, 80], align: 0 }),
          })),
        ],
      };
      plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    };
    draw();
    const dark = window.matchMedia?.(DARK);
    dark?.addEventListener("change", draw);
    let width = el.clientWidth;
    const resized = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - width) < 8) return;
      width = el.clientWidth;
      draw();
    });
    resized.observe(el);
    return () => {
      dark?.removeEventListener("change", draw);
      resized.disconnect();
      plot?.destroy();
    };
  }, [labels, series, format, height]);

  return <div className="bar-chart" ref={box} data-testid={testId} role="img" aria-label={title} />;
}
