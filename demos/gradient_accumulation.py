"""Gradients add up over backward() calls: what `.grad` holds after one, two, three calls, and
the same training with `zero_grad()` forgotten.

    >>> from chainrule.demos.gradient_accumulation import grads_after_calls, train
    >>> grads_after_calls(3)                    # [g, 2g, 3g]
    >>> train(zero_grad=False)                  # the loss curve without zero_grad

Why PyTorch (and chainrule) accumulate: a leaf may be used by several losses, or one batch may
be split into pieces that do not fit in memory together; adding each backward's gradient to
`.grad` sums them for free. The price: clearing `.grad` before each step is the learner's job.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from chainrule import nn
from chainrule.engine import Value

from .common import Narrator, run_demo

DESCRIPTION = "what .grad holds after 1, 2, 3 backward() calls; training with zero_grad forgotten"
DATA = nn.data.line(8, slope=2.0, low=0.0, high=1.0)  # the notes' z = 2x


def grads_after_calls(calls: int = 3) -> list[float]:
    """w.grad after each of `calls` backward() calls on the same loss J(w) = (2 − w·1)² at w = 0.5."""
    w = Value(0.5, "w")
    loss = (2.0 - w * 1.0) ** 2
    seen = []
    for _ in range(calls):
        loss.backward()
        seen.append(w.grad)
    return seen


def train(zero_grad: bool, steps: int = 40, lr: float = 0.1, seed: int = 0) -> list[float]:
    """Gradient descent on z = w·x + b for the notes' z = 2x; the loss after every step."""
    model = nn.MLP(1, [1], seed=seed)
    optimizer = nn.SGD(model.parameters(), lr=lr)
    X, y = DATA
    losses = []
    for _ in range(steps):
        if zero_grad:
            optimizer.zero_grad()
        loss = nn.loss_graph(model, X, y, "mse")
        loss.backward()
        optimizer.step()
        losses.append(nn.evaluate(model, X, y, "mse")[0])
    return losses


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    grads = grads_after_calls(3)
    say("J(w) = (2 − w)² at w = 0.5, so dJ/dw = −2(2 − w) = −3. Calling backward() again and again:")
    for k, g in enumerate(grads, start=1):
        say(f"  after {k} call{'s' if k > 1 else ''}: w.grad = {g:g}")
    say("Each call adds its gradient to what w.grad already holds (leaves accumulate, as in PyTorch).\n")
    right, forgot = train(True, seed=seed), train(False, seed=seed)
    say("Training z = w·x + b on the notes' z = 2x with SGD (η = 0.1), 40 steps:")
    say(f"  with zero_grad():    loss {right[0]:.4g} → {right[-1]:.4g}")
    say(f"  zero_grad forgotten: loss {forgot[0]:.4g} → {forgot[-1]:.4g}  (step k moves by the sum of all k gradients"
        " so far: it overshoots and swings)")
    from matplotlib.figure import Figure

    from chainrule.viz import plots

    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    steps = range(1, len(right) + 1)
    ax.plot(steps, right, color=plots.POSITIVE, label="optimizer.zero_grad() before each backward()")
    ax.plot(steps, forgot, color=plots.NEGATIVE, label="zero_grad forgotten: gradients pile up")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title("Forgetting zero_grad: each step uses the sum of every gradient so far")
    fig.legend(loc="outside lower center", fontsize=8, ncols=2, frameon=False)
    say.wrote(plots.save(fig, out / "zero_grad_forgotten.png"))
    return {"grads": grads, "with_zero_grad": right, "without_zero_grad": forgot}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("gradient-accumulation", DESCRIPTION, run, argv)
