// Skill coverage: per skill, how many of its agents are Ready, on a call, in wrap-up
// or Not ready right now. The counts come from the same CurrentAgentState values the
// agent grid draws (STAT.state, named by the bridge: statsbridge/agent_status.py), so
// the two never disagree. Thresholds apply to each skill's Ready count ("fewer than 2
// Ready with Spanish"): the cell gets colour, an icon and words, never colour alone.

import { LEVEL_TEXT, levelOf } from "./format.js";
import { levelIcon } from "./icons.js";

export const COVERAGE_STATES = [
  ["Ready", "Ready"], ["Busy", "On call"], ["AfterCallWork", "Wrap-up"], ["NotReady", "Not ready"],
];
const ORDER = { ok: 0, warning: 1, critical: 2 };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

export function buildCoverage(body, widget, filter) {
  const table = el("table", "coverage");
  const head = table.createTHead().insertRow();
  head.appendChild(el("th", "skill", "Skill")).scope = "col";
  for (const [, label] of COVERAGE_STATES) head.appendChild(el("th", "count", label)).scope = "col";
  const tbody = table.createTBody();
  const rows = new Map();
  for (const skill of widget.skills) {
    const tr = tbody.insertRow();
    tr.className = "skill-row";
    tr.dataset.skill = skill.name;
    const th = tr.appendChild(el("th", "skill"));
    th.scope = "row";
    th.append(el("span", "skill-name", skill.name), el("span", "staffed"));
    const cells = {};
    for (const [state] of COVERAGE_STATES) {
      const td = tr.insertCell();
      td.className = `count state-cell-${state}`;
      td.dataset.skill = skill.name;
      td.dataset.state = state;
      td.dataset.count = "";  // no value yet; a number as soon as the agents' states arrive
      td.append(el("span", "flag"), el("span", "count-value", "–"));
      cells[state] = td;
    }
    const who = tbody.insertRow();
    who.className = "who-row";
    const whoCell = who.insertCell();
    whoCell.colSpan = COVERAGE_STATES.length + 1;
    whoCell.append(el("span", "breach-text"), el("span", "ready-names"), el("span", "soon-names"));
    rows.set(skill.name, { tr, cells, th, whoCell });
  }
  body.appendChild(table);
  if (!widget.skills.length) {
    body.appendChild(el("p", "empty-note", filter ? `No agents with skill “${filter}” on this widget.` : "No skills configured."));
  }
  return rows;
}

// Agents of one skill grouped by their current state; null while none has a value yet
// or while the skill is not known at all (not synced yet: no breach for that).
export function groupByState(skill, values) {
  if (!skill.known) return null;
  const groups = { Ready: [], Busy: [], AfterCallWork: [], NotReady: [], LoggedOut: [], Unknown: [] };
  let known = 0;
  for (const agent of skill.agents) {
    const value = values.get(agent.id);
    if (value) known += 1;
    const state = value?.state && groups[value.state] ? value.state : "Unknown";
    groups[state].push(agent);
  }
  return known || !skill.agents.length ? groups : null;
}

function names(agents, max = 8) {
  const shown = agents.slice(0, max).map((a) => a.name);
  return agents.length > max ? `${shown.join(", ")} +${agents.length - max} more` : shown.join(", ");
}

function describe(level, ready, thresholds) {
  if (level === "ok") return "";
  const limit = thresholds?.[level];
  const bound = thresholds?.direction === "below" ? `at or below ${limit}` : `at or above ${limit}`;
  return `${LEVEL_TEXT[level]}: ${ready} Ready (${level} ${bound})`;
}

function drawRow(row, skill, groups, thresholds) {
  const ready = groups ? groups.Ready.length : null;
  const level = ready == null ? "ok" : levelOf(ready, thresholds);
  for (const [state] of COVERAGE_STATES) {
    const td = row.cells[state];
    const count = groups ? groups[state].length : null;
    td.querySelector(".count-value").textContent = count == null ? "–" : String(count);
    td.dataset.count = count == null ? "" : String(count);
    td.title = groups && groups[state].length ? names(groups[state], 40) : "";
  }
  const readyCell = row.cells.Ready;
  readyCell.className = `count state-cell-Ready level-${level}`;
  const flag = readyCell.querySelector(".flag");
  if (flag.dataset.level !== level) {
    flag.dataset.level = level;
    flag.replaceChildren(...[levelIcon(level)].filter(Boolean));
  }
  readyCell.setAttribute("aria-label", `${skill.name}: ${ready ?? "no data"} Ready${level === "ok" ? "" : ", " + level}`);
  row.tr.className = `skill-row level-${level}`;
  const loggedIn = groups ? skill.agents.length - groups.LoggedOut.length - groups.Unknown.length : null;
  row.th.querySelector(".staffed").textContent = !skill.known ? "not a known skill yet (next skills sync)"
    : skill.agents.length ? `${loggedIn ?? "–"} of ${skill.agents.length} logged in` : "no agents with this skill";
  row.whoCell.querySelector(".breach-text").textContent = describe(level, ready, thresholds);
  row.whoCell.querySelector(".ready-names").textContent = groups?.Ready.length ? `Ready: ${names(groups.Ready)}` : "";
  row.whoCell.querySelector(".soon-names").textContent =
    groups?.AfterCallWork.length ? `Soon free (wrap-up): ${names(groups.AfterCallWork)}` : "";
  return level;
}

// Redraw every skill row; returns the worst level, which the tile wears.
export function drawCoverage(rows, widget, values) {
  let worst = "ok";
  for (const skill of widget.skills) {
    const level = drawRow(rows.get(skill.name), skill, groupByState(skill, values), widget.thresholds);
    if (ORDER[level] > ORDER[worst]) worst = level;
  }
  return worst;
}
