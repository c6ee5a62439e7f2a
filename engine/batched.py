"""Batched mode: a Value may hold a 1-D numpy array, one entry per sample of a batch.

The graph is the same graph a learner reads for one sample; each non-parameter
Value carries the whole batch. Parameters stay scalars. Where an edge goes from
a batch-valued node to a scalar parent, the parent must receive the *sum* of the
per-sample contributions: its local derivative is wrapped in `SumOver`, whose
product with the upstream gradient sums over the batch. So backward is still
the one loop `parent.grad += local * node.grad`.

This module holds the array forms of the elementwise operations; `value.py`
hands a batch-valued operand over to them. Formulas as in `value.py`. It also
holds the backward of a whole layer computed on a batch (`LayerBackward`, used by
`engine.dots`): the same edges, applied with three matrix products instead of
one Python step each.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .formatting import describe


class SumOver:
    """A batch of local derivatives for an edge into a scalar parent: (local × g) summed over the batch."""

    __slots__ = ("local",)

    def __init__(self, local: Any) -> None:
        self.local = local

    def __mul__(self, g: Any) -> float:
        return float(np.sum(self.local * g))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"SumOver({self.local!r})"


class SharedProduct:
    """Inputs X (one row per weight) of a batched weighted sum, and the last X @ g computed for them."""

    __slots__ = ("inputs", "upstream", "product")

    def __init__(self, inputs: np.ndarray) -> None:
        self.inputs = inputs
        self.upstream = None
        self.product = None


class RowSum(SumOver):
    """∂z/∂wᵢ = xᵢ for a batched z = Σ wᵢxᵢ + b: (xᵢ × g) summed over the batch, for all i in one product.

    The first weight edge backward reaches computes X @ g once; the others read their entry.
    """

    __slots__ = ("shared", "row")

    def __init__(self, shared: SharedProduct, row: int) -> None:
        self.shared, self.row = shared, row
        self.local = shared.inputs[row]

    def __mul__(self, g: Any) -> float:
        shared = self.shared
        if shared.upstream is not g:
            shared.product = shared.inputs @ g if isinstance(g, np.ndarray) else shared.inputs.sum(axis=1) * g
            shared.upstream = g
        return float(shared.product[self.row])

    __rmul__ = __mul__


def is_batch(x: Any) -> bool:
    return isinstance(x, np.ndarray)


def as_batch(x: Any, where: str) -> np.ndarray:
    """A 1-D float array of finite numbers, or a clear error."""
    a = np.asarray(x, dtype=float)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{where}: a batch must be a non-empty 1-D array of numbers, got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{where}: the batch holds NaN or ±inf; a Value must hold finite numbers")
    return a


def sample(x: Any, i: int = 0) -> float:
    """Sample i of a number, a batch, or a batch of local derivatives (a number stays itself)."""
    if isinstance(x, SumOver):
        x = x.local
    if isinstance(x, np.ndarray):
        return float(x[i])
    return float(x)


def check_finite(op: str, data: np.ndarray, parents: tuple) -> None:
    if not np.isfinite(data).all():
        raise OverflowError(
            f"{op}: the result holds inf or NaN for operands {', '.join(describe(p) for p in parents)}; "
            "a Value must hold finite numbers"
        )


def wrap_locals(edges: tuple) -> tuple:
    """Edges (parent, local, …) with the batch summed out of the local derivatives of scalar parents."""
    pairs = iter(edges)
    return tuple(item for p, d in zip(pairs, pairs)
                 for item in (p, d if isinstance(p.data, np.ndarray) or isinstance(d, SumOver) else SumOver(d)))


# -- elementwise operations on a batch: (value, local derivative) ------------------


def exp(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """eᵃ;  ∂/∂a = eᵃ."""
    if (a > 709.78).any():
        raise OverflowError(f"exp: e ** {describe(who)} overflows a float for some sample (largest finite at a ≈ 709.78)")
    out = np.exp(a)
    return out, out


def log(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """ln a;  ∂/∂a = 1/a  (a > 0)."""
    if (a <= 0).any():
        raise ValueError(f"log: needs positive numbers, got {describe(who)} with a value ≤ 0 in the batch")
    return np.log(a), 1.0 / a


def tanh(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """tanh a;  ∂/∂a = 1 − tanh²a."""
    t = np.tanh(a)
    return t, 1.0 - t * t


def sigmoid(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """σ(a), stable for any a: e^(−|a|) never overflows;  ∂/∂a = σ(a)(1 − σ(a))."""
    e = np.exp(-np.abs(a))
    s = np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s, s * (1.0 - s)


def softplus(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """ln(1 + eᵃ) = max(a, 0) + ln(1 + e^(−|a|));  ∂/∂a = σ(a)."""
    out = np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a)))
    return out, sigmoid(a, who)[0]


def relu(a: np.ndarray, who: Any) -> tuple[np.ndarray, np.ndarray]:
    """max(0, a);  ∂/∂a = 1 if a > 0 else 0."""
    positive = a > 0
    return np.where(positive, a, 0.0), positive.astype(float)


def leaky_relu(a: np.ndarray, who: Any, s: float) -> tuple[np.ndarray, np.ndarray]:
    """a if a > 0 else s·a;  ∂/∂a = 1 if a > 0 else s."""
    positive = a > 0
    return np.where(positive, a, s * a), np.where(positive, 1.0, s)


def power(a: np.ndarray, who: Any, n: float) -> tuple[np.ndarray, np.ndarray]:
    """aⁿ;  ∂/∂a = n·aⁿ⁻¹."""
    if n < 0 and (a == 0).any():
        raise ZeroDivisionError(f"power (**): {describe(who)} ** {n:g} raises zero to a negative power in the batch")
    if not float(n).is_integer() and (a < 0).any():
        raise ValueError(f"power (**): {describe(who)} ** {n:g} has a negative base in the batch and a "
                         "non-integer exponent; the result is not a real number")
    if 0 < n < 1 and (a == 0).any():
        raise OverflowError(f"power (**): the local derivative {n:g}·a^{n - 1:g} is infinite at 0 in {describe(who)}")
    local = np.zeros_like(a) if n == 0 else n * a ** (n - 1.0)
    return a**n, local


# -- a layer of weighted sums on a batch, backpropagated together ------------------------------


class LayerEdges(tuple):
    """The edges of one neuron's weighted sum zⱼ = Σᵢ wⱼᵢxᵢ + bⱼ in a layer computed on a batch.

    As a tuple they are what any sum records, (wⱼ₁, x₁, x₁, wⱼ₁, …, bⱼ, 1): ∂zⱼ/∂wⱼᵢ = xᵢ (a
    batch, summed over it for the scalar weight), ∂zⱼ/∂xᵢ = wⱼᵢ, ∂zⱼ/∂bⱼ = 1 (summed). Read edge
    by edge (iter, as `backward_steps` does), a scalar parent's derivative comes wrapped in
    `SumOver`. `Value.backward` does not walk them one by one: it hands zⱼ's gradient to the
    layer's `LayerBackward`, which applies every edge of the layer in three matrix products.
    """

    def __new__(cls, edges: list, layer: LayerBackward, row: int) -> LayerEdges:
        self = super().__new__(cls, edges)
        self.layer, self.row = layer, row  # which layer, and which of its neurons
        return self

    def __iter__(self):
        return iter(wrap_locals(self[:]))  # a slice is a plain tuple: the edges as any batch op records them

    def join(self, backward_pass: int) -> np.ndarray:
        """Take part in `backward_pass`; returns the gradient this node starts it with (zeros)."""
        return self.layer.join(self.row, backward_pass)

    def backward(self, g: Any) -> None:
        self.layer.receive(self.row, g)


class LayerBackward:
    """Backward for the weighted sums Z = W·X + b of one layer on a batch (nout neurons, n samples).

    Each neuron's gradient gⱼ = ∂L/∂zⱼ (one number per sample) is row j of a matrix G: the
    neuron's `grad` is that row, so backward fills it in place. When the last neuron of the
    layer in this backward pass is reached, every edge is applied at once:
        ∂L/∂wⱼᵢ = Σₛ Gⱼₛ Xᵢₛ   (G Xᵀ),   ∂L/∂bⱼ = Σₛ Gⱼₛ,   ∂L/∂xᵢ = Σⱼ wⱼᵢ Gⱼ   (Wᵀ G).
    That is safe because every neuron of the layer reads every input, so backward reaches all
    of them before any input; the weights and biases are leaves, read only after backward.
    """

    __slots__ = ("weights", "biases", "inputs", "W", "X", "G", "grad_rows", "backward_pass", "expected", "arrived")

    def __init__(self, weights: list, biases: list | None, inputs: list, W: np.ndarray, X: np.ndarray) -> None:
        self.weights, self.biases, self.inputs, self.W, self.X = weights, biases, inputs, W, X
        self.G = self.grad_rows = None
        self.backward_pass, self.expected, self.arrived = -1, 0, []

    def join(self, row: int, backward_pass: int) -> np.ndarray:
        """Count neuron `row` in `backward_pass` (before the pass starts); its gradient row, zeroed."""
        if backward_pass != self.backward_pass:
            self.backward_pass, self.expected, self.arrived = backward_pass, 0, []
            self.G = np.zeros((self.W.shape[0], self.X.shape[1]))
            self.grad_rows = list(self.G)
        self.expected += 1
        return self.grad_rows[row]

    def receive(self, row: int, g: Any) -> None:
        """Neuron `row`'s gradient is complete; once every neuron of the pass is, apply the edges."""
        if g is not self.grad_rows[row]:  # its grad was replaced rather than added to in place
            self.G[row] = g
        self.arrived.append(row)
        if len(self.arrived) == self.expected:
            self._apply()

    def _apply(self) -> None:
        G = self.G
        self.G = self.grad_rows = None  # the next pass starts a new matrix
        dW = (G @ self.X.T).tolist()
        db = G.sum(axis=1).tolist()
        for j in self.arrived:
            for w, d in zip(self.weights[j], dW[j]):
                w.grad += d
            if self.biases is not None:
                self.biases[j].grad += db[j]
        if not any(self.inputs):  # only plain numbers came in (data): no input takes a gradient
            return
        for x, d in zip(self.inputs, self.W.T @ G):
            if x is None:
                continue
            g = x.grad
            if type(x.data) is float:
                x.grad = g + float(d.sum())
            elif type(g) is float and g == 0.0:
                x.grad = d  # the first contribution: a row of Wᵀ G itself, which nothing else uses
            else:
                x.grad += d
