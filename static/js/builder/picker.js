// The statistic picker: a pre-configured name (human label, unit) or an ad-hoc
// definition built field by field (choices from the server's grammar tables, with a
// JSON view for experts), an object browsed by type with search or typed freely, and
// "test this statistic": a peek that runs as you pick. Objects come from the dashboards'
// configuration, Genesys' configuration listing (Provisioning API, with its error shown
// beside the list when it fails) and the skills data.

import { el, formatLive, input, labelled, select } from "./dom.js";
import { gettext, interpolate, pageLocale } from "../i18n.js";

/** A unit as the server names it in the editor's language (catalog.unitChoices), else its value. */
export function unitName(catalog, unit) {
  const found = (catalog.unitChoices || []).find(([value]) => value === unit);
  return found ? found[1] : unit;
}

export class Picker {
  constructor(api, catalog, onPick) {
    Object.assign(this, { api, catalog, onPick });
    this.choice = { mode: "name", name: "", objectType: "Queue", objectId: "", definition: { category: "" }, unit: "count",
                    connection: "default" };
    this.peekTimer = null;
    this.peekSeq = 0;
    this.searchSeq = 0;
    this.root = el("fieldset", "picker");
    this.build();
  }

  build() {
    const c = this.choice;
    const mode = select([["name", gettext("Pre-configured statistic")], ["definition", gettext("Ad-hoc definition")]], c.mode);
    mode.addEventListener("change", () => { c.mode = mode.value; this.build(); this.changed(); });
    this.root.replaceChildren(el("legend", "", gettext("Add a statistic")), ...this.connectionField(), labelled(gettext("Kind"), mode),
                              ...(c.mode === "name" ? this.nameFields() : this.definitionFields()),
                              ...this.objectFields(), this.peekBox = el("div", "peek", "", []),
                              this.addButton());
    this.peekBox.setAttribute("role", "status");
    this.peekBox.hidden = true;
  }

  connectionField() {
    // Several Genesys connections (tenants): which one serves this statistic. One: no choice.
    const names = this.catalog.connections || ["default"];
    if (names.length < 2) return [];
    const choice = select(names, this.choice.connection);
    choice.addEventListener("change", () => { this.choice.connection = choice.value; this.searchObjects(); this.changed(); });
    return [labelled(gettext("Connection"), choice)];
  }

  nameFields() {
    const search = input("search", "", { placeholder: gettext("calls waiting, handling…") });
    const names = select([], "");
    const fill = () => {
      const q = search.value.trim().toLowerCase();
      const shown = this.catalog.names.filter((n) => !q || n.label.toLowerCase().includes(q) || n.name.toLowerCase().includes(q));
      names.replaceChildren(el("option", "", gettext("— choose —")), ...shown.map((n) => {
        const option = el("option", "", `${n.label} (${unitName(this.catalog, n.unit)}) · ${n.name}`);
        option.value = n.name;
        return option;
      }));
      names.firstChild.value = "";
      names.value = this.choice.name;
    };
    search.addEventListener("input", fill);
    names.addEventListener("change", () => {
      const picked = this.catalog.names.find((n) => n.name === names.value);
      this.choice.name = names.value;
      if (picked) {
        this.choice.unit = picked.unit;
        this.choice.label = picked.label;
        if (picked.objectTypes.length && !picked.objectTypes.includes(this.choice.objectType)) {
          this.choice.objectType = picked.objectTypes[0];
          this.typeSelect.value = this.choice.objectType;
          this.searchObjects();
        }
      }
      this.changed();
    });
    const free = input("text", "", { placeholder: gettext("or type a name configured in your Stat Server") });
    free.addEventListener("change", () => { if (free.value.trim()) { this.choice.name = free.value.trim(); this.changed(); } });
    fill();
    return [labelled(gettext("Search statistics"), search), labelled(gettext("Statistic"), names), labelled(gettext("Other name"), free)];
  }

  definitionFields() {
    const def = this.choice.definition;
    const json = el("textarea");
    json.spellcheck = false;
    const warn = el("p", "hint", "");
    const lists = [];
    const controls = this.catalog.definitionFields.map((field) => {
      // Known names are suggestions, not limits: the tenant's Stat Server may know more.
      const numeric = field.type === "integer" || field.type === "number";
      const control = input(numeric ? "number" : "text", def[field.name] ?? "",
                            numeric ? { step: field.type === "integer" ? "1" : "any" } : {});
      if (numeric && field.minimum != null) control.min = String(field.minimum);
      if (field.choices.length) {
        const list = el("datalist");
        list.id = `choices-${field.name}`;
        list.append(...field.choices.map((c) => { const o = el("option"); o.value = c; return o; }));
        control.setAttribute("list", list.id);
        lists.push(list);
      }
      control.title = field.help;
      control.addEventListener("change", () => {
        const raw = control.value.trim();
        if (raw === "") delete def[field.name];
        else def[field.name] = numeric ? Number(raw) : raw;
        json.value = JSON.stringify(def, null, 2);
        this.changed();
      });
      return labelled(field.documented ? field.name : interpolate(gettext("{field} (not in the API reference)"), { field: field.name }), control);
    });
    json.value = JSON.stringify(def, null, 2);
    json.addEventListener("change", () => {
      try {
        const parsed = JSON.parse(json.value);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("an object");
        const unknown = Object.keys(parsed).filter((k) => !this.catalog.knownFields.includes(k));
        warn.textContent = unknown.length ? interpolate(gettext("Unknown fields: {names}"), { names: unknown.join(", ") }) : "";
        this.choice.definition = parsed;
        this.build();
        this.changed();
      } catch (error) {
        warn.textContent = interpolate(gettext("Not valid JSON: {error}"), { error: error.message });
      }
    });
    const unit = select(this.catalog.unitChoices || this.catalog.units, this.choice.unit);
    unit.addEventListener("change", () => { this.choice.unit = unit.value; });
    const label = input("text", this.choice.label || "");
    label.addEventListener("change", () => { this.choice.label = label.value; });
    return [...controls, ...lists, labelled(gettext("Definition (JSON)"), json), warn, labelled(gettext("Unit"), unit), labelled(gettext("Label"), label)];
  }

