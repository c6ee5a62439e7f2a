"""Walking a computation graph: iterative, deterministic, linear time."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on (and root itself), parents before children.

    Iterative depth-first search (no recursion limit). Parents are ordered
    tuples, so the order is the same on every run. `root` comes last;
    backward walks the list in reverse.
    """
    order: list[Value] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


def edges(node: Value) -> list[tuple[Value, float]]:
    """(parent, ∂node/∂parent) for each recorded edge into `node`, in operand order."""
    return list(zip(node.parents, node.local_grads))
