"""Inside a network, for a whole data set at once: each layer's outputs and gradients with numpy.

nn gives a model's outputs (`nn.predict`) but not what its hidden layers do; the demos
on depth and initialisation need that for every sample. These functions read the weights
(`p.data`) and compute it in one matrix operation per layer, instead of one scalar graph
per sample. Tests check them against the engine's scalar graphs.

    >>> from chainrule.demos.inside import layer_gradients
    >>> layer_gradients(model, X, y)     # mean |∂L/∂w| per layer for the binary cross-entropy
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from chainrule import nn

LEAKY_SLOPE = 0.01  # nn's leaky_relu


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e⁻ᶻ) without overflow


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# name -> (g(z), g′(z) given z and g(z)); g′ at exactly 0 as the engine's: 0 for ReLU, the slope for leaky ReLU
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "linear": (lambda z: z, lambda z, a: np.ones_like(z)),
    "sigmoid": (_sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "leaky_relu": (lambda z: np.where(z > 0, z, LEAKY_SLOPE * z), lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE)),
}


def weights(model: nn.MLP) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each layer's (W, b): W[j, i] is neuron j's weight on input i. Copies of the layer's own arrays
    (`layer.W`, `layer.b`: views on the numbers that `model.parameters()` reads and writes), taken now,
    so later training does not change them; checked against `nn.predict` on one sample."""
    config = model.config()
    layers = [(layer.W.copy(), layer.b.copy()) for layer in model.layers]
    probe = [[0.3 + 0.1 * i for i in range(config["nin"])]]
    expected = np.ravel(nn.predict(model, probe))
    if not np.allclose(_outputs(layers, config, np.array(probe)).ravel(), expected, atol=1e-9):
        raise RuntimeError("inside.weights: these layers' outputs differ from nn.predict's")
    return layers


def _outputs(layers, config, X: np.ndarray) -> np.ndarray:
    return forward(layers, config, X)[-1][1]


def forward(layers: list[tuple[np.ndarray, np.ndarray]], config: dict, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(z, a) of every layer for all samples at once: z = a_prev·Wᵀ + b, a = g(z)."""
    out, a = [], X
    for k, (W, b) in enumerate(layers):
        z = a @ W.T + b
        name = config["output"] if k == len(layers) - 1 else config["activation"]
        a = _softmax(z) if name == "softmax" else ACTIVATIONS[name][0](z)
        out.append((z, a))
    return out


def layer_outputs(model: nn.MLP, X: Sequence) -> list[tuple[np.ndarray, np.ndarray]]:
    """(z, a) of every layer of `model` for all samples of X (rows: samples, columns: units)."""
    return forward(weights(model), model.config(), np.asarray(X, dtype=float))


def activation_spread(model: nn.MLP, X: Sequence) -> list[float]:
    """The standard deviation of each hidden layer's outputs, over all samples and units."""
    return [float(np.std(a)) for _, a in layer_outputs(model, X)[:-1]]


def silent_units(model: nn.MLP, X: Sequence) -> list[int]:
    """First-layer units whose weighted sum is ≤ 0 for every sample (a ReLU there outputs 0 always)."""
    z = layer_outputs(model, X)[0][0]
    return [int(j) for j in np.flatnonzero((z <= 0).all(axis=0))]


def weight_gradients(model: nn.MLP, X: Sequence, y: Sequence) -> list[np.ndarray]:
    """∂L/∂W of each layer (rows: units) for L = the mean binary cross-entropy on the logits; layer 1 first.

    Backpropagation in matrix form: ∂L/∂z_out = (σ(z_out) − y)/n; going back a layer,
    ∂L/∂a = ∂L/∂z·W and ∂L/∂z = ∂L/∂a ⊙ g′(z); then ∂L/∂W = (∂L/∂z)ᵀ·a_prev.
    """
    config = model.config()
    if config["sizes"][-1] != 1:
        raise ValueError("inside.weight_gradients: needs a model with one output (binary cross-entropy)")
    layers = weights(model)
    X = np.asarray(X, dtype=float)
    passes = forward(layers, config, X)
    targets = np.asarray(y, dtype=float).reshape(-1, 1)
    delta = (_sigmoid(passes[-1][0]) - targets) / len(X)
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        grads.append(delta.T @ (passes[k - 1][1] if k else X))
        if k:
            z, a = passes[k - 1]
            delta = (delta @ layers[k][0]) * ACTIVATIONS[config["activation"]][1](z, a)
    return grads[::-1]


def layer_gradients(model: nn.MLP, X: Sequence, y: Sequence) -> list[float]:
    """Mean |∂L/∂w| of each layer's weights (binary cross-entropy on the logits); layer 1 first."""
    return [float(np.mean(np.abs(g))) for g in weight_gradients(model, X, y)]
