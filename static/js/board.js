// One dashboard on screen: its tiles, the latest values, freshness and breaches.
// Used by the supervisor page and by each page of a wallboard.

import { Chart } from "./charts.js";
import { agentField } from "./agent-fields.js";
import { buildCoverage, drawCoverage } from "./coverage.js";
import { LEVEL_TEXT, formatDuration, formatValue, levelOf } from "./format.js";
import { buildTable, updateTable } from "./table.js";
import { agentView, freshnessOf, mergeStat, trendOf, worstLevel } from "./values.js";

const LEVEL_COLOURS = { ok: "#2da44e", warning: "#bf8700", critical: "#cf222e" };

export class Board {
  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.historyLength = page.history;  // the bridge's length (dashboard/boards/page_config.py)
    this.values = new Map();
    this.receivedAt = new Map();
    this.live = false;  // `default`'s link (and the socket) is up
    this.connectionsLive = new Map();  // the same per other connection (socket.js connectionsLive)
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
      const table = tile.body.appendChild(node("table", "queues", null, [node("thead"), node("tbody")]));
      tile.cells = buildTable(table, widget.statistics, widget.thresholds);
    } else if (widget.kind === "skill-coverage") {
      tile.coverage = buildCoverage(tile.body, widget, this.page.skill);
    }
    const chartEl = tile.body.querySelector(".chart");
    if (chartEl && widget.figure) tile.chart = new Chart(chartEl, widget);
    return tile;
  }

  apply(stats, snapshot = false) {
    const touched = new Set();
    const changed = new Set();
    const now = Date.now();
    for (const stat of stats) {
      const entry = mergeStat(this.values.get(stat.id), stat, this.historyLength);
      if (!entry) continue;
      this.values.set(stat.id, entry);
      this.receivedAt.set(stat.id, now);
      changed.add(stat.id);
      for (const tile of this.byStat.get(stat.id) || []) touched.add(tile);
    }
    for (const tile of snapshot ? this.tiles : touched) this.draw(tile, snapshot ? null : changed);  // each tile once
  }

  // `changed`: the statistic ids this update brought (null: redraw everything).
  draw(tile, changed = null) {
    const { widget } = tile;
    const first = widget.statistics[0];
    const current = first ? this.values.get(first.id) : undefined;
    if (widget.kind === "kpi") this.drawKpi(tile, first, current);
    if (widget.kind === "agent-grid") this.drawAgents(tile);
    if (widget.kind === "table") updateTable(tile.cells, this.values, widget.thresholds, changed);
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
    const trend = trendOf(current?.history, current?.value);
    if (trend) {
      const arrow = tile.body.querySelector(".trend");
      arrow.textContent = trend.arrow;
      arrow.title = `change: ${trend.delta > 0 ? "+" : ""}${formatValue(trend.delta, stat.unit)}`;
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
      const view = agentView(this.values.get(s.id), agentField);
      const cell = tile.cells.get(s.id);
      cell.className = `agent state-${view.state}`;
      cell.querySelector(".st").textContent = view.text;
      cell.dataset.since = view.since;
    }
    this.tickAgents(tile);
  }

  tickAgents(tile) {
    for (const cell of tile.cells?.values() || []) {
      const since = Number(cell.dataset.since);
      cell.querySelector(".tis").textContent = since ? formatDuration((Date.now() - since) / 1000) : "";
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
    return worstLevel(tile.widget.statistics, this.values, tile.widget.thresholds);
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
    return freshnessOf(tile.widget.statistics, this.receivedAt, this.values, this.liveFor(tile.widget.statistics));
  }

  // A tile is live while the link of every connection it shows is: an outage of one
  // connection greys only its tiles (a connection not heard from yet counts as down).
  liveFor(statistics) {
    return statistics.every((s) => (s.connection ? this.connectionsLive.get(s.connection) === true : this.live))
      && (statistics.length > 0 || this.live);
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
