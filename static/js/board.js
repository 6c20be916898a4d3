// One dashboard on screen: its tiles, the latest values, freshness and breaches.
// Used by the supervisor page and by each page of a wallboard.

import { AgentGrid } from "./agent-grid.js";
import { Chart } from "./charts.js";
import { addCsvButton } from "./chart-csv.js";
import { buildCoverage, drawCoverage } from "./coverage.js";
import { LEVEL_TEXT, NO_CALLS, formatDuration, formatValue, levelOf, noCalls, shownValue } from "./format.js";
import { gettext, interpolate } from "./i18n.js";
import { levelIcon } from "./icons.js";
import { drillLinks } from "./drill.js";
import { dateTime } from "./time-zone.js";
import { buildTable, updateTable } from "./table.js";
import { compareText, dayReloadDelay } from "./compare.js";
import { buildIntraday, updateIntraday } from "./intraday.js";
import { freshnessOf, mergeStat, trendOf, worstLevel } from "./values.js";

const LEVEL_COLOURS = { ok: "#2da44e", warning: "#bf8700", critical: "#cf222e" };
let dayReloadSet = false;  // one reload per page at the dashboard's next midnight (compare.js)

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
        for (const id of s.offered ? [s.id, s.offered] : [s.id]) {  // "no calls" follows the offered count
          if (!this.byStat.has(id)) this.byStat.set(id, []);
          this.byStat.get(id).push(tile);
        }
      }
    }
    root.style.setProperty("--columns", page.columns);
    this.reloadForNewDay();
  }

  // Comparison lines and intraday rows belong to one day: reload when the next begins.
  reloadForNewDay() {
    if (dayReloadSet || !this.page.widgets.some((w) => w.compare || w.intraday)) return;
    const delay = dayReloadDelay(this.page.day, Date.now());
    if (delay == null) return;
    dayReloadSet = true;
    setTimeout(() => location.reload(), delay);
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
    const links = drillLinks(this.page, widget);
    if (widget.kind === "kpi") {
      tile.body.append(node("div", "kpi", null, [node("span", "big", "–"), node("span", "trend")]),
                       node("div", "chart spark"));
      const queue = links.queue(widget.statistics[0]);
      if (queue) el.querySelector("header").append(linkNode(queue, gettext("Agents ›"), "drill"));
      if (widget.compare) tile.body.querySelector(".kpi").append(node("span", "compare"));
    } else if (["line", "bar", "donut", "gauge"].includes(widget.kind)) {
      tile.body.append(node("div", "chart"));
    } else if (widget.kind === "agent-grid") {
      const agents = tile.body.appendChild(node("div", "agents"));
      if (!widget.statistics.length && this.page.skill) {
        tile.body.append(node("p", "empty-note", interpolate(gettext("No agents with skill “{skill}”."), { skill: this.page.skill })));
      }
      tile.grid = new AgentGrid(agents, widget, {
        interactive: widget.tools !== false && !document.body.classList.contains("wallboard"), agentLink: links.agent,
        decorate: (s) => (s.skills?.length || s.clusters?.length ? skillTags(s) : null),
      });
    } else if (widget.kind === "table") {
      const table = tile.body.appendChild(node("table", "queues", null, [node("thead"), node("tbody")]));
      tile.cells = buildTable(table, widget.statistics, widget.thresholds, links.queue);
    } else if (widget.kind === "intraday") {
      tile.intraday = buildIntraday(tile.body, widget, this.page);
    } else if (widget.kind === "skill-coverage") {
      tile.coverage = buildCoverage(tile.body, widget, this.page.skill);
    }
    const chartEl = tile.body.querySelector(".chart");
    if (chartEl && widget.figure) tile.chart = new Chart(chartEl, widget, links.queue);
    if (tile.chart) addCsvButton(el.querySelector("header"), widget, this.page.slug, () => tile.chart.data(this.values));
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
    if (widget.kind === "agent-grid") tile.grid.update(this.values, changed);
    if (widget.kind === "table") updateTable(tile.cells, this.values, widget.thresholds, changed);
    if (tile.chart) tile.chart.request(this.values);
    if (tile.intraday) updateIntraday(tile.intraday, this.values);
    this.drawRefusal(tile);
    if (widget.kind === "skill-coverage") {
      this.setLevel(tile, drawCoverage(tile.coverage, widget, this.values));
      return;  // its statistics are agents' states: no single value to show on hover
    }
    this.drawLevel(tile, ["bar", "table", "intraday"].includes(widget.kind) ? null : shownValue(first, this.values));
    if (current) {
      tile.el.title = interpolate(gettext("raw: {raw}\nupstream time: {at}"),
        { raw: JSON.stringify(current.raw), at: current.timestamp ? dateTime(current.timestamp) : "–" });
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
    big.textContent = noCalls(stat, this.values) ? NO_CALLS : formatValue(current?.value, stat?.unit);
    big.classList.toggle("no-calls", noCalls(stat, this.values));
    const trend = trendOf(current?.history, current?.value);
    if (trend) {
      const arrow = tile.body.querySelector(".trend");
      arrow.textContent = trend.arrow;
      arrow.title = interpolate(gettext("change: {delta}"),
        { delta: `${trend.delta > 0 ? "+" : ""}${formatValue(trend.delta, stat.unit)}` });
    }
    const compare = tile.body.querySelector(".compare");
    if (compare) compare.textContent = compareText(tile.widget.compare, stat?.id, current?.value, Date.now(), stat?.unit);
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
    if (tile.level === "ok") { badge.replaceChildren(); delete badge.dataset.level; return; }
    const span = tile.breachSince ? formatDuration((Date.now() - tile.breachSince) / 1000) : "";
    const text = interpolate(gettext("{level} for {duration}"), { level: LEVEL_TEXT[tile.level], duration: span });
    if (badge.dataset.level !== tile.level) {
      badge.dataset.level = tile.level;
      badge.replaceChildren(levelIcon(tile.level), node("span", "badge-text"));
    }
    badge.querySelector(".badge-text").textContent = text;
  }

  // Once a second: ages, staleness, time in state, time in breach.
  tick() {
    for (const tile of this.tiles) {
      const fresh = this.freshness(tile);
      tile.el.classList.toggle("stale", !fresh.ok);
      tile.el.querySelector(".fresh").textContent = fresh.text;
      if (tile.widget.kind === "agent-grid") tile.grid.tick();
      if (tile.intraday) updateIntraday(tile.intraday, this.values);  // a new interval begins without a value
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
  const reasons = [...new Set(refused)].join("; ");
  if (refused.length === statistics.length) return interpolate(gettext("Refused by Genesys: {reasons}"), { reasons });
  return interpolate(gettext("Refused by Genesys ({count} of {total} statistics): {reasons}"),
    { count: refused.length, total: statistics.length, reasons });
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

function linkNode(href, text, className) {
  const a = node("a", className, text);
  a.href = href;
  return a;
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
    tag.title = interpolate(gettext("skill {name}, level {level}"), skill);
    skills.appendChild(tag);
  }
  const clusters = document.createElement("span");
  clusters.className = "clusters";
  const text = (c) => (c.proficiency != null ? `${c.name} P${c.proficiency}` : c.name);
  clusters.textContent = (stat.clusters || []).map(text).join(" · ");
  clusters.title = (stat.clusters || [])
    .map((c) => interpolate(gettext("skill cluster {name}"), { name: text(c) }) + (c.validation ? ` (${c.validation})` : ""))
    .join("\n");
  box.append(skills, clusters);
  return box;
}
