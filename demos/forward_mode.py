"""Forward mode against reverse mode on the same graph: why backprop is reverse mode.

    >>> from chainrule.demos.forward_mode import neuron, sweeps
    >>> sweeps(neuron, [0.5, -1.0, 2.0])      # the full gradient: 3 forward sweeps or 1 backward

Forward mode (engine.jvp) pushes one direction of change through the graph: one sweep gives
the derivative of every output along that direction. Reverse mode (backward) pulls one
output's sensitivity back: one sweep gives that output's derivative with respect to every
input. A full Jacobian of m outputs and n inputs costs n forward sweeps or m backward
sweeps, each touching every edge once. A loss is one number (m = 1) of millions of weights
(n huge): one backward sweep instead of millions of forward ones.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Optional, Sequence

from chainrule import engine
from chainrule.engine import Value

from .common import Narrator, run_demo

DESCRIPTION = "forward mode (jvp) vs reverse mode (backward) on the same graph, counting the work for n inputs and m outputs"


def neuron(*xs: Value) -> Value:
    """n inputs, one output: σ(Σ wᵢxᵢ + b), a loss-like function."""
    weights = [Value(math.sin(k + 1.0), f"w{k}", "const") for k in range(len(xs))]  # fixed, and named: the
    # picture then reads ∂z/∂w0 = x0 on w0's edge beside ∂z/∂x0 = w0 on x0's
    return engine.dot(weights, list(xs), Value(0.1, "b", "const")).sigmoid()


def fan_out(x: Value, m: int = 6) -> list[Value]:
    """One input, m outputs: (k·x)² for k = 1 … m."""
    return [((k + 1) * x).tanh() for k in range(m)]


def sweeps(f: Callable, inputs: Sequence[float]) -> dict:
    """The full Jacobian of f both ways: the numbers, and how many sweeps and edge visits each took."""
    xs = [Value(v, f"x{i}") for i, v in enumerate(inputs)]
    out = f(*xs)
    outs = out if isinstance(out, list) else [out]
    nodes = {v: None for o in outs for v in engine.topological_order(o)}  # every node once, in order
    edge_count = sum(len(v.edges) // 2 for v in nodes)
    forward = []  # column j: ∂outputs/∂x_j, one jvp each
    for j in range(len(inputs)):
        direction = [1.0 if i == j else 0.0 for i in range(len(inputs))]
        d = engine.jvp(f, inputs, direction).derivative
        forward.append(d if isinstance(d, list) else [d])
    reverse = [engine.grad(o, xs) for o in outs]  # row i: ∂output_i/∂inputs, one backward each
    jac_forward = [[forward[j][i] for j in range(len(inputs))] for i in range(len(outs))]
    return {"n": len(inputs), "m": len(outs), "edges": edge_count, "forward_sweeps": len(inputs),
            "reverse_sweeps": len(outs), "forward_edge_visits": len(inputs) * edge_count,
            "reverse_edge_visits": len(outs) * edge_count, "jacobian_forward": jac_forward, "jacobian_reverse": reverse}


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    results = {}
    for title, f, inputs in (("a neuron: n = 8 inputs, m = 1 output", neuron, [0.5, -1.0, 2.0, 0.3, 1.1, -0.7, 0.2, 0.9]),
                             ("a fan-out: n = 1 input, m = 6 outputs", fan_out, [0.4])):
        r = sweeps(f, inputs)
        results[title] = r
        agree = max(abs(a - b) for ra, rb in zip(r["jacobian_forward"], r["jacobian_reverse"]) for a, b in zip(ra, rb))
        say(f"{title} ({r['edges']} edges):")
        say(f"  forward mode: {r['forward_sweeps']} sweep(s) × {r['edges']} edges = {r['forward_edge_visits']} edge visits")
        say(f"  reverse mode: {r['reverse_sweeps']} sweep(s) × {r['edges']} edges = {r['reverse_edge_visits']} edge visits")
        say(f"  the two Jacobians agree to {agree:.1e}\n")
    say("Training has one loss (m = 1) and many weights (n large): reverse mode, backprop, needs one sweep.")
    say("Forward mode wins only when outputs outnumber inputs.")
    from matplotlib.figure import Figure

    from chainrule.viz import plots

    ns = [1, 2, 4, 8, 16, 32, 64]
    measured = [sweeps(neuron, [0.1 * k for k in range(n)]) for n in ns]  # real graphs, real sweeps
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(ns, [r["forward_edge_visits"] for r in measured], marker="o", color=plots.NEGATIVE,
            label="forward mode: one jvp sweep per input")
    ax.plot(ns, [r["reverse_edge_visits"] for r in measured], marker="o", color=plots.POSITIVE,
            label="reverse mode (backprop): one backward sweep")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("n, the number of inputs of a neuron σ(Σ wᵢxᵢ + b)")
    ax.set_ylabel("edges visited for the whole gradient")
    ax.set_title("The gradient of one output: forward mode's work grows as n², reverse mode's as n", fontsize=10)
    fig.legend(loc="outside lower center", fontsize=8, ncols=2, frameon=False)
    say.wrote(plots.save(fig, out / "forward_vs_reverse.png"))
    from chainrule import viz

    sweep = engine.jvp(neuron, [0.5, -1.0, 2.0], [1.0, 0.0, 0.0])  # tangents along x0
    sweep.output.backward()  # and the gradients of the same graph
    say.wrote(viz.render(sweep.output, out / "tangents_and_gradients.svg", tangents=sweep.tangents,
                         title="one graph, both modes: tangent = ∂node/∂x0 (forward), grad = ∂out/∂node (reverse)"))
    return {k: {key: v[key] for key in ("n", "m", "edges", "forward_edge_visits", "reverse_edge_visits")}
            for k, v in results.items()}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("forward-mode", DESCRIPTION, run, argv)
