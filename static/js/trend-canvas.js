// Trend charts ("line" widgets) on a <canvas> of our own instead of Plotly (issue 20).
//
// Why: a Plotly.react of a 1,000-point trend costs ~9 ms of main thread (calc, autorange,
// SVG path, axes, ticks), so a round of ten trends took ~90 ms against a 16 ms budget;
// scaling the points and stroking them on a canvas costs a small fraction of that
// (bench/chart_updates.py). What the Plotly figure showed stays: each statistic's line in
// the colour and width of the server's figure (dashboard/boards/figures.py), the value
// axis from zero, a time axis of at least the last half hour ending now (issue 17, the
// window comes from charts.js), grid lines in the theme's colours, a legend when there
// are several lines, the faint dotted line of a comparison with the past (compare.js,
// issue 19), and values on hover (a crosshair and a tooltip of our own). Labels are canvas
// text in the page's font, sized by CSS (`.chart.trend`, larger on a wallboard), drawn at
// the device's pixel ratio, so they stay sharp on a TV. The axis arithmetic is in
// trend-scale.js.

import { formatValue } from "./format.js";
import { clipSeries, compareLabel, overlayWindow } from "./compare.js";
import { clockMinutes, clockTime, dayStart } from "./time-zone.js";
import { fittingLabels, linear, nearestIndex, timeTicks, valueAxis, valueLabel } from "./trend-scale.js";

const PALETTE = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7d8c", "#d1242f", "#57606a"];
// The comparison line as compare.js's Plotly trace drew it: thinner, dotted, faint.
const COMPARE_STYLE = { width: 2, dash: "dot", opacity: 0.45, compare: true };
const DAY_MS = 24 * 60 * 60 * 1000;

// The lines of a trend for one draw: one per statistic (its history, [[ms, value], ...]),
// then the faint line of each compared statistic over compare.js's window. Pure.
export function trendSeries(widget, values, now) {
  const layout = widget.figure?.layout || {};
  const colours = layout.colorway?.length ? layout.colorway : PALETTE;
  const traces = widget.figure?.data || [];
  const live = widget.statistics.map((s, i) => ({
    name: traces[i]?.name ?? s.label ?? "",
    unit: s.unit,
    points: values.get(s.id)?.history || [],
    colour: traces[i]?.line?.color || colours[i % colours.length],
    width: traces[i]?.line?.width ?? 2,
    dash: null,
    opacity: 1,
    compare: false,
  }));
  if (!widget.compare) return live;
  const faint = [];
  widget.statistics.forEach((s, i) => {
    const points = clipSeries(widget.compare.series?.[s.id], ...overlayWindow(live[i].points, now));
    if (points.length) faint.push({ ...live[i], ...COMPARE_STYLE, name: compareLabel(widget.compare, now), points });
  });
  return live.concat(faint);
}

// Where grid lines sit sharp: on a device pixel's middle at a ratio of 1, on its edge at 2.
function crisp(v, ratio) {
  const device = Math.round(v * ratio);
  return (ratio % 2 === 1 ? device + 0.5 : device) / ratio;
}

export class TrendCanvas {
  // `figure`: the widget's Plotly figure from the server (theme colours, legend, traces).
  constructor(element, figure) {
    this.element = element;
    const layout = figure?.layout || {};
    this.ink = layout.font?.color || "#18202b";
    this.gridColour = layout.yaxis?.gridcolor || layout.xaxis?.gridcolor || "#e5e9ef";
    this.withLegend = Boolean(layout.showlegend);
    element.classList.add("trend");
    this.canvas = document.createElement("canvas");
    this.canvas.className = "trend-canvas";
    this.canvas.setAttribute("role", "img");
    this.canvas.trend = this;  // what was drawn, for tests and the bench (as Plotly's gd.data was)
    this.tip = document.createElement("div");
    this.tip.className = "trend-tip";
    this.tip.hidden = true;
    this.legend = document.createElement("div");
    this.legend.className = "trend-legend";
    this.legend.hidden = !this.withLegend;
    element.replaceChildren(this.canvas, this.legend, this.tip);
    this.series = [];
    this.window = [0, 1];
    this.hoverX = null;
    this.drawn = null;
    this.widths = new Map();  // label text -> px in the current font
    this.canvas.addEventListener("pointermove", (event) => this.hover(event.offsetX));
    this.canvas.addEventListener("pointerleave", () => this.hover(null));
    if (typeof ResizeObserver !== "undefined") {
      this.resizer = new ResizeObserver(() => this.fit());
      this.resizer.observe(element);
    }
  }

