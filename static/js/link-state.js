// Which of a page's upstream links are down (issue 22). A page may show statistics of
// several Genesys connections; each tile greys on its own connection's state
// (board.js `liveFor`), and a page-wide notice (the wallboard's full-screen overlay,
// the supervisor's banner) must follow the connections *this page* shows, not
// `default`'s alone: a wallboard of brand-b's queues stays readable while `default` is
// down. Pure functions, so tests/js/unit/link-state.test.mjs can pin them.

export const DEFAULT_CONNECTION = "default";

// The connections a page's widgets use, sorted, `default` first; a statistic without
// `connection` is `default`'s (dashboard/boards/page_config.py). A page without any
// statistic follows `default` (as Board.liveFor does).
export function pageConnections(page) {
  const names = new Set();
  for (const widget of page.widgets || []) {
    for (const s of widget.statistics || []) names.add(s.connection || DEFAULT_CONNECTION);
  }
  if (!names.size) names.add(DEFAULT_CONNECTION);
  return [...names].sort((a, b) => (a === DEFAULT_CONNECTION ? -1 : b === DEFAULT_CONNECTION ? 1 : a.localeCompare(b)));
}

// A connection's last known link state on this socket: `default`'s is `bridgeState`,
// the others' come in frames that name them (socket.js noteBridge). Not heard from yet
// counts as connecting (down).
export function connectionState(link, name) {
  if (name === DEFAULT_CONNECTION) return link.bridgeState;
  return link.connections?.[name] ?? "connecting";
}

// What a page says about its links:
// - `socketDown`: the dashboard server's socket is closed (nothing is live);
// - `down`: the page's connections whose link is not connected, with their state;
// - `allDown`: the socket is closed or none of the page's connections is connected,
//   which is when a wallboard covers its tiles;
// - `named`: whether to name connections in the text (the page shows one other than
//   `default`; a deployment of `default` alone reads as it always did).
export function linkSummary(link, connections) {
  const down = connections
    .map((name) => ({ name, state: connectionState(link, name) }))
    .filter((c) => c.state !== "connected");
  const socketDown = !link.socketOpen;
  return {
    socketDown,
    down,
    allDown: socketDown || down.length === connections.length,
    named: connections.some((name) => name !== DEFAULT_CONNECTION),
  };
}
