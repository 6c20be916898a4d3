"""A personal dashboard's arrangement of the shared one's widgets (pure functions)."""

from __future__ import annotations


def arranged(widget_ids: list[int], order: list[int], hidden: list[int]) -> list[tuple[int, bool]]:
    """(widget id, shown) in the owner's order: the ones they placed first, then any the
    admin added since, in the shared dashboard's order; widgets since removed are dropped."""
    present = set(widget_ids)
    placed = [w for w in dict.fromkeys(order) if w in present]
    rest = [w for w in widget_ids if w not in set(placed)]
    hidden_set = set(hidden)
    return [(w, w not in hidden_set) for w in placed + rest]


def moved(ids: list[int], widget: int, step: int) -> list[int]:
    """`ids` with `widget` moved `step` places (clamped at the ends)."""
    if widget not in ids:
        return ids
    i = ids.index(widget)
    j = max(0, min(len(ids) - 1, i + step))
    out = ids[:i] + ids[i + 1 :]
    out.insert(j, widget)
    return out


def page_widgets(widgets: list[dict], order: list[int], hidden: list[int]) -> list[dict]:
    """A page config's widgets (dashboard/boards/page_config.py) as the owner arranged them."""
    by_id = {w["id"]: w for w in widgets}
    return [by_id[w] for w, shown in arranged(list(by_id), order, hidden) if shown]
