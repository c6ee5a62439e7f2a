"""Gradient descent on the notes' example: fit z = w·x to points on z = 2x, starting at w0 = 0 with η = 0.4.

    >>> from chainrule.demos.gradient_descent import descend, NOTES_DATA
    >>> ws, costs = descend(*NOTES_DATA, lr=0.1, steps=20)

dJ/dw at every step comes from the engine's backward on J(w) = (1/n) Σ (zᵢ − w·xᵢ)².
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from chainrule import engine
from chainrule.engine import Value
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "gradient descent on z = 2x: the notes' iterations, and learning rates too large and too small"
NOTES_DATA = ([1.0, 2.0], [2.0, 4.0])  # the notes: "points like (1, 2), (2, 4)"
NOTES_LR = 0.4
NOTES_CLAIMS = {1: 0.8, 2: 1.4}  # "Iteration 1: w increases (e.g., to 0.8) … Iteration 2: … 1.4"; "after 4 iterations w ≈ 2"
ITERATIONS, LONG_RUN = 40, 1000  # the comparison of learning rates; how far to look for a slow one
DIVERGED = 1e6  # |w| beyond this: the run has diverged and stops


def cost(w: Value, xs: Sequence[float], zs: Sequence[float], half: bool = False) -> Value:
    """J(w) = (1/n) Σ (zᵢ − w·xᵢ)²  (or ½ of it), as a Value so backward gives dJ/dw."""
    j = engine.mean([(z - w * x) ** 2 for x, z in zip(xs, zs)])
    return 0.5 * j if half else j


def descend(xs: Sequence[float], zs: Sequence[float], lr: float, steps: int, w0: float = 0.0,
            half: bool = False) -> tuple[list[float], list[float]]:
    """w_{k+1} = w_k − η·dJ/dw(w_k): the iterates w0 … w_steps and their costs."""
    ws, costs = [w0], []
    w = Value(w0, "w")
    for _ in range(steps):
        j = cost(w, xs, zs, half)
        costs.append(j.data)
        w.grad = 0.0
        j.backward()
        w = Value(w.data - lr * w.grad, "w")
        ws.append(w.data)
        if abs(w.data) > DIVERGED:  # diverged: stop before the numbers overflow
            break
    costs.append(cost(Value(ws[-1]), xs, zs, half).data)
    return ws, costs


def steps_to_converge(ws: Sequence[float], target: float = 2.0, tolerance: float = 0.01) -> Optional[int]:
    """The first iteration whose w is within tolerance of the target (and stays there), or None."""
    for k in range(len(ws)):
        if all(abs(w - target) <= tolerance for w in ws[k:]):
            return k
    return None


def run_state(ws: Sequence[float], costs: Sequence[float], factor: float, xs: Sequence[float], zs: Sequence[float],
              lr: float, tolerance: float = 0.01) -> str:
    """What a run of `descend` did, in words: converged (from which iteration), diverged (stopped where), never
    converging (|factor| ≥ 1), or converging too slowly to reach the tolerance in its iterations (and when it does)."""
    k = steps_to_converge(ws, tolerance=tolerance)
    if k is not None:
        return f"converged: |w − 2| ≤ {tolerance:g} from iteration {k}"
    each = f"the error is multiplied by {factor:g} each step"
    if abs(ws[-1]) > DIVERGED:
        return f"diverged: {each}; |w| passed {DIVERGED:,.0f} at iteration {len(ws) - 1} (w = {ws[-1]:.4g}), where the run stops"
    if abs(factor) >= 1:
        return f"never converges: {each} (w = {ws[-1]:.4g}, J = {costs[-1]:.4g} after {len(ws) - 1} iterations)"
    later = steps_to_converge(descend(xs, zs, lr, LONG_RUN)[0], tolerance=tolerance)
    when = f"≤ {tolerance:g} only from iteration {later}" if later is not None else f"not ≤ {tolerance:g} in {LONG_RUN}"
    return f"converges, but slowly: {each}; |w − 2| = {abs(ws[-1] - 2):.3g} after {len(ws) - 1} iterations, {when}"


def distances_to_target(runs: dict[str, tuple[list[float], list[float]]], target: float = 2.0,
                        iterations: int = 25) -> dict[str, list[float]]:
    """|w_k − target| for the first iterations of each run (0 where w is exactly the target)."""
    return {name: [abs(w - target) for w in ws[:iterations + 1]] for name, (ws, _) in runs.items()}


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), steps: int = 12) -> dict:
    xs, zs = NOTES_DATA
    m = sum(x * x for x in xs) / len(xs)
    say("Gradient descent, as in the notes: data on z = 2x at (1, 2) and (2, 4), w0 = 0, η = 0.4,")
    say("cost J(w) = (1/n) Σ (zᵢ − w·xᵢ)², dJ/dw from backward.\n")
    ws, costs = descend(xs, zs, NOTES_LR, steps)
    say(f"{'iteration':>9} {'w':>10} {'J(w)':>10}")
    for k, (w, j) in enumerate(list(zip(ws, costs))[:6]):
        say(f"{k:>9} {w:>10.4f} {j:>10.4f}")
    factor = 1 - 2 * NOTES_LR * m
    say("\nWith the notes' own points and η = 0.4, w never settles: each step multiplies the error 2 − w by")
    say(f"1 − 2η·mean(x²) = 1 − 2 × 0.4 × {m:g} = {factor:g}, so w jumps between {ws[0]:g} and {ws[1]:g} "
        f"and J stays {costs[0]:g}.")
    holds = all(abs(ws[k] - v) < 0.05 for k, v in NOTES_CLAIMS.items()) and abs(ws[4] - 2) < 0.05
    say(f"The notes say iteration 1 gives w ≈ {NOTES_CLAIMS[1]} and iteration 2 w ≈ {NOTES_CLAIMS[2]}, "
        f"and w ≈ 2 after 4 iterations; computed: w1 = {ws[1]:g}, w2 = {ws[2]:g}, w4 = {ws[4]:g} "
        f"{'✓' if holds else '✗ (their numbers do not follow from their own set-up)'}.")
    half_ws, _ = descend(xs, zs, NOTES_LR, 4, half=True)
    say(f"With the ½ convention (J = (1/2n) Σ …) the same η = 0.4 lands on w = {half_ws[1]:g} in one step "
        f"(factor 1 − η·mean(x²) = {1 - NOTES_LR * m:g}).\n")

    rates = {"too large (η = 0.5)": 0.5, "the notes' η = 0.4": 0.4, "good (η = 0.1)": 0.1, "too small (η = 0.01)": 0.01}
    runs = {name: descend(xs, zs, lr, ITERATIONS) for name, lr in rates.items()}
    say(f"The same data with other learning rates (up to {ITERATIONS} iterations):")
    converged, states = {}, {}
    for (name, (w_run, j_run)), lr in zip(runs.items(), rates.values()):
        converged[name] = steps_to_converge(w_run)
        states[name] = run_state(w_run, j_run, 1 - 2 * lr * m, xs, zs, lr)
        say(f"  {name:<22} {states[name]}")
    say("Too large overshoots and diverges; too small crawls; in between each step shrinks the error.\n")

    for name, lr in [("notes", 0.4), ("good", 0.1)]:
        w_run, _ = descend(xs, zs, lr, 8)
        say.wrote(plots.save(plots.gradient_descent(w_run, lambda w: cost(Value(w), xs, zs).data, xs, zs,
                                                    title=f"η = {lr}"), out / f"descent_{name}.png"))
    errors = distances_to_target(runs)
    say.wrote(plots.save(plots.curves(errors, xlabel="iteration k", ylabel="distance to the answer |w_k − 2| (log scale)",
                                      log=True, start=0, title="Four learning rates: the error |w − 2| per iteration"),
                         out / "learning_rates.png"))
    per_step = ", ".join(f"η = {lr:g}: ×{abs(1 - 2 * lr * m):.3g}" for lr in rates.values())
    say(f"learning_rates.png: each step multiplies the error |w − 2| by |1 − 2η·mean(x²)| ({per_step});")
    say("on a log scale that is a straight line: up above ×1 (diverges), flat at ×1, down below ×1.")
    good = runs["good (η = 0.1)"][0]
    say.summary(f"gradient-descent: with the notes' η = 0.4 w alternates {ws[0]:g} ↔ {ws[1]:g}; "
                f"η = 0.1 reaches w = {good[-1]:.4f}")
    return {"notes_ws": ws, "notes_costs": costs, "half_ws": half_ws, "runs": runs, "converged": converged,
            "states": states}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("gradient-descent", DESCRIPTION, run, argv)
