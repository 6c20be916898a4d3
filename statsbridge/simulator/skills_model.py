"""Who knows what in the simulated contact center: the skills catalogue, the Web
Services users and the HR system's employees, all drawn from the roster.

Like the roster's ids, everything here depends only on the agents' indexes and group
memberships, never on the seed, so a product configured against one run keeps matching
the next. Two upstream systems are emulated and they share one truth, the employee's
skill levels: Web Services v2 shows the catalogue skills with levels 1..10, the
skill-clusters export shows the same skills grouped into clusters (skills_clusters.py).
The export is a different vendor's system, so its skill ids are its own; only the skill
*names* match across the two, as they would in a real deployment.

One person, three names, as in a real tenant: the Stat Server agent objectId
("agent001") is the person's employee id, which Web Services shows as `employeeId` and
the export as `external_id`; the Web Services `userName` is an e-mail address
("ava.adams@contact-center.example"), so a product that maps agents by user name finds
nobody (Stat Server's Agent objectId is the employee id, not the login).

`set_agent_skills` changes the shared truth at run time, so tests can show a change
reaching both APIs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from statsbridge.simulator.model_records import Agent, AgentGroup

MAIL_DOMAIN = "contact-center.example"
SUPERVISOR_USER_NAME = f"sam.supervisor@{MAIL_DOMAIN}"
NAMES_BEFORE_REPEAT = 2500  # model_roster.agent_name: distinct for the first 2,500
NAMESPACE = uuid.UUID("5d3c6a0e-9a52-4b8e-8f4e-2f1b7c9d0a11")
LANGUAGES = ("English", "Spanish", "French", "German")
MIN_LEVEL, MAX_LEVEL = 1, 10
# Export "last_updated" times start here, one hour apart per employee.
UPDATED_BASE = datetime(2025, 1, 6, tzinfo=UTC)

# The seed notes that a skill's description may be absent: German and every other
# line of business have none.
_LANGUAGE_DESCRIPTIONS = {
    "English": "Handles calls and chats in English.",
    "Spanish": "Handles calls and chats in Spanish.",
    "French": "Handles calls and chats in French.",
}
# People in the HR system who are not agents: the product lists them as unmapped.
_BACK_OFFICE = (
    ("Anna Berg", {"English": 7, "German": 5, "Payments": 6}),
    ("Louis Martin", {"English": 5, "French": 9, "Claims": 4}),
    ("Mei Chen", {"English": 8, "Fraud": 7}),
)
# Former employees: present in the export, excluded by the is_active filter.
_FORMER = (("Olga Petrova", {"English": 6, "Sales": 3}), ("Hassan Ali", {"English": 4, "Spanish": 6, "Support": 5}))


def stable_id(kind: str, name: str) -> uuid.UUID:
    """The same id for the same thing in every run (uuid5 in a fixed namespace)."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{name}")


@dataclass(frozen=True)
class CatalogueSkill:
    id: str
    name: str
    description: str | None


@dataclass(frozen=True)
class WsAccount:
    """A Web Services v2 user. `agent_id` links it to the roster (None for supervisors)."""

    id: str
    user_name: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    employee_id: str | None = None
    agent_id: str | None = None


@dataclass
class Employee:
    """A person in the skills export. `seq` drives every deterministic choice about them."""

    external_id: str
    name: str
    seq: int
    skills: dict[str, int]  # skill name -> level 1..10, shared with Web Services
    is_active: bool = True
    agent_id: str | None = None
    updated_at: datetime = field(default=UPDATED_BASE)


def level_for(index: int, salt: int) -> int:
    """A level 1..10 that varies across agents and across one agent's skills."""
    return MIN_LEVEL + (index * 3 + salt * 7) % MAX_LEVEL


def agent_skill_levels(agent: Agent, groups: Sequence[AgentGroup]) -> dict[str, int]:
    """English for everyone, some other languages by index, one skill per group."""
    i = agent.index
    names = ["English"]
    names += ["Spanish"] if i % 4 == 1 else []
    names += ["French"] if i % 5 == 2 else []
    names += ["German"] if i % 7 == 3 else []
    levels = {name: level_for(i, LANGUAGES.index(name)) for name in names}
    for g in agent.groups:
        levels[groups[g].group_id] = level_for(i, len(LANGUAGES) + g)
    return levels


