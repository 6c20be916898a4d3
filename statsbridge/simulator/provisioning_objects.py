"""The simulated contact center as Configuration Server objects, the way the
Provisioning API returns them (GET /provisioning/v3/objects/...).

Reference: GenesysPureEngage/provisioning-client-java `provisioning/models/` (User.java,
AgentGroup.java, DnGroup.java, Dn.java: the keys each reads; DBIDs are strings) and
Platform SDK CfgDNType names (CFGACDQueue, CFGExtension). Ids match the Statistics API's
objects (model_directory.py): a person's `employeeID` is its Agent id, a group's
`CfgGroup.name` its GroupAgents / GroupQueues id, a DN is `number@switch`. The `switch`
object's inner shape is not documented ("Object" in Dn.java): here `{"DBID", "name"}`.
"""

from __future__ import annotations

from statsbridge.simulator.model_directory import Directory
from statsbridge.simulator.model_records import SWITCH
from statsbridge.simulator.skills_model import user_name_for

TENANT_DBID = "1"
SWITCH_OBJECT = {"DBID": "101", "name": SWITCH}
# DBID ranges per kind keep every object's DBID unique and stable across runs.
PERSON_BASE, AGENT_GROUP_BASE, DN_BASE, QUEUE_DN_BASE, DN_GROUP_BASE = 1000, 20000, 30000, 40000, 50000


def _cfg_group(dbid: int, name: str) -> dict:
    return {"DBID": str(dbid), "tenantDBID": TENANT_DBID, "name": name, "state": "CFGEnabled"}


def persons(directory: Directory) -> list[dict]:
    rows = []
    for agent in directory.agents:
        first, _, last = agent.name.partition(" ")
        rows.append(
            {
                "DBID": str(PERSON_BASE + agent.index),
                "tenantDBID": TENANT_DBID,
                "userName": user_name_for(agent),
                "firstName": first,
                "lastName": last,
                "employeeID": agent.agent_id,
                "isAgent": True,
                "enabled": True,
                "agentGroups": [directory.groups[g].group_id for g in agent.groups],
            }
        )
    return rows


def agent_groups(directory: Directory) -> list[dict]:
    return [
        {
            "CfgGroup": _cfg_group(AGENT_GROUP_BASE + group.index, group.group_id),
            "agentDBIDs": [str(PERSON_BASE + a.index) for a in group.members],
        }
        for group in directory.groups
    ]


def dns(directory: Directory) -> list[dict]:
    """Each agent's extension and each queue's ACD queue DN."""
    rows = [
        _dn(DN_BASE + agent.index, agent.dn, "CFGExtension", f"{agent.name} extension") for agent in directory.agents
    ]
    for queue in directory.queues:
        number = queue.queue_id.partition("@")[0]
        rows.append(_dn(QUEUE_DN_BASE + queue.index, number, "CFGACDQueue", queue.name))
    return rows


def _dn(dbid: int, number: str, dn_type: str, name: str) -> dict:
    return {
        "DBID": str(dbid),
        "tenantDBID": TENANT_DBID,
        "switchDBID": SWITCH_OBJECT["DBID"],
        "switch": dict(SWITCH_OBJECT),
        "type": dn_type,
        "number": number,
        "name": name,
        "state": "CFGEnabled",
    }


def dn_groups(directory: Directory) -> list[dict]:
    return [
        {
            "CfgGroup": _cfg_group(DN_GROUP_BASE + n, group.group_id),
            "type": "CFGACDQueues",
            "DNs": [str(QUEUE_DN_BASE + q.index) for q in group.queues],
        }
        for n, group in enumerate(directory.queue_groups)
    ]


# object_type (the path segment) -> rows. Reference: provisioning-client-java ObjectsApi
# getObject: "Possible values are dns, skills, dn-groups, access-groups or agent-groups".
# skills and access-groups exist upstream; the simulator has none to list (empty lists).
LISTS = {
    "dns": dns,
    "agent-groups": agent_groups,
    "dn-groups": dn_groups,
    "skills": lambda directory: [],
    "access-groups": lambda directory: [],
}
