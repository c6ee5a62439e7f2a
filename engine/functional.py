"""Operations on many Values at once, each one node with one local derivative per input.

The same table-of-derivatives style as `value.py`: forward value and local
derivatives side by side, formula in the docstring. Also function forms of the
unary operations (`exp(x)`, `sigmoid(x)`, ...) for code that reads like maths.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from operator import mul
from typing import Any, Optional, Sequence

from .checks import describe
from .value import Value


def _as_values(values: Any, where: str) -> list[Value]:
    """A list of Values from a list of Values or numbers (numbers become constants)."""
    if isinstance(values, (Value, str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{where}: expected a list of Values or numbers, got {describe(values)}")
    return [v if isinstance(v, Value) else Value.constant(v, f"{where}: element") for v in values]


def _nonempty(values: Any, where: str) -> list[Value]:
    items = _as_values(values, where)
    if not items:
        raise ValueError(f"{where}: needs at least one value, got an empty list")
    return items


def _edges(parents: Sequence[Value], local_grads: Sequence[float]) -> tuple:
    """(parent₁, local₁, parent₂, local₂, …): the flat form `Value.edges` takes."""
    edges: list[Any] = [None] * (2 * len(parents))
    edges[::2] = parents
    edges[1::2] = local_grads
    return tuple(edges)


def _fsum(numbers: list[float], where: str, *operands: Sequence[Any]) -> float:
    """Σ exactly rounded; an overflow names the operation and its operands (the Values among `operands`:
    a node's edges can be passed as they are, their local derivatives are skipped)."""
    try:
        return math.fsum(numbers)
    except OverflowError:
        items = [v for group in operands for v in group if isinstance(v, Value)]
        shown = ", ".join(describe(v) for v in items[:4]) + (", …" if len(items) > 4 else "")
        raise OverflowError(f"{where}: the sum of {shown} overflows a float; a Value must hold a finite number") from None


def sum(values: Iterable[Any]) -> Value:  # noqa: A001 - engine.sum mirrors torch.sum
    """s = Σᵢ xᵢ, one node.   ∂s/∂xᵢ = 1.   The sum of no values is 0."""
    items = _as_values(values, "sum")
    if not items:
        return Value.constant(0.0)
    return Value(_fsum([v.data for v in items], "sum", items), "", "sum", _edges(items, (1.0,) * len(items)))


def mean(values: Iterable[Any]) -> Value:
    """m = (1/n) Σᵢ xᵢ, one node.   ∂m/∂xᵢ = 1/n."""
    items = _nonempty(values, "mean")
    n = len(items)
    try:
        total = math.fsum([v.data for v in items]) / n
    except OverflowError:  # the sum overflows, the mean need not: divide first (Σ xᵢ/n ≤ max |xᵢ|, finite)
        total = math.fsum([v.data / n for v in items])
    return Value(total, "", "mean", _edges(items, (1.0 / n,) * n))


def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """z = Σᵢ wᵢ·xᵢ + b, one node (a neuron's weighted sum).

    ∂z/∂wᵢ = xᵢ,   ∂z/∂xᵢ = wᵢ,   ∂z/∂b = 1.
    Plain numbers are lifted into the graph as constants, so the edges always come as
    (w₁, x₁, x₁, w₁, w₂, x₂, …, b, 1): two per term, then the bias.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must match")
    ws = [w if isinstance(w, Value) else Value.constant(w, "dot: weight") for w in weights]
    xs = [x if isinstance(x, Value) else Value.constant(x, "dot: input") for x in inputs]
    b = bias if bias is None or isinstance(bias, Value) else Value.constant(bias, "dot: bias")
    return dot_of(ws, [w.data for w in ws], xs, [x.data for x in xs], b)


def dot_of(ws: Sequence[Value], wd: Sequence[float], xs: Sequence[Value], xd: Sequence[float],
           b: Optional[Value] = None) -> Value:
    """`dot`'s node from its Values and their numbers, read by the caller (a layer reads every
    neuron's weights at once, as the rows of its matrix)."""
    edges: list[Any] = [None] * (4 * len(ws))
    edges[0::4], edges[1::4], edges[2::4], edges[3::4] = ws, xd, xs, wd  # wᵢ with ∂z/∂wᵢ = xᵢ, xᵢ with wᵢ
    terms = list(map(mul, wd, xd))
    if b is not None:
        terms.append(b.data)
        edges += (b, 1.0)  # ∂z/∂b = 1
    return Value(_fsum(terms, "dot", edges), "", "dot", tuple(edges))


def logsumexp(values: Iterable[Any]) -> Value:
    """L = log Σᵢ exp(xᵢ), computed as m + log Σᵢ exp(xᵢ − m) with m = max xᵢ (never overflows).

    ∂L/∂xᵢ = exp(xᵢ − L) = softmax(x)ᵢ.
    """
    items = _nonempty(values, "logsumexp")
    m, shifted, total = _shifted_exps(items)
    return Value(m + math.log(total), "", "logsumexp", _edges(items, [e / total for e in shifted]))


def softmax(values: Iterable[Any]) -> list[Value]:
    """pᵢ = exp(xᵢ) / Σⱼ exp(xⱼ), computed with xᵢ − max x (never overflows).

    One node per output, each with an edge from every input:
    ∂pᵢ/∂xⱼ = pᵢ(δᵢⱼ − pⱼ).   The outputs sum to 1. Output i keeps its index in `.setting`.
    """
    items = _nonempty(values, "softmax")
    _, shifted, total = _shifted_exps(items)
    probs = [e / total for e in shifted]
    return [Value(p, "", "softmax", _edges(items, [p * ((1.0 if i == j else 0.0) - q) for j, q in enumerate(probs)]), i)
            for i, p in enumerate(probs)]


def _shifted_exps(items: list[Value]) -> tuple[float, list[float], float]:
    """(m, [e^(xᵢ − m)], Σ e^(xᵢ − m)) with m = max xᵢ: every exponent ≤ 0, so nothing overflows."""
    m = max(v.data for v in items)
    shifted = [math.exp(v.data - m) for v in items]
    return m, shifted, math.fsum(shifted)


# function forms of the unary operations: exp(x) reads like the maths

def _unary(method: str, x: Any, *args: Any) -> Value:
    return getattr(Value.constant(x, method), method)(*args)  # a Value passes through constant() as it is


def exp(x: Any) -> Value:
    """eˣ.  See `Value.exp`."""
    return _unary("exp", x)


def log(x: Any) -> Value:
    """ln x.  See `Value.log`."""
    return _unary("log", x)


def tanh(x: Any) -> Value:
    """tanh x.  See `Value.tanh`."""
    return _unary("tanh", x)


def sigmoid(x: Any) -> Value:
    """σ(x) = 1/(1 + e⁻ˣ).  See `Value.sigmoid`."""
    return _unary("sigmoid", x)


def softplus(x: Any) -> Value:
    """ln(1 + eˣ), stable.  See `Value.softplus`."""
    return _unary("softplus", x)


def relu(x: Any) -> Value:
    """max(0, x).  See `Value.relu`."""
    return _unary("relu", x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Value:
    """x if x > 0 else negative_slope·x.  See `Value.leaky_relu`."""
    return _unary("leaky_relu", x, negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Value:
    """x if x > 0 else α(eˣ − 1).  See `Value.elu`."""
    return _unary("elu", x, alpha)


def gelu(x: Any) -> Value:
    """x·Φ(x).  See `Value.gelu`."""
    return _unary("gelu", x)


__all__ = ["sum", "mean", "dot", "logsumexp", "softmax", "exp", "log", "tanh", "sigmoid", "softplus", "relu",
           "leaky_relu", "elu", "gelu"]
