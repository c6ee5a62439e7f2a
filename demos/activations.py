"""Activation functions and their derivatives, every derivative computed by backward.

    >>> from chainrule.demos.activations import slope
    >>> slope("sigmoid", 0.0)      # 0.25, the largest a sigmoid's slope ever gets
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

from chainrule import engine
from chainrule.engine import Value
from chainrule.viz import plots

from .common import Narrator, run_demo
from .inside import LEAKY_SLOPE  # nn's leaky_relu: g(z) = 0.01·z for z < 0

DESCRIPTION = "sigmoid, tanh, ReLU, leaky ReLU and softmax with their derivatives (from backward)"
NOTES_SOFTMAX = {"cat": 0.51, "dog": 0.18, "bird": 0.31}  # the notes' example outputs
SCORES = {"cat": 2.0, "dog": 0.95, "bird": 1.5}  # raw scores that give them


def slope(name: str, z: float) -> float:
    """g′(z) by backward."""
    return plots.activation_derivative(name, z, LEAKY_SLOPE)[1]


def softmax_example(scores: dict[str, float] = SCORES) -> tuple[dict[str, float], list[list[float]]]:
    """Probabilities and the Jacobian ∂pᵢ/∂zⱼ (row i from backward on pᵢ)."""
    names = list(scores)
    jacobian = []
    probs = {}
    for i, name in enumerate(names):
        zs = [Value(scores[n], n) for n in names]
        p = engine.softmax(zs)
        p[i].backward()
        probs[name] = p[i].data
        jacobian.append([z.grad for z in zs])
    return probs, jacobian


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    grid = [i / 100 for i in range(-800, 801)]
    sig = [(z, slope("sigmoid", z)) for z in grid]
    z_max, s_max = max(sig, key=lambda p: p[1])
    say("Sigmoid σ(z) = 1/(1 + e⁻ᶻ), σ′(z) = σ(z)(1 − σ(z)) — both from the engine")
    say(f"  the largest slope over z ∈ [−8, 8]: σ′({z_max:g}) = {s_max:g}  (the notes: maximum 0.25 at a = 0.5)")
    for z in (1.0, 3.0, 6.0):
        say(f"  σ′(±{z:g}) = {slope('sigmoid', z):.4g} = {slope('sigmoid', z) / s_max:.1%} of the maximum")
    say("  'flat beyond ±3' is about right: past ±3 the slope is under a fifth of its peak and falls ~e× per unit.\n")
    t_max = max(slope("tanh", z) for z in grid)
    say(f"tanh: slope 1 − tanh²z, at most {t_max:g} (at 0) — four times sigmoid's, and zero-centred;")
    say(f"  but at ±3 it is {slope('tanh', 3.0):.4g}: it saturates too.\n")
    say(f"ReLU: slope {slope('relu', 2.0):g} for z > 0 and {slope('relu', -2.0):g} for z < 0 "
        f"(and {slope('relu', 0.0):g} at exactly 0, as PyTorch chooses)")
    say(f"leaky ReLU (g(z) = {LEAKY_SLOPE:g}·z below 0, as nn's leaky_relu and the picture): slope "
        f"{slope('leaky_relu', -2.0):g} for z < 0, so a neuron with z < 0 still gets a gradient.")
    say(f"The notes ask about ReLU variants: ELU (α(eᶻ − 1) below 0) has slope {slope('elu', -2.0):.4g} at z = −2, "
        f"smooth at 0; GELU (z·Φ(z)) has slope {slope('gelu', -2.0):.4g} at −2, {slope('gelu', 0.0):g} at 0 and "
        f"{slope('gelu', 2.0):.4g} at 2 — a smooth ReLU that dips slightly below 0.\n")

    probs, jac = softmax_example()
    total = math.fsum(probs.values())
    say("Softmax turns scores into probabilities (the notes' cat / dog / bird):")
    say("  scores " + ", ".join(f"{k} {v:g}" for k, v in SCORES.items()))
    say("  probs  " + ", ".join(f"{k} {v:.3f}" for k, v in probs.items()) + f"   sum = {total:.12g}")
    match = all(round(probs[k], 2) == v for k, v in NOTES_SOFTMAX.items())
    say("  the notes' (0.51, 0.18, 0.31) " + ("✓" if match else "✗"))
    say("  ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ), from backward (rows i, columns j):")
    for name, row in zip(probs, jac):
        say(f"    {name:<5}" + "".join(f"{v:>9.4f}" for v in row) + f"   row sum {math.fsum(row):+.1e}")
    say("  every row sums to 0: raising one score takes probability from the others.\n")

    say.wrote(plots.save(plots.activations(["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"],
                                           negative_slope=LEAKY_SLOPE),
                         out / "activations.png"))
    say.summary(f"activations: max σ′ = {s_max:g} at z = {z_max:g}; softmax(cat, dog, bird) = "
                + ", ".join(f"{v:.3f}" for v in probs.values()))
    return {"sigmoid_max": s_max, "sigmoid_argmax": z_max, "tanh_max": t_max, "sigmoid_at_3": slope("sigmoid", 3.0),
            "softmax": probs, "softmax_sum": total, "jacobian": jac}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("activations", DESCRIPTION, run, argv)
