"""Walking a computation graph: iterative, deterministic, linear time."""
from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .value import Value

_one_sort_at_a_time = threading.Lock()


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on (and root itself), parents before children.

    Iterative depth-first search (no recursion limit): a stack of the nodes being visited and,
    beside it, how far each has got through its edges (parent, local, parent, local, …). A
    node is placed once all its parents are; a leaf at once. Parents are taken in operand
    order, so the order is the same on every run. `root` comes last; backward walks the list
    in reverse.

    A visited node is marked in the node itself (`_visited_by` = this sort's token) rather
    than kept in a set: a set would add 30–40 bytes per node at the peak of backward, and the
    node has room for the mark. One sort runs at a time (a lock), so two threads never mix
    their marks.
    """
    order: list[Value] = []
    token = object()  # this sort's mark: a node carrying it has been reached
    stack, at = [root], [0]  # the current path, and the next edge index of each node on it
    # The stack can be a million deep (a long chain); its lists form no cycle, and the cycle
    # collector would scan the growing structures again and again, so it pauses while we sort.
    with _one_sort_at_a_time:  # inside the lock, so that no other sort has switched the collector off
        collecting = gc.isenabled()
        gc.disable()
        try:
            root._visited_by = token
            while stack:
                node, i = stack[-1], at[-1]
                edges = node.edges
                size = len(edges)
                while i < size:
                    parent = edges[i]
                    i += 2
                    if parent._visited_by is not token:
                        parent._visited_by = token
                        if parent.edges:  # go deeper; come back to this node's edge i later
                            at[-1] = i
                            stack.append(parent)
                            at.append(0)
                            break
                        order.append(parent)  # a leaf: placed at once
                else:  # every parent is placed: the node can follow them
                    stack.pop()
                    at.pop()
                    order.append(node)
        finally:
            if collecting:
                gc.enable()
    return order


def edges(node: Value) -> list[tuple[Value, float]]:
    """(parent, ∂node/∂parent) for each recorded edge into `node`, in operand order.

    The one place that reads the flat `node.edges` tuple (parent, local, parent, local, …) as pairs.
    """
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


def names_in(order: Iterable[Value]) -> dict[Value, str]:
    """Each Value's label, or v1, v2, … for the unlabelled ones, numbered in the given
    (topological) order: inputs first, root last.

    The numbering belongs to one graph, not to the process: two graphs built the same way get
    the same names, so the same graph always draws and prints the same way.
    """
    shown: dict[Value, str] = {}
    count = 0
    for node in order:
        if node.label:
            shown[node] = node.label
        else:
            count += 1
            shown[node] = f"v{count}"
    return shown
