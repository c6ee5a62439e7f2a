"""XOR, the notes' backpropagation lab: a 2-layer network learns what no single line can separate.

    >>> from demos.xor import train_xor
    >>> model, history = train_xor()
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from chainrule import nn
from chainrule.engine import no_grad
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "a 2-layer network learns XOR (the notes' lab); logistic regression cannot"


def train_xor(hidden: int = 4, seed: int = 1, epochs: int = 300, lr: float = 0.1) -> tuple[nn.MLP, nn.History]:
    """A network with one tanh hidden layer and a sigmoid output, trained with Adam on the four points."""
    X, y = nn.data.xor()
    model = nn.MLP(2, [hidden, 1], activation="tanh", output="sigmoid", seed=seed)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=lr), epochs=epochs,
                     stop_below=0.01)
    return model, history


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
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
    say("The hidden layer bends the input space: each hidden unit draws one line, and the output combines them.\n")
    say.wrote(plots.history(hist, out / "loss.png", title="XOR"))
    say.wrote(plots.decision_boundary(model, X, y, out / "boundary.png", title="XOR: the learned decision"))
    say.wrote(plots.decision_boundary(logistic, X, y, out / "boundary_logistic.png",
                                      title="XOR: logistic regression's best line"))
    for j, neuron in enumerate(model.layers[0].neurons):
        say.wrote(plots.decision_boundary(lambda x, n=neuron: n(x), X, y, out / f"hidden_{j}.png", threshold=0.0,
                                          title=f"hidden unit {j}: where tanh(w·x + b) > 0", resolution=40))
    with no_grad():
        hidden = [[round(h.data, 3) for h in model.layers[0](x)] for x in X]
    say.summary(f"xor: MLP accuracy {hist.accuracy[-1]:.0%} in {hist.epochs} epochs; logistic regression "
                f"{log_hist.accuracy[-1]:.0%}")
    return {"accuracy": hist.accuracy[-1], "logistic_accuracy": log_hist.accuracy[-1], "outputs": outputs,
            "hidden": hidden, "epochs": hist.epochs}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("xor", DESCRIPTION, run, argv)
