// Plotly drawing for chart widgets. Figures come built from the server
// (dashboard/boards/figures.py); here only data is swapped in, with Plotly.react, and each
// chart is redrawn at most 4 times a second however fast values arrive.
//
// Redraws go through one queue per page, drained in animation frames within a
// budget: a Plotly.react costs ~6 ms, so ten charts due at once would block the page
// for ~70 ms (dropped frames, a late clock). Spread out, no frame carries more than
// about two, and every chart still redraws within a few frames.
//
// Issue 20: a KPI's sparkline is drawn on a canvas of our own (sparkline.js, ~25x less
// than a Plotly.react: bench/chart_updates.py), and so is a trend (trend-canvas.js: axes,
// the time window, the comparison line and hover of its own). Plotly draws bars, donuts
// and gauges. `Chart.data` still builds Plotly-shaped traces for every kind: the CSV
// download (chart-csv.js) reads them.
// Plotly itself is loaded after the first values are painted (plotly-loader.js): a chart
// drawn before it arrives keeps its empty tile and draws its latest values when it does.

import { NO_CALLS, noCalls, shownValue } from "./format.js";
import { ensurePlotly } from "./plotly-loader.js";
import { Sparkline } from "./sparkline.js";
import { TrendCanvas, trendSeries } from "./trend-canvas.js";

import { compareTraces } from "./compare.js";

export const MIN_REDRAW_MS = 250;
// A trend's x axis spans at least this much (ending now), so one point or a few seconds
// of history read as "the last half hour", not fractions of a millisecond (issue 17).
export const TREND_WINDOW_MS = 30 * 60 * 1000;
export const FRAME_BUDGET_MS = 10;

const CONFIG = { displayModeBar: false, responsive: true };
const due = new Set();
let frameRequested = false;

// How long a chart asked to redraw now waits: until MIN_REDRAW_MS after its last draw.
export function redrawWait(lastDraw, now, minimum = MIN_REDRAW_MS) {
  return Math.max(0, lastDraw + minimum - now);
}

// One frame's share of the queue: draw due charts in order until the budget is spent
// (the one that crosses it still finishes). Returns true when some are left for the
// next frame. `clock` is performance.now in the page, a fake one in tests.
export function drainWithinBudget(queue, draw, clock, budget = FRAME_BUDGET_MS) {
  const start = clock();
  for (const item of queue) {
    queue.delete(item);
    draw(item);
    if (clock() - start >= budget) break;
  }
  return queue.size > 0;
}

function drawDue() {
  frameRequested = false;
  if (drainWithinBudget(due, (chart) => chart.draw(chart.latest), () => performance.now())) requestFrame();
}

function requestFrame() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(drawDue);
}

// The x range of a trend: from its first point (or TREND_WINDOW_MS before its end, if
// later) to its last point or `now`, whichever is later. Ms since the epoch.
export function timeWindow(times, now, windowMs = TREND_WINDOW_MS) {
  const end = Math.max(now, times.length ? times[times.length - 1] : now);
  const start = Math.min(end - windowMs, times.length ? times[0] : end);
  return [start, end];
}

// The layout for a draw: a line chart's x range set to its time window, other charts as built.
export function layoutFor(kind, layout, times, now) {
  if (kind !== "line") return layout;  // a KPI's sparkline has no axis to label: it keeps its own span
  return { ...layout, xaxis: { ...layout.xaxis, range: timeWindow(times, now), autorange: false } };
}

export class Chart {
  // `queueLink(stat)`: a bar's drill-down URL (its queue's agents), or null.
  constructor(element, widget, queueLink = () => null) {
    this.element = element;
    this.widget = widget;
    this.queueLink = queueLink;
    this.figure = widget.figure;
    this.lastDraw = 0;
    this.pending = null;
    this.ready = false;
  }

  // Ask for a redraw; coalesced to one per MIN_REDRAW_MS.
  request(values) {
    this.latest = values;
    if (this.pending) return;
    const wait = redrawWait(this.lastDraw, Date.now());
    this.pending = setTimeout(() => { this.pending = null; due.add(this); requestFrame(); }, wait);
  }

