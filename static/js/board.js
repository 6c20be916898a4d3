// One dashboard on screen: its tiles, the latest values, freshness and breaches.
// Used by the supervisor page and by each page of a wallboard.

import { Chart } from "./charts.js";
import { agentField } from "./agent-fields.js";
import { buildCoverage, drawCoverage } from "./coverage.js";
import { LEVEL_TEXT, ago, formatDuration, formatValue, levelOf } from "./format.js";

const HISTORY = 360;
const LEVEL_COLOURS = { ok: "#2da44e", warning: "#bf8700", critical: "#cf222e" };
const STATE_LABEL = { Ready: "Ready", Busy: "On call", AfterCallWork: "Wrap-up", NotReady: "Not ready",
                      LoggedOut: "Logged out", Unknown: "Unknown" };

export class Board {
  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.values = new Map();
    this.receivedAt = new Map();
    this.live = false;
    this.tiles = page.widgets.map((widget) => this.buildTile(widget));
    this.byStat = new Map();
    for (const tile of this.tiles) {
      for (const s of tile.widget.statistics) {
        if (!this.byStat.has(s.id)) this.byStat.set(s.id, []);
        this.byStat.get(s.id).push(tile);
      }
    }
    root.style.setProperty("--columns", page.columns);
  }

  buildTile(widget) {
    const el = document.createElement("section");
    el.className = `tile kind-${widget.kind}`;
    el.style.gridColumn = `span ${Math.min(widget.width, this.page.columns)}`;
    el.dataset.widget = widget.id;
    const badge = node("span", "badge", "");
    badge.setAttribute("role", "status");
    const refusal = node("p", "refusal");
    refusal.setAttribute("role", "alert");
    refusal.hidden = true;
    el.append(node("header", "", null, [node("h2", "", widget.title), badge]),
              refusal, node("div", "body"), node("footer", "fresh"));
    this.root.appendChild(el);
    widget.format = formatValue;
    widget.colourFor = (v) => LEVEL_COLOURS[levelOf(v, widget.thresholds)];
    const tile = { widget, el, body: el.querySelector(".body"), breachSince: null, level: "ok" };
    if (widget.kind === "kpi") {
      tile.body.append(node("div", "kpi", null, [node("span", "big", "–"), node("span", "trend")]),
                       node("div", "chart spark"));
    } else if (["line", "bar", "donut", "gauge"].includes(widget.kind)) {
      tile.body.append(node("div", "chart"));
    } else if (widget.kind === "agent-grid") {
      const agents = tile.body.appendChild(node("div", "agents"));
      if (!widget.statistics.length && this.page.skill) {
        agents.append(node("p", "empty-note", `No agents with skill “${this.page.skill}”.`));
      }
    } else if (widget.kind === "table") {
      tile.body.append(node("table", "queues", null, [node("thead"), node("tbody")]));
    } else if (widget.kind === "skill-coverage") {
      tile.coverage = buildCoverage(tile.body, widget, this.page.skill);
    }
    const chartEl = tile.body.querySelector(".chart");
    if (chartEl && widget.figure) tile.chart = new Chart(chartEl, widget);
    return tile;
  }

  apply(stats, snapshot = false) {
    const touched = new Set();
    const now = Date.now();
    for (const stat of stats) {
      const old = this.values.get(stat.id);
      if (old && stat.timestamp != null && old.timestamp != null && stat.timestamp < old.timestamp) continue;
      let history = stat.history || old?.history || [];
      if (!stat.history && typeof stat.value === "number" && stat.timestamp != null) {
        history = history.concat([[stat.timestamp, stat.value]]).slice(-HISTORY);
      }
      this.values.set(stat.id, { ...stat, history });
      this.receivedAt.set(stat.id, now);
      for (const tile of this.byStat.get(stat.id) || []) touched.add(tile);
    }
    for (const tile of snapshot ? this.tiles : touched) this.draw(tile);  // each tile once
  }

  draw(tile) {
    const { widget } = tile;
    const first = widget.statistics[0];
    const current = first ? this.values.get(first.id) : undefined;
    if (widget.kind === "kpi") this.drawKpi(tile, first, current);
    if (widget.kind === "agent-grid") this.drawAgents(tile);
    if (widget.kind === "table") this.drawTable(tile);
    if (tile.chart) tile.chart.request(this.values);
    this.drawRefusal(tile);
    if (widget.kind === "skill-coverage") {
      this.setLevel(tile, drawCoverage(tile.coverage, widget, this.values));
      return;  // its statistics are agents' states: no single value to show on hover
    }
    this.drawLevel(tile, widget.kind === "bar" || widget.kind === "table" ? null : current?.value);
    if (current) {
      tile.el.title = `raw: ${JSON.stringify(current.raw)}\nupstream time: ${current.timestamp ? new Date(current.timestamp).toLocaleString() : "–"}`;
    }
  }

  // A statistic Genesys refused to open has no value and never will until the
  // configuration changes: the tile says so, with Genesys' message (not "stale").
  drawRefusal(tile) {
    const text = refusalText(tile.widget.statistics, this.values);
    const note = tile.el.querySelector(".refusal");
    note.hidden = !text;
    note.textContent = text || "";
    tile.el.classList.toggle("refused", Boolean(text));
  }

  drawKpi(tile, stat, current) {
    const big = tile.body.querySelector(".big");
    big.textContent = formatValue(current?.value, stat?.unit);
    const history = current?.history || [];
    const trend = tile.body.querySelector(".trend");
    if (history.length > 1) {
      const before = history[Math.max(0, history.length - 12)][1];
      const delta = current.value - before;
      trend.textContent = delta > 0 ? "▲" : delta < 0 ? "▼" : "▬";
      trend.title = `change: ${delta > 0 ? "+" : ""}${formatValue(delta, stat.unit)}`;
    }
  }

  drawAgents(tile) {
    const box = tile.body.querySelector(".agents");
    if (!tile.cells) {
      tile.cells = new Map();
      for (const s of tile.widget.statistics) {
        const cell = document.createElement("div");
        cell.className = "agent state-Unknown";
        cell.append(node("span", "name", s.label), node("span", "st", "–"), node("span", "tis"));
        cell.dataset.agent = s.objectId;
        if (s.skills?.length || s.clusters?.length) cell.appendChild(skillTags(s));
        box.appendChild(cell);
        tile.cells.set(s.id, cell);
      }
    }
    for (const s of tile.widget.statistics) {
      const v = this.values.get(s.id);
      const cell = tile.cells.get(s.id);
      const state = v?.state || "Unknown";
      cell.className = `agent state-${state}`;
      const reasonCode = agentField(v?.raw, "ReasonCode");
      const reason = reasonCode ? ` · ${reasonCode}` : "";
      cell.querySelector(".st").textContent = (STATE_LABEL[state] || state) + reason;
      const time = agentField(v?.raw, "Time");
      cell.dataset.since = typeof time === "number" && time > 0 ? time * 1000 : "";
    }
    this.tickAgents(tile);
  }

  tickAgents(tile) {
    for (const cell of tile.cells?.values() || []) {
      const since = Number(cell.dataset.since);
      cell.querySelector(".tis").textContent = since ? formatDuration((Date.now() - since) / 1000) : "";
    }
  }

  drawTable(tile) {
    const names = [...new Set(tile.widget.statistics.map((s) => s.name || s.label))];
    const rows = [...new Set(tile.widget.statistics.map((s) => s.objectId))];
    const head = tile.body.querySelector("thead");
    if (!head.children.length) {
      const titles = names.map((n) => node("th", "", String(n).replace(/([a-z])([A-Z])/g, "$1 $2")));
      head.append(node("tr", "", null, [node("th", "", "Queue"), ...titles]));
    }
    const body = tile.body.querySelector("tbody");
    body.replaceChildren();
    for (const objectId of rows) {
      const tr = document.createElement("tr");
      const label = tile.widget.statistics.find((s) => s.objectId === objectId)?.label || objectId;
      tr.append(node("th", "", label), ...names.map(() => node("td")));
      names.forEach((name, i) => {
        const s = tile.widget.statistics.find((x) => x.objectId === objectId && (x.name || x.label) === name);
        const v = s ? this.values.get(s.id) : undefined;
        const td = tr.querySelectorAll("td")[i];
        td.textContent = formatValue(v?.value, s?.unit);
        td.className = `level-${levelOf(v?.value, tile.widget.thresholds)}`;
      });
      body.appendChild(tr);
    }
  }

  drawLevel(tile, value) {
    this.setLevel(tile, value === null ? this.worstLevel(tile) : levelOf(value, tile.widget.thresholds));
  }

  setLevel(tile, level) {
    if (level !== tile.level) tile.breachSince = level === "ok" ? null : Date.now();
    tile.level = level;
    tile.el.classList.remove("level-ok", "level-warning", "level-critical");
    tile.el.classList.add(`level-${level}`);
    this.drawBadge(tile);
  }

  worstLevel(tile) {
    const order = { ok: 0, warning: 1, critical: 2 };
    let worst = "ok";
    for (const s of tile.widget.statistics) {
      const level = levelOf(this.values.get(s.id)?.value, tile.widget.thresholds);
      if (order[level] > order[worst]) worst = level;
    }
    return worst;
  }

  drawBadge(tile) {
    const badge = tile.el.querySelector(".badge");
    if (tile.level === "ok") { badge.textContent = ""; return; }
    const span = tile.breachSince ? formatDuration((Date.now() - tile.breachSince) / 1000) : "";
    badge.textContent = `${LEVEL_TEXT[tile.level]} for ${span}`;
  }

  // Once a second: ages, staleness, time in state, time in breach.
  tick() {
    for (const tile of this.tiles) {
      const fresh = this.freshness(tile);
      tile.el.classList.toggle("stale", !fresh.ok);
      tile.el.querySelector(".fresh").textContent = fresh.text;
      if (tile.widget.kind === "agent-grid") this.tickAgents(tile);
      if (tile.level !== "ok") this.drawBadge(tile);
    }
  }

  freshness(tile) {
    let newest = null, ok = this.live;
    const open = tile.widget.statistics.filter((s) => !this.values.get(s.id)?.refused);
    if (!open.length && tile.widget.statistics.length) return { ok: true, text: "not opened: see above" };
    for (const s of open) {
      const at = this.receivedAt.get(s.id);
      if (at != null) newest = Math.max(newest ?? 0, at);
      if (at == null || (s.expectedPeriod && Date.now() - at > 3 * s.expectedPeriod * 1000)) ok = false;
    }
    const upstream = this.values.get(tile.widget.statistics[0]?.id)?.timestamp;
    const text = ok ? `updated ${ago(upstream ?? newest)}` : `⏸ no update ${newest ? "for " + ago(newest).replace(" ago", "") : "yet"}`;
    return { ok, text };
  }
}

