// Alerts on screen (frames: statsbridge/messages.py alert_message; dashboard/alerts/).
// AlertState is pure (no DOM): it folds the snapshot's open alerts and the alert frames
// into a list of alerts, each with its events (raised, repeated, escalated,
// acknowledged, cleared: who and when). AlertList draws it (textContent only).

import { clockTime } from "./format.js";
import { levelIcon } from "./icons.js";

export const LIST_LIMIT = 20;
const DUPLICATE_MS = 1500;
const LOUD = new Set(["raised", "repeated", "escalated"]);

export function valueText(alert) {
  if (alert.value == null) return "";
  const sign = alert.threshold == null ? "" : ` (threshold ${alert.threshold})`;
  return ` = ${alert.value}${sign}`;
}

export function titleOf(alert) {
  const what = [alert.widget, alert.label && alert.label !== alert.widget ? alert.label : ""].filter(Boolean).join(" · ");
  return `${alert.rule}${what ? ": " + what : ""}${valueText(alert)}`;
}

export function eventText(entry) {
  const who = entry.event === "acknowledged" && entry.by ? ` by ${entry.by}` : "";
  return `${entry.event}${who} ${clockTime(entry.at)}`;
}

export class AlertState {
  constructor(limit = LIST_LIMIT) {
    this.limit = limit;
    this.alerts = new Map();  // id -> {alert, state, events: [{event, at, by}]}
  }

  // The snapshot's open alerts: anything open that the snapshot no longer has was
  // cleared while this page was away.
  snapshot(open = []) {
    const ids = new Set(open.map((a) => a.id));
    for (const [id, item] of this.alerts) {
      if (!ids.has(id) && item.state !== "cleared") this.apply("cleared", item.alert, Date.now());
    }
    for (const alert of open) {
      if (this.alerts.has(alert.id)) { this.alerts.get(alert.id).alert = alert; continue; }
      const item = this.apply("raised", alert, alert.since);
      if (alert.acknowledged_by) this.apply("acknowledged", alert, alert.acknowledged_at ?? Date.now());
      item.quiet = true;  // known before this page connected: no tone
    }
  }

  // Returns the entry; `entry.loud` says whether this event should sound and notify.
  apply(event, alert, at = Date.now()) {
    let item = this.alerts.get(alert.id);
    if (!item) {
      if (event === "cleared" || event === "acknowledged") return null;
      item = { alert, state: "raised", events: [] };
      this.alerts.set(alert.id, item);
    }
    item.alert = alert;
    // A wallboard has one socket per page: the link's own alert arrives on each of them.
    const last = item.events[item.events.length - 1];
    if (item.events.some((e) => e.event === event && e.at === at)
        || (last && last.event === event && Math.abs(at - last.at) < DUPLICATE_MS)) {
      item.loud = false;
      return item;
    }
    item.events.push({ event, at, by: alert.acknowledged_by });
    item.state = event === "repeated" || event === "escalated" ? item.state : event;
    item.loud = LOUD.has(event) && item.state === "raised";
    this.trim();
    return item;
  }

  trim() {
    while (this.alerts.size > this.limit) {
      const oldest = [...this.alerts.entries()].find(([, i]) => i.state === "cleared") || this.alerts.entries().next().value;
      this.alerts.delete(oldest[0]);
    }
  }

  // Newest first; open alerts before cleared ones.
  list() {
    const rank = { raised: 0, acknowledged: 1, cleared: 2 };
    return [...this.alerts.values()].sort((a, b) =>
      rank[a.state] - rank[b.state] || b.events[b.events.length - 1].at - a.events[a.events.length - 1].at);
  }
}

export class AlertList {
  constructor(root, { onAck } = {}) {
    this.root = root;
    this.onAck = onAck;
  }

  draw(state) {
    const items = state.list();
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "alert-empty";
      empty.textContent = "No alerts";
      this.root.replaceChildren(empty);
      return;
    }
    this.root.replaceChildren(...items.map((item) => this.row(item)));
  }

  row(item) {
    const li = document.createElement("li");
    li.className = `alert level-${item.alert.level} state-${item.state}`;
    li.dataset.alertId = item.alert.id;
    const title = document.createElement("span");
    title.className = "alert-title";
    title.append(levelIcon(item.alert.level === "critical" ? "critical" : "warning"), ` ${titleOf(item.alert)}`);
    const events = document.createElement("span");
    events.className = "alert-events";
    events.textContent = item.events.map(eventText).join(" · ");
    li.append(title, events);
    if (this.onAck && item.state === "raised") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "alert-ack";
      button.textContent = "Acknowledge";
      button.addEventListener("click", () => { button.disabled = true; this.onAck(item.alert.id); });
      li.append(button);
    }
    return li;
  }
}
