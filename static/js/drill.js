// Drill-down links (dashboard/supervisor/urls.py): from a queue (KPI tile, bar, table
// row) to the agents who serve it, and from an agent to their day. Supervisor pages
// only: a wallboard is not clicked, so its tiles carry no links.

export function queueAgentsUrl(slug, queueId) {
  return `/dashboards/${encodeURIComponent(slug)}/queues/${encodeURIComponent(queueId)}/agents/`;
}

export function agentUrl(slug, agentId) {
  return `/dashboards/${encodeURIComponent(slug)}/agents/${encodeURIComponent(agentId)}/`;
}

// {queue(stat), agent(stat)}: the link for a statistic's queue or agent, or null. A
// drill-down page's own tiles (page.drill) link to no queue: they are its queue.
export function drillLinks(page, widget, kiosk = globalThis.document?.body?.classList.contains("wallboard")) {
  const none = () => null;
  if (kiosk || !page?.slug) return { queue: none, agent: none };
  return {
    queue: (stat) => (stat?.objectType === "Queue" && !page.drill ? queueAgentsUrl(page.slug, stat.objectId) : null),
    agent: (stat) => (stat?.objectType === "Agent" ? agentUrl(page.slug, stat.objectId) : null),
  };
}
