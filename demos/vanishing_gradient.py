"""The vanishing gradient: the same deep network with sigmoid, tanh and ReLU hidden layers.

    >>> from chainrule.demos.vanishing_gradient import deep_network, layer_gradients
    >>> model = deep_network("sigmoid"); layer_gradients(model, X, y)   # mean |∂L/∂w| per layer

The notes' "whisper game": going back through each sigmoid multiplies the
gradient by σ′ ≤ 0.25, so the first layers hear almost nothing.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from chainrule import nn
from chainrule.viz import plots

from . import inside
from .common import Narrator, run_demo

DESCRIPTION = "a deep network with sigmoid vs tanh vs ReLU: gradient size per layer, training, dying ReLU"
DEPTH, WIDTH = 6, 8
ACTIVATIONS = ("sigmoid", "tanh", "relu")
layer_gradients = inside.layer_gradients  # mean |∂L/∂w| per layer, all samples at once
silent_units = inside.silent_units


def deep_network(activation: str, seed: int = 0, depth: int = DEPTH, width: int = WIDTH) -> nn.MLP:
    """2 inputs → `depth` hidden layers of `width` → 1 sigmoid output; the usual init for the activation."""
    return nn.MLP(2, [width] * depth + [1], activation=activation, output="sigmoid", seed=seed)


def amount(value: float) -> str:
    """A number in scientific notation, or "exactly 0": a true zero must not read like a rounded small number."""
    return "exactly 0" if value == 0 else f"{value:.2e}"


def moved(before: Sequence[float], after: Sequence[float]) -> str:
    """How far weights moved, in words that stay true at 0."""
    largest = max((abs(a - b) for a, b in zip(after, before)), default=0.0)
    return "did not move at all (exactly 0)" if largest == 0 else f"moved by at most {largest:.2e}"


def dying_relu(activation: str, X: Sequence, y: Sequence, seed: int = 0, units: int = 32,
               epochs: int = 100) -> dict:
    """A 2-`units`-1 network trained 20 epochs at a far too large η = 8 (units die), then `epochs` at η = 0.5.

    For the units left with z ≤ 0 on every input: their mean |∂L/∂w| against the live units', how far
    their weights moved afterwards, the largest z any of them reaches before and after, and how many
    of them reach z > 0 again (revived).
    """
    model = nn.MLP(2, [units, 1], activation=activation, output="sigmoid", seed=seed + 1)
    nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=8.0), epochs=20, seed=seed)
    silent = inside.silent_units(model, X)
    live = [j for j in range(units) if j not in silent]
    first = inside.weight_gradients(model, X, y)[0]
    before = inside.weights(model)[0][0][silent]
    highest_before = float(inside.layer_outputs(model, X)[0][0][:, silent].max()) if silent else float("nan")
    nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=epochs, seed=seed)
    after = inside.weights(model)[0][0][silent]
    z = inside.layer_outputs(model, X)[0][0]
    return {"silent": len(silent), "units": units, "epochs": epochs,
            "silent_grad": float(np.mean(np.abs(first[silent]))) if silent else 0.0,
            "live_grad": float(np.mean(np.abs(first[live]))) if live else 0.0,
            "moved": float(np.max(np.abs(after - before), initial=0.0)), "moved_text": moved(before.ravel(), after.ravel()),
            "highest_z_before": highest_before, "highest_z_after": float(z[:, silent].max()) if silent else float("nan"),
            "revived": int((z[:, silent].max(axis=0) > 0).sum()) if silent else 0,
            "still_silent": len(inside.silent_units(model, X))}


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = 60, samples: int = 100,
        dying_epochs: int = 100) -> dict:
    X, y = nn.data.moons(samples, noise=0.1, seed=seed)
    say(f"A deep network: 2 inputs → {DEPTH} hidden layers of {WIDTH} → 1 sigmoid output, two moons ({samples} points),")
    say("binary cross-entropy. Xavier init for sigmoid/tanh, He for ReLU (the usual pairing).\n")
    grads = {a: inside.layer_gradients(deep_network(a, seed), X, y) for a in ACTIVATIONS}
    ratio = tell_gradients(say, grads, tanh_slopes(deep_network("tanh", seed), X))
    histories, spread = {}, {}
    for a in ACTIVATIONS:
        model = deep_network(a, seed)
        histories[a] = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=epochs,
                              seed=seed)
        spread[a] = float(np.max(np.abs(np.asarray(nn.predict(model, X)) - 0.5)))  # how far from "0.5 for all"
    tell_training(say, histories, epochs, spread)
    dying = {a: dying_relu(a, X, y, seed, epochs=dying_epochs) for a in ("relu", "leaky_relu")}
    tell_dying(say, dying, dying_epochs)
    say.wrote(plots.save(plots.layer_gradients(grads, title=f"Mean |∂L/∂w| per layer, {DEPTH} hidden layers, at "
                                                            "initialisation"), out / "layer_gradients.png"))
    say.wrote(plots.save(plots.curves({a: h.loss for a, h in histories.items()}, ylabel="training loss (cross-entropy)",
                                      title="Training loss, deep network, plain gradient descent (η = 0.5, full batch)"),
                         out / "training.png"))
    say.summary(f"vanishing-gradient: first/last layer gradient ratio sigmoid {ratio['sigmoid']:.2g}, "
                f"tanh {ratio['tanh']:.2g}, relu {ratio['relu']:.2g}")
    return {"grads": grads, "ratio": ratio, "histories": histories, "dying": dying}


def tanh_slopes(model: nn.MLP, X: Sequence) -> list[float]:
    """The mean slope tanh′(z) = 1 − tanh²(z) of each hidden layer, over all samples and units."""
    return [float(np.mean(1 - np.tanh(z) ** 2)) for z, _ in inside.layer_outputs(model, X)[:-1]]


def tell_gradients(say: Narrator, grads: dict[str, list[float]], slopes: list[float]) -> dict[str, float]:
    """The table of gradient sizes per layer and the whisper game; returns first ÷ last layer per activation."""
    say("Mean |∂L/∂w| per layer at initialisation (layer 1 is nearest the input):")
    say(f"{'layer':>7}" + "".join(f"{a:>12}" for a in ACTIVATIONS))
    for i in range(DEPTH + 1):
        say(f"{i + 1:>7}" + "".join(f"{grads[a][i]:>12.2e}" for a in ACTIVATIONS))
    ratio = {a: grads[a][0] / grads[a][-1] for a in ACTIVATIONS}
    hidden = {a: grads[a][0] / grads[a][-2] for a in ACTIVATIONS}  # layer 1 ÷ the last hidden layer
    say("first layer ÷ last layer: " + ", ".join(f"{a} {ratio[a]:.2g}" for a in ACTIVATIONS))
    say("first ÷ last hidden layer: " + ", ".join(f"{a} {hidden[a]:.2g}" for a in ACTIVATIONS))
    factor = ratio["sigmoid"] ** (1 / DEPTH)
    say(f"The whisper game: with sigmoid each layer back passes on about {factor:.2f}× of the gradient, so layer 1")
    say(f"hears {1 / ratio['sigmoid']:.0f}× less than the output layer: σ′ is at most 0.25, even at its best (z = 0).")
    if ratio["tanh"] >= 0.5:
        say(f"tanh does not vanish here (first ÷ last {ratio['tanh']:.2g}): Xavier keeps z small, where tanh′ is near 1")
        say(f"(its mean per hidden layer is {min(slopes):.2f} to {max(slopes):.2f}). The notes' \"tanh still suffers\" "
            f"holds once its units saturate: tanh′(2) = {1 - math.tanh(2) ** 2:.2f}, tanh′(3) = {1 - math.tanh(3) ** 2:.2f}.")
    else:
        say(f"tanh shrinks too (first ÷ last {ratio['tanh']:.2g}), less than sigmoid: tanh′ reaches 1 at z = 0.")
    last = "the output layer has the largest gradient of all" if grads["relu"][-1] == max(grads["relu"]) else \
        "of the layers between"
    say("ReLU passes the gradient on unchanged through its active units and not at all through the others:")
    say(f"across the hidden layers it {'keeps its size' if hidden['relu'] >= 0.5 else 'shrinks'} (first ÷ last hidden "
        f"{hidden['relu']:.2g}); first ÷ last reads {ratio['relu']:.2g} because {last}.\n")
    return ratio


def tell_training(say: Narrator, histories: dict[str, nn.History], epochs: int, spread: dict[str, float]) -> None:
    """The losses and accuracies; `spread` is each model's largest |output − 0.5| after training."""
    say(f"Training each with plain gradient descent (η = 0.5, full batch, {epochs} epochs):")
    for a, h in histories.items():
        say(f"  {a:<8} loss {h.loss[0]:.3f} → {h.loss[-1]:.3f}, accuracy {h.accuracy[-1]:.0%}")
    stalled = histories["sigmoid"].loss[-1] > 0.9 * histories["sigmoid"].loss[0]
    if not stalled:
        say("  sigmoid learns, but more slowly than the others.")
    else:
        say("  sigmoid barely moves: its early layers hardly learn. Its loss stays near ln 2 = 0.693, the cost of saying")
        say(f"  0.5 for every point: its outputs are all within {spread['sigmoid']:.1g} of 0.5, and its accuracy "
            f"({histories['sigmoid'].accuracy[-1]:.0%}) only counts which side of 0.5 those tiny differences fall on.")
    say("")


