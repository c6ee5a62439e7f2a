"""Operations on many Values at once, each one node with one local derivative per input.

The same table-of-derivatives style as `value.py`: forward value and local
derivatives side by side, formula in the docstring. Also function forms of the
unary operations (`exp(x)`, `sigmoid(x)`, ...) for code that reads like maths.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Iterable, Sequence

import numpy as np

from .formatting import describe
from . import batched
from ._state import state
from .value import Value, _check_number


def _add_all(data: list[Any]) -> Any:
    """Σ of numbers (exactly rounded) or of batches (elementwise)."""
    if all(type(d) is float for d in data):
        return math.fsum(data)
    return functools.reduce(lambda a, b: a + b, data)


def _total(items: list[Value]) -> Any:
    return _add_all([v.data for v in items])


def _shifted_exps(items: list[Value]) -> tuple[Any, list[Any], Any]:
    """(m, [e^(xᵢ − m)], Σ e^(xᵢ − m)) with m = max xᵢ (per sample for a batch): nothing overflows."""
    data = [v.data for v in items]
    if all(type(d) is float for d in data):
        m = max(data)
        shifted = [math.exp(d - m) for d in data]
    else:
        m = functools.reduce(np.maximum, data)
        shifted = [np.exp(d - m) for d in data]
    return m, shifted, _add_all(shifted)


def _edges(parents: Sequence[Value], local_grads: Sequence[Any]) -> tuple:
    """(parent₁, local₁, parent₂, local₂, …): the flat form `Value.edges` takes."""
    edges: list[Any] = [None] * (2 * len(parents))
    edges[::2] = parents
    edges[1::2] = local_grads
    return tuple(edges)


def _as_values(values: Any, where: str) -> list[Value]:
    """A list of Values from a list of Values or numbers (numbers become constants)."""
    if isinstance(values, (Value, str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{where}: expected a list of Values or numbers, got {describe(values)}")
    return [v if type(v) is Value else Value.constant(v, f"{where}: element") for v in values]


def _nonempty(values: Any, where: str) -> list[Value]:
    items = _as_values(values, where)
    if not items:
        raise ValueError(f"{where}: needs at least one value, got an empty list")
    return items


def sum(values: Iterable[Any]) -> Value:  # noqa: A001 - engine.sum mirrors torch.sum
    """s = Σᵢ xᵢ, one node.   ∂s/∂xᵢ = 1.   The sum of no values is 0."""
    items = _as_values(values, "sum")
    if not items:
        return Value.constant(0.0)
    return Value._result("sum", _total(items), _edges(items, (1.0,) * len(items)))


def mean(values: Iterable[Any]) -> Value:
    """m = (1/n) Σᵢ xᵢ, one node.   ∂m/∂xᵢ = 1/n."""
    items = _nonempty(values, "mean")
    n = len(items)
    return Value._result("mean", _total(items) / n, _edges(items, (1.0 / n,) * n))


def dot(weights: Sequence[Any], inputs: Sequence[Any], bias: Any = None) -> Value:
    """z = Σᵢ wᵢ·xᵢ + b, one node (a neuron's weighted sum).

    ∂z/∂wᵢ = xᵢ,  ∂z/∂xᵢ = wᵢ,  ∂z/∂b = 1;  a term wᵢ·wᵢ (the same Value twice) is one edge, ∂/∂wᵢ = 2wᵢ.
    Plain numbers among the inputs (data fed to the first layer) get no edge.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must match")
    if weights is inputs and bias is None:
        squares = _sum_of_squares(weights)
        if squares is not None:
            return squares
    edges: list[Any] = []  # parent, local derivative, parent, local derivative, …
    add = edges.append
    total = 0.0
    for w, x in zip(weights, inputs):
        wd = w.data if type(w) is Value else _number(w, "dot: weight")
        xd = x.data if type(x) is Value else _number(x, "dot: input")
        if type(xd) is not float:  # a batch column: the whole weighted sum in one matrix product
            return _dot_batch(weights, inputs, bias)
        total += wd * xd
        if w is x:  # a square, as in an L2 penalty Σ w²: one edge
            add(w)
            add(2.0 * wd)
            continue
        if type(w) is Value:
            add(w)
            add(xd)
        if type(x) is Value:
            add(x)
            add(wd)
    if bias is not None:
        b = bias if type(bias) is Value else Value.constant(bias, "dot: bias")
        total += b.data
        add(b)
        add(1.0)
    return Value._result("dot", total, tuple(edges))


def _sum_of_squares(values: Sequence[Any]) -> Value | None:
    """dot(ws, ws) = Σ wᵢ² (an L2 penalty) for scalar Values, with one edge each, ∂/∂wᵢ = 2wᵢ.

    The loop of dot() in a few array operations; None if some wᵢ is not a scalar Value.
    """
    a = _scalar_values([values], leaves=False)
    if a is None:
        return None
    return Value._result("dot", float(a @ a), _edges(values, (2.0 * a).tolist()))


def dots(weights: Sequence[Sequence[Any]], inputs: Sequence[Any], biases: Sequence[Any] | None = None) -> list[Value]:
    """zⱼ = Σᵢ wⱼᵢ·xᵢ + bⱼ for each row j of `weights`: a layer's weighted sums, one `dot` node each.

    The graph is the one `[dot(row, inputs, b) for row, b in zip(weights, biases)]` makes. On a
    batch (inputs holding arrays) with parameters as weights and biases, the layer is computed
    as one matrix product Z = W·X + b, and backward applies all its edges together
    (engine.batched.LayerBackward): the same gradients, without a Python step per edge.
    """
    rows = [list(row) for row in weights]
    bs = [None] * len(rows) if biases is None else list(biases)
    if len(bs) != len(rows):
        raise ValueError(f"dots: {len(rows)} rows of weights but {len(bs)} biases; they must match")
    for row in rows:
        if len(row) != len(inputs):
            raise ValueError(f"dots: a row of {len(row)} weights but {len(inputs)} inputs; they must match")
    batch = any(isinstance(x.data if type(x) is Value else x, np.ndarray) for x in inputs)
    # the weights and biases must be leaves: their gradients are read only after backward ends,
    # which lets the layer apply its edges together
    values = _scalar_values([*rows, bs] if biases is not None else rows, leaves=True) if batch and rows else None
    if values is None:
        return [dot(row, inputs, b) for row, b in zip(rows, bs)]
    X = _stacked(inputs, "dots")
    W = values[:len(rows) * len(inputs)].reshape(len(rows), len(inputs))
    Z = W @ X
    if biases is not None:
        Z += values[len(rows) * len(inputs):, None]
    if not np.isfinite(Z).all():
        raise OverflowError("dots: the weighted sums hold inf or NaN; scale the inputs or the weights down")
    if not state.recording:
        return [Value._result("dot", z, (), prepared=True) for z in Z]
    nodes = [x if type(x) is Value else None for x in inputs]
    layer = batched.LayerBackward(rows, None if biases is None else bs, nodes, W, X)
    # every neuron's edges have the same shape: (w, xᵢ's batch, xᵢ, w's value) per input Value,
    # (w, the batch) per plain input; fill a template with each row's weights
    template: list[Any] = []
    for x_row, x in zip(X, nodes):
        template += (None, x_row) if x is None else (None, x_row, x, None)
    stride = len(template) // len(nodes) if all(nodes) or not any(nodes) else 0
    outputs = []
    for j, (row, w_row) in enumerate(zip(rows, W.tolist())):
        edges = template.copy()
        if stride:
            edges[::stride] = row
            if stride == 4:
                edges[3::4] = w_row
        else:  # some inputs are Values, some plain numbers
            at = 0
            for w, x, wd in zip(row, nodes, w_row):
                edges[at] = w
                if x is not None:
                    edges[at + 3] = wd
                at += 2 if x is None else 4
        if biases is not None:
            edges += (bs[j], 1.0)
        outputs.append(Value._result("dot", Z[j], batched.LayerEdges(edges, layer, j), prepared=True))
    return outputs


def _scalar_values(rows: Sequence[Sequence[Any]], leaves: bool) -> np.ndarray | None:
    """The numbers of rows of Values, one after the other; None unless every one is a Value
    holding a number (and, with `leaves`, has no parents)."""
    data = []
    for row in rows:
        for v in row:
            if type(v) is not Value or (leaves and v.edges) or type(v.data) is not float:
                return None
            data.append(v.data)
    return np.array(data)


def _stacked(inputs: Sequence[Any], where: str) -> np.ndarray:
    """The inputs as the rows of one matrix X (a plain number is repeated over the batch)."""
    columns = [x.data if type(x) is Value else _number(x, f"{where}: input") for x in inputs]
    widths = {c.shape[0] for c in columns if isinstance(c, np.ndarray)}
    if len(widths) > 1:
        raise ValueError(f"{where}: the inputs hold batches of different sizes {sorted(widths)}; they must match")
    width = widths.pop()
    return np.array([c if isinstance(c, np.ndarray) else np.full(width, c) for c in columns])


def _dot_batch(weights: Sequence[Any], inputs: Sequence[Any], bias: Any) -> Value:
    """dot() when the inputs hold a batch: z = w·X + b in one matrix product, the same edges as one sample.

    Weight edges share X @ g in backward (engine.batched.RowSum); input edges carry the weight.
    """
    ws = [w if type(w) is Value else Value.constant(w, "dot: weight") for w in weights]
    if any(type(w.data) is not float for w in ws):
        raise ValueError("dot: in batched mode the weights are scalars (parameters) and the inputs hold the batch")
    X = _stacked(inputs, "dot")
    w_row = np.fromiter((w.data for w in ws), dtype=float, count=len(ws))
    total = w_row @ X
    shared = batched.SharedProduct(X)
    edges: list[Any] = []
    for i, (w, x) in enumerate(zip(ws, inputs)):
        edges += (w, batched.RowSum(shared, i))
        if type(x) is Value:
            edges += (x, w.data if type(x.data) is not float else batched.SumOver(w.data))
    if bias is not None:
        b = bias if type(bias) is Value else Value.constant(bias, "dot: bias")
        total = total + b.data
        edges += (b, batched.SumOver(1.0) if type(b.data) is float else 1.0)
    batched.check_finite("dot", total, [*ws, *(x for x in inputs if type(x) is Value)])
    return Value._result("dot", total, tuple(edges), prepared=True)


def _number(x: Any, where: str) -> Any:
    if isinstance(x, np.ndarray):
        return batched.as_batch(x, where)
    return _check_number(x, where)


def logsumexp(values: Iterable[Any]) -> Value:
    """L = log Σᵢ exp(xᵢ), computed as m + log Σᵢ exp(xᵢ − m) with m = max xᵢ (never overflows).

    ∂L/∂xᵢ = exp(xᵢ − L) = softmax(x)ᵢ.
    """
    items = _nonempty(values, "logsumexp")
    m, shifted, total = _shifted_exps(items)
    out = m + (math.log(total) if type(total) is float else np.log(total))
    return Value._result("logsumexp", out, _edges(items, [e / total for e in shifted]))


def softmax(values: Iterable[Any]) -> list[Value]:
    """pᵢ = exp(xᵢ) / Σⱼ exp(xⱼ), computed with xᵢ − max x (never overflows).

    One node per output, each with an edge from every input:
    ∂pᵢ/∂xⱼ = pᵢ(δᵢⱼ − pⱼ).   The outputs sum to 1.
    """
    items = _nonempty(values, "softmax")
    _, shifted, total = _shifted_exps(items)
    probs = [e / total for e in shifted]
    outputs = []
    for i, p in enumerate(probs):
        local_grads = [p * ((1.0 if i == j else 0.0) - q) for j, q in enumerate(probs)]
        outputs.append(Value._result("softmax", p, _edges(items, local_grads)))
    return outputs


_UNARY = ("exp", "log", "tanh", "sigmoid", "softplus", "relu", "leaky_relu")
# those that cannot fail on finite numbers: safe to run on many batches at once
_ON_ROWS = {"tanh": batched.tanh, "sigmoid": batched.sigmoid, "softplus": batched.softplus,
            "relu": batched.relu, "leaky_relu": batched.leaky_relu}


def each(operation: str, values: Sequence[Value], *args: Any) -> list[Value]:
    """`[v.relu() for v in values]` for any unary operation by name: an activation over a layer.

    Each value gets its own node, as one at a time. When the values hold batches of one size,
    the operation runs once on them stacked as a matrix and each node keeps its row (the same
    numbers and local derivatives, without a numpy call per node).
    """
    if operation not in _UNARY:
        raise ValueError(f"each: unknown operation {operation!r}; choose one of {', '.join(_UNARY)}")
    values = list(values)
    batches = bool(values) and all(type(v) is Value and type(v.data) is np.ndarray for v in values)
    if operation not in _ON_ROWS or not batches or len({v.data.shape for v in values}) > 1:
        return [_unary(operation, v, *args) for v in values]
    if operation == "leaky_relu":
        args = (_check_number(args[0] if args else 0.01, "leaky_relu: negative_slope"),)
    A, D = _ON_ROWS[operation](np.array([v.data for v in values]), values, *args)
    if not np.isfinite(A).all():
        raise OverflowError(f"{operation}: the result holds inf or NaN; a Value must hold finite numbers")
    if not state.recording:
        return [Value._result(operation, a, (), prepared=True) for a in A]
    return [Value._result(operation, a, (v, d), prepared=True) for v, a, d in zip(values, A, D)]


# function forms of the unary operations: exp(x) reads like the maths


def _unary(method: str, x: Any, *args: Any) -> Value:
    v = x if type(x) is Value else Value.constant(x, method)
    return getattr(v, method)(*args)


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


__all__ = ["sum", "mean", "dot", "dots", "each", "logsumexp", "softmax", "exp", "log", "tanh", "sigmoid", "softplus", "relu", "leaky_relu"]
