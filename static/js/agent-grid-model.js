// The agent grid's decisions, as pure functions (tests/js/unit/agent-grid.test.mjs):
// what a supervisor chose (sort, filters) read from and written to the query string, so
// a wallboard URL carries it; an agent's row (state, reason, since); which rows match;
// their order; and how long in a state is too long. agent-grid.js puts them on screen.

export const STATE_LABEL = { Ready: "Ready", Busy: "On call", AfterCallWork: "Wrap-up", NotReady: "Not ready",
                             LoggedOut: "Logged out", Unknown: "Unknown" };
export const STATE_ORDER = ["Ready", "Busy", "AfterCallWork", "NotReady", "LoggedOut", "Unknown"];
export const SORTS = { name: "Name", state: "State", tis: "Time in state" };
// Seconds in a state past which it colours: [warning, critical]. A long not-ready or
// wrap-up is what a supervisor acts on; override with ?nr=600,1200&acw=120,300.
export const DEFAULT_LIMITS = { NotReady: [600, 1200], AfterCallWork: [120, 300] };
const LIMIT_PARAMS = { nr: "NotReady", acw: "AfterCallWork" };
const MAX_TEXT = 80;

function limitsFrom(params) {
  const limits = { ...DEFAULT_LIMITS };
  for (const [param, state] of Object.entries(LIMIT_PARAMS)) {
    const parts = (params.get(param) || "").split(",").map(Number);
    if (parts.length === 2 && parts.every((n) => Number.isFinite(n) && n > 0)) limits[state] = parts;
  }
  return limits;
}

// The choice in a query string ("?sort=tis&dir=desc&state=NotReady,AfterCallWork&skill=Spanish&group=Sales&q=ava").
export function parseGridQuery(search) {
  const params = new URLSearchParams(search);
  const sort = Object.hasOwn(SORTS, params.get("sort")) ? params.get("sort") : "name";
  const states = (params.get("state") || "").split(",").filter((s) => STATE_ORDER.includes(s));
  return {
    sort,
    dir: params.get("dir") === "desc" ? "desc" : "asc",
    states: new Set(states),
    skill: (params.get("skill") || "").slice(0, MAX_TEXT),
    group: (params.get("group") || "").slice(0, MAX_TEXT),
    q: (params.get("q") || "").slice(0, MAX_TEXT),
    limits: limitsFrom(params),
  };
}

// The query string for `choice`, keeping every other parameter of `search` (a kiosk
// token, a wallboard's own) and leaving defaults out so URLs stay short.
export function gridQuery(choice, search = "") {
  const params = new URLSearchParams(search);
  const set = (key, value, fallback = "") => (value && value !== fallback ? params.set(key, value) : params.delete(key));
  set("sort", choice.sort, "name");
  set("dir", choice.dir, "asc");
  set("state", STATE_ORDER.filter((s) => choice.states.has(s)).join(","));
  set("skill", choice.skill);
  set("group", choice.group);
  set("q", choice.q.trim());
  const text = params.toString();
  return text ? `?${text}` : "";
}

// A not-ready reason from an AgentStatus: its `Reasons` key-value list (Genesys'
// [{key, type, value}] shape, the `ReasonCode` pair first), a `Reasons` object, or a
// plain `ReasonCode` field. `field` reads a key without case (agent-fields.js).
export function reasonOf(raw, field) {
  const reasons = field(raw, "Reasons");
  if (Array.isArray(reasons)) {
    const pairs = reasons.filter((r) => r && typeof r === "object");
    const code = pairs.find((r) => String(field(r, "key") ?? "").toLowerCase() === "reasoncode") || pairs[0];
    const value = code ? field(code, "value") : undefined;
    if (value != null && value !== "") return String(value);
  } else if (reasons && typeof reasons === "object") {
    const value = field(reasons, "ReasonCode") ?? Object.values(reasons)[0];
    if (value != null && value !== "") return String(value);
  }
  const plain = field(raw, "ReasonCode");
  return plain != null && plain !== "" ? String(plain) : "";
}

// What an agent's row shows: state, reason, since when (ms; null when unknown).
export function agentRow(value, field) {
  const state = value?.state || "Unknown";
  const time = field(value?.raw, "Time");
  return {
    state,
    reason: state === "NotReady" || state === "AfterCallWork" ? reasonOf(value?.raw, field) : "",
    since: typeof time === "number" && time > 0 ? time * 1000 : null,
  };
}

export function stateText(row) {
  return (STATE_LABEL[row.state] || row.state) + (row.reason ? ` · ${row.reason}` : "");
}

// Whether an agent (its config entry `agent` and live `row`) passes the filters.
export function matches(agent, row, choice) {
  if (choice.states.size && !choice.states.has(row.state)) return false;
  if (choice.skill && !(agent.skills || []).some((s) => s.name === choice.skill)) return false;
  if (choice.group && !(agent.groups || []).includes(choice.group)) return false;
  const q = choice.q.trim().toLowerCase();
  if (!q) return true;
  return [agent.label, agent.objectId, row.reason, STATE_LABEL[row.state]]
    .some((text) => String(text || "").toLowerCase().includes(q));
}

// A comparator over {agent, row} for the chosen sort; ties by name, so the order is stable.
// Time in state sorts by since (earliest first = longest in state), unknown times last.
export function compareRows(sort, dir) {
  const sign = dir === "desc" ? -1 : 1;
  const byName = (a, b) => String(a.agent.label).localeCompare(String(b.agent.label)) ||
    String(a.agent.objectId).localeCompare(String(b.agent.objectId));
  const key = {
    name: () => 0,
    state: (a, b) => STATE_ORDER.indexOf(a.row.state) - STATE_ORDER.indexOf(b.row.state),
    tis: (a, b) => (a.row.since ?? Infinity) - (b.row.since ?? Infinity),
  }[sort];
  return (a, b) => sign * (key(a, b) || byName(a, b));
}

// The ids to show, in order: those that match, sorted. `entries`: [{id, agent, row}].
export function orderIds(entries, choice) {
  return entries.filter((e) => matches(e.agent, e.row, choice))
    .sort(compareRows(choice.sort, choice.dir)).map((e) => e.id);
}

// "ok", "warning" or "critical" for `seconds` in `state` (only states with limits colour).
export function timeLevel(state, seconds, limits = DEFAULT_LIMITS) {
  const limit = limits[state];
  if (!limit || seconds == null) return "ok";
  if (seconds >= limit[1]) return "critical";
  return seconds >= limit[0] ? "warning" : "ok";
}

// Does a change of `before` -> `after` (rows) move this agent in the order or in/out of the filter?
export function movesOrder(before, after, choice) {
  if (!before) return true;
  if (before.state !== after.state && (choice.sort === "state" || choice.states.size || choice.q)) return true;
  if (before.since !== after.since && choice.sort === "tis") return true;
  return before.reason !== after.reason && Boolean(choice.q);
}
