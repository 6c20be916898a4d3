// The agent grid on screen: one card per agent, built once, kept in a map from statistic
// id to card, so an update rewrites only the cards whose state, reason or time changed
// (no rebuild per update, at 500 agents: bench/agent_grid.py). Sorting and filtering move
// or hide existing cards, at most once per animation frame, and only when an update can
// change the order. The choice lives in the query string (agent-grid-model.js), so a
// wallboard URL carries it; kiosk screens show no controls, only what the URL chose.

import { agentField } from "./agent-fields.js";
import { formatDuration } from "./format.js";
import {
  SORTS, STATE_LABEL, STATE_ORDER, agentRow, gridQuery, movesOrder, orderIds, parseGridQuery, stateText,
  timeLevel,
} from "./agent-grid-model.js";

function el(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;  // names come from the upstream: text, never markup
  return node;
}

export class AgentGrid {
  // `agentLink(agent)`: the agent page's URL, or null (kiosk); `onChoice`: after a control changed.
  // `decorate(agent)`: an element to add under the agent's name (skill tags), or null.
  constructor(box, widget, { interactive = true, agentLink = null, decorate = null, search = location.search } = {}) {
    this.box = box;
    this.widget = widget;
    this.choice = parseGridQuery(search);
    this.agentLink = agentLink;
    this.decorate = decorate;
    this.cards = new Map();
    this.order = [];
    this.frame = null;
    this.count = el("span", "grid-count");
    if (interactive) box.before(this.toolbar());
    else if (this.describeChoice()) box.before(el("p", "grid-choice", this.describeChoice()));
    for (const agent of widget.statistics) this.cards.set(agent.id, this.card(agent));
    this.box.append(...[...this.cards.values()].map((c) => c.el));
    this.reorder();
  }

  card(agent) {
    const node = el("div", "agent state-Unknown");
    node.dataset.agent = agent.objectId;
    const name = this.agentLink ? el("a", "name", agent.label) : el("span", "name", agent.label);
    if (this.agentLink) name.href = this.agentLink(agent);
    const st = el("span", "st", "–"), tis = el("span", "tis");
    node.append(name, st, tis);
    const extra = this.decorate?.(agent);
    if (extra) node.append(extra);
    return { el: node, st, tis, agent, row: { state: "Unknown", reason: "", since: null }, level: "ok", text: "" };
  }

  // Apply new values: `changed` is the set of statistic ids that arrived (null: all).
  update(values, changed = null) {
    let dirty = false;
    for (const id of changed ?? this.cards.keys()) {
      const card = this.cards.get(id);
      if (!card) continue;
      const row = agentRow(values.get(id), agentField);
      const before = card.row;
      if (before.state === row.state && before.reason === row.reason && before.since === row.since && card.drawn) continue;
      dirty = dirty || movesOrder(card.drawn ? before : null, row, this.choice);
      card.row = row;
      card.drawn = true;
      card.el.className = `agent state-${row.state}`;
      card.st.textContent = stateText(row);
      this.tickCard(card, Date.now());
    }
    if (dirty) this.scheduleReorder();
  }