  // Draw `series` (trendSeries) over the time `window` [start, end] (ms).
  draw(series, window) {
    this.series = series;
    this.window = window;
    if (this.withLegend && !this.legend.childElementCount) this.fillLegend();
    this.render();
  }

  // The box changed (a window resize, a wallboard page shown, a zoom): redraw now, in the
  // font CSS now gives, rather than wait for the next value.
  fit() {
    this.font = null;
    if (this.drawn || this.series.length) this.render();
  }

  hover(x) {
    this.hoverX = x;
    if (this.drawn) this.render();
  }

  readFont() {
    const style = getComputedStyle(this.element);
    const size = parseFloat(style.fontSize) || 13;
    this.widths.clear();
    return { size, css: `${size}px ${style.fontFamily || "sans-serif"}` };
  }

  textWidth(ctx, text) {
    let width = this.widths.get(text);
    if (width === undefined) {
      if (this.widths.size > 500) this.widths.clear();
      width = ctx.measureText(text).width;
      this.widths.set(text, width);
    }
    return width;
  }

  // The page zone's midnight before `ms`, kept for a day: time ticks count from it.
  anchor(ms) {
    if (this.midnight === undefined || ms < this.midnight || ms >= this.midnight + DAY_MS) this.midnight = dayStart(ms);
    return this.midnight;
  }

