"""The demo's queue routing: each simulated queue is served by its agent group (whose
members come from the built-in simulator, embedded default only) and by the agents with
the skill of the same line of business."""

from __future__ import annotations

from dashboard.supervisor.models import AgentGroupMember, QueueRouting


def demo_routing() -> list[str]:
    """Routing rows for the simulator's queues and its groups' members, unless any exist."""
    from dashboard.project.embedded_hosting import simulator_agent_names, simulator_routing

    if QueueRouting.objects.exists() or AgentGroupMember.objects.exists():
        return []
    members, serving = simulator_routing()
    names = simulator_agent_names()
    AgentGroupMember.objects.bulk_create(
        AgentGroupMember(group=group, agent_id=agent, name=names.get(agent, ""))
        for group, agents in members.items()
        for agent in agents
    )
    QueueRouting.objects.bulk_create(
        QueueRouting(queue_id=queue, skills=[group], groups=[group]) for queue, group in serving.items()
    )
    return [f"queue routing for {len(serving)} queues"]
