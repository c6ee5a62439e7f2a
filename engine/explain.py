"""The chain rule written out: every path from the output to one input.

∂root/∂x = Σ over paths root → … → x of the product of the local derivatives
along the path. This is the sum the worked examples of the notes compute by
hand, and it equals what `backward()` accumulates in `x.grad`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .checks import describe
from .backward import topological_order
from .formatting import fmt, in_partial as _wrap, names_in, signed
from .graph import edges
from .value import Value

Edge = tuple[Value, Value, float]  # (child, parent, ∂child/∂parent)


@dataclass(frozen=True)
class Explanation:
    """The result of `explain(root, wrt)`; `print()` it."""

    root: Value
    wrt: Value
    path_count: int
    paths: list[list[Edge]]  # empty when there are more than max_paths
    total: float  # Σ over all paths of the product of local derivatives
    max_paths: int
    names: dict = field(repr=False, compare=False)  # what to call each Value (engine.names)

    def __str__(self) -> str:
        name = self.names.__getitem__
        r, x = name(self.root), name(self.wrt)
        if self.wrt is self.root:
            return f"∂{r}/∂{r} = 1 (the seed of backward)"
        if self.path_count == 0:
            return f"{r} does not depend on {x}: no path leads from {r} to {x}, so ∂{r}/∂{x} = 0"
        if not self.paths:
            return (
                f"There are {self.path_count} paths from {r} to {x}: too many to print "
                f"(the limit is max_paths={self.max_paths}). Summed over all of them, "
                f"∂{r}/∂{x} = {fmt(self.total)}. Try explain() on a smaller graph or a nearer node."
            )
        lines = [f"∂{r}/∂{x} by the chain rule: multiply the local derivatives along each path from {r} to {x}, then add the paths."]
        for i, path in enumerate(self.paths, start=1):
            symbols = " · ".join(f"∂{_wrap(name(c))}/∂{_wrap(name(p))}" for c, p, _ in path)
            numbers = " × ".join(signed(local) for _, _, local in path)
            lines.append(f"path {i}: {symbols}")
            lines.append(f"      = {numbers} = {fmt(math.prod(local for _, _, local in path))}")
        plural = "path" if self.path_count == 1 else "paths"
        lines.append(f"∂{r}/∂{x} = {fmt(self.total)}   (sum over {self.path_count} {plural})")
        return "\n".join(lines)


    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))

    def _repr_html_(self) -> str:  # Jupyter: the text, monospaced
        from html import escape

        return f"<pre>{escape(str(self))}</pre>"


def _paths(root: Value, wrt: Value, reaches: dict[Value, int]) -> list[list[Edge]]:
    """Every path root → … → wrt through the nodes that reach wrt, depth-first in operand order.

    Each stack entry carries its path as a linked list (edge, rest) that shares its tail with
    its siblings', so a path of length n costs n once, when it is written out, and a long chain
    takes linear time (copying the path at every step would take n²/2).
    """
    found: list[list[Edge]] = []
    stack: list[tuple[Value, Any]] = [(root, None)]
    while stack:
        node, link = stack.pop()
        if node is wrt:
            path: list[Edge] = []
            while link is not None:
                edge, link = link
                path.append(edge)
            path.reverse()
            found.append(path)
            continue
        for parent, local in reversed(edges(node)):
            if parent in reaches:
                stack.append((parent, ((node, parent, local), link)))
    return found


def explain(root: Value, wrt: Value, max_paths: int = 32) -> Explanation:
    """Write ∂root/∂wrt out as the sum over paths of products of local derivatives.

    Paths are counted first (dynamic programming, no enumeration), so a graph
    with astronomically many paths answers at once with the count and the sum.
    """
    if not isinstance(root, Value) or not isinstance(wrt, Value):
        raise TypeError(f"explain: root and wrt must be Values, got {type(root).__name__} and {type(wrt).__name__}")
    order = topological_order(root)
    # count[n] = number of paths n → wrt; deriv[n] = ∂n/∂wrt (the sum over those paths)
    count: dict[Value, int] = {wrt: 1}
    deriv: dict[Value, float] = {wrt: 1.0}
    for node in order:
        if node is wrt:
            continue
        c, d = 0, 0.0
        for parent, local in edges(node):
            if parent in count:
                c += count[parent]
                d += local * deriv[parent]
        if c:
            count[node] = c
            deriv[node] = d
    path_count = count.get(root, 0)
    total = deriv.get(root, 0.0)
    paths = _paths(root, wrt, count) if root is not wrt and path_count <= max_paths else []  # none when 0
    if not math.isfinite(total) or any(not math.isfinite(math.prod(local for _, _, local in p)) for p in paths):
        raise OverflowError(f"explain: ∂root/∂wrt overflows a float along the paths from {describe(root)} to "
                            f"{describe(wrt)}; backward would refuse this too. Scale the graph's numbers down.")
    shown = names_in(order)
    if wrt not in shown:  # a Value outside root's graph: root does not depend on it
        shown[wrt] = wrt.label or "v0"  # v1, v2, … are the graph's own unnamed values
    return Explanation(root, wrt, path_count, paths, total, max_paths, shown)