  render() {
    const width = this.element.clientWidth, height = this.element.clientHeight;
    if (width < 2 || height < 2) { this.drawn = null; return; }  // hidden: drawn when shown (fit)
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio)) this.canvas.width = Math.round(width * ratio);
    if (this.canvas.height !== Math.round(height * ratio)) this.canvas.height = Math.round(height * ratio);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    this.font ??= this.readFont();
    ctx.font = this.font.css;
    const size = this.font.size;
    const unit = this.series[0]?.unit;

    // The value axis first: its widest label sets the left margin.
    const top = Math.ceil(size * (this.withLegend ? 2 : 1));
    const bottom = height - Math.ceil(size * 1.9);
    const values = valueAxis(this.series, Math.max(1, Math.floor((bottom - top) / (size * 3))), unit);
    const yLabels = values.ticks.map((v) => valueLabel(v, unit, values.step));
    const left = Math.ceil(Math.max(...yLabels.map((t) => this.textWidth(ctx, t))) + size * 0.7);
    const right = width - Math.ceil(size * 1.2);
    if (right - left < 10 || bottom - top < 10) { this.drawn = null; return; }
    const [start, end] = this.window;
    const x = linear(start, end, left, right), y = linear(values.low, values.high, bottom, top);
    const times = timeTicks(start, end, Math.max(1, Math.floor((right - left) / (size * 8))), this.anchor(start));
    const xLabels = times.ticks.map((t) => (times.step < 60000 ? clockTime(t) : clockMinutes(t)));

    // Grid, then the lines (the faint comparison under the live ones), then the labels.
    ctx.lineWidth = 1;
    ctx.strokeStyle = this.gridColour;
    ctx.beginPath();
    for (const v of values.ticks) { const py = crisp(y(v), ratio); ctx.moveTo(left, py); ctx.lineTo(right, py); }
    for (const t of times.ticks) { const px = crisp(x(t), ratio); ctx.moveTo(px, top); ctx.lineTo(px, bottom); }
    ctx.stroke();
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, right - left, height);  // a line may reach above the top tick, never past the axes
    ctx.clip();
    const drawnPoints = this.series.map(() => 0);
    const order = this.series.map((s, i) => i).sort((a, b) => Number(this.series[b].compare) - Number(this.series[a].compare));
    for (const i of order) drawnPoints[i] = this.stroke(ctx, this.series[i], x, y);
    ctx.restore();
    ctx.fillStyle = this.ink;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    values.ticks.forEach((v, i) => ctx.fillText(yLabels[i], left - size * 0.4, y(v)));
    const centres = times.ticks.map(x);
    const kept = fittingLabels(centres, xLabels.map((t) => this.textWidth(ctx, t)), 0, width, size * 0.6);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const i of kept) ctx.fillText(xLabels[i], centres[i], bottom + size * 0.45);

    this.x = x;
    this.y = y;
    this.drawn = {
      width, height, ratio, plot: { left, top, right, bottom }, window: [start, end], values: [values.low, values.high],
      xTicks: kept.map((i) => xLabels[i]), yTicks: yLabels,
      series: this.series.map((s, i) => ({ name: s.name, points: drawnPoints[i], colour: s.colour, width: s.width,
                                            dash: s.dash, opacity: s.opacity, compare: s.compare })),
    };
    this.canvas.dataset.points = String(drawnPoints[0] ?? 0);
    this.drawHover(ctx);
  }

  // One line: a path through its finite points (a missing value breaks it, as Plotly's
  // connectgaps: false did); a lone point is a dot. Returns how many points were drawn.
  stroke(ctx, s, x, y) {
    const pts = s.points;
    let drawn = 0, pen = false, lastX = 0, lastY = 0;
    ctx.beginPath();
    for (let i = 0; i < pts.length; i++) {
      const v = pts[i][1];
      if (typeof v !== "number" || !Number.isFinite(v) || !Number.isFinite(pts[i][0])) { pen = false; continue; }
      lastX = x(pts[i][0]);
      lastY = y(v);
      if (pen) ctx.lineTo(lastX, lastY); else ctx.moveTo(lastX, lastY);
      pen = true;
      drawn++;
    }
    ctx.globalAlpha = s.opacity;
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = s.width;
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    ctx.setLineDash(s.dash === "dot" ? [0.1, s.width * 2.5] : []);
    if (drawn === 1) {
      ctx.beginPath();
      ctx.arc(lastX, lastY, s.width, 0, 2 * Math.PI);
      ctx.fill();
    } else if (drawn) {
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    return drawn;
  }

  // The crosshair at the point nearest the pointer, a dot on each line, and the tooltip:
  // the time and each line's value there (names and values as text, never markup).
  drawHover(ctx) {
    const plot = this.drawn.plot;
    const main = this.series.find((s) => s.points.length);
    if (this.hoverX == null || !main || this.hoverX < plot.left || this.hoverX > plot.right) {
      this.tip.hidden = true;
      return;
    }
    const [start, end] = this.drawn.window;
    const t = start + ((this.hoverX - plot.left) / (plot.right - plot.left)) * (end - start);
    const at = main.points[nearestIndex(main.points, t)][0];
    const px = this.x(at);
    ctx.strokeStyle = this.ink;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(crisp(px, this.drawn.ratio), plot.top);
    ctx.lineTo(crisp(px, this.drawn.ratio), plot.bottom);
    ctx.stroke();
    ctx.globalAlpha = 1;
    const rows = [];
    const near = (end - start) / 10;
    for (const s of this.series) {
      const p = s.points[nearestIndex(s.points, at)];
      if (!p || Math.abs(p[0] - at) > near || typeof p[1] !== "number" || !Number.isFinite(p[1])) continue;
      ctx.globalAlpha = s.compare ? 0.7 : 1;
      ctx.fillStyle = s.colour;
      ctx.beginPath();
      ctx.arc(this.x(p[0]), this.y(p[1]), s.width + 1.5, 0, 2 * Math.PI);
      ctx.fill();
      rows.push([s, formatValue(p[1], s.unit)]);
    }
    ctx.globalAlpha = 1;
    this.showTip(clockTime(at), rows, px);
  }

  showTip(time, rows, px) {
    const line = (colour, text) => {
      const div = document.createElement("div");
      if (colour) {
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = colour;
        div.append(swatch);
      }
      div.append(text);
      return div;
    };
    this.tip.replaceChildren(line(null, time), ...rows.map(([s, value]) => line(s.colour, s.name ? `${s.name}: ${value}` : value)));
    this.tip.hidden = false;
    const tipWidth = this.tip.offsetWidth;
    const leftOf = px + 12 + tipWidth > this.drawn.width ? px - 12 - tipWidth : px + 12;
    this.tip.style.left = `${Math.max(0, leftOf)}px`;
    this.tip.style.top = `${this.drawn.plot.top}px`;
  }

  // Several lines: a key of their colours and names (text nodes), built once.
  fillLegend() {
    for (const s of this.series.filter((line) => !line.compare)) {
      const item = document.createElement("span");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = s.colour;
      item.append(swatch, s.name);
      this.legend.append(item);
    }
  }
}
