"""What one step of backward did, as a learner reads it: `print(step)` writes the chain rule with the numbers.

    step 5/13 at z2: z2.grad = ∂E/∂z2 = 0.09476 is complete; pass it back
      w2.grad += z2.grad × ∂z2/∂w2 = 0.09476 × 0.6023 = 0.05707   (w2.grad: 0 → 0.05707)

`backward_steps()` (engine/backward.py) makes them; the stepper page replays them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .formatting import fmt, in_partial as _wrap, signed

if TYPE_CHECKING:
    from .value import Value


@dataclass(frozen=True)
class EdgeUpdate:
    """One application of the chain rule along the edge child → parent:

    parent.grad += local × upstream,  local = ∂child/∂parent,  upstream = child.grad = ∂root/∂child.
    """

    child: Value
    parent: Value
    local: float
    upstream: float
    before: float
    after: float
    names: dict = field(repr=False, compare=False)
    edge: int = 0  # which of the child's operand edges (0-based): the renderer's edge id

    @property
    def contribution(self) -> float:
        """local × upstream: what this edge adds to parent.grad."""
        return self.local * self.upstream

    def __str__(self) -> str:
        c, p = self.names[self.child], self.names[self.parent]
        c, p = _wrap(c), _wrap(p)
        return (f"{p}.grad += {c}.grad × ∂{c}/∂{p} = {signed(self.upstream)} × {signed(self.local)} "
                f"= {fmt(self.contribution)}   ({p}.grad: {fmt(self.before)} → {fmt(self.after)})")


@dataclass(frozen=True)
class BackwardStep:
    """The work backward does at one node: pass node.grad on to each parent."""

    index: int  # 1-based
    total: int
    node: Value
    root: Value
    seed: float | None  # the seeded gradient, on the first step only
    updates: list[EdgeUpdate]
    names: dict = field(repr=False, compare=False)

    def __str__(self) -> str:
        n, r = _wrap(self.names[self.node]), _wrap(self.names[self.root])
        head = f"step {self.index}/{self.total} at {n}"
        lines = []
        if self.seed is not None:  # a leaf keeps what it held: the seed is added to it
            lines.append(f"{head}: seed {n}.grad {'+=' if self.node.is_leaf else '='} ∂{r}/∂{n} = {fmt(self.seed)}")
        if not self.updates:
            text = f"{n} is {_nothing_to_pass(self.node)}: ∂{r}/∂{n} = {fmt(self.node.grad)} is complete"
            lines.append(text if lines else f"{head}: {text}")
        else:
            if not lines:
                lines.append(f"{head}: {n}.grad = ∂{r}/∂{n} = {fmt(self.node.grad)} is complete; pass it back")
            lines.extend(f"  {u}" for u in self.updates)
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))


def _nothing_to_pass(node: Value) -> str:
    """Why a step passes nothing back: the node is a leaf, or every parent it has is a constant."""
    if not node.is_leaf:
        return "a node whose parents are all constants"
    if node.op in ("", "param"):  # an input or a parameter (a constant gets no step of its own)
        return "a leaf"
    return "a leaf (made inside no_grad(), it recorded no parents)"
