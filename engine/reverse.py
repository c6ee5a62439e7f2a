"""Reverse mode with the gradients kept in a dict: for several outputs at once (`engine.grad`) and for
gradients that are Values themselves (`create_graph=True`), to be differentiated again.

The same chain rule as backward.py, ∂/∂parent += ∂node/∂parent × ∂/∂node, node by node in
reverse topological order; with `create_graph` the local derivatives are Values (derivatives.py),
so every gradient is a node of a new graph. Nothing here imports value.py: Values are made with
the type of the nodes given.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backward import open_steppers, reaches_a_variable, restoring, topological_order
from .derivatives import local_values

if TYPE_CHECKING:
    from .value import Value


def combined_order(outputs: list[Value]) -> list[Value]:
    """The graphs of several outputs in one topological order (parents before children)."""
    if len(outputs) == 1:
        return topological_order(outputs[0])
    order, seen = [], set()
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def reverse(outputs: list[Value], seeds: list[float], create_graph: bool) -> dict[Value, Any]:
    """∂(Σ seedᵢ·outputᵢ)/∂node for every node the outputs depend on, by the chain rule in reverse.

    With `create_graph` the local derivatives are Values (derivatives.py) and so is every result:
    a new graph, to be differentiated again. Nothing's `.grad` is touched.
    """
    order = combined_order(outputs)
    g: dict[Value, Any] = {}  # ∂/∂node: a number, or a Value with create_graph
    for out, seed in zip(outputs, seeds):
        start = type(out).constant(seed) if create_graph else seed  # a Value, without importing value.py
        g[out] = g[out] + start if out in g else start
    for node in reversed(order):
        gn = g.get(node)
        if gn is None or not node.edges:
            continue
        locals_ = local_values(node) if create_graph else node.edges[1::2]
        for parent, local in zip(node.edges[::2], locals_):
            contribution = local * gn
            g[parent] = g[parent] + contribution if parent in g else contribution
    return g


def backward_create_graph(root: Value, seed: float) -> None:
    """`root.backward(create_graph=True)`: every `.grad` in root's graph becomes a Value (leaves add
    to what they hold). A leaf that cannot hold a Value (a model parameter) refuses, and nothing changes."""
    open_steppers.undo()
    g = reverse([root], [seed], create_graph=True)
    order = list(g)  # every node of root's graph has its gradient: root depends on it
    reaches_a_variable(root, order)  # as backward refuses: nothing here would reach a variable
    with restoring(order):
        for node in order:
            value, previous = g[node], node.grad
            plain_zero = node.edges or previous is None or (type(previous) is float and previous == 0.0)
            node.grad = value if plain_zero else previous + value
