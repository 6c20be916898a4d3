// A KPI tile's sparkline on a <canvas> of our own, instead of a Plotly figure (issue 20).
//
// Why: a KPI sparkline has no axes, no hover and no legend (its Plotly figure hides them
// all), yet a Plotly redraw of it costs as much as a full trend chart (~5 ms for 1,000
// points: calc, autorange, SVG path, axes). Scaling the points and stroking one path on
// a canvas is about a hundredth of that. The colour, line width and fill to zero come
// from the widget's own Plotly trace (dashboard/boards/figures.py), so the look stays
// the server's. The pure part (sparkPoints) is tested in tests/js/unit/sparkline.test.mjs.

// Pixel coordinates for `history` ([[ms, value], ...]) on a width x height box: x by
// time from the first to the last point, y from min(0, lowest) to the highest value
// (zero at the bottom, as Plotly's fill "tozeroy" with rangemode "tozero" shows it).
// Points without a finite number are skipped. A flat or single point sits mid-height
// unless it is zero.
export function sparkPoints(history, width, height, pad = 1) {
  const points = (history || []).filter((p) => Number.isFinite(p?.[0]) && Number.isFinite(p?.[1]));
  if (!points.length) return [];
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  let low = 0, high = -Infinity;
  for (const p of points) { if (p[1] < low) low = p[1]; if (p[1] > high) high = p[1]; }
  if (high <= low) high = low + 1;  // all zero (or one point): a line along the bottom
  const w = Math.max(width - 2 * pad, 1), h = Math.max(height - 2 * pad, 1);
  const xOf = t1 > t0 ? (t) => pad + ((t - t0) / (t1 - t0)) * w : () => pad + w;
  return points.map(([t, v]) => [xOf(t), pad + h - ((v - low) / (high - low)) * h]);
}

// The stroke and fill of a KPI figure's first trace, with the product's defaults.
export function sparkStyle(trace) {
  const colour = trace?.line?.color || "#1f6feb";
  return { colour, width: trace?.line?.width ?? 2, fill: trace?.fill === "tozeroy" };
}

export class Sparkline {
  constructor(element, trace) {
    this.element = element;
    this.style = sparkStyle(trace);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "sparkline";
    this.canvas.style.width = "100%";
    this.canvas.style.height = "100%";
    this.canvas.style.display = "block";
    this.canvas.setAttribute("role", "img");
    element.replaceChildren(this.canvas);
    this.points = [];
    // Drawn while hidden (a wallboard's other page: no size), it is redrawn once shown,
    // not at its next value; the same on any resize.
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(() => { if (this.history) this.draw(this.history); }).observe(element);
    }
  }

  // Draw `history`; the canvas follows its box's size (read once per draw, cheap: no
  // layout is dirty at draw time in a frame callback).
  draw(history) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(this.element.clientWidth, 1), height = Math.max(this.element.clientHeight, 1);
    if (this.canvas.width !== Math.round(width * ratio)) this.canvas.width = Math.round(width * ratio);
    if (this.canvas.height !== Math.round(height * ratio)) this.canvas.height = Math.round(height * ratio);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    this.points = sparkPoints(history, width, height, this.style.width);
    this.history = history || [];
    this.canvas.dataset.points = String(this.points.length);
    if (this.points.length) this.stroke(ctx, height);
  }

  stroke(ctx, height) {
    const { colour, width, fill } = this.style;
    const pts = this.points;
    ctx.beginPath();
    if (pts.length === 1) {  // one point: a dot, not an invisible zero-length line
      ctx.arc(pts[0][0], pts[0][1], width, 0, 2 * Math.PI);
      ctx.fillStyle = colour;
      ctx.fill();
      return;
    }
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
    ctx.lineWidth = width;
    ctx.strokeStyle = colour;
    ctx.lineJoin = "round";
    ctx.stroke();
    if (!fill) return;
    ctx.lineTo(pts[pts.length - 1][0], height);
    ctx.lineTo(pts[0][0], height);
    ctx.closePath();
    ctx.globalAlpha = 0.25;
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.globalAlpha = 1;
  }
}
