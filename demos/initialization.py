"""Initialisation: N(0, 0.01) vs Xavier vs He on a deep network; and why equal weights cannot learn.

    >>> from demos.initialization import layer_statistics
    >>> layer_statistics("he", "relu", X, y)     # activation std and mean |∂L/∂w| per layer
"""
from __future__ import annotations

import statistics
from pathlib import Path
from typing import Optional, Sequence

from chainrule import nn
from chainrule.engine import no_grad
from chainrule.viz import plots

from .common import Narrator, run_demo
from .vanishing_gradient import layer_gradients

DESCRIPTION = "N(0, 0.01) vs Xavier vs He: activations and gradients per layer; symmetry with equal weights"
DEPTH, WIDTH = 8, 32
INITS = ("normal", "xavier", "he")


def layer_statistics(init: str, activation: str, X: Sequence, y: Sequence, seed: int = 0) -> dict[str, list[float]]:
    """For a fresh deep network: the std of each hidden layer's outputs, and each layer's mean |∂L/∂w|."""
    model = nn.MLP(2, [WIDTH] * DEPTH + [1], activation=activation, output="sigmoid", init=init, seed=seed)
    with no_grad():
        spreads = [[] for _ in range(DEPTH)]
        for x in X:
            h = x
            for i, layer in enumerate(model.layers[:-1]):
                h = layer(h)
                spreads[i].extend(v.data for v in h)
    stds = [statistics.pstdev(s) for s in spreads]
    return {"activation_std": stds, "grad": layer_gradients(model, X, y)}


def per_layer_factor(stds: Sequence[float]) -> float:
    """The geometric-mean ratio of one layer's output spread to the previous layer's."""
    return (stds[-1] / stds[0]) ** (1 / (len(stds) - 1))


def symmetric_network(seed: int = 0) -> tuple[nn.MLP, nn.History]:
    """A 2-8-1 network whose weights all start at 0.5, trained on the moons."""
    X, y = nn.data.moons(60, noise=0.1, seed=seed)
    model = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", init=nn.init.constant(0.5), seed=seed)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=60)
    return model, history


def run(out: Path, seed: int = 0, say: Narrator = Narrator()) -> dict:
    X, y = nn.data.moons(50, noise=0.1, seed=seed)
    X = nn.data.standardize(X)[0]
    say(f"A deep network: 2 → {DEPTH} hidden layers of {WIDTH} → 1, 50 standardised moons; biases start at 0.")
    say("N(0, 0.01) is read as standard deviation 0.01; Xavier: U(±√(6/(fan_in+fan_out))); He: N(0, 2/fan_in).\n")
    stats = {}
    for activation in ("relu", "tanh"):
        stats[activation] = {init: layer_statistics(init, activation, X, y, seed) for init in INITS}
        say(f"{activation} hidden layers — std of each layer's outputs at initialisation:")
        say(f"{'layer':>7}" + "".join(f"{i:>12}" for i in INITS))
        for layer in range(DEPTH):
            say(f"{layer + 1:>7}" + "".join(f"{stats[activation][i]['activation_std'][layer]:>12.2e}" for i in INITS))
        last = {i: stats[activation][i]["activation_std"][-1] for i in INITS}
        first_grad = {i: stats[activation][i]["grad"][0] for i in INITS}
        say("  mean |∂L/∂w| in layer 1: " + ", ".join(f"{i} {first_grad[i]:.2e}" for i in INITS))
        say(f"  by layer {DEPTH}: N(0, 0.01) has shrunk the signal to {last['normal']:.1e} (it vanishes), "
            f"Xavier keeps {last['xavier']:.2g}, He keeps {last['he']:.2g}.\n")
    relu = stats["relu"]
    factors = {a: {i: per_layer_factor(stats[a][i]["activation_std"]) for i in INITS} for a in stats}
    say("How much of the spread each layer passes on (geometric mean over layers 1 → 8):")
    for a in factors:
        say(f"  {a:<5} " + ", ".join(f"{i} {factors[a][i]:.2f}×" for i in INITS))
    say(f"He was made for ReLU, which zeroes half its inputs: its factor 2 in the variance keeps the spread near "
        f"{factors['relu']['he']:.2f}× per layer. Xavier assumes nothing is zeroed and loses about 1/√2 = 0.71 "
        f"per ReLU layer (measured {factors['relu']['xavier']:.2f}). N(0, 0.01) loses ~{1 / factors['relu']['normal']:.0f}× "
        "per layer: the vanishing signal, and so the vanishing gradient, of poor initialisation.\n")

    model, history = symmetric_network(seed)
    rows = [[w.data for w in n.w] + [n.b.data] for n in model.layers[0].neurons]
    spread = max(max(abs(a - b) for a, b in zip(rows[0], row)) for row in rows)
    say("Symmetry: every weight starts at 0.5. Each hidden unit then computes the same thing, gets the same")
    say(f"gradient and takes the same step: after {history.epochs} epochs of training the 8 hidden units still differ")
    say(f"by at most {spread:g} — they are one unit copied 8 times. Accuracy {history.accuracy[-1]:.0%}. "
        "Random initialisation breaks the tie.\n")

    for activation in ("relu", "tanh"):
        say.wrote(plots.layer_gradients({i: stats[activation][i]["activation_std"] for i in INITS},
                                        out / f"activations_{activation}.png", ylabel="std of layer outputs",
                                        title=f"{activation}: spread of activations per layer at initialisation"))
        say.wrote(plots.layer_gradients({i: stats[activation][i]["grad"] for i in INITS},
                                        out / f"gradients_{activation}.png",
                                        title=f"{activation}: mean |∂L/∂w| per layer at initialisation"))
    say.summary(f"initialization: relu layer-{DEPTH} activation std: normal {relu['normal']['activation_std'][-1]:.1e}, "
                f"xavier {relu['xavier']['activation_std'][-1]:.2g}, he {relu['he']['activation_std'][-1]:.2g}; "
                f"symmetric units differ by {spread:g}")
    return {"stats": stats, "factors": factors, "symmetry_spread": spread, "symmetric_accuracy": history.accuracy[-1]}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("initialization", DESCRIPTION, run, argv)
