"""Backward one node at a time, with each chain-rule update written out.

`root.backward_steps()` performs exactly the updates `root.backward()` does, in
the same order, but yields after each node so that a learner (or the HTML
stepper) can look at the gradients in between.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .formatting import fmt
from .graph import edges
from .value import Value, begin_backward, check_gradients


@dataclass(frozen=True)
class EdgeUpdate:
    """One application of the chain rule along the edge child → parent.

    parent.grad += local × upstream, where local = ∂child/∂parent and
    upstream = child.grad (∂root/∂child).
    """

    child: Value
    parent: Value
    local: float
    upstream: float
    before: float
    after: float

    @property
    def contribution(self) -> float:
        """local × upstream: what this edge adds to parent.grad."""
        return self.local * self.upstream

    def __str__(self) -> str:
        c, p = self.child.name, self.parent.name
        return (
            f"{p}.grad += {c}.grad × ∂{c}/∂{p} = {fmt(self.upstream)} × {fmt(self.local)} "
            f"= {fmt(self.contribution)}   ({p}.grad: {fmt(self.before)} → {fmt(self.after)})"
        )


@dataclass(frozen=True)
class BackwardStep:
    """The work backward does at one node: pass node.grad to each parent."""

    index: int  # 1-based
    total: int
    node: Value
    root: Value
    seed: float | None  # the seeded gradient, on the first step only
    updates: list[EdgeUpdate] = field(default_factory=list)

    def __str__(self) -> str:
        n, r = self.node.name, self.root.name
        head = f"step {self.index}/{self.total} at {n}"
        lines = []
        if self.seed is not None:
            lines.append(f"{head}: seed {n}.grad = ∂{r}/∂{n} = {fmt(self.seed)}")
        if not self.updates:
            what = "a leaf" if self.node.is_leaf else "a node with no recorded parents"
            text = f"{n} is {what}: ∂{r}/∂{n} = {fmt(self.node.grad)} is complete"
            lines.append(text if lines else f"{head}: {text}")
        else:
            if not lines:
                lines.append(f"{head}: {n}.grad = ∂{r}/∂{n} = {fmt(self.node.grad)} is complete; pass it back")
            lines.extend(f"  {u}" for u in self.updates)
        return "\n".join(lines)


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[BackwardStep]:
    """Yield one `BackwardStep` per node, in backward's order, applying each before yielding it."""
    order = begin_backward(root, grad)
    total = len(order)
    for index, node in enumerate(reversed(order), start=1):
        g = node.grad
        updates = []
        for parent, local in edges(node):
            before = parent.grad
            parent.grad = before + local * g
            updates.append(EdgeUpdate(node, parent, local, g, before, parent.grad))
        yield BackwardStep(index, total, node, root, root.grad if index == 1 else None, updates)
    check_gradients(order)
