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


def start_loss(seed: int = 0) -> float:
    """The loss before training: the model `train` starts from (the same seed, the same weights)."""
    return nn.evaluate(nn.MLP(1, [1], seed=seed), *DATA, "mse")[0]


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


def rises(start: float, losses: list[float]) -> int:
    """How many of the steps raised the loss (the first step compared with the loss before training)."""
    return sum(b > a for a, b in zip([start, *losses], losses))


def how_it_went(start: float, losses: list[float]) -> str:
    """The way there in words: steadily down, or the swings (how many steps went up, the highest and lowest loss)."""
    up = rises(start, losses)
    if not up:
        return ", falling at every step"
    top = max(range(len(losses)), key=losses.__getitem__)
    above = ", above where it started" if losses[top] > start else ""
    return (f", but {up} of the {len(losses)} steps raised it:\n{'':<23}on the way it swung between "
            f"{min(losses):.4g} and {losses[top]:.4g} (step {top + 1}{above})")


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    grads = grads_after_calls(3)
    say("J(w) = (2 − w)² at w = 0.5, so dJ/dw = −2(2 − w) = −3. Calling backward() again and again:")
    for k, g in enumerate(grads, start=1):
        say(f"  after {k} call{'s' if k > 1 else ''}: w.grad = {g:g}")
    say("Each call adds its gradient to what w.grad already holds (leaves accumulate, as in PyTorch).\n")
    start, right, forgot = start_loss(seed), train(True, seed=seed), train(False, seed=seed)
    say(f"Training z = w·x + b on the notes' z = 2x with SGD (η = 0.1), {len(right)} steps, from the same start:")
    say(f"  with zero_grad():    loss {start:.4g} before training → {right[-1]:.4g} after {len(right)} steps"
        f"{how_it_went(start, right)}")
    say(f"  zero_grad forgotten: loss {start:.4g} before training → {forgot[-1]:.4g} after {len(forgot)} steps"
        f"{how_it_went(start, forgot)}")
    if rises(start, forgot):
        say("  Step k moves by the sum of all k gradients so far: it overshoots and swings, and where it ends is")
        say("  only where the swing happens to be at the last step.")
    from matplotlib.figure import Figure

    from chainrule.viz import plots

    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    steps = range(len(right) + 1)  # 0: before training
    ax.plot(steps, [start, *right], color=plots.POSITIVE, label="optimizer.zero_grad() before each backward()")
    ax.plot(steps, [start, *forgot], color=plots.NEGATIVE, label="zero_grad forgotten: gradients pile up")
    ax.set_yscale("log")
    ax.set_xlabel("training step (0: before training)")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title("Forgetting zero_grad: each step uses the sum of every gradient so far")
    fig.legend(loc="outside lower center", fontsize=8, ncols=2, frameon=False)
    say.wrote(plots.save(fig, out / "zero_grad_forgotten.png"))
    return {"grads": grads, "start": start, "with_zero_grad": right, "without_zero_grad": forgot}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("gradient-accumulation", DESCRIPTION, run, argv)