class SkillsModel:
    """The catalogue, the WS users and the employees (see module docstring)."""

    def __init__(self, agents: Sequence[Agent], groups: Sequence[AgentGroup]) -> None:
        self.catalogue: dict[str, CatalogueSkill] = _catalogue(groups)
        self._skills_by_id = {s.id: s for s in self.catalogue.values()}
        self._by_agent: dict[str, Employee] = {}
        employees = []
        for agent in agents:
            employee = Employee(
                agent.agent_id,
                agent.name,
                agent.index,
                agent_skill_levels(agent, groups),
                agent_id=agent.agent_id,
                updated_at=UPDATED_BASE + timedelta(hours=agent.index),
            )
            self._by_agent[agent.agent_id] = employee
            employees.append(employee)
        employees += _others(len(agents))
        self._employees = sorted(employees, key=lambda e: e.external_id)
        self.users: list[WsAccount] = [_account(a, self._by_agent[a.agent_id]) for a in agents]
        self.users.append(
            WsAccount(
                stable_id("user", "supervisor01").hex, SUPERVISOR_USER_NAME, "Sam", "Supervisor", ("ROLE_SUPERVISOR",)
            )
        )
        self._users_by_id = {u.id: u for u in self.users}
        self._users_by_agent = {u.agent_id: u for u in self.users if u.agent_id is not None}

    def skill(self, skill_id: str) -> CatalogueSkill | None:
        return self._skills_by_id.get(skill_id)

    def user(self, user_id: str) -> WsAccount | None:
        return self._users_by_id.get(user_id)

    def user_skills(self, user: WsAccount) -> list[tuple[CatalogueSkill, int]]:
        """A user's catalogue skills with levels, in catalogue order (none for supervisors)."""
        if user.agent_id is None:
            return []
        levels = self._by_agent[user.agent_id].skills
        return [(skill, levels[name]) for name, skill in self.catalogue.items() if name in levels]

    def employees(self) -> list[Employee]:
        """Every employee, active or not, sorted by external_id (the export's order)."""
        return self._employees

    def employee_for(self, agent_id: str) -> Employee:
        return self._by_agent[agent_id]

    def user_for(self, agent_id: str) -> WsAccount:
        """The Web Services user of the Stat Server agent `agent_id`."""
        return self._users_by_agent[agent_id]

    def set_agent_skills(self, agent_id: str, skills: Mapping[str, int]) -> None:
        """Replace an agent's skills; both APIs show the change on their next call.

        Raises KeyError for an unknown agent or skill name, ValueError for a bad level.
        """
        employee = self._by_agent.get(agent_id)
        if employee is None:
            raise KeyError(f"unknown agent {agent_id!r}")
        for name, level in skills.items():
            if name not in self.catalogue:
                raise KeyError(f"unknown skill {name!r}; known: {sorted(self.catalogue)}")
            if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
                raise ValueError(f"{name}: level must be an integer {MIN_LEVEL}..{MAX_LEVEL}, got {level!r}")
        employee.skills = dict(skills)
        employee.updated_at = datetime.now(UTC)


def _catalogue(groups: Sequence[AgentGroup]) -> dict[str, CatalogueSkill]:
    skills = [
        CatalogueSkill(str(stable_id("skill", name)), name, _LANGUAGE_DESCRIPTIONS.get(name)) for name in LANGUAGES
    ]
    for group in groups:
        name = group.group_id
        description = f"Serves the {name} line of business." if group.index % 2 == 0 else None
        skills.append(CatalogueSkill(str(stable_id("skill", name)), name, description))
    return {s.name: s for s in skills}


def user_name_for(agent: Agent) -> str:
    """An e-mail address, as most tenants name their users: never the agent objectId.
    Names repeat after 2,500 agents, so from then on the index keeps them unique."""
    first, _, last = agent.name.lower().partition(" ")
    suffix = str(agent.index) if agent.index >= NAMES_BEFORE_REPEAT else ""
    return f"{first}.{last}{suffix}@{MAIL_DOMAIN}"


def _account(agent: Agent, employee: Employee) -> WsAccount:
    first, _, last = agent.name.partition(" ")
    return WsAccount(
        stable_id("user", agent.agent_id).hex,
        user_name_for(agent),
        first,
        last,
        ("ROLE_AGENT",),
        employee_id=employee.external_id,
        agent_id=agent.agent_id,
    )


def _others(agents: int) -> list[Employee]:
    """Back-office and former employees, numbered after the agents."""
    out = []
    for n, (name, skills) in enumerate(_BACK_OFFICE, start=1):
        out.append(
            Employee(
                str(stable_id("employee", f"backoffice{n:02d}")),
                name,
                agents + n,
                dict(skills),
                updated_at=UPDATED_BASE + timedelta(hours=agents + n),
            )
        )
    for n, (name, skills) in enumerate(_FORMER, start=1):
        seq = agents + len(_BACK_OFFICE) + n
        out.append(
            Employee(
                str(stable_id("employee", f"former{n:02d}")),
                name,
                seq,
                dict(skills),
                is_active=False,
                updated_at=UPDATED_BASE + timedelta(hours=seq),
            )
        )
    return out
