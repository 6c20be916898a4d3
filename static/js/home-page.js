// The home page: each dashboard's live breach count and the link state, from one socket
// per dashboard (the dashboards' own; values as the dashboard pages get them).

import { LiveSocket } from "./socket.js";
import { breachCounts, breachText, linkText } from "./home-breaches.js";
import { gettext } from "./i18n.js";

const config = JSON.parse(document.getElementById("home-config").textContent);
const linkLine = document.getElementById("link-state");
const links = [];

function drawLink() {
  const open = links.some((l) => l.open);
  const state = links.find((l) => l.open && l.bridge)?.bridge || "connecting";
  linkLine.textContent = linkText(open || !links.length, state);
  linkLine.className = `link-state state-${open ? state : "down"}`;
}

for (const dashboard of config.dashboards) {
  const card = document.querySelector(`[data-dashboard="${CSS.escape(dashboard.slug)}"]`);
  const badge = card?.querySelector(".breaches");
  const link = { open: false, bridge: null, values: new Map() };
  links.push(link);
  const draw = () => {
    if (!badge) return;
    const counts = breachCounts(dashboard.widgets, link.values);
    badge.textContent = link.open ? breachText(counts) : gettext("not live");
    badge.className = `breaches ${counts.critical ? "critical" : counts.warning ? "warning" : "ok"}${link.open ? "" : " stale"}`;
    card.dataset.breaches = counts.warning + counts.critical;
  };
  const take = (stats) => { for (const s of stats) link.values.set(s.id, s); draw(); };
  new LiveSocket(`/ws/dashboards/${dashboard.slug}/`, {
    onOpen: () => { link.open = true; drawLink(); draw(); },
    onClose: () => { link.open = false; drawLink(); draw(); },
    onSnapshot: (m) => { link.bridge = m.bridge.state; link.values.clear(); take(m.statistics); drawLink(); },
    onUpdate: take,
    onBridge: (m) => { link.bridge = m.state; drawLink(); },
  }).start();
}
drawLink();
