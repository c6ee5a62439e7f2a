"""Batched mode: a Value may hold a 1-D numpy array, one entry per sample of a batch.

The graph is the same graph a learner reads for one sample; each non-parameter
Value carries the whole batch. Parameters stay scalars. Where an edge goes from
a batch-valued node to a scalar parent, the parent must receive the *sum* of the
per-sample contributions: its local derivative is wrapped in `SumOver`, whose
product with the upstream gradient sums over the batch. So backward is still
the one loop `parent.grad += local * node.grad`.

This module holds the array forms of the elementwise operations; `value.py`
hands a batch-valued operand over to them. Formulas as in `value.py`.
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
