"""Backward: the chain rule applied to a whole graph, at once or one node at a time.

    order  = topological_order(root)          parents before children
    seed     root.grad += 1                   ∂root/∂root
    loop     for node in reversed(order):
                 for (parent, local) in node's edges:
                     parent.grad += local × node.grad
    check    every gradient is finite, or the pass is undone and raises

`backward()` runs the loop; `backward_steps()` runs the same loop and stops after each
node so that a learner (or the stepper page) can look at the gradients in between.
Leaves (inputs, parameters) add to the gradient they hold, as in PyTorch; every computed
Value starts each pass at 0 and ends it holding its gradient from this pass.
"""
from __future__ import annotations

import math
import threading
import weakref
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .checks import as_number, describe
from .derivatives import local_values
from .formatting import fmt, in_partial as _wrap
from .graph import edges, names_in, topological_order

if TYPE_CHECKING:
    from .value import Value

# Stepping passes that have started and not finished, per thread: a new pass in the same thread
# undoes them first, so that gradients left half-way by an abandoned stepper are never added to
# (see backward_steps). Another thread's stepper is that thread's business.
_open_steppers = threading.local()


def _unfinished() -> list[weakref.ref]:
    steppers = getattr(_open_steppers, "list", None)
    if steppers is None:
        steppers = _open_steppers.list = []
    return steppers


def backward(root: Value, grad: Any = 1.0, create_graph: bool = False) -> None:
    """Fill `.grad` of every Value `root` depends on with ∂root/∂value (times `grad`).

    With `create_graph=True` each `.grad` becomes a Value in a new graph (engine/higher.py), so a
    gradient can itself be drawn and differentiated again.
    """
    _finish_unfinished()
    if create_graph:
        backward_create_graph(root, as_number(grad, "backward: grad"))
        return
    order, saved = _begin(root, grad)
    try:
        for node in reversed(order):
            g = node.grad
            pairs = iter(node.edges)  # (parent, local), (parent, local), … ; a leaf has none
            for parent, local in zip(pairs, pairs):
                parent.grad += local * g
        _check(order)
    except BaseException:  # an overflow, or Ctrl-C half-way: undo the whole pass
        _restore(order, saved)
        raise


def _begin(root: Value, grad: Any) -> tuple[list[Value], Sequence[Any]]:
    """Seed a pass: the graph in topological order, every grad as it was (to undo a failed pass),
    computed Values at 0, leaves as they were ("no gradient yet", None, counts as 0), root += grad."""
    seed = as_number(grad, "backward: grad")
    if not hasattr(root, "edges"):
        raise TypeError(f"backward: expected a Value, got {describe(root)}")
    order = topological_order(root)
    saved = _saved_grads(order)
    try:
        for node in order:
            if node.edges:
                node.grad = 0.0
            elif type(node.grad) is not float:
                node.grad = _as_grad(node)
        root.grad += seed
    except BaseException:  # a leaf's .grad that is no number: the pass never started
        _restore(order, saved)
        raise
    return order, saved


def _saved_grads(order: list[Value]) -> Sequence[Any]:
    """Every .grad as it was, to undo a failed pass. Packed as 8-byte doubles when all are numbers:
    a list would keep each old gradient's float object (24 bytes) alive beside the new one."""
    grads = [node.grad for node in order]
    try:
        return array("d", grads)
    except TypeError:  # a None ("no gradient yet") or something odd in a leaf's .grad: keep each as it is
        return grads


def _as_grad(node: Value) -> float:
    g = node.grad
    if g is None:  # the PyTorch habit `p.grad = None`: no gradient yet
        return 0.0
    if hasattr(g, "edges"):  # a gradient kept as a Value by backward(create_graph=True)
        raise TypeError(
            f"backward: the .grad of {describe(node)} holds a Value (a graph made by backward(create_graph=True)), "
            "and this pass would add numbers to it. Take it out first: `g = x.grad; x.grad = None` (for every "
            "leaf: root.zero_grad()), then `g.backward()` fills x.grad with ∂g/∂x; or use engine.grad(g, [x]).")
    return as_number(g, f"backward: the .grad of {describe(node)}")


