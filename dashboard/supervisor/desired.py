"""What the supervisor features add to the bridge's desired set, per dashboard:
- beside each service-level statistic, the calls offered to its object (no_calls.py);
- the CurrentAgentState of every agent serving a queue the dashboard shows (serving.py),
  so the drill-down page gets their states live on the dashboard's own socket.
Called from dashboard/boards/bridge_config.py, on the bridge's configuration thread.
"""

from __future__ import annotations

from dashboard.skills.queries import agent_state_descriptor
from dashboard.supervisor.no_calls import is_service_level, offered_descriptor
from dashboard.supervisor.serving import queue_labels_by_dashboard, routing_for, serving_agents
from statsbridge.desired import DesiredSet


def add_supervisor_statistics(desired: DesiredSet) -> None:
    from dashboard.boards.models import WidgetStatistic

    rows = WidgetStatistic.objects.select_related("statistic", "widget__dashboard")
    for row in rows:
        stat = row.statistic
        if is_service_level(stat.name, stat.definition):
            desired.add(row.widget.dashboard.slug, offered_descriptor(stat.object_type, stat.object_id))
    routed: dict[str, list[str]] = {}
    for slug, queues in queue_labels_by_dashboard().items():
        for queue_id, label in queues.items():
            if queue_id not in routed:
                routed[queue_id] = [a.agent_id for a in serving_agents(routing_for(queue_id, label))]
            for agent_id in routed[queue_id]:
                desired.add(slug, agent_state_descriptor(agent_id))