  objectFields() {
    this.typeSelect = select(this.catalog.objectTypes, this.choice.objectType);
    const search = input("search", "", { placeholder: gettext("id or name") });
    this.objectList = el("ul", "objects");
    this.objectList.setAttribute("aria-label", gettext("Objects"));
    this.objectId = input("text", this.choice.objectId);
    this.typeSelect.addEventListener("change", () => { this.choice.objectType = this.typeSelect.value; this.searchObjects(search.value); this.changed(); });
    search.addEventListener("input", () => this.searchObjects(search.value));
    this.objectId.addEventListener("change", () => { this.choice.objectId = this.objectId.value.trim(); this.changed(); });
    // Where the list comes from: Genesys' configuration listing (cached), or its error.
    this.objectSource = el("p", "hint objects-source", "");
    this.objectSource.setAttribute("role", "status");
    const refresh = el("button", "", gettext("Refresh from Genesys"));
    refresh.type = "button";
    refresh.addEventListener("click", () => this.searchObjects(search.value, true));
    this.searchObjects("");
    return [labelled(gettext("Object type"), this.typeSelect), labelled(gettext("Search objects"), search), this.objectList,
            this.objectSource, refresh, labelled(gettext("Object id"), this.objectId)];
  }

  showSource(ok, data) {
    const up = data.upstream;
    const bad = !ok || Boolean(up?.error);
    let text;
    if (!ok) text = interpolate(gettext("Could not search objects: {error}"), { error: data.error || gettext("the server refused") });
    else if (!up || !up.listed) text = gettext("Genesys lists no objects of this type: type the object's id.");
    else if (up.error) text = interpolate(gettext("Genesys' object list is unavailable: {error}. Showing configured objects and the skills data only."), { error: up.error });
    else {
      const when = up.fetchedAt ? new Date(up.fetchedAt).toLocaleTimeString(pageLocale()) : "";
      text = interpolate(up.truncated ? gettext("Genesys lists {count} of this type (as of {time}), the first ones only.")
        : gettext("Genesys lists {count} of this type (as of {time})."), { count: up.count, time: when });
    }
    this.objectSource.textContent = text;
    this.objectSource.classList.toggle("bad", bad);
  }

  async searchObjects(query = "", refresh = false) {
    const seq = ++this.searchSeq;
    const { ok, data } = await this.api.objects(this.choice.objectType, query, this.choice.connection, refresh);
    if (seq !== this.searchSeq) return;  // a slower reply to an older search: a newer one is drawn
    this.showSource(ok, data);
    if (!ok) return;
    this.objectList.replaceChildren(...data.objects.map((o) => {
      const button = el("button", "", o.name === o.objectId ? o.objectId : `${o.name} (${o.objectId})`);
      button.type = "button";
      button.title = { configured: gettext("configured here"), upstream: gettext("listed by Genesys"), skills: gettext("from the skills data") }[o.source] || "";
      button.setAttribute("aria-pressed", String(o.objectId === this.choice.objectId));
      button.addEventListener("click", () => {
        this.choice.objectId = o.objectId;
        this.objectId.value = o.objectId;
        [...this.objectList.querySelectorAll("button")].forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
        this.changed();
      });
      return el("li", "", null, [button]);
    }));
  }

  entry() {
    const c = this.choice;
    const stat = { objectType: c.objectType, objectId: c.objectId, unit: c.unit };
    if (c.mode === "name") stat.name = c.name;
    else stat.definition = { ...c.definition };
    if (c.label) stat.label = c.label;
    if (c.connection && c.connection !== "default") stat.connection = c.connection;
    return stat;
  }

  ready() {
    const c = this.choice;
    return c.objectId && c.objectType && (c.mode === "name" ? c.name : c.definition.category);
  }

  addButton() {
    const button = el("button", "primary", gettext("Add to widget"));
    button.type = "button";
    button.addEventListener("click", () => { if (this.ready()) this.onPick(this.entry()); });
    return button;
  }

  changed() {
    clearTimeout(this.peekTimer);
    if (!this.ready()) return;
    this.peekTimer = setTimeout(() => this.peek(), 300);
  }

  async peek() {
    const seq = ++this.peekSeq;
    this.peekBox.hidden = false;
    this.peekBox.className = "peek";
    this.peekBox.textContent = gettext("Testing this statistic…");
    const { data } = await this.api.peek(this.entry());
    if (seq !== this.peekSeq) return;  // a newer pick is on its way
    this.peekBox.classList.toggle("bad", !data.ok);
    if (!data.ok) this.peekBox.textContent = interpolate(gettext("Refused: {error}"), { error: data.error });
    else this.peekBox.textContent = interpolate(gettext("Current value: {value}"), { value: formatLive(data.value, this.choice.unit) });
    for (const warning of data.warnings || []) this.peekBox.append(el("div", "hint", interpolate(gettext("Warning: {text}"), { text: warning })));
  }
}