def tell_dying(say: Narrator, dying: dict[str, dict], dying_epochs: int) -> None:
    say(f"Dying ReLU: a hidden layer of 32, trained 20 epochs with a far too large η = 8, then {dying_epochs} epochs "
        "at η = 0.5.")
    for a, d in dying.items():
        say(f"  {a:<10} {d['silent']} of {d['units']} units got z ≤ 0 for every input: mean |∂L/∂w| "
            f"{amount(d['silent_grad'])} there (live units {amount(d['live_grad'])});")
        say(f"  {'':<10} in the next {d['epochs']} epochs their weights {d['moved_text']}; {d['still_silent']} still silent")
    relu, leaky = dying["relu"], dying["leaky_relu"]
    if relu["silent"]:
        say("  A ReLU unit with z ≤ 0 everywhere has gradient exactly 0: it is dead and can never change.")
    if leaky["silent"]:
        say(f"  Leaky ReLU (slope {inside.LEAKY_SLOPE:g} below 0) keeps those units trainable: their gradient is "
            f"{leaky['silent_grad'] / leaky['live_grad']:.2g}× a live unit's, not 0,")
        say("  and their weights move. But gradient descent raises a unit's z only as far as that lowers the loss: in "
            f"{leaky['epochs']} epochs")
        stayed = leaky["silent"] - leaky["revived"]
        say(f"  the highest z any of them reaches went from {leaky['highest_z_before']:.4g} to "
            f"{leaky['highest_z_after']:.4g}; {leaky['revived']} came back above 0 and {stayed} are still below 0.")
        if stayed:
            say(f"  Those are alive, but work as weak linear units (output {inside.LEAKY_SLOPE:g}·z). Leaky ReLU means "
                "a unit can come back, not that it will.")
    say("")


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("vanishing-gradient", DESCRIPTION, run, argv)
