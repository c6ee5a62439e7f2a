"""Reading a computation graph: its edges as pairs, its nodes' names, the number in a `.grad`.

`topological_order` (engine/backward.py) walks it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .backward import topological_order
from .formatting import names_in

if TYPE_CHECKING:
    from .value import Value


def edges(node: Value) -> list[tuple[Value, float]]:
    """(parent, ∂node/∂parent) for each recorded edge into `node`, in operand order: the flat
    `node.edges` tuple (parent, local, parent, local, …) read as pairs."""
    pairs = iter(node.edges)
    return list(zip(pairs, pairs))


def grad_number(node: Value) -> float:
    """The number in `node.grad`: 0 for None ("no gradient yet"), the value of a gradient that is
    itself a Value (after `backward(create_graph=True)`), else the float."""
    g = node.grad
    if g is None:
        return 0.0
    return g.data if hasattr(g, "edges") else g


def names(root: Value) -> dict[Value, str]:
    """What to call each Value of root's graph when showing it (see `names_in`)."""
    return names_in(topological_order(root))
