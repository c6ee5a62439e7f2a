"""The array path: a whole batch through a model, one node per layer operation.

The scalar graph (one Value per number, what a learner reads and steps through) is the
textbook; this is the same computation for speed, on matrices whose rows are samples:

    forward                                   backward (G = ∂L/∂output of the node)
    Z = H Wᵀ + b        (Linear)              ∂L/∂W += Gᵀ H,   ∂L/∂b += Σ_rows G,   ∂L/∂H = G W
    A = g(Z)            (Activation)          ∂L/∂Z = G ⊙ g′(Z)
    P = softmax(Z) rows (Softmax)             ∂L/∂Z = P ⊙ (G − Σⱼ G ⊙ P)
    L = loss(out, y)    (see LOSSES)          ∂L/∂out, from the loss's formula

Nodes are recorded on a `Tape` in creation order and backward runs them in reverse. The
weights W and biases b are views on the model's flat parameter buffer and the gradients go
straight into its gradient buffer, so an optimizer can update every parameter with one
array operation. The formulas are the scalar operations' (engine/value.py), written for
arrays; tests check that loss and every gradient equal the scalar graphs' to 1e-12.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np


# -- activations: (A, g′) from Z, the same formulas as the Value methods ------------------

def _sigmoid(Z: np.ndarray, e: np.ndarray | None = None) -> np.ndarray:
    """σ(z) without overflow: e = e^(−|z|) ≤ 1 on both sides (pass it if you have it)."""
    if e is None:
        e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # max rather than np.where: where is branchy, ten times slower on a random mask. g′ stays a
    # boolean array (1 byte a number); G ⊙ g′ reads it as 0.0 and 1.0.
    return np.maximum(Z, 0.0), Z > 0


def _leaky_relu(Z: np.ndarray, slope: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    positive = Z > 0
    return np.where(positive, Z, slope * Z), np.where(positive, 1.0, slope)


def _tanh(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    T = np.tanh(Z)
    return T, 1.0 - T * T


def _sigmoid_pair(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    S = _sigmoid(Z)
    return S, S * (1.0 - S)


def _elu(Z: np.ndarray, alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    negative = np.minimum(Z, 0.0)  # eᶻ only where z ≤ 0: nothing overflows
    positive = Z > 0
    # eᶻ − 1 as expm1(z), as Value.elu: exact near 0, where exp(z) − 1 would lose most digits (z = −1e−9)
    return np.where(positive, Z, alpha * np.expm1(negative)), np.where(positive, 1.0, alpha * np.exp(negative))


def _gelu(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GELU(z) = z·Φ(z), Φ(z) = ½·erfc(−z/√2);  g′(z) = Φ(z) + z·φ(z),  φ(z) = e^(−z²/2)/√(2π).

    numpy has no erf, so erfc and exp are Python's math functions applied entry by entry: the very
    functions the scalar `Value.gelu` calls, in the same order, so both paths give the same bits.
    """
    cdf = 0.5 * _each(math.erfc, -Z / _SQRT2)
    pdf = _each(math.exp, -0.5 * Z * Z) / _SQRT_2PI
    return Z * cdf, cdf + Z * pdf


def _each(f: Callable[[float], float], A: np.ndarray) -> np.ndarray:
    """f applied to every entry of A (a Python loop, a few µs per hundred entries)."""
    flat = A.ravel().tolist()
    return np.fromiter(map(f, flat), dtype=float, count=len(flat)).reshape(A.shape)


_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


ACTIVATIONS: dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "sigmoid": _sigmoid_pair, "tanh": _tanh, "relu": _relu, "leaky_relu": _leaky_relu, "elu": _elu, "gelu": _gelu,
}


def softmax_rows(Z: np.ndarray) -> np.ndarray:
    """Each row's softmax, with the row's max subtracted first (never overflows)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def logsumexp_rows(Z: np.ndarray) -> np.ndarray:
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


# -- the tape ---------------------------------------------------------------------------------

class Tape:
    """The nodes of one forward pass, in creation order. `backward(G)` runs them in reverse."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []

    def backward(self, G: np.ndarray) -> None:
        for node in reversed(self.nodes):
            G = node.backward(G)


class Linear:
    """Z = H Wᵀ + b for a layer whose W and b are views on the model's buffer."""

    __slots__ = ("layer", "H", "input_grad")

    def __init__(self, layer: Any, H: np.ndarray, input_grad: bool) -> None:
        self.layer, self.H, self.input_grad = layer, H, input_grad

    def forward(self) -> np.ndarray:
        layer = self.layer
        Z = self.H @ layer.W.T
        Z += layer.b  # in place: no second batch-sized array
        return Z

    def backward(self, G: np.ndarray) -> np.ndarray | None:
        layer = self.layer
        W_grad, b_grad = layer.W_grad, layer.b_grad  # views on the model's gradient buffer: added to in place
        W_grad += G.T @ self.H
        b_grad += np.add.reduce(G, axis=0)  # G.sum(axis=0), without the method's Python wrapper
        return G @ layer.W if self.input_grad else None


