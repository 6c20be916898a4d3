// The statistic picker: a pre-configured name (human label, unit) or an ad-hoc
// definition built field by field (choices from the server's grammar tables, with a
// JSON view for experts), an object browsed by type with search or typed freely, and
// "test this statistic": a peek that runs as you pick.

import { el, formatLive, input, labelled, select } from "./dom.js";

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
    const mode = select([["name", "Pre-configured statistic"], ["definition", "Ad-hoc definition"]], c.mode);
    mode.addEventListener("change", () => { c.mode = mode.value; this.build(); this.changed(); });
    this.root.replaceChildren(el("legend", "", "Add a statistic"), ...this.connectionField(), labelled("Kind", mode),
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
    return [labelled("Connection", choice)];
  }

  nameFields() {
    const search = input("search", "", { placeholder: "calls waiting, handling…" });
    const names = select([], "");
    const fill = () => {
      const q = search.value.trim().toLowerCase();
      const shown = this.catalog.names.filter((n) => !q || n.label.toLowerCase().includes(q) || n.name.toLowerCase().includes(q));
      names.replaceChildren(el("option", "", "— choose —"), ...shown.map((n) => {
        const option = el("option", "", `${n.label} (${n.unit}) · ${n.name}`);
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
    const free = input("text", "", { placeholder: "or type a name configured in your Stat Server" });
    free.addEventListener("change", () => { if (free.value.trim()) { this.choice.name = free.value.trim(); this.changed(); } });
    fill();
    return [labelled("Search statistics", search), labelled("Statistic", names), labelled("Other name", free)];
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
      return labelled(field.documented ? field.name : `${field.name} (not in the API reference)`, control);
    });
    json.value = JSON.stringify(def, null, 2);
    json.addEventListener("change", () => {
      try {
        const parsed = JSON.parse(json.value);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("an object");
        const unknown = Object.keys(parsed).filter((k) => !this.catalog.knownFields.includes(k));
        warn.textContent = unknown.length ? `Unknown fields: ${unknown.join(", ")}` : "";
        this.choice.definition = parsed;
        this.build();
        this.changed();
      } catch (error) {
        warn.textContent = `Not valid JSON: ${error.message}`;
      }
    });
    const unit = select(this.catalog.units, this.choice.unit);
    unit.addEventListener("change", () => { this.choice.unit = unit.value; });
    const label = input("text", this.choice.label || "");
    label.addEventListener("change", () => { this.choice.label = label.value; });
    return [...controls, ...lists, labelled("Definition (JSON)", json), warn, labelled("Unit", unit), labelled("Label", label)];
  }

  objectFields() {
    this.typeSelect = select(this.catalog.objectTypes, this.choice.objectType);
    const search = input("search", "", { placeholder: "id or name" });
    this.objectList = el("ul", "objects");
    this.objectList.setAttribute("aria-label", "Objects");
    this.objectId = input("text", this.choice.objectId);
    this.typeSelect.addEventListener("change", () => { this.choice.objectType = this.typeSelect.value; this.searchObjects(search.value); this.changed(); });
    search.addEventListener("input", () => this.searchObjects(search.value));
    this.objectId.addEventListener("change", () => { this.choice.objectId = this.objectId.value.trim(); this.changed(); });
    this.searchObjects("");
    return [labelled("Object type", this.typeSelect), labelled("Search objects", search), this.objectList,
            labelled("Object id", this.objectId)];
  }

  async searchObjects(query = "") {
    const seq = ++this.searchSeq;
    const { ok, data } = await this.api.objects(this.choice.objectType, query, this.choice.connection);
    if (!ok || seq !== this.searchSeq) return;  // a slower reply to an older search: a newer one is drawn
    this.objectList.replaceChildren(...data.objects.map((o) => {
      const button = el("button", "", o.name === o.objectId ? o.objectId : `${o.name} (${o.objectId})`);
      button.type = "button";
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
    const button = el("button", "primary", "Add to widget");
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
    this.peekBox.textContent = "Testing this statistic…";
    const { data } = await this.api.peek(this.entry());
    if (seq !== this.peekSeq) return;  // a newer pick is on its way
    this.peekBox.classList.toggle("bad", !data.ok);
    if (!data.ok) this.peekBox.textContent = `Refused: ${data.error}`;
    else this.peekBox.textContent = `Current value: ${formatLive(data.value, this.choice.unit)}`;
    for (const warning of data.warnings || []) this.peekBox.append(el("div", "hint", `Warning: ${warning}`));
  }
}
