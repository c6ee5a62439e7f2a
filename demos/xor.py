"""XOR, the notes' backpropagation lab: a 2-layer network learns what no single line can separate.

    >>> from chainrule.demos.xor import train_xor
    >>> model, history = train_xor()
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from chainrule import nn, viz
from chainrule.viz import plots

from . import inside
from .common import Narrator, run_demo

DESCRIPTION = "a 2-layer network learns XOR (the notes' lab); logistic regression cannot"


def train_xor(hidden: int = 4, seed: int = 1, epochs: int = 300, lr: float = 0.1) -> tuple[nn.MLP, nn.History]:
    """A network with one tanh hidden layer and a sigmoid output, trained with Adam on the four points."""
    X, y = nn.data.xor()
    model = nn.MLP(2, [hidden, 1], activation="tanh", output="sigmoid", seed=seed)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=lr), epochs=epochs,
                     stop_below=0.01)
    return model, history


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), resolution: int = 100) -> dict:
    X, y = nn.data.xor()
    say("XOR: y = 1 when exactly one input is 1. No straight line separates the 1s from the 0s.\n")
    logistic = nn.MLP(2, [1], output="sigmoid", seed=seed)
    log_hist = nn.fit(logistic, X, y, loss="bce", optimizer=nn.Adam(logistic.parameters(), lr=0.1), epochs=300)
    say(f"Logistic regression (an MLP without hidden layer), 300 epochs: accuracy {log_hist.accuracy[-1]:.0%}, "
        f"loss {log_hist.loss[-1]:.3f}")
    model, hist = train_xor(seed=seed + 1)
    say(f"MLP 2 → 4 tanh → 1 sigmoid, Adam η = 0.1: accuracy {hist.accuracy[-1]:.0%}, loss {hist.loss[-1]:.4f} "
        f"after {hist.epochs} epochs ({hist.stopped})")
    outputs = nn.predict(model, X)
    for x, t, p in zip(X, y, outputs):
        say(f"  x = {x}  target {t:g}  output {p:.4f}")
    say("The hidden layer bends the input space: each hidden unit draws one line, and the output combines them.")
    largest = max(abs(p.data) for p in logistic.parameters())
    say(f"Logistic regression's best is to give up: its weights and bias end within {largest:.1e} of 0, so it says")
    say("σ(w·x + b) = 0.5 — undecided — everywhere. Any line leaves at least one of the four points on the wrong side.\n")
    hidden_layer = inside.weights(model)[0]
    say.wrote(plots.save(plots.history(hist, title="XOR"), out / "loss.png"))
    say.wrote(plots.save(plots.decision_boundary(
        lambda grid: nn.predict(model, grid), X, y, resolution=resolution, output_label="network output = P(class 1)",
        lines=[(w[0], w[1], b) for w, b in zip(*hidden_layer)], lines_label="a hidden unit's line w·x + b = 0",
        title="XOR: the network's decision (solid),\nbuilt from its hidden units' lines (dashed)"), out / "boundary.png"))
    say.wrote(plots.save(plots.decision_boundary(
        lambda grid: nn.predict(logistic, grid), X, y, resolution=resolution, output_label="σ(w·x + b) = P(class 1)",
        title="XOR: logistic regression's best fit"), out / "boundary_logistic.png"))
    start = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=seed + 1)  # the same network, untrained
    say.wrote(viz.save_playground(start, X, y, out / "playground.html", loss="bce",
                                  optimizer=nn.Adam(start.parameters(), lr=0.1), title="XOR, live: MLP 2-4-1 (tanh)"))
    say("playground.html trains the same network in your browser, step by step, with these numbers: watch the hidden")
    say("units' lines turn until the four corners fall on the right sides.\n")
    hidden = inside.layer_outputs(model, X)[0][1].round(3).tolist()
    say.summary(f"xor: MLP accuracy {hist.accuracy[-1]:.0%} in {hist.epochs} epochs; logistic regression "
                f"{log_hist.accuracy[-1]:.0%}")
    return {"accuracy": hist.accuracy[-1], "logistic_accuracy": log_hist.accuracy[-1], "outputs": outputs,
            "hidden": hidden, "epochs": hist.epochs}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("xor", DESCRIPTION, run, argv)
