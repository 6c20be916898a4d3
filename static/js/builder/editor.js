// The builder page: the draft being edited, saved as you go; Publish, Discard and
// Restore; the subscription budget; live values from the dashboard's socket.

import { Api } from "./api.js";
import { el } from "./dom.js";
import { showEditing } from "./editors.js";
import { EditorGrid } from "./grid.js";
import { gettext, interpolate, pageLocale } from "../i18n.js";
import { Panel } from "./panel.js";
import { Preview } from "./preview.js";
import { LiveSocket } from "../socket.js";

const config = JSON.parse(document.getElementById("builder-config").textContent);
const api = new Api(config);
const $ = (id) => document.getElementById(id);
const announce = (text) => { $("announce").textContent = text; };

let state = null, selected = null, saveTimer = null, saving = Promise.resolve(), preview = null;
let conflicted = false;  // a save was refused: another editor's draft is newer than ours
let generation = 0;  // bumped by every save and action: a check-in sent before one is stale
const seenRevision = () => state.draft?.revision ?? 0;
const editingInfo = (info) => {
  conflicted = showEditing($("editors-text"), $("reload-draft"), info, seenRevision(), config.user) || conflicted;
};
const values = new Map();

const grid = new EditorGrid($("grid"), {
  columns: config.columns, announce,
  onSelect: (index) => { selected = index; renderGrid(); renderPanel(); },
  onChange: (index) => { selected = index; edited(true); },
});
let panel = null;

function widgets() { return state.document.widgets; }

function renderGrid() { grid.render(widgets(), state.keys, selected); grid.showValues(values); }
function renderPanel() {
  panel.show(selected == null ? null : widgets()[selected], state.keys[selected], values, state.document);
}

function message(text, kind) {
  $("message").textContent = text;
  $("message").className = `banner ${kind}`;
  $("message").hidden = !text;
}

function showState(next, keepPanel = false) {
  const doc = state?.document;
  state = next;
  if (keepPanel && doc) state.document = doc;  // the panel holds references into it
  const b = state.budget;
  $("budget").textContent = interpolate(gettext("This draft adds {adds} and removes {removes} upstream statistics: "
    + "{open} open (now {now}) of a budget of {limit}."),
    { adds: b.adds, removes: b.removes, open: b.open_after, now: b.open_now, limit: b.limit });
  $("budget").classList.toggle("over", b.over);
  $("problems").replaceChildren(...state.problems.map((p) => el("li", "", p)),
                                ...(state.warnings || []).map((w) => el("li", "warning", interpolate(gettext("warning: {text}"), { text: w }))));
  $("draft-state").textContent = state.hasDraft ? gettext("Draft: not on screens until you publish") : gettext("Published: no draft");
  $("draft-state").classList.toggle("dirty", state.hasDraft);
  $("publish").disabled = !state.hasDraft;
  $("discard").disabled = !state.hasDraft;
  $("versions").replaceChildren(...state.versions.map((v) => {
    const option = el("option", "", `v${v.number} · ${new Date(v.publishedAt).toLocaleString(pageLocale())} · ${v.publishedBy} · ${v.note}`);
    option.value = v.number;
    return option;
  }));
  $("restore").disabled = !state.versions.length;
  editingInfo(state);
  if (selected != null && selected >= widgets().length) selected = widgets().length ? 0 : null;
  renderGrid();
  if (!keepPanel) renderPanel();
}

function edited(panelToo) {
  state.hasDraft = true;
  $("draft-state").textContent = gettext("Saving draft…");
  renderGrid();
  if (panelToo) renderPanel();
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 400);
}

async function saveNow() {
  if (!state.hasDraft) return;
  const { ok, data } = await api.save(state.document, seenRevision());
  if (data.conflict) { conflicted = true; editingInfo(data); $("reload-draft").hidden = false; }
  if (!ok) { message(data.error || gettext("Could not save the draft"), "bad"); return; }
  showState(data, true);
  panel.keys = state.keys[selected];
  preview?.reload();
}

function save() {
  generation++;
  saving = saving.then(async () => {
    generation++;
    try { await saveNow(); } finally { generation++; }
  });
  return saving;
}

async function act(call, success) {
  clearTimeout(saveTimer);
  await save();
  if (conflicted) { message(gettext("Another editor's draft is newer: load the current draft first."), "bad"); return; }
  const { ok, data } = await call();
  generation++;
  if (data.document) { showState(data); preview?.reload(); }
  if (ok) message(success(data), "ok");
  else message(data.error || gettext("Refused"), "bad");
  return data;
}

async function start() {
  const [{ data: catalog }, { data: first }] = await Promise.all([api.catalog(), api.state()]);
  panel = new Panel($("panel"), { api, catalog, palette: config.palette, columns: config.columns,
                                  onChange: (panelToo) => edited(panelToo),
                                  onDeselect: () => { selected = null; renderGrid(); renderPanel(); },
                                  onColumns: (n) => { grid.setColumns(n); panel.columns = n; edited(false); } });
  state = first;
  grid.setColumns(state.document.columns || config.columns);
  $("palette").replaceChildren(...config.palette.map((p) => {
    const button = el("button", "", p.label);
    button.type = "button";
    button.addEventListener("click", () => {
      const widget = { type: p.type, title: gettext("New widget"), width: 1, statistics: [] };
      if (p.type === "skill-coverage") { widget.skills = []; delete widget.statistics; }
      widgets().push(widget);
      selected = widgets().length - 1;
      announce(interpolate(gettext("{widget} added at place {place}"), { widget: p.label, place: selected + 1 }));
      edited(true);
      $("grid").children[selected]?.focus();
    });
    return el("li", "", null, [button]);
  }));
  showState(state);
  // A draft begun before someone else's change: the first Publish says so, the second overwrites.
  let overwrite = false;
  $("publish").addEventListener("click", async () => {
    const asked = overwrite;
    const data = await act(() => api.publish(asked), (d) => interpolate(gettext("Published as version {number}: screens showing this dashboard reload."), { number: d.published }));
    overwrite = !asked && Boolean(data?.changedMeanwhile);
    $("publish").textContent = overwrite ? gettext("Publish anyway") : gettext("Publish");
  });
  preview = new Preview(`${config.api}preview`, $);
  $("preview-open").addEventListener("click", () => preview.toggle($("preview-open")));
  $("discard").addEventListener("click", () => act(() => api.discard(), () => gettext("Draft discarded.")));
  $("reload-draft").addEventListener("click", async () => {
    clearTimeout(saveTimer);
    const { ok, data } = await api.state();
    if (!ok) return;
    conflicted = false;
    showState(data);
    message(gettext("Loaded the current draft: your unsaved change is not in it."), "ok");
  });
  setInterval(async () => {
    const sent = generation;
    const { ok, data } = await api.editing();
    if (ok && state && sent === generation) editingInfo(data);
  }, (config.checkInSeconds || 10) * 1000);
  $("restore").addEventListener("click", () => {
    const number = $("versions").value;
    act(() => api.restore(number), () => interpolate(gettext("Version {number} is now the draft: publish it to put it on screens."), { number }));
  });
}

class EditorSocket extends LiveSocket {
  reloadSoon() { announce(gettext("The published dashboard changed.")); }  // the editor keeps its state
}

const live = (stats) => {
  for (const s of stats) values.set(s.id, s);
  if (state) { grid.showValues(values); panel?.showValues(values); }
};
new EditorSocket(`/ws/dashboards/${config.slug}/`, { onSnapshot: (m) => live(m.statistics), onUpdate: live }).start();
start();
