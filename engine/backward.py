"""Backward: the chain rule applied to a whole graph, at once or one node at a time.

    order  = topological_order(root)          parents before children
    zero     every computed node's grad = 0   (leaves keep theirs: gradients add up over passes)
    seed     root.grad += 1                   ∂root/∂root
    loop     for node in reversed(order):
                 for (parent, local) in node's edges:
                     parent.grad += local × node.grad

`topological_order` and `chain_rule` below are exactly that, and `backward` runs them. Around
them, named helpers keep three promises the README makes: a pass that would leave a gradient
infinite or NaN raises and changes nothing (`all_or_nothing`); a stepper abandoned half-way is
undone before the next pass in its thread (`open_steppers`); `backward_steps` runs the same loop
and stops after each node so that a learner (or the stepper page) can look in between.
"""
from __future__ import annotations

import math
import threading
import weakref
from array import array
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .checks import as_number, describe
from .formatting import names_in
from .steps import BackwardStep, EdgeUpdate

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every Value `root` depends on, parents before children, `root` last.

    Depth-first without recursion (a million-node chain is fine): `path` holds the nodes being
    visited and `next_edge` how far each has got through its edges (parent, local, parent, …).
    A node is placed once all its parents are. Parents are taken in operand order, so the order
    is the same on every run.
    """
    order: list[Value] = []
    visited, path, next_edge = {root}, [root], [0]
    while path:
        node = path[-1]
        edges, i = node.edges, next_edge[-1]
        while i < len(edges):
            parent = edges[i]
            i += 2
            if parent not in visited:
                visited.add(parent)
                if parent.edges:  # go deeper; come back to this node's edge i afterwards
                    next_edge[-1] = i
                    path.append(parent)
                    next_edge.append(0)
                    break
                order.append(parent)  # a leaf: placed at once
        else:  # every parent is placed: the node follows them
            path.pop()
            next_edge.pop()
            order.append(node)
    return order


def chain_rule(order: list[Value], root: Value, seed: float) -> None:
    """The textbook's backward pass over `order` (parents before children)."""
    for node in order:
        if node.edges:  # computed values start from 0; leaves keep what they hold
            node.grad = 0.0
    root.grad += seed  # ∂root/∂root
    for node in reversed(order):  # a node after every node that uses it:
        g = node.grad  # ∂root/∂node is complete
        pairs = iter(node.edges)  # (parent, ∂node/∂parent), (parent, ∂node/∂parent), …
        for parent, local in zip(pairs, pairs):
            parent.grad += local * g


def backward(root: Value, grad: Any) -> None:
    """Fill `.grad` of every Value `root` depends on with ∂root/∂value (times `grad`)."""
    seed = checked_seed(root, grad)
    open_steppers.undo()
    order = topological_order(root)
    reaches_a_variable(root, order)
    with all_or_nothing(order):
        chain_rule(order, root, seed)


# -- the promises around the loop -------------------------------------------------------------

def checked_seed(root: Any, grad: Any) -> float:
    if not hasattr(root, "edges"):
        raise TypeError(f"backward: expected a Value, got {describe(root)}")
    return as_number(grad, "backward: grad")


def reaches_a_variable(root: Value, order: list[Value]) -> None:
    """Refuse a pass that would fill no gradient a learner looks at, as PyTorch does: from a result computed
    inside no_grad() (it recorded no parents), or through a graph whose every leaf is a constant (a plain
    number lifted in: predictions from nn.predict or .data make such a loss). The stepper shows both instead."""
    if not root.edges and root.op not in ("", "param", "const"):  # an operation's result with no parents
        raise RuntimeError(
            f"backward: {describe(root)} was computed (op {root.op!r}) without recording its parents, inside "
            "no_grad(), so no gradient can reach anything from it. Compute it outside no_grad() to backpropagate "
            "(as PyTorch, which refuses this too).")
    if constants_only(order):
        raise RuntimeError(
            "backward: every leaf of this graph is a constant (a plain number lifted into the graph): nothing in it "
            "depends on a variable, so no gradient would reach one. A loss of plain numbers (nn.predict's, or .data) "
            "gives such a graph: give the loss the model's Values instead, model(x).")


def constants_only(order: list[Value]) -> bool:
    """True when every leaf of the graph is a constant (it stops at the first input or parameter)."""
    return all(node.edges or node.op == "const" for node in order)


@contextmanager
def all_or_nothing(order: list[Value]) -> Iterator[None]:
    """Leaves' gradients made numbers before the block; every gradient finite after it; and if the
    block fails (an overflow, a gradient that is no number, Ctrl-C, a stepper abandoned half-way)
    every `.grad` is put back as it was."""
    with restoring(order) as saved:
        if type(saved) is list:  # some .grad is not a number: None, or a Value, or no number at all
            _leaves_as_numbers(order)
        yield
        _check_finite(order)