  scheduleReorder() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.reorder(); });
  }

  // Show the matching cards in order, moving only those out of place.
  reorder() {
    const entries = [...this.cards].map(([id, card]) => ({ id, agent: card.agent, row: card.row }));
    const ids = orderIds(entries, this.choice);
    const shown = new Set(ids);
    for (const [id, card] of this.cards) card.el.hidden = !shown.has(id);
    let cursor = this.box.firstElementChild;
    for (const id of ids) {
      const node = this.cards.get(id).el;
      if (node === cursor) cursor = cursor.nextElementSibling;
      else this.box.insertBefore(node, cursor);
    }
    this.order = ids;
    this.count.textContent = `${ids.length} of ${this.cards.size} agents`;
  }

  // Once a second: time in state, and its colour past the limits.
  tick(now = Date.now()) {
    for (const id of this.order) this.tickCard(this.cards.get(id), now);
  }

  tickCard(card, now) {
    const seconds = card.row.since ? Math.max(0, (now - card.row.since) / 1000) : null;
    const text = seconds == null ? "" : formatDuration(seconds);
    if (card.tis.textContent !== text) card.tis.textContent = text;
    const level = timeLevel(card.row.state, seconds, this.choice.limits);
    if (level !== card.level) {
      card.level = level;
      card.el.classList.remove("tis-warning", "tis-critical");
      if (level !== "ok") card.el.classList.add(`tis-${level}`);
      card.tis.title = level === "ok" ? "" : `long ${STATE_LABEL[card.row.state].toLowerCase()} (${level})`;
    }
  }

  choose(change) {
    Object.assign(this.choice, change);
    history.replaceState(history.state, "", location.pathname + gridQuery(this.choice, location.search) + location.hash);
    this.reorder();
  }

  describeChoice() {
    const c = this.choice, parts = [];
    if (c.states.size) parts.push([...c.states].map((s) => STATE_LABEL[s]).join(", "));
    if (c.skill) parts.push(`skill ${c.skill}`);
    if (c.group) parts.push(`group ${c.group}`);
    if (c.q) parts.push(`“${c.q}”`);
    if (c.sort !== "name") parts.push(`by ${SORTS[c.sort].toLowerCase()}`);
    return parts.join(" · ");
  }

  toolbar() {
    const bar = el("div", "grid-tools");
    bar.setAttribute("role", "search");
    const search = el("input", "grid-search");
    Object.assign(search, { type: "search", placeholder: "Find agent, reason…", value: this.choice.q });
    search.setAttribute("aria-label", "Find agents");
    search.addEventListener("input", () => this.choose({ q: search.value }));
    bar.append(search, this.stateChips(), this.select("skill", "Skill", this.names((a) => (a.skills || []).map((s) => s.name))),
               this.select("group", "Group", this.names((a) => a.groups || [])), this.sortControls(), this.count);
    return bar;
  }

  names(of) {
    return [...new Set(this.widget.statistics.flatMap(of))].sort();
  }

  stateChips() {
    const box = el("span", "state-chips");
    for (const state of STATE_ORDER.slice(0, 5)) {
      const chip = el("button", `chip state-${state}`, STATE_LABEL[state]);
      chip.type = "button";
      chip.dataset.state = state;
      chip.setAttribute("aria-pressed", String(this.choice.states.has(state)));
      chip.addEventListener("click", () => {
        const states = new Set(this.choice.states);
        if (states.has(state)) states.delete(state); else states.add(state);
        chip.setAttribute("aria-pressed", String(states.has(state)));
        this.choose({ states });
      });
      box.append(chip);
    }
    return box;
  }

  select(key, label, options) {
    const select = el("select", `grid-${key}`);
    select.setAttribute("aria-label", label);
    select.append(new Option(`Any ${label.toLowerCase()}`, ""), ...options.map((o) => new Option(o, o)));
    if (this.choice[key] && !options.includes(this.choice[key])) select.append(new Option(this.choice[key], this.choice[key]));
    select.value = this.choice[key];
    select.hidden = !options.length && !this.choice[key];
    select.addEventListener("change", () => this.choose({ [key]: select.value }));
    return select;
  }

  sortControls() {
    const select = el("select", "grid-sort");
    select.setAttribute("aria-label", "Sort by");
    select.append(...Object.entries(SORTS).map(([value, text]) => new Option(`Sort: ${text}`, value)));
    select.value = this.choice.sort;
    select.addEventListener("change", () => this.choose({ sort: select.value }));
    const dir = el("button", "grid-dir", this.choice.dir === "desc" ? "↓" : "↑");
    dir.type = "button";
    dir.setAttribute("aria-label", "Reverse the order");
    dir.addEventListener("click", () => {
      this.choose({ dir: this.choice.dir === "desc" ? "asc" : "desc" });
      dir.textContent = this.choice.dir === "desc" ? "↓" : "↑";
    });
    const box = el("span", "grid-sorting");
    box.append(select, dir);
    return box;
  }
}
