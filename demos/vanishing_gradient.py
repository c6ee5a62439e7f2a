"""The vanishing gradient: the same deep network with sigmoid, tanh and ReLU hidden layers.

    >>> from demos.vanishing_gradient import deep_network, layer_gradients
    >>> model = deep_network("sigmoid"); layer_gradients(model, X, y)   # mean |∂L/∂w| per layer

The notes' "whisper game": going back through each sigmoid multiplies the
gradient by σ′ ≤ 0.25, so the first layers hear almost nothing.
"""
from __future__ import annotations

import statistics
from pathlib import Path
from typing import Optional, Sequence

from chainrule import nn
from chainrule.viz import plots

from .common import Narrator, run_demo

DESCRIPTION = "a deep network with sigmoid vs tanh vs ReLU: gradient size per layer, training, dying ReLU"
DEPTH, WIDTH = 6, 8
ACTIVATIONS = ("sigmoid", "tanh", "relu")


def deep_network(activation: str, seed: int = 0, depth: int = DEPTH, width: int = WIDTH) -> nn.MLP:
    """2 inputs → `depth` hidden layers of `width` → 1 sigmoid output; the usual init for the activation."""
    return nn.MLP(2, [width] * depth + [1], activation=activation, output="sigmoid", seed=seed)


def layer_gradients(model: nn.MLP, X: Sequence, y: Sequence) -> list[float]:
    """Mean |∂L/∂w| of each layer's weights for the binary cross-entropy over (X, y); layer 1 first."""
    model.zero_grad()
    nn.binary_cross_entropy_with_logits([model.logits(x) for x in X], y).backward()
    return [statistics.fmean(abs(w.grad) for n in layer.neurons for w in n.w) for layer in model.layers]


def silent_units(model: nn.MLP, X: Sequence) -> list[int]:
    """Indices of first-layer units whose weighted sum is ≤ 0 for every sample (a ReLU there outputs 0 always)."""
    return [j for j, n in enumerate(model.layers[0].neurons) if all(n.weighted_sum(x).data <= 0 for x in X)]


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), epochs: int = 60) -> dict:
    X, y = nn.data.moons(100, noise=0.1, seed=seed)
    say(f"A deep network: 2 inputs → {DEPTH} hidden layers of {WIDTH} → 1 sigmoid output, two moons (100 points),")
    say("binary cross-entropy. Xavier init for sigmoid/tanh, He for ReLU (the usual pairing).\n")
    grads = {a: layer_gradients(deep_network(a, seed), X, y) for a in ACTIVATIONS}
    say("Mean |∂L/∂w| per layer at initialisation (layer 1 is nearest the input):")
    say(f"{'layer':>7}" + "".join(f"{a:>12}" for a in ACTIVATIONS))
    for i in range(DEPTH + 1):
        say(f"{i + 1:>7}" + "".join(f"{grads[a][i]:>12.2e}" for a in ACTIVATIONS))
    ratio = {a: grads[a][0] / grads[a][-1] for a in ACTIVATIONS}
    say("first layer ÷ last layer: " + ", ".join(f"{a} {ratio[a]:.2g}" for a in ACTIVATIONS))
    factor = ratio["sigmoid"] ** (1 / DEPTH)
    say(f"The whisper game: with sigmoid each layer back passes on about {factor:.2f}× of the gradient, so layer 1")
    say(f"hears {1 / ratio['sigmoid']:.0f}× less than the output layer. ReLU's slope is 1 where it is active: "
        f"its first layer gets {ratio['relu']:.2g}× the last layer's gradient.\n")

    histories = {}
    for a in ACTIVATIONS:
        model = deep_network(a, seed)
        histories[a] = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=epochs,
                              seed=seed)
    say(f"Training each with plain gradient descent (η = 0.5, full batch, {epochs} epochs):")
    for a, h in histories.items():
        say(f"  {a:<8} loss {h.loss[0]:.3f} → {h.loss[-1]:.3f}, accuracy {h.accuracy[-1]:.0%}")
    stalled = histories["sigmoid"].loss[-1] > 0.9 * histories["sigmoid"].loss[0]
    say("  sigmoid " + ("barely moves: its early layers hardly learn (the loss stays near ln 2 = 0.693, a coin toss)."
                        if stalled else "learns, but more slowly than the others."))
    say("")

    dying = {}
    for a in ("relu", "leaky_relu"):
        model = nn.MLP(2, [32, 1], activation=a, output="sigmoid", seed=seed + 1)
        nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=8.0), epochs=20, seed=seed)
        silent = silent_units(model, X)
        before = [[w.data for w in model.layers[0].neurons[j].w] for j in silent]
        nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=100, seed=seed)
        moved = max((abs(w.data - b) for j, row in zip(silent, before)
                     for w, b in zip(model.layers[0].neurons[j].w, row)), default=0.0)
        dying[a] = {"silent": len(silent), "moved": moved, "still_silent": len(silent_units(model, X))}
    say("Dying ReLU: a hidden layer of 32, trained 20 epochs with a far too large η = 8, then 100 epochs at η = 0.5.")
    for a, d in dying.items():
        say(f"  {a:<10} {d['silent']} of 32 units got z ≤ 0 for every input; in the next 100 epochs their weights "
            f"moved by at most {d['moved']:.3g}; {d['still_silent']} still silent")
    say("  A ReLU unit with z ≤ 0 everywhere has gradient exactly 0: it is dead and can never change. Leaky ReLU")
    say("  keeps a slope (0.01), so the same units still get a gradient and move — slowly, 100× weaker.\n")

    say.wrote(plots.layer_gradients(grads, out / "layer_gradients.png",
                                    title=f"Mean |∂L/∂w| per layer, {DEPTH} hidden layers, at initialisation"))
    say.wrote(plots.curves({a: h.loss for a, h in histories.items()}, out / "training.png",
                           title="Training loss, deep network, plain gradient descent"))
    say.summary(f"vanishing-gradient: first/last layer gradient ratio sigmoid {ratio['sigmoid']:.2g}, "
                f"tanh {ratio['tanh']:.2g}, relu {ratio['relu']:.2g}")
    return {"grads": grads, "ratio": ratio, "histories": histories, "dying": dying}


def main(argv: Optional[list[str]] = None) -> int:
    return run_demo("vanishing-gradient", DESCRIPTION, run, argv)