class Activation:
    """A = g(Z) elementwise; keeps g′(Z) for backward."""

    __slots__ = ("derivative",)

    def __init__(self, derivative: np.ndarray) -> None:
        self.derivative = derivative

    def backward(self, G: np.ndarray) -> np.ndarray:
        G *= self.derivative  # in place: G is this pass's own array, made by the loss or the node after this one
        return G


class Softmax:
    """P = softmax(Z) row by row;  ∂L/∂Zᵢ = Pᵢ (Gᵢ − Σⱼ Gⱼ Pⱼ)."""

    __slots__ = ("P",)

    def __init__(self, P: np.ndarray) -> None:
        self.P = P

    def backward(self, G: np.ndarray) -> np.ndarray:
        P = self.P
        return P * (G - (G * P).sum(axis=1, keepdims=True))


def forward(model: Any, X: np.ndarray, tape: Tape | None = None, logits: bool = False,
            hidden: list | None = None) -> np.ndarray:
    """The model's outputs for every row of X (n × k). With a `tape`, the nodes are recorded for
    backward, and dropout acts if the model is training; with `logits`, the output layer's
    activation is left out (for the stable losses); a `hidden` list receives each hidden layer's
    outputs (n × width)."""
    H = X
    last = len(model.layers) - 1
    dropouts = model.dropout if tape is not None and model.training else []
    for depth, layer in enumerate(model.layers):
        if tape is not None and depth and dropouts and dropouts[depth - 1].p:  # the previous hidden layer's output, masked
            mask = dropouts[depth - 1].mask(H.shape)
            H = H * mask
            tape.nodes.append(Activation(mask))
        node = Linear(layer, H, input_grad=depth > 0)
        H = node.forward()
        if tape is not None:
            tape.nodes.append(node)
        activation = layer.activation
        if activation == "linear" or (logits and depth == last):
            continue
        if activation == "softmax":
            H = softmax_rows(H)
            if tape is not None:
                tape.nodes.append(Softmax(H))
            continue
        H, derivative = ACTIVATIONS[activation](H)
        if tape is not None:
            tape.nodes.append(Activation(derivative))
        if hidden is not None and depth < last:
            hidden.append(H)
    return H


# -- losses: (L, ∂L/∂out) for outputs O (n × k) and targets, each the mean over the batch -----

def mse(O: np.ndarray, T: np.ndarray, half: bool = False) -> tuple[float, np.ndarray]:
    """L = (1/nk) Σ (o − t)²  (½ of it with half);   ∂L/∂o = 2(o − t)/nk  (or (o − t)/nk)."""
    D = O - T
    scale = 0.5 if half else 1.0
    return scale * float(np.mean(D * D)), (2.0 * scale / D.size) * D


def binary_cross_entropy_with_logits(O: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray]:
    """L = (1/n) Σ softplus(z) − y·z;   ∂L/∂z = (σ(z) − y)/n."""
    z, y = O, T
    e = np.exp(-np.abs(z))  # shared by softplus and σ
    softplus = np.maximum(z, 0.0) + np.log1p(e)
    n = z.shape[0]
    return float((softplus - y * z).sum()) / n, (_sigmoid(z, e) - y) / n


def cross_entropy(O: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """L = (1/n) Σ log Σⱼ e^{zⱼ} − z_y;   ∂L/∂zⱼ = (softmax(z)ⱼ − [j = y])/n."""
    n = O.shape[0]
    rows = np.arange(n)
    loss = float((logsumexp_rows(O) - O[rows, labels]).sum()) / n
    G = softmax_rows(O)
    G[rows, labels] -= 1.0
    return loss, G / n


def nll(O: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """L = −(1/n) Σ log p_y;   ∂L/∂p_y = −1/(n p_y)."""
    n = O.shape[0]
    rows = np.arange(n)
    picked = O[rows, labels]
    if (picked <= 0).any():
        raise ValueError("nll: probability 0 for a true class gives an infinite loss; use cross_entropy on logits")
    G = np.zeros_like(O)
    G[rows, labels] = -1.0 / (n * picked)
    return -float(np.log(picked).sum()) / n, G


def hinge(O: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray]:
    """L = (1/n) Σ max(0, 1 − y·s);   ∂L/∂s = −y/n where 1 − y·s > 0, else 0."""
    margins = 1.0 - T * O
    active = margins > 0
    n = O.shape[0]
    return float(np.where(active, margins, 0.0).sum()) / n, np.where(active, -T, 0.0) / n


LOSSES: dict[str, Callable[..., tuple[float, np.ndarray]]] = {
    "mse": mse, "mse_half": lambda O, T: mse(O, T, half=True),
    "bce_logits": binary_cross_entropy_with_logits, "cross_entropy": cross_entropy, "nll": nll, "hinge": hinge,
}
