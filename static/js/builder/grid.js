// The editable grid: one tile per widget in dashboard order (a widget's place is its
// position; its size is the columns it spans). Pointer: drag the ⠿ handle onto another
// tile to move there, drag the right edge to resize. Keyboard: ←/→ move one place,
// ↑/↓ one row, Shift+←/→ resize, Delete removes, Escape goes back to the dashboard's
// settings; each change is announced.

import { el, formatLive } from "./dom.js";
import { gettext, interpolate, ngettext } from "../i18n.js";

export class EditorGrid {
  constructor(root, { columns, onSelect, onChange, announce }) {
    Object.assign(this, { root, columns, onSelect, onChange, announce });
    this.widgets = [];
    this.keys = [];
    this.values = new Map();
    this.selected = null;
    root.style.setProperty("--columns", columns);
    root.addEventListener("keydown", (e) => this.key(e));
  }

  setColumns(columns) {
    this.columns = columns;
    this.root.style.setProperty("--columns", columns);
  }

  render(widgets, keys, selected) {
    this.widgets = widgets;
    this.keys = keys;
    this.selected = selected;
    const hadFocus = this.root.contains(document.activeElement);
    this.root.replaceChildren(...widgets.map((w, i) => this.tile(w, i)));
    if (hadFocus && selected != null) this.root.children[selected]?.focus();
  }

  tile(widget, index) {
    const tile = el("section", `tile kind-${widget.type}`);
    tile.tabIndex = 0;
    tile.setAttribute("role", "option");
    tile.setAttribute("aria-selected", index === this.selected ? "true" : "false");
    tile.setAttribute("aria-label", interpolate(gettext("{title}, {type}, place {place}, {width} columns wide"),
      { title: widget.title || gettext("untitled"), type: widget.type, place: index + 1, width: widget.width || 1 }));
    tile.dataset.index = index;
    tile.classList.toggle("selected", index === this.selected);
    tile.style.gridColumn = `span ${Math.min(widget.width || 1, this.columns)}`;
    const handle = el("span", "move-handle", "⠿");
    handle.title = gettext("Drag to move");
    const resize = el("span", "resize-handle");
    resize.title = gettext("Drag to resize");
    const stats = (widget.statistics || []).map((s) => el("li", "", s.label || s.name ||
      (s.definition ? interpolate(gettext("ad hoc {category}"), { category: s.definition.category || "" }) : "?") + ` · ${s.objectId}`));
    tile.append(el("header", "", null, [el("h2", "", widget.title || gettext("(untitled)")), handle]),
                el("div", ["kpi", "gauge", "line", "bar", "donut"].includes(widget.type) && (widget.statistics || []).length
                ? "live" : "live empty", this.liveText(index)), el("ul", "stat-list", null, stats), resize);
    tile.addEventListener("click", () => this.select(index));
    handle.addEventListener("pointerdown", (e) => this.drag(e, index));
    resize.addEventListener("pointerdown", (e) => this.resize(e, index, tile));
    return tile;
  }

  liveText(index) {
    const widget = this.widgets[index];
    if (widget.type === "skill-coverage") return (widget.skills || []).join(", ") || gettext("name the skills");
    const key = (this.keys[index] || [])[0];
    const stat = (widget.statistics || [])[0];
    if (!stat) return gettext("pick a statistic");
    if (["agent-grid", "table"].includes(widget.type)) return interpolate(ngettext("{count} statistic", "{count} statistics", widget.statistics.length), { count: widget.statistics.length });
    const value = this.values.get(key);
    return value === undefined ? "–" : formatLive(value.value, stat.unit);
  }

  showValues(values) {
    this.values = values;
    [...this.root.children].forEach((tile, i) => {
      const live = tile.querySelector(".live");
      if (live) live.textContent = this.liveText(i);
    });
  }

  select(index) {
    this.selected = index;
    this.onSelect(index);
  }

  move(from, to, how) {
    to = Math.max(0, Math.min(this.widgets.length - 1, to));
    if (to === from) return;
    const [widget] = this.widgets.splice(from, 1);
    this.widgets.splice(to, 0, widget);
    this.selected = to;
    this.onChange(to);
    this.announce(interpolate(gettext("{title} moved to place {place} of {count}"), { title: widget.title || gettext("Widget"), place: to + 1, count: this.widgets.length }) + how);
  }

  setWidth(index, width) {
    const widget = this.widgets[index];
    width = Math.max(1, Math.min(this.columns, width));
    if (width === (widget.width || 1)) return;
    widget.width = width;
    this.onChange(index);
    this.announce(interpolate(gettext("{title} is {width} of {columns} columns wide"), { title: widget.title || gettext("Widget"), width, columns: this.columns }));
  }

  key(event) {
    const index = Number(event.target.dataset?.index);
    if (!Number.isInteger(index) || event.target.parentElement !== this.root) return;
    const width = this.widgets[index].width || 1;
    const actions = {
      ArrowLeft: () => event.shiftKey ? this.setWidth(index, width - 1) : this.move(index, index - 1, ""),
      ArrowRight: () => event.shiftKey ? this.setWidth(index, width + 1) : this.move(index, index + 1, ""),
      ArrowUp: () => this.move(index, index - this.columns, gettext(" (one row up)")),
      ArrowDown: () => this.move(index, index + this.columns, gettext(" (one row down)")),
      Enter: () => this.select(index),
      " ": () => this.select(index),
      Delete: () => this.remove(index),
      Escape: () => this.select(null),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  remove(index) {
    const [widget] = this.widgets.splice(index, 1);
    this.selected = this.widgets.length ? Math.min(index, this.widgets.length - 1) : null;
    this.onChange(this.selected);
    this.announce(interpolate(gettext("{title} removed"), { title: widget.title || gettext("Widget") }));
  }

  drag(event, from) {
    event.preventDefault();
    const tiles = [...this.root.children];
    tiles[from].classList.add("dragging");
    let target = from;
    const moveTo = (e) => {
      const over = document.elementFromPoint(e.clientX, e.clientY)?.closest(".tile");
      tiles.forEach((t) => t.classList.remove("drop-target"));
      if (over && over.parentElement === this.root) {
        target = Number(over.dataset.index);
        over.classList.add("drop-target");
      }
    };
    const done = () => {
      window.removeEventListener("pointermove", moveTo);
      window.removeEventListener("pointerup", done);
      tiles.forEach((t) => t.classList.remove("dragging", "drop-target"));
      this.move(from, target, "");
    };
    window.addEventListener("pointermove", moveTo);
    window.addEventListener("pointerup", done);
  }

  resize(event, index, tile) {
    event.preventDefault();
    event.stopPropagation();
    const left = tile.getBoundingClientRect().left;
    const column = this.root.clientWidth / this.columns;
    const done = (e) => {
      window.removeEventListener("pointerup", done);
      this.setWidth(index, Math.round((e.clientX - left) / column));
    };
    window.addEventListener("pointerup", done);
  }
}