// What a tile says about its statistics Genesys refused ("" when none was refused).
export function refusalText(statistics, values) {
  const refused = statistics.map((s) => values.get(s.id)?.refused).filter(Boolean);
  if (!refused.length) return "";
  const which = refused.length === statistics.length ? "" : ` (${refused.length} of ${statistics.length} statistics)`;
  return `Refused by Genesys${which}: ${[...new Set(refused)].join("; ")}`;
}

// Every name and value reaches the page as text, never as markup: statistic names,
// labels and titles come from admins and from the upstream (issue 14).
export function node(tag, className = "", text = null, children = []) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  if (children.length) el.append(...children);
  return el;
}

// Under an agent's name: skills with their level as small pills, then one line of
// skill clusters with their proficiency (hover for domain-free detail: validation state).
function skillTags(stat) {
  const box = document.createElement("span");
  box.className = "tags";
  const skills = document.createElement("span");
  skills.className = "skills";
  for (const skill of stat.skills || []) {
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = `${skill.name} ${skill.level}`;
    tag.title = `skill ${skill.name}, level ${skill.level}`;
    skills.appendChild(tag);
  }
  const clusters = document.createElement("span");
  clusters.className = "clusters";
  const text = (c) => (c.proficiency != null ? `${c.name} P${c.proficiency}` : c.name);
  clusters.textContent = (stat.clusters || []).map(text).join(" · ");
  clusters.title = (stat.clusters || []).map((c) => `skill cluster ${text(c)}${c.validation ? ` (${c.validation})` : ""}`)
    .join("\n");
  box.append(skills, clusters);
  return box;
}
