// Who else is editing this dashboard, and whose save the shared draft holds: shown
// above the grid, refreshed by the page's check-in (dashboard/builder/presence.py).

import { gettext, interpolate, pageLocale } from "../i18n.js";

const time = (iso) => new Date(iso).toLocaleTimeString(pageLocale());

// `seen`: the draft revision this page last loaded or saved (0: none).
export function describeEditing(info, seen, me) {
  const parts = [];
  const others = (info.editors || []).map((e) => interpolate(gettext("{user} (seen {time})"), { user: e.username, time: time(e.seenAt) }));
  if (others.length) parts.push(interpolate(gettext("Also editing now: {names}."), { names: others.join(", ") }));
  const draft = info.draft;
  const newer = draft ? draft.revision > seen : seen !== 0;
  if (draft && draft.updatedBy !== me) parts.push(interpolate(gettext("Draft last saved by {user} at {time}."), { user: draft.updatedBy, time: time(draft.updatedAt) }));
  if (newer) {
    parts.push(draft ? (draft.updatedBy === me ? gettext("You (in another window) saved a newer draft: load it before editing further.")
      : interpolate(gettext("{user} saved a newer draft: load it before editing further."), { user: draft.updatedBy }))
      : gettext("The draft was published or discarded meanwhile: load the current state before editing further."));
  }
  return { text: parts.join(" "), newer, busy: others.length > 0 };
}

export function showEditing(node, button, info, seen, me) {
  const { text, newer, busy } = describeEditing(info, seen, me);
  node.textContent = text;
  node.parentElement.classList.toggle("busy", busy || newer);
  button.hidden = !newer;
  return newer;
}
