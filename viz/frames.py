"""The engine's backward pass as the stepper's frames: one chain-rule update per frame.

Frame 1 seeds the root's grad; each later frame is one `EdgeUpdate` the engine
made (parent.grad += local × child.grad), in backward's order. A frame holds
only what changed (one node's grad, before and after) and its text, so frames
cost O(1) each and the page rebuilds any state by applying them in turn.
Constants get no frame: they are numbers, not things we learn or feed in.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from chainrule.engine import Value, fmt, names
from chainrule.engine.formatting import in_partial

from .style import NOT_COMPUTED


@contextmanager
def replaying(order: list[Value]) -> Iterator[None]:
    """Clear the grads of the graph for a clean replay of backward, and restore them afterwards.

    Drawing never changes the graph.
    """
    saved = [v.grad for v in order]
    try:
        for v in order:
            v.grad = 0.0
        yield
    finally:
        for v, g in zip(order, saved):
            v.grad = g


@dataclass
class Replay:
    """The frames of one backward pass, and the widest grad line each node will show."""

    frames: list[dict] = field(default_factory=list)
    widest: dict[Value, str] = field(default_factory=dict)

    def show(self, value: Value, text: str) -> None:
        if len(text) > len(self.widest.get(value, "")):
            self.widest[value] = text


def replay(root: Value, order: list[Value]) -> Replay:
    """Run the engine's `backward_steps` (inside `replaying(order)`) and record its frames.

    Node ids are the drawing's: v{i} for the i-th Value in topological order, and e{c}_{k}
    for the k-th operand edge of Value c.
    """
    index = {v: i for i, v in enumerate(order)}
    shown = {v: in_partial(name) for v, name in names(root).items()}  # (T−a2).grad, ∂(T−a2)²/∂(T−a2)
    r = shown[root]
    out = Replay()
    for v in order:
        out.show(v, f"grad {NOT_COMPUTED}")
    for step in root.backward_steps():
        node = step.node
        if node.op == "const":
            continue
        c = index[node]
        if step.seed is not None:
            out.frames.append({"c": c, "p": c, "e": None, "b": fmt(0.0), "a": fmt(step.seed),
                               "t": f"Seed: {r}.grad = ∂{r}/∂{r} = {fmt(step.seed)}\n"
                                    f"(how much {r} changes per unit change of {r})"})
            out.show(node, f"grad {fmt(0.0)} → {fmt(step.seed)}")
        # the engine lists no update into a constant: its edge is passed with the node's first frame
        constants = [f"e{c}_{k}" for k, parent in enumerate(node.parents) if parent.op == "const"]
        for u in step.updates:
            cn, pn = shown[node], shown[u.parent]
            text = (f"{cn}.grad = ∂{r}/∂{cn} = {fmt(u.upstream)} is complete: pass it to {pn}\n"
                    f"{pn}.grad += {cn}.grad × ∂{cn}/∂{pn}\n"
                    f"        += {fmt(u.upstream)} × {fmt(u.local)} = {fmt(u.contribution)}\n"
                    f"{pn}.grad: {fmt(u.before)} → {fmt(u.after)}")
            out.frames.append({"c": c, "p": index[u.parent], "e": f"e{c}_{u.edge}", "b": fmt(u.before),
                               "a": fmt(u.after), "t": text})
            if constants:
                out.frames[-1]["q"], constants = constants, []
            out.show(u.parent, f"grad {fmt(u.before)} → {fmt(u.after)}")
    return out
