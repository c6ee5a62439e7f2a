"""Why backward must visit nodes in reverse topological order: a naive recursion gets it wrong.

    >>> from chainrule.demos.topological_order import reused, naive_backward
    >>> a, d = reused()          # b = 2a;  c = 3b;  d = b + c  (b is used twice)
    >>> naive_backward(d)        # visits b before c has passed its share back: ∂d/∂a = 10 (wrong)
    >>> d.backward()             # the engine: b waits for both children: ∂d/∂a = 8

The naive recursion passes a node's gradient on as soon as it reaches the node. When a node
feeds two others (b feeds c and d), its gradient is not complete until both have passed theirs
back; passed on early it is counted in pieces, and every piece after the first is pushed down
again. The engine sorts the graph first (parents before children) and walks it backwards, so
each node passes its gradient on exactly once, complete.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from chainrule import engine
from chainrule.engine import Value

from .common import Narrator, run_demo

DESCRIPTION = "a naive recursive backward next to the engine's topological order: the wrong gradients it gives"


def doubled() -> tuple[Value, Value]:
    """b = a + a;  c = b + b   (∂c/∂a = 4)."""
    a = Value(3.0, "a")
    b = (a + a).named("b")
    return a, (b + b).named("c")


def reused() -> tuple[Value, Value]:
    """b = 2a;  c = 3b;  d = b + c   (∂d/∂a = 2 + 3·2 = 8): b feeds two nodes. (a = 2.5 makes every
    number in the picture a different one: b = 5, so the edge into c from b reads 3 and from the 3 reads 5.)"""
    a = Value(2.5, "a")
    b = (2 * a).named("b")
    c = (b * 3).named("c")  # b first: its edge runs above the constant's, not across it
    return a, (b + c).named("d")


def naive_backward(root: Value) -> list[str]:
    """The mistake: seed the root, then for each node pass its *current* grad to its parents and
    recurse into each parent at once. Returns what it did, in order. (Depth-first, no sorting.)"""
    for node in engine.topological_order(root):
        node.grad = 0.0
    root.grad = 1.0
    names = engine.names(root)
    log: list[str] = []

    def visit(node: Value) -> None:
        for parent, local in engine.edges(node):
            parent.grad += local * node.grad
            log.append(f"at {names[node]} (grad {engine.fmt(node.grad)}): {names[parent]}.grad += "
                       f"{engine.fmt(local)} × {engine.fmt(node.grad)} → {engine.fmt(parent.grad)}")
        for parent in dict.fromkeys(node.parents):  # each distinct parent once, in operand order
            visit(parent)

    visit(root)
    return log


def compare(build) -> dict:
    """Run the naive recursion and the engine on the same graph; their leaf gradients and orders."""
    a, root = build()
    log = naive_backward(root)
    naive = a.grad
    a.grad = 0.0
    root.backward()
    names = engine.names(root)
    order = [names[v] for v in reversed(engine.topological_order(root)) if v.op != "const"]
    return {"naive_steps": log, "naive": naive, "engine": a.grad, "engine_order": order, "root": root}


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    results = {}
    for title, build in (("b = a + a; c = b + b", doubled), ("b = 2a; c = 3b; d = b + c (b reused)", reused)):
        r = compare(build)
        results[title] = r
        say(f"{title}")
        say("  naive recursion (pass each grad on as soon as a node is reached):")
        for line in r["naive_steps"]:
            say(f"    {line}")
        say(f"  engine's order (reverse topological): {' → '.join(r['engine_order'])}")
        verdict = "the same" if r["naive"] == r["engine"] else "WRONG"
        say(f"  ∂/∂a: naive {engine.fmt(r['naive'])}, engine {engine.fmt(r['engine'])} — the naive answer is {verdict}\n")
    say("With b used by two nodes, the naive recursion reaches b through d first, while b's gradient is")
    say("still 1 (c has not passed its 3 back yet), pushes that piece down to a, and pushes b down again")
    say("when c's share arrives: a gets 2·1 + 2·4 = 10. Sorted, b waits for c: a gets 2·4 = 8.")
    from chainrule import viz

    picture = viz.render(results["b = 2a; c = 3b; d = b + c (b reused)"]["root"], out / "reused_node.svg")
    say.wrote(picture)
    return {k: {"naive": v["naive"], "engine": v["engine"], "order": v["engine_order"]} for k, v in results.items()}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("topological-order", DESCRIPTION, run, argv)
