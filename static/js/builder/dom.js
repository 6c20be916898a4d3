// Small DOM helpers: text goes in through textContent only (never innerHTML).

export function el(tag, className = "", text = null, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null && text !== undefined) node.textContent = String(text);
  for (const child of children) node.append(child);
  return node;
}

let nextId = 0;

// A label tied to its control by id (a label wrapping a <select> would name it with
// the selected option too).
export function labelled(text, control) {
  if (!control.id) control.id = `b-field-${++nextId}`;
  const label = el("label", "", text);
  label.htmlFor = control.id;
  return el("div", "field", null, [label, control]);
}

export function input(type, value, attrs = {}) {
  const node = el("input");
  node.type = type;
  node.value = value ?? "";
  for (const [key, v] of Object.entries(attrs)) node.setAttribute(key, v);
  return node;
}

export function select(options, value) {
  const node = el("select");
  for (const option of options) {
    const [v, text] = Array.isArray(option) ? option : [option, option];
    const item = el("option", "", text);
    item.value = v;
    node.append(item);
  }
  node.value = value ?? "";
  return node;
}

export function formatLive(value, unit) {
  if (typeof value !== "number") return value == null ? "–" : String(value);
  if (unit === "duration") {
    const s = Math.round(value);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
  if (unit === "percent") return `${Math.round(value * 10) / 10} %`;
  return String(Math.round(value * 100) / 100);
}