@contextmanager
def restoring(order: list[Value]) -> Iterator[Sequence[Any]]:
    """Every `.grad` of `order` as it was before the block (yielded), put back if the block fails."""
    saved = _saved_grads(order)
    try:
        yield saved
    except BaseException:
        for node, g in zip(order, saved):
            node.grad = g
        raise


def _saved_grads(order: list[Value]) -> Sequence[Any]:
    """Every .grad as it was. Packed as 8-byte doubles when all are numbers: a list would keep each
    old gradient's float object (24 bytes) alive beside the new one."""
    grads = [node.grad for node in order]
    try:
        return array("d", grads)
    except TypeError:  # a None ("no gradient yet") or something odd in a leaf's .grad: keep each as it is
        return grads


def _leaves_as_numbers(order: list[Value]) -> None:
    """A leaf's `.grad` as a float: None (the PyTorch habit `p.grad = None`) is "no gradient yet", 0."""
    for node in order:
        g = node.grad
        if node.edges or type(g) is float:
            continue
        if g is None:
            node.grad = 0.0
        elif hasattr(g, "edges"):  # a gradient kept as a Value by backward(create_graph=True)
            raise TypeError(
                f"backward: the .grad of {describe(node)} holds a Value (a graph made by backward(create_graph=True)), "
                "and this pass would add numbers to it. Take it out first: `g = x.grad; x.grad = None` (for every "
                "leaf: root.zero_grad()), then `g.backward()` fills x.grad with ∂g/∂x; or use engine.grad(g, [x]).")
        else:
            node.grad = as_number(g, f"backward: the .grad of {describe(node)}")


def _check_finite(order: list[Value]) -> None:
    """Every gradient is a finite float, or the pass raises (and all_or_nothing undoes it)."""
    total = sum([node.grad for node in order])  # one ∞ or NaN makes the sum so; one numpy scalar makes it numpy's
    if type(total) is float and math.isfinite(total):
        return  # the usual case, at the cost of a sum; else look at each gradient (a sum may overflow by itself)
    for node in order:
        g = node.grad
        if hasattr(g, "edges"):
            raise TypeError(f"backward: the gradient of {describe(node)} became a Value: an edge holds a Value "
                            "where its local derivative belongs. Edges are (parent₁, ∂out/∂parent₁, parent₂, …), "
                            "each local derivative a number.")
        if type(g) is not float:  # a numpy scalar that came in through .data
            g = node.grad = float(g)
        if not math.isfinite(g):
            raise OverflowError(
                f"backward: the gradient of {describe(node)} overflowed to {g}; every .grad is left as it "
                "was before this pass. Scale the loss or the inputs down (or lower the learning rate).")


class _OpenSteppers(threading.local):
    """The stepping passes started and not finished in this thread (another thread's are its own)."""

    def __init__(self) -> None:
        self.steppers: list[weakref.ref] = []

    def add(self, steps: Iterator[BackwardStep]) -> None:
        self.steppers.append(weakref.ref(steps))

    def undo(self) -> None:
        """Close every open stepper: each puts its gradients back as they were before it started."""
        while self.steppers:
            steps = self.steppers.pop()()
            if steps is not None:
                steps.close()


open_steppers = _OpenSteppers()


# -- one node at a time ----------------------------------------------------------------------

def backward_steps(root: Value, grad: Any = 1.0) -> Iterator[BackwardStep]:
    """Yield one `BackwardStep` per node, in backward's order, each applied before it is yielded.

    Constants (plain numbers lifted into the graph) get no step of their own and their updates
    are applied without being listed: there is nothing to learn about them. A stepper that is
    closed, dropped, or overtaken by a new backward pass in its thread before its last step puts
    every gradient back as it was: half a pass never lingers.
    """
    seed = checked_seed(root, grad)
    open_steppers.undo()
    steps = _stepping(root, seed)
    open_steppers.add(steps)
    return steps


def _stepping(root: Value, seed: float) -> Iterator[BackwardStep]:
    """chain_rule, one node at a time: each node's updates are applied, then shown."""
    order = topological_order(root)
    with all_or_nothing(order):
        for node in order:
            if node.edges:
                node.grad = 0.0
        root.grad += seed
        names = names_in(order)
        shown = [node for node in reversed(order) if node.op != "const"]
        for index, node in enumerate(shown, start=1):
            updates = []
            pairs = iter(node.edges)
            for k, (parent, local) in enumerate(zip(pairs, pairs)):
                before = parent.grad
                parent.grad += local * node.grad
                if parent.op != "const":
                    updates.append(EdgeUpdate(node, parent, local, node.grad, before, parent.grad, names, k))
            yield BackwardStep(index, len(shown), node, root, seed if index == 1 else None, updates, names)
