"""An employee's skills as the skill-clusters export shows them.

Reference: seed 004 "Export Employee Skill Clusters data" (record and cluster shapes).

Clusters are recomputed from the employee's current skill levels on every call, so a
`set_agent_skills` change shows up at once. The languages an employee speaks form a
"Languages" cluster; every other skill (a line of business) gets a "<name> service"
cluster. Validation states, sources and the related and rejected skills are invented
but deterministic: they come from the employee's `seq` and the cluster's position, so
the same employee always exports the same record. As in the seed's second record, a few
clusters carry no `validation_state` key at all.
"""

from __future__ import annotations

from statsbridge.simulator.skills_model import LANGUAGES, Employee, stable_id

SOURCES = ("working_history", "resume_document", "education_history", "learning")
CLUSTER_STATES = ("validated", "suggested", "rejected")
LANGUAGES_CLUSTER, LANGUAGES_DOMAIN = "Languages", "Communication"
SERVICE_DOMAIN = "Customer Service"
OPTIONAL_PARTS = ("current_skills", "related_skills", "rejected_skills", "sources")

_RELATED = {LANGUAGES_CLUSTER: ("Portuguese", "Italian", "Dutch", "Sign language")}
_RELATED_SERVICE = ("Complaint handling", "CRM software", "Active listening", "De-escalation")
_REJECTED = {LANGUAGES_CLUSTER: ("Mandarin", "Japanese")}
_REJECTED_SERVICE = ("Cold calling", "Debt negotiation")


def clusters_for(employee: Employee) -> list[dict]:
    """Every cluster of the employee with all optional parts; the API strips what
    the request did not `include`."""
    languages = {n: lv for n, lv in employee.skills.items() if n in LANGUAGES}
    groups: list[tuple[str, str, dict[str, int]]] = []
    if languages:
        groups.append((LANGUAGES_CLUSTER, LANGUAGES_DOMAIN, languages))
    for name, level in employee.skills.items():
        if name not in LANGUAGES:
            groups.append((f"{name} service", SERVICE_DOMAIN, {name: level}))
    return [_cluster(employee.seq + pos, name, domain, levels) for pos, (name, domain, levels) in enumerate(groups)]


def _cluster(k: int, name: str, domain: str, levels: dict[str, int]) -> dict:
    current = [_skill(skill, k + j, "validated" if (k + j) % 3 != 2 else "suggested") for j, skill in enumerate(levels)]
    related_pool = [s for s in _RELATED.get(name, _RELATED_SERVICE) if s not in levels]
    related = [_skill(s, k + 5 + j, "suggested") for j, s in enumerate(related_pool[: 1 + k % 2])]
    rejected_pool = _REJECTED.get(name, _REJECTED_SERVICE)
    rejected = [_skill(rejected_pool[k % len(rejected_pool)], k + 9, "rejected")] if k % 3 == 0 else []
    used = {src for s in current + related for src in s["skill_sources"]}
    cluster: dict = {
        "skill_cluster_id": str(stable_id("cluster", name)),
        "skill_cluster_name": name,
        "domain_name": domain,
        # Levels 1..10 fold onto the export's proficiency 1..5.
        "proficiency_level": (max(levels.values()) + 1) // 2,
    }
    if k % 4 != 3:
        cluster["validation_state"] = CLUSTER_STATES[k % len(CLUSTER_STATES)]
    cluster.update(
        current_skills=current,
        related_skills=related,
        rejected_skills=rejected,
        sources=[s for s in SOURCES if s in used] or ["working_history"],
    )
    return cluster


def _skill(name: str, k: int, state: str) -> dict:
    # Four bits pick the sources; mask 0 gives [] as in the seed's "Balance Sheet".
    mask = (k * 5 + len(name)) % 16
    return {
        "name": name,
        "skill_id": str(stable_id("export-skill", name)),
        "validation_state": state,
        "skill_sources": [s for bit, s in enumerate(SOURCES) if mask & (1 << bit)],
    }


def strip_parts(cluster: dict, include: frozenset[str]) -> dict:
    """The cluster with only the optional parts the request asked for."""
    return {k: v for k, v in cluster.items() if k not in OPTIONAL_PARTS or k in include}
