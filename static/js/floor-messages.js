// Messages to the floor on a wallboard (dashboard/floor/): banners under the header and
// a ticker along the bottom, urgent before info. Frames: statsbridge/messages.py
// (`floor_message`). Text is set with textContent only: a message is never markup.
//
// A wallboard page holds one socket per page, and every one of them carries the
// wallboard's messages: the state is kept once per page, by id. The state's rules are
// pure (exported for tests/js/unit/); `drawMessages` only puts them on screen.

// A message seen by frame less than this long ago survives a snapshot that lacks it:
// that snapshot may have been built, on another socket, just before it was posted.
export const SNAPSHOT_GRACE_MS = 10000;

export function forWallboard(message, wallboard) {
  return Array.isArray(message?.wallboards) && message.wallboards.includes(wallboard);
}

export class FloorMessages {
  constructor(wallboard) {
    this.wallboard = wallboard;
    this.messages = new Map();  // id -> {message, seenAt}
    this.withdrawn = new Set();  // never shown again, whatever a late snapshot says
  }

  // A `message` frame: a new or edited message, or its withdrawal. True when it
  // concerns this wallboard.
  frame(message, now = Date.now()) {
    if (!forWallboard(message, this.wallboard) || typeof message.id !== "string") return false;
    if (message.withdrawn) {
      this.withdrawn.add(message.id);
      this.messages.delete(message.id);
      return true;
    }
    if (this.withdrawn.has(message.id)) return false;
    this.messages.set(message.id, { message, seenAt: now });
    return true;
  }

  // A snapshot's `messages`: everything active for its dashboard. What it lacks was
  // withdrawn or ended while this socket was away, unless it came by frame just now.
  snapshot(list, now = Date.now()) {
    const listed = new Set();
    for (const message of list || []) {
      if (!forWallboard(message, this.wallboard) || this.withdrawn.has(message.id)) continue;
      listed.add(message.id);
      const known = this.messages.get(message.id);
      this.messages.set(message.id, { message, seenAt: known ? known.seenAt : now });
    }
    for (const [id, entry] of this.messages) {
      if (!listed.has(id) && now - entry.seenAt > SNAPSHOT_GRACE_MS) this.messages.delete(id);
    }
  }

  // What shows now: not past `until`, urgent first, then newest first.
  active(now = Date.now()) {
    const shown = [...this.messages.values()].map((e) => e.message).filter((m) => m.until > now);
    return shown.sort((a, b) => (a.level === b.level ? Number(b.id) - Number(a.id) : a.level === "urgent" ? -1 : 1));
  }
}

// The ticker's line: every ticker message, separated.
export function tickerText(messages) {
  return messages.filter((m) => m.style === "ticker").map((m) => m.text).join("   •   ");
}

// A short key of what is on screen, so the DOM is rebuilt only when it changes.
export function screenKey(messages) {
  return messages.map((m) => `${m.id}:${m.level}:${m.style}:${m.until}:${m.text}`).join("\n");
}

export function drawMessages(bannerBox, ticker, messages) {
  bannerBox.replaceChildren(...messages.filter((m) => m.style !== "ticker").map((m) => {
    const el = document.createElement("div");
    el.className = `floor-message level-${m.level === "urgent" ? "urgent" : "info"}`;
    el.dataset.message = m.id;
    const icon = document.createElement("span");
    icon.className = "floor-icon";
    icon.textContent = m.level === "urgent" ? "!" : "i";
    icon.setAttribute("aria-hidden", "true");
    const text = document.createElement("span");
    text.className = "floor-text";
    text.textContent = m.text;
    el.append(icon, text);
    return el;
  }));
  bannerBox.hidden = !bannerBox.children.length;
  const line = tickerText(messages);
  const tickers = messages.filter((m) => m.style === "ticker");
  ticker.hidden = !line;
  ticker.classList.toggle("urgent", tickers.some((m) => m.level === "urgent"));
  const span = ticker.querySelector(".ticker-text");
  span.textContent = line;
  span.dataset.messages = tickers.map((m) => m.id).join(" ");
}
