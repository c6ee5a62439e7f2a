"""Initialisation: N(0, 0.01) vs Xavier vs He on a deep network; and why equal weights cannot learn.

    >>> from chainrule.demos.initialization import layer_statistics
    >>> layer_statistics("he", "relu", X, y)     # activation std and mean |∂L/∂w| per layer
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from chainrule import nn
from chainrule.viz import plots

from . import inside
from .common import Narrator, run_demo

DESCRIPTION = "N(0, 0.01) vs Xavier vs He: activations and gradients per layer; symmetry with equal weights"
DEPTH, WIDTH = 8, 32
INITS = ("normal", "xavier", "he")
SHOWN = {"normal": "N(0, 0.01²)", "xavier": "Xavier", "he": "He"}  # names in the pictures (N(mean, variance))
OTHER_READING = 0.1  # the notes' N(0, 0.01) read as a variance: standard deviation √0.01 = 0.1


def layer_statistics(init: Union[str, nn.init.Initializer], activation: str, X: Sequence, y: Sequence, seed: int = 0,
                     depth: int = DEPTH, width: int = WIDTH) -> dict[str, list[float]]:
    """For a fresh deep network: the std of each hidden layer's outputs, and each layer's mean |∂L/∂w|
    (all samples at once, with numpy from the weights)."""
    model = deep_network(init, activation, seed, depth, width)
    return {"activation_std": inside.activation_spread(model, X), "grad": inside.layer_gradients(model, X, y)}


def deep_network(init: Union[str, nn.init.Initializer], activation: str, seed: int = 0, depth: int = DEPTH,
                 width: int = WIDTH) -> nn.MLP:
    """2 inputs → `depth` hidden layers of `width` → 1 sigmoid output, weights drawn by `init`."""
    return nn.MLP(2, [width] * depth + [1], activation=activation, output="sigmoid", init=init, seed=seed)


def largest_bias(model: nn.MLP) -> float:
    """The largest |b| over every layer: how far from 0 the biases start."""
    return max(float(np.max(np.abs(b))) for _, b in inside.weights(model))


def per_layer_factor(stds: Sequence[float]) -> float:
    """The geometric-mean ratio of one layer's output spread to the previous layer's."""
    return (stds[-1] / stds[0]) ** (1 / (len(stds) - 1))


def symmetric_network(seed: int = 0, epochs: int = 60) -> tuple[nn.MLP, nn.History]:
    """A 2-8-1 network whose weights all start at 0.5, trained on the moons."""
    X, y = nn.data.moons(60, noise=0.1, seed=seed)
    model = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", init=nn.init.constant(0.5), seed=seed)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=epochs)
    return model, history


def unit_spread(model: nn.MLP) -> float:
    """The largest difference between two first-layer units' weights and biases."""
    W, b = inside.weights(model)[0]
    rows = np.column_stack([W, b])
    return float(np.max(np.abs(rows - rows[0])))


def tell_the_starting_point(say: Narrator, seed: int) -> float:
    """The notation, how the notes' N(0, 0.01) is read, and the biases (the notes disagree); returns the largest |b|."""
    say("Normal distributions are written N(mean, variance). The notes' W ∼ N(0, 0.01) is read as standard deviation")
    say("0.01: N(0, 0.01²).")
    say("Xavier: U(±√(6/(fan_in+fan_out))). He: N(0, 2/fan_in), standard deviation √(2/fan_in).")
    bias = max(largest_bias(deep_network(init, "relu", seed)) for init in INITS)
    say('Biases: the notes disagree with themselves, "small random values" in one section and "initialized to zero" in')
    say("another. chainrule starts them at 0: the largest |b| in these networks is 0.\n" if bias == 0 else
        f"another. In these networks they start with |b| up to {bias:.2g}.\n")
    return bias


