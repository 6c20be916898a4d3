// The side panel for the selected widget: title, type, width, thresholds with the live
// value beside them, its statistics (label, unit, remove) and the picker to add one.

import { el, formatLive, input, labelled, select } from "./dom.js";
import { gettext, interpolate } from "../i18n.js";
import { Picker } from "./picker.js";
import { tidyHistoryOptions, timeZoneField, widgetHistoryFields } from "./history-fields.js";

export class Panel {
  constructor(root, { api, catalog, palette, columns, onChange, onColumns, onDeselect }) {
    Object.assign(this, { root, api, catalog, palette, columns, onChange, onColumns, onDeselect });
    this.widget = null;
    this.keys = [];
    this.liveNodes = [];
  }

  show(widget, keys, values, document) {
    this.widget = widget;
    this.keys = keys || [];
    if (!widget) {
      this.showDashboard(document);
      return;
    }
    const w = widget;
    const title = input("text", w.title);
    title.addEventListener("input", () => { w.title = title.value; this.onChange(false); });
    const type = select(this.palette.map((p) => [p.type, p.label]), w.type);
    type.addEventListener("change", () => {
      const coverage = type.value === "skill-coverage";
      if (coverage !== (w.type === "skill-coverage")) {  // skills instead of statistics, or back
        if (coverage) { w.skills = w.skills || []; delete w.statistics; } else { w.statistics = w.statistics || []; delete w.skills; }
      }
      w.type = type.value;
      tidyHistoryOptions(w);
      this.onChange(true);
    });
    const width = input("number", w.width || 1, { min: "1", max: String(this.columns) });
    width.addEventListener("change", () => { w.width = Math.max(1, Math.min(this.columns, Number(width.value) || 1)); this.onChange(false); });
    const what = w.type === "skill-coverage" ? [this.skills(w)]
      : [this.statistics(w), new Picker(this.api, this.catalog, (stat) => this.add(stat)).root];
    const back = el("button", "", gettext("Dashboard settings"));
    back.type = "button";
    back.addEventListener("click", () => this.onDeselect());
    this.root.replaceChildren(el("h2", "", gettext("Widget settings")), back, labelled(gettext("Title"), title), labelled(gettext("Type"), type),
                              labelled(gettext("Width (columns)"), width), ...widgetHistoryFields(w, () => this.onChange(false)),
                              this.thresholds(w), ...what);
    this.showValues(values);
  }

  // With no widget selected: the dashboard's own settings (who sees it, its grid).
  showDashboard(d) {
    const title = input("text", d.title || "");
    title.addEventListener("input", () => { d.title = title.value; this.onChange(false); });
    const columns = input("number", d.columns || 4, { min: "1", max: "12" });
    columns.addEventListener("change", () => { d.columns = Math.max(1, Math.min(12, Number(columns.value) || 4)); this.onColumns(d.columns); });
    const groups = input("text", (d.groups || []).join(", "), { placeholder: gettext("Supervisors") });
    groups.addEventListener("change", () => {
      d.groups = groups.value.split(",").map((g) => g.trim()).filter(Boolean).sort();
      this.onChange(false);
    });
    this.root.replaceChildren(el("h2", "", gettext("Dashboard settings")),
                              el("p", "hint", gettext("Add a widget from the palette, or select one to edit it.")),
                              labelled(gettext("Dashboard title"), title), labelled(gettext("Columns"), columns),
                              labelled(gettext("Shared with groups (comma-separated)"), groups),
                              timeZoneField(d, () => this.onChange(false)));
  }

  thresholds(w) {
    const t = w.thresholds || {};
    const box = el("fieldset");
    const number = (key) => {
      const field = input("number", t[key] ?? "", { step: "any" });
      field.addEventListener("change", () => this.setThreshold(key, field.value === "" ? null : Number(field.value)));
      return labelled(key === "warning" ? gettext("Warning at") : gettext("Critical at"), field);
    };
    const direction = select([["above", gettext("breach when above")], ["below", gettext("breach when below")]], t.direction || "above");
    direction.addEventListener("change", () => this.setThreshold("direction", direction.value));
    this.liveNodes = [el("span", "live-value", "–")];
    box.append(el("legend", "", gettext("Thresholds")), el("p", "", gettext("Now: "), this.liveNodes), number("warning"),
               number("critical"), labelled(gettext("Direction"), direction));
    return box;
  }

  setThreshold(key, value) {
    const t = { warning: null, critical: null, direction: "above", ...(this.widget.thresholds || {}) };
    t[key] = value;
    this.widget.thresholds = t.warning == null && t.critical == null ? undefined : t;
    if (!this.widget.thresholds) delete this.widget.thresholds;
    this.onChange(false);
  }

  statistics(w) {
    const list = el("ul", "stat-edit");
    (w.statistics || []).forEach((s, i) => {
      const label = input("text", s.label || "", { placeholder: s.name || gettext("label") });
      label.addEventListener("change", () => { s.label = label.value; if (!s.label) delete s.label; this.onChange(false); });
      const unit = select(this.catalog.unitChoices || this.catalog.units, s.unit || "count");
      unit.addEventListener("change", () => { s.unit = unit.value; this.onChange(false); });
      const remove = el("button", "", gettext("Remove"));
      remove.type = "button";
      remove.addEventListener("click", () => { w.statistics.splice(i, 1); this.onChange(true); });
      const what = s.name || interpolate(gettext("ad hoc {category}"), { category: s.definition?.category || "" });
      const where = s.connection ? ` · ${s.connection}` : "";  // default: today's single upstream
      list.append(el("li", "", null, [el("div", "", `${what} · ${s.objectType} ${s.objectId}${where}`),
                                       el("div", "row", null, [labelled(gettext("Label"), label), labelled(gettext("Unit"), unit), remove])]));
    });
    return el("fieldset", "", null, [el("legend", "", gettext("Statistics")), list]);
  }

  skills(w) {
    const names = input("text", (w.skills || []).join(", "), { placeholder: gettext("English, Spanish") });
    names.addEventListener("change", () => {
      w.skills = names.value.split(",").map((n) => n.trim()).filter(Boolean);
      this.onChange(false);
    });
    return el("fieldset", "", null, [el("legend", "", gettext("Skills")), labelled(gettext("Skill names (comma-separated)"), names)]);
  }

  add(stat) {
    this.widget.statistics = [...(this.widget.statistics || []), stat];
    if (!this.widget.title || this.widget.title === gettext("New widget")) this.widget.title = stat.label || stat.name || gettext("New widget");
    this.onChange(true);
  }

  showValues(values) {
    if (!this.widget || !this.liveNodes.length) return;
    const stat = (this.widget.statistics || [])[0];
    const value = values.get((this.keys || [])[0]);
    this.liveNodes[0].textContent = !stat ? gettext("no statistic yet")
      : value === undefined ? gettext("no live value (published statistics only)") : formatLive(value.value, stat.unit);
  }
}
