"""The playground: a network learning two moons in front of you, in one page (viz.playground).

    >>> from chainrule.demos.playground import moons_playground
    >>> page = moons_playground()        # in Jupyter it shows itself; page.save("playground.html") writes it

The page trains in the browser with exactly nn.fit's numbers and shows, live, the data and the
decision, the loss, the network's weights (or gradients, or last updates), the gradient size per
layer and one sample's whole computation graph. Click to add points, shift-click to remove them,
change the learning rate, optimizer, activation, L2 or hidden sizes while it trains; three classes
are one click away.
"""
from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path
from typing import Optional

from chainrule import nn, viz

from . import inside
from .common import Narrator, run_demo

DESCRIPTION = "a network learns two moons in front of you: one page, live, with fit's exact numbers"


def moons(seed: int = 0) -> tuple[nn.MLP, list, list, tuple[list, list]]:
    """(model, X, y, validation): 200 moons, 160 to train on and 40 to validate; MLP 2-16-16-1 with ReLU
    and a sigmoid output, untrained."""
    X, y = nn.data.moons(200, noise=0.15, seed=seed)
    (Xt, yt), validation = nn.data.split(X, y, (0.8, 0.2), seed=seed)
    return nn.MLP(2, [16, 16, 1], activation="relu", output="sigmoid", seed=seed), Xt, yt, validation


def moons_playground(seed: int = 0) -> viz.Playground:
    """The page for `moons(seed)`: binary cross-entropy, Adam η = 0.02, full batch."""
    model, X, y, validation = moons(seed)
    return viz.playground(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.02),
                          validation=validation, title="Training, live: MLP 2-16-16-1 learns two moons")


def with_activation(model: nn.MLP, activation: str) -> nn.MLP:
    """The same weights with another hidden activation (what the page's activation menu does)."""
    other = nn.MLP(model.nin, model.sizes, activation=activation, output=model.output)
    other.load_state_dict(model.state_dict())
    return other


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), open: bool = False) -> dict:
    page = moons_playground(seed)
    model, X, y, _ = moons(seed)
    first = {name: inside.layer_gradients(with_activation(model, name), X, y) for name in ("relu", "sigmoid")}
    say("Two moons, 160 training points and 40 validation points (hollow), an MLP 2-16-16-1 (ReLU, sigmoid output),")
    say("binary cross-entropy, Adam η = 0.02, full batch. The page trains it in your browser with the same numbers as")
    say("nn.fit (tests hold them equal to 1e-9 over 50 epochs) and shows every step as it happens:\n")
    say("  ▶ (or space) plays, → takes one step; the plane shows the decision and its boundary; the loss, log scale;")
    say("  each layer's mean |∂L/∂w| at every step: the vanishing gradient, live. At the start (the same weights):")
    for name, grads in first.items():
        say(f"    {name + ' hidden layers:':<24} " + ", ".join(f"{g:.2e}" for g in grads)
            + f" (layer 1 → 3): the last layer's is {grads[-1] / grads[0]:.3g}× the first's")
    say("  the network's weights as edges (or their gradients, or the last updates); one sample's whole graph with")
    say("  data and grad on every node (click a point to choose it). Click the plane to add a point, shift-click or")
    say("  press long to remove one; \"three classes\" swaps in three spiral arms with a softmax output.\n")
    path = say.wrote(page.save(out / "playground.html"))
    if open:
        webbrowser.open(path.resolve().as_uri())
    say.summary(f"playground: {page.parameters} parameters, {page.points} training points; open {path}")
    return {"page": page, "path": path, "layer_gradients": first}


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help="also open the page in the default web browser")


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("playground", DESCRIPTION, run, argv, extra=_options)