def tell_the_other_reading(say: Narrator, X: Sequence, y: Sequence, seed: int,
                           activations: list[str]) -> dict[str, float]:
    """N(0, 0.01) read as a variance (standard deviation 0.1): the spread's factor per layer for each activation."""
    other = {a: layer_statistics(nn.init.normal(OTHER_READING), a, X, y, seed)["activation_std"] for a in activations}
    factors = {a: per_layer_factor(stds) for a, stds in other.items()}
    say(f"Read as a variance, N(0, 0.01) would be standard deviation {OTHER_READING:g}: per layer "
        + ", ".join(f"{a} {f:.2f}×" for a, f in factors.items())
        + f", and by layer {DEPTH} " + ", ".join(f"{a} {stds[-1]:.1e}" for a, stds in other.items())
        + (": it vanishes too, more slowly.\n" if max(factors.values()) < 1 else ".\n"))
    return factors


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), samples: int = 50, symmetric_epochs: int = 60) -> dict:
    X, y = nn.data.moons(samples, noise=0.1, seed=seed)
    X = nn.data.standardize(X)[0]
    say(f"A deep network: 2 → {DEPTH} hidden layers of {WIDTH} → 1, {samples} standardised moons.")
    bias = tell_the_starting_point(say, seed)
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
        say(f"  by layer {DEPTH}: N(0, 0.01²) has shrunk the signal to {last['normal']:.1e} (it vanishes), "
            f"Xavier keeps {last['xavier']:.2g}, He keeps {last['he']:.2g}.\n")
    relu = stats["relu"]
    factors = {a: {i: per_layer_factor(stats[a][i]["activation_std"]) for i in INITS} for a in stats}
    say("How much of the spread each layer passes on (geometric mean over layers 1 → 8):")
    for a in factors:
        say(f"  {a:<5} " + ", ".join(f"{i} {factors[a][i]:.2f}×" for i in INITS))
    say(f"He was made for ReLU, which zeroes half its inputs: its factor 2 in the variance keeps the spread near "
        f"{factors['relu']['he']:.2f}× per layer. Xavier assumes nothing is zeroed and loses about 1/√2 = 0.71 "
        f"per ReLU layer (measured {factors['relu']['xavier']:.2f}). N(0, 0.01²) loses ~{1 / factors['relu']['normal']:.0f}× "
        "per layer: the vanishing signal, and so the vanishing gradient, of poor initialisation.")
    other_factors = tell_the_other_reading(say, X, y, seed, list(stats))

    model, history = symmetric_network(seed, symmetric_epochs)
    spread = unit_spread(model)
    same = "are exactly equal" if spread == 0 else f"differ by at most {spread:.2e}"
    say("Symmetry: every weight starts at 0.5. Each hidden unit then computes the same thing, gets the same")
    say(f"gradient and takes the same step: after {history.epochs} epochs of training the 8 hidden units' weights")
    say(f"{same} — they are one unit copied 8 times. Accuracy {history.accuracy[-1]:.0%}. "
        "Random initialisation breaks the tie.\n")

    for activation in ("relu", "tanh"):
        say.wrote(plots.save(plots.layer_gradients({SHOWN[i]: stats[activation][i]["activation_std"] for i in INITS},
                                                   ylabel="std of the layer's outputs",
                                                   xlabel="hidden layer (1 = nearest the input)", title=f"{activation}: spread of "
                                                   "activations per layer at initialisation"),
                             out / f"activations_{activation}.png"))
        say.wrote(plots.save(plots.layer_gradients({SHOWN[i]: stats[activation][i]["grad"] for i in INITS},
                                                   title=f"{activation}: mean |∂L/∂w| per layer at initialisation"),
                             out / f"gradients_{activation}.png"))
    say.summary(f"initialization: relu layer-{DEPTH} activation std: normal {relu['normal']['activation_std'][-1]:.1e}, "
                f"xavier {relu['xavier']['activation_std'][-1]:.2g}, he {relu['he']['activation_std'][-1]:.2g}; "
                f"symmetric units {same}")
    return {"stats": stats, "factors": factors, "other_reading_factors": other_factors, "largest_bias": bias,
            "symmetry_spread": spread, "symmetric_accuracy": history.accuracy[-1]}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("initialization", DESCRIPTION, run, argv)
