"""Which drawn node each Value belongs to, and whether the drawing fits its budget.

At detail "ops" every Value is its own node; at "neurons" or "layers" the Values an nn
module made are collapsed into one node per scope.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from chainrule.engine import Value

@dataclass
class Group:
    """One drawn value node: a single Value, or (collapsed) all Values of one scope."""

    key: str  # "v{i}" for one Value, "s_{scope}" for a scope
    id: str  # the DOT node id: v{i} or s{n}, never made of user text
    members: list[Value] = field(default_factory=list)

    @property
    def output(self) -> Value:
        return self.members[-1]  # members arrive in topological order: the last is the group's result


def natural(scope: str) -> tuple:
    """Sort key for dotted scopes: layers.2 before layers.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in scope.split("."))


class GraphTooLarge(ValueError):
    """The graph has more nodes than the drawing budget allows."""


def _group_key(value: Value, detail: str, index: int) -> str:
    scope = value.scope
    if detail == "ops" or not scope:
        return f"v{index}"
    if detail == "layers":
        scope = ".".join(scope.split(".")[:2])
    return "s_" + scope


def groups_of(order: list[Value], detail: str) -> tuple[dict[Value, Group], list[Group]]:
    by_key: dict[str, Group] = {}
    of: dict[Value, Group] = {}
    for i, v in enumerate(order):
        key = _group_key(v, detail, i)
        g = by_key.get(key)
        if g is None:
            g = by_key[key] = Group(key, key if key.startswith("v") else f"s{len(by_key)}")
        g.members.append(v)
        of[v] = g
    return of, list(by_key.values())


def count_nodes(order: list[Value], detail: str) -> int:
    """How many nodes the drawing at this detail has (values, operations and edge labels)."""
    if detail == "ops":
        return len(order) + sum(1 + len(v.parents) for v in order if v.parents)
    of, groups = groups_of(order, detail)
    ops = sum(1 for g in groups if len(g.members) == 1 and g.members[0].parents)
    return len(groups) + ops


def choose_detail(order: list[Value], detail: str, max_nodes: int, who: str = "draw_graph") -> str:
    """The level of detail to draw: the one asked for, or for "auto" the finest that fits the budget."""
    if detail not in ("auto", "ops", "neurons", "layers"):
        raise ValueError(f"{who}: detail must be 'auto', 'ops', 'neurons' or 'layers', got {detail!r}")
    candidates = ["ops", "neurons", "layers"] if detail == "auto" else [detail]
    sizes = {}
    for level in candidates:
        sizes[level] = count_nodes(order, level)
        if sizes[level] <= max_nodes:
            return level
    described = ", ".join(f"{n} nodes at detail={d!r}" for d, n in sizes.items())
    raise GraphTooLarge(
        f"{who}: this graph is too large to draw ({described}; the budget is max_nodes={max_nodes}). "
        "Draw the graph of one sample rather than a whole batch, use detail='layers' for a network built "
        "with nn, or raise max_nodes if you really want a huge picture."
    )
