"""Who and what the simulated contact center contains: agents, groups, queues.

Ids and names depend only on the agent and queue counts (never on the seed), so a
dashboard configured against `simulate --agents 50 --queues 8` keeps working whatever
seed the simulator runs with. Only behaviour (rates, durations) comes from the seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from statsbridge.simulator.model_records import SWITCH, Agent, AgentGroup, Queue, QueueGroup

LINES_OF_BUSINESS = (
    "Sales",
    "Support",
    "Billing",
    "Retention",
    "Collections",
    "Technical",
    "Claims",
    "Onboarding",
    "Renewals",
    "Payments",
    "Shipping",
    "Returns",
    "Accounts",
    "Loyalty",
    "Enterprise",
    "Partners",
    "Fraud",
    "Orders",
    "Upgrades",
    "Bookings",
    "Travel",
    "Insurance",
    "Warranty",
    "Service",
)
QUEUE_KINDS = ("Inbound", "Priority", "Callback", "Spanish", "Overflow", "Premium", "Escalations", "Business")

FIRST_NAMES = (
    "Ava",
    "Ben",
    "Chloe",
    "Dan",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olive",
    "Paul",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Xena",
    "Yusuf",
    "Zoe",
    "Aaron",
    "Bella",
    "Carlos",
    "Dina",
    "Eli",
    "Fatima",
    "George",
    "Hana",
    "Ivan",
    "Jade",
    "Karl",
    "Lena",
    "Marco",
    "Nina",
    "Omar",
    "Priya",
    "Raj",
    "Sofia",
    "Tom",
    "Uma",
    "Victor",
    "Wendy",
    "Yara",
    "Zack",
)
LAST_NAMES = (
    "Adams",
    "Baker",
    "Carter",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Vargas",
    "Walsh",
    "Xu",
    "Young",
    "Zhang",
    "Alvarez",
    "Brooks",
    "Costa",
    "Dubois",
    "Eriksen",
    "Ferreira",
    "Gomez",
    "Hansen",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Larsen",
    "Murphy",
    "Nguyen",
    "Olsen",
    "Park",
    "Reyes",
    "Schmidt",
    "Torres",
    "Usman",
    "Weber",
    "Yilmaz",
    "Zimmer",
    "Bauer",
)


@dataclass
class Roster:
    agents: list[Agent]
    groups: list[AgentGroup]
    queues: list[Queue]
    queue_groups: list[QueueGroup]


def agent_name(i: int) -> str:
    """A distinct invented name for each of the first 2,500 agents (then they repeat)."""
    n = len(FIRST_NAMES)
    first, cycle = i % n, (i // n) % n
    return f"{FIRST_NAMES[first]} {LAST_NAMES[(first + cycle) % len(LAST_NAMES)]}"


def agent_dn(n: int) -> str:
    # "7001".."7999", then "71000"...: never collides with the queues' 8xxx numbers.
    return f"7{n:03d}"


def group_count(queues: int) -> int:
    return max(2, min(len(LINES_OF_BUSINESS), math.ceil(queues / 2)))


def queue_name(q: int, groups: int) -> str:
    kind = q // groups
    label = QUEUE_KINDS[kind] if kind < len(QUEUE_KINDS) else f"Line {kind + 1}"
    return f"{LINES_OF_BUSINESS[q % groups]} {label}"


def build_roster(agents: int, queues: int, rng: random.Random, first_agent: int = 1, first_queue: int = 8001) -> Roster:
    """`first_agent` and `first_queue` number a second simulated tenant apart from the
    first (agent501..., 9001@SIP_Switch: statsbridge/simulator/tenants.py)."""
    if agents < 1 or queues < 1:
        raise ValueError("a contact center needs at least one agent and one queue")
    groups = [AgentGroup(g, LINES_OF_BUSINESS[g]) for g in range(group_count(queues))]
    agent_list = [_make_agent(i, len(groups), rng, first_agent - 1) for i in range(agents)]
    for agent in agent_list:
        for g in agent.groups:
            groups[g].members.append(agent)
    queue_list = []
    for q in range(queues):
        queue = Queue(
            q,
            f"{first_queue + q}@{SWITCH}",
            queue_name(q, len(groups)),
            group=q % len(groups),
            patience_mean=rng.uniform(60.0, 180.0),
        )
        groups[queue.group].queues.append(queue)
        queue_list.append(queue)
    return Roster(agent_list, groups, queue_list, _queue_groups(groups, queue_list))


def _make_agent(i: int, groups: int, rng: random.Random, offset: int = 0) -> Agent:
    n = i + 1 + offset
    primary = i % groups
    # Every third agent is skilled for a second line of business as well.
    member_of = (primary, (primary + 1) % groups) if i % 3 == 0 else (primary,)
    return Agent(
        index=i,
        agent_id=f"agent{n:03d}",
        name=agent_name(i + offset),
        login_id=str(1000 + n),
        place_id=f"place{n:03d}",
        dn=agent_dn(n),
        groups=member_of,
        talk_mean=rng.uniform(180.0, 360.0),
        acw_mean=rng.uniform(20.0, 60.0),
    )


def _queue_groups(groups: list[AgentGroup], queues: list[Queue]) -> list[QueueGroup]:
    out = [QueueGroup("AllQueues", "All queues", list(queues), _agents_serving(groups, queues))]
    for group in groups:
        if group.queues:
            out.append(
                QueueGroup(
                    f"{group.group_id}Queues",
                    f"{group.group_id} queues",
                    list(group.queues),
                    _agents_serving(groups, group.queues),
                )
            )
    return out


def _agents_serving(groups: list[AgentGroup], queues: list[Queue]) -> list[Agent]:
    seen: dict[int, Agent] = {}
    for g in sorted({q.group for q in queues}):
        for agent in groups[g].members:
            seen.setdefault(agent.index, agent)
    return sorted(seen.values(), key=lambda a: a.index)
