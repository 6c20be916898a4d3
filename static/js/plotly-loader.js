// Loads plotly.js after the page's first values are on screen, not before them (issue 20).
//
// Why: plotly.min.js is 4.8 MB; as a classic <script> in the page it is fetched, parsed and
// run before the ES modules start, so a 500-agent dashboard with one trend chart showed
// its first values after ~1.6 s instead of ~0.85 s. Only chart tiles need it, and they can
// fill a moment later: charts.js awaits ensurePlotly() before its first Plotly call.
//
// The URL is our own static copy (dashboard/project/staticfiles.py), named by the page
// template on its module script (`data-plotly-src`), so the CSP's script-src 'self' allows
// the injected tag and a wallboard in a closed network needs nothing from outside.
// Pages without a Plotly chart carry no data-plotly-src and never call this.

let loading = null;

// The plotly.js URL the page template gave, or null.
export function plotlySource(doc) {
  return doc?.querySelector("script[data-plotly-src]")?.dataset?.plotlySrc || null;
}

// Run `fn` once the current frame has been painted (a frame, then a task), so the values
// drawn with it reach the screen before plotly.js takes the main thread for its parse.
export function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

// A promise of window.Plotly: at once if present, else one <script> tag injected after
// the next paint, shared by every caller. A failed load rejects with a clear message and
// the next call tries again (a kiosk whose server was restarting recovers).
export function ensurePlotly({ win = globalThis, doc = globalThis.document, later = afterPaint } = {}) {
  if (win.Plotly) return Promise.resolve(win.Plotly);
  loading ??= new Promise((resolve, reject) => {
    const src = plotlySource(doc);
    if (!src) {
      reject(new Error("plotly.js: this page names no source (data-plotly-src on its module script)"));
      return;
    }
    later(() => {
      const script = doc.createElement("script");
      script.src = src;
      script.async = true;
      script.dataset.plotlyLoader = "";
      script.addEventListener("load", () => {
        if (win.Plotly) resolve(win.Plotly);
        else reject(new Error(`plotly.js: ${src} ran but defined no window.Plotly`));
      });
      script.addEventListener("error", () => {
        script.remove();
        reject(new Error(`plotly.js did not load from ${src}`));
      });
      doc.head.append(script);
    });
  }).catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

// For tests: forget a load under way.
export function resetPlotlyLoader() {
  loading = null;
}