def _check(order: list[Value]) -> None:
    """Every gradient is a finite float, or the pass raises (and its caller undoes it)."""
    for node in order:
        g = node.grad
        if type(g) is not float:  # a numpy scalar that came in through .data
            g = node.grad = float(g)
        if not math.isfinite(g):
            raise OverflowError(
                f"backward: the gradient of {describe(node)} overflowed to {g}; every .grad is left as it "
                "was before this pass. Scale the loss or the inputs down (or lower the learning rate).")


def _restore(order: list[Value], saved: Sequence[Any]) -> None:
    for node, g in zip(order, saved):
        node.grad = g


def _finish_unfinished() -> None:
    """Undo every stepping pass that was started and not finished (its generator is closed)."""
    unfinished = _unfinished()
    while unfinished:
        steps = unfinished.pop()()
        if steps is not None:
            steps.close()


# -- gradients as Values, for second derivatives (engine/higher.py builds on these) ---------

def combined_order(outputs: list[Value]) -> list[Value]:
    """The graphs of several outputs in one topological order (parents before children)."""
    order, seen = [], set()
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def reverse(outputs: list[Value], seeds: list[float], create_graph: bool) -> dict[Value, Any]:
    """∂(Σ seedᵢ·outputᵢ)/∂node for every node the outputs depend on, by the chain rule in reverse."""
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
    """`root.backward(create_graph=True)`: every `.grad` in root's graph becomes a Value (leaves add to theirs)."""
    order = topological_order(root)
    for node in order:
        if not node.edges and isinstance(getattr(type(node), "grad", None), property):  # a view (nn.Parameter)
            raise TypeError(
                f"backward(create_graph=True) would store a Value in the .grad of {describe(node)}, a model "
                "parameter whose gradient lives in its model's buffer (a number). Use "
                "engine.grad(loss, model.parameters(), create_graph=True) to get the gradients as Values.")
    g = reverse([root], [seed], create_graph=True)
    for node in order:
        value = g.get(node, 0.0)
        if node.edges:
            node.grad = value
        else:
            previous = node.grad  # leaves add to what they hold, as in every backward pass
            plain_zero = previous is None or (type(previous) is float and previous == 0.0)
            node.grad = value if plain_zero else previous + value


# -- one node at a time ----------------------------------------------------------------


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
        return (f"{p}.grad += {c}.grad × ∂{c}/∂{p} = {_signed(self.upstream)} × {_signed(self.local)} "
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

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))


def _signed(x: float) -> str:
    return f"({fmt(x)})" if x < 0 else fmt(x)


def backward_steps(root: Value, grad: Any = 1.0) -> Iterator[BackwardStep]:
    """Yield one `BackwardStep` per node, in backward's order, each applied before it is yielded.

    Constants (plain numbers lifted into the graph) get no step of their own and their updates
    are applied without being listed: there is nothing to learn about them. A stepper that is closed, dropped, or overtaken by a new backward pass
    before its last step puts every gradient back as it was: half a pass never lingers.
    """
    _finish_unfinished()
    steps = _stepping(root, grad)
    _unfinished().append(weakref.ref(steps))
    return steps


def _stepping(root: Value, grad: Any) -> Iterator[BackwardStep]:
    order, saved = _begin(root, grad)
    finished = False
    try:
        names = names_in(order)
        shown = [node for node in reversed(order) if node.op != "const"]
        for index, node in enumerate(shown, start=1):
            g = node.grad
            updates = []
            for k, (parent, local) in enumerate(edges(node)):
                before = parent.grad
                parent.grad = before + local * g
                if parent.op != "const":
                    updates.append(EdgeUpdate(node, parent, local, g, before, parent.grad, names, k))
            yield BackwardStep(index, len(shown), node, root, root.grad if index == 1 else None, updates, names)
        _check(order)
        finished = True
    finally:
        if not finished:
            _restore(order, saved)
