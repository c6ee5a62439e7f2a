"""micrograd's demo, for comparison: MLP 2-16-16-1 on two moons, max-margin loss + L2, 100 steps.

    >>> from chainrule.demos.micrograd_moons import train
    >>> model, history = train()
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from chainrule import nn, viz
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "micrograd's moons demo: MLP 2-16-16-1, hinge loss + L2 1e-4, 100 steps, to 100% accuracy"


def train(seed: int = 0, steps: int = 100) -> tuple[nn.MLP, nn.History, tuple[list, list]]:
    """As micrograd's demo.ipynb: 100 moons (noise 0.1, labels ±1), U(−1, 1) init, full batch,
    loss = mean(max(0, 1 − y·score)) + 1e-4·Σθ², SGD with lr = 1 − 0.9·k/100."""
    X, y = nn.data.moons(100, noise=0.1, seed=seed, labels="pm1")
    model = nn.MLP(2, [16, 16, 1], activation="relu", init="uniform", seed=seed)
    optimizer = nn.SGD(model.parameters(), lr=1.0)
    history = nn.fit(model, X, y, loss="hinge", optimizer=optimizer, epochs=steps, l2=1e-4,
                     scheduler=nn.LinearLR(optimizer, epochs=steps, end_factor=0.1))
    return model, history, (X, y)


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), steps: int = 100, resolution: int = 100) -> dict:
    start = time.perf_counter()
    model, history, (X, y) = train(seed, steps)
    seconds = time.perf_counter() - start
    say(f"MLP 2-16-16-1 ({model.num_parameters()} parameters), 100 moons, hinge loss + 1e-4·Σθ², {steps} SGD steps")
    for k in (0, 9, 24, 49, 99):
        if k < history.epochs:
            say(f"  step {k + 1:>3}: loss {history.loss[k]:.4f}, accuracy {history.accuracy[k]:.0%}, lr {history.lr[k]:.3f}")
    first = next((k + 1 for k, a in enumerate(history.accuracy) if a == 1.0), None)
    say(f"100% training accuracy first at step {first}; {seconds:.1f} s for the {steps} steps here"
        " (`make bench` times micrograd and chainrule on the same step, side by side).\n")
    picture = plots.decision_boundary(lambda grid: nn.predict(model, grid), X, y, threshold=0.0, resolution=resolution,
                                      output_label="score (> 0: class +1)",
                                      title="micrograd's moons: the learned decision")
    say.wrote(plots.save(picture, out / "boundary.png"))
    say.wrote(plots.save(plots.history(history, title="micrograd's moons"), out / "training.png"))
    start = nn.MLP(2, [16, 16, 1], activation="relu", init="uniform", seed=seed)
    say.wrote(viz.save_playground(start, X, y, out / "playground.html", loss="hinge", l2=1e-4,
                                  optimizer=nn.SGD(start.parameters(), lr=1.0),
                                  title="micrograd's moons, live: MLP 2-16-16-1, hinge + L2"))
    say("playground.html trains the same network in your browser (η stays 1.0 there: the page has no schedule; lower "
        "it by hand as the schedule does).")
    say.summary(f"micrograd-moons: accuracy {history.accuracy[-1]:.0%}, final loss {history.loss[-1]:.4f}, "
                f"{seconds:.1f} s")
    return {"accuracy": history.accuracy[-1], "loss": history.loss[-1], "seconds": seconds, "first_perfect": first}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("micrograd-moons", DESCRIPTION, run, argv)