  draw(values) {
    this.lastDraw = Date.now();
    if (this.drawSparkline(values) || this.drawTrend(values)) return;
    if (!globalThis.Plotly) return this.drawOncePlotlyLoads();
    const data = this.data(values);
    if (!data) return;
    const times = this.times(values);
    const layout = layoutFor(this.widget.kind, this.figure.layout, times, Date.now());
    if (!this.ready) {
      Plotly.newPlot(this.element, data, layout, CONFIG);
      this.ready = true;
      this.listenForClicks();
    } else {
      Plotly.react(this.element, data, layout, CONFIG);
    }
  }

  // Before plotly.js is there: ask for it, then queue this chart's latest values.
  drawOncePlotlyLoads() {
    if (this.awaitingPlotly) return;
    this.awaitingPlotly = true;
    ensurePlotly().then(
      () => { this.awaitingPlotly = false; due.add(this); requestFrame(); },
      (error) => { this.awaitingPlotly = false; console.warn(`${error.message}: the chart waits for its next values`); },
    );
  }

  // A KPI's sparkline: our canvas, not Plotly (see the top of this file).
  drawSparkline(values) {
    if (this.widget.kind !== "kpi" || typeof document === "undefined") return false;
    this.sparkline ??= new Sparkline(this.element, this.figure.data[0]);
    this.sparkline.draw(values.get(this.widget.statistics[0]?.id)?.history || []);
    return true;
  }

  // A trend: our canvas too (trend-canvas.js), over the window of issue 17.
  drawTrend(values) {
    if (this.widget.kind !== "line" || typeof document === "undefined") return false;
    this.trend ??= new TrendCanvas(this.element, this.figure);
    const now = Date.now();
    this.trend.draw(trendSeries(this.widget, values, now), timeWindow(this.times(values), now));
    return true;
  }

  // The first and last time of the widget's histories (each sorted by time), or [].
  times(values) {
    let first = Infinity, last = -Infinity;
    for (const s of this.widget.statistics) {
      const history = values.get(s.id)?.history;
      if (!history?.length) continue;
      first = Math.min(first, history[0][0]);
      last = Math.max(last, history[history.length - 1][0]);
    }
    return first <= last ? [first, last] : [];
  }

  // A bar of a queue opens the agents serving that queue.
  listenForClicks() {
    if (this.widget.kind !== "bar" || !this.element.on) return;
    const links = this.widget.statistics.map((s) => this.queueLink(s));
    if (!links.some(Boolean)) return;
    this.element.classList.add("drillable");
    this.element.on("plotly_click", (event) => {
      const href = links[event?.points?.[0]?.pointIndex];
      if (href) location.assign(href);
    });
  }

  data(values) {
    const stats = this.widget.statistics;
    const traces = this.figure.data.map((t) => ({ ...t }));
    const number = (s) => shownValue(s, values) ?? null;
    switch (this.widget.kind) {
      case "line":
        stats.forEach((s, i) => {
          const history = values.get(s.id)?.history || [];
          traces[i].x = history.map((p) => p[0]);  // epoch ms: the axis is type "date"
          traces[i].y = history.map((p) => p[1]);
        });
        return traces.concat(compareTraces(this.widget, values, Date.now()));
      case "kpi": {
        const history = values.get(stats[0]?.id)?.history || [];
        traces[0].x = history.map((p) => new Date(p[0]));
        traces[0].y = history.map((p) => p[1]);
        return traces;
      }
      case "bar":
        traces[0].y = stats.map((s) => (noCalls(s, values) ? 0 : number(s)));  // at 0, so "no calls" shows
        traces[0].text = stats.map((s) => (noCalls(s, values) ? NO_CALLS : this.widget.format(number(s), s.unit)));
        traces[0].marker = { color: stats.map((s) => this.widget.colourFor(number(s))) };
        return traces;
      case "donut":
        traces[0].values = stats.map((s) => number(s) ?? 0);
        return traces;
      case "gauge": {
        const s = stats[0];
        traces[0].value = number(s) ?? 0;
        if (noCalls(s, values)) traces[0].title = { text: NO_CALLS };
        traces[0].number = { suffix: s?.unit === "percent" ? "%" : "", valueformat: ".1f" };
        traces[0].gauge = { ...traces[0].gauge, bar: { color: this.widget.colourFor(number(s)) } };
        return traces;
      }
      default:
        return null;
    }
  }
}
