"""Second derivatives: curvature, why the learning rate has a limit, and Newton's method.

    >>> from chainrule.demos.second_derivatives import two_neuron_hessian, descend, newton
    >>> H = two_neuron_hessian()                 # 4 × 4: ∂²E/∂θᵢ∂θⱼ for w1, b1, w2, b2

On a quadratic J(w) with curvature λ = J″, gradient descent multiplies the distance to the
minimum by (1 − ηλ) each step: it shrinks when η < 2/λ, bounces forever at η = 2/λ and grows
beyond. The notes' z = 2x example with points (1, 2), (2, 4) has λ = 2·mean(x²) = 5, so their
η = 0.4 = 2/λ sits exactly on the limit: w jumps 0 → 4 → 0 → 4 … Newton's method divides the
gradient by the curvature, w ← w − J′/J″, and lands on the minimum of a quadratic in one step.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from chainrule import engine
from chainrule.engine import Value

from .common import Narrator, run_demo

DESCRIPTION = "the Hessian of the two-neuron loss; curvature and the learning-rate limit η < 2/λ; Newton vs gradient descent"
NOTES_POINTS = ([1.0, 2.0], [2.0, 4.0])


def cost(w: Value, xs: Sequence[float] = NOTES_POINTS[0], zs: Sequence[float] = NOTES_POINTS[1]) -> Value:
    """The notes' J(w) = (1/n) Σ (zᵢ − w·xᵢ)²."""
    return engine.mean([(z - w * x) ** 2 for x, z in zip(xs, zs)])


def two_neuron_hessian(half: bool = True) -> list[list[float]]:
    """∂²E/∂θᵢ∂θⱼ of the notes' two-neuron loss at their starting point, θ = (w1, b1, w2, b2)."""
    def E(w1, b1, w2, b2):
        a1 = (w1 * 0.1 + b1).sigmoid()
        a2 = (a1 * w2 + b2).sigmoid()
        return (0.5 if half else 1.0) * (0.25 - a2) ** 2

    return engine.hessian(E, [0.15, 0.4, 0.45, 0.65])


def descend(lr: float, steps: int = 8, w0: float = 0.0) -> list[float]:
    """Gradient descent on the notes' J: w ← w − η J′(w), with J′ from backward."""
    ws = [w0]
    for _ in range(steps):
        w = Value(ws[-1], "w")
        (g,) = engine.grad(cost(w), [w])
        ws.append(ws[-1] - lr * g)
    return ws


def newton(steps: int = 3, w0: float = 0.0) -> list[float]:
    """Newton's method: w ← w − J′(w)/J″(w), both from the engine (J″ by differentiating J′ again)."""
    ws = [w0]
    for _ in range(steps):
        w = Value(ws[-1], "w")
        (g,) = engine.grad(cost(w), [w], create_graph=True)
        (curvature,) = engine.grad(g, [w])
        ws.append(ws[-1] - g.data / curvature)
    return ws


def curvature_reading(eig: np.ndarray) -> str:
    """What a Hessian's eigenvalues say about a point and about the learning rate.

    Along an eigenvector with λ > 0 the loss curves up and gradient descent multiplies the distance
    to the bottom by (1 − ηλ): stable for η < 2/λ, so the largest λ sets the limit. Along λ < 0 it
    curves down: the point is no minimum, and descent moves away from it there at any η."""
    top = eig.max()
    text = (f"The largest upward curvature is λ_max = {top:.3g}: along it gradient descent is stable for "
            f"η < 2/λ_max = {2 / top:.3g}; the notes' η = 0.4 is far below that limit.")
    if eig.min() < -1e-12 * max(1.0, abs(top)):
        steepest = ", the steepest in size" if -eig.min() > top else ""
        text = (f"One curvature is negative ({eig.min():.3g}{steepest}): this point is no minimum. "
                "Along that direction E curves down, and gradient descent moves away from here at any η, as it "
                "should, since E falls that way. " + text)
    return text


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    H = np.array(two_neuron_hessian())
    eig = np.linalg.eigvalsh(H)
    say("The Hessian of the notes' two-neuron loss E = ½(T − a2)² at w1 = 0.15, b1 = 0.4, w2 = 0.45, b2 = 0.65")
    say("(rows and columns w1, b1, w2, b2; from engine.hessian: the gradient differentiated again):")
    for name, row in zip(("w1", "b1", "w2", "b2"), H):
        say(f"  {name}  " + "  ".join(f"{v:>10.3e}" for v in row))
    say(f"Its eigenvalues (the curvatures along its principal directions): {', '.join(f'{v:.3g}' for v in eig)}.")
    say(curvature_reading(eig) + "\n")

    w = Value(0.0, "w")
    (g,) = engine.grad(cost(w), [w], create_graph=True)
    (curvature,) = engine.grad(g, [w])
    limit = 2 / curvature
    say(f"The notes' z = 2x with points (1, 2), (2, 4): J″(w) = {curvature:g} everywhere (a parabola), so the "
        f"limit is η < 2/J″ = {limit:g}.")
    runs = {lr: descend(lr) for lr in (0.1, 0.3, limit, 0.45)}
    for lr, ws in runs.items():
        what = ("exactly at the limit: bounces forever" if lr == limit else
                "above the limit: diverges" if lr > limit else "below the limit: converges")
        say(f"  η = {lr:g}: w = {', '.join(f'{v:.4g}' for v in ws[:7])}, …  ({what})")
    ns = newton()
    say(f"Newton's method, w ← w − J′/J″: w = {', '.join(f'{v:g}' for v in ns)} — the minimum in one step.")

    from matplotlib.figure import Figure

    from chainrule.viz import plots

    fig = Figure(figsize=(7.2, 4.6), layout="constrained")
    ax = fig.subplots()
    colours = [plots.PALETTE[2], plots.POSITIVE, plots.PALETTE[4], plots.NEGATIVE]
    for colour, (lr, ws) in zip(colours, runs.items()):
        ax.plot(range(len(ws)), ws, marker="o", color=colour, label=f"gradient descent, η = {lr:g}")
    ax.plot(range(len(ns)), ns, marker="s", color="black", label="Newton: w − J′/J″")
    ax.axhline(2.0, color="#999999", linestyle=":", linewidth=1)
    ax.set_xlabel("iteration")
    ax.set_ylabel("w  (the minimum is at w = 2)")
    ax.set_ylim(-2, 6.5)
    ax.set_title(f"J″ = {curvature:g}: gradient descent is stable only for η < 2/J″ = {limit:g}")
    fig.legend(loc="outside lower center", fontsize=8, ncols=3, frameon=False)
    say.wrote(plots.save(fig, out / "learning_rate_limit.png"))
    return {"hessian": H.tolist(), "eigenvalues": eig.tolist(), "curvature": curvature, "limit": limit,
            "descent": {str(k): v for k, v in runs.items()}, "newton": ns}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("second-derivatives", DESCRIPTION, run, argv)
