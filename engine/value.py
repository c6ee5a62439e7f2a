"""`Value`: one scalar in a computation graph, and the operations on it.

Every operation below computes its forward value and, right beside it, the
local derivative ∂out/∂parent of each of its parents. Those numbers are stored
on the result, so backward is one generic loop

    parent.grad += local * node.grad

and the renderer and `explain` can show the same numbers a learner would write
by hand. Read the methods from `__add__` down as a table of derivatives.

No operation stores a closure: a graph holds no reference cycles, so a dropped
graph is freed at once by reference counting (micrograd's per-node closures
keep Python's cycle collector busy for most of a training step).
"""
from __future__ import annotations

import itertools
import math
import numbers
from typing import Any, Iterator

import numpy as np

from . import batched
from ._state import state
from .formatting import describe, fmt
from .graph import topological_order

_next_number = itertools.count(1).__next__  # names v1, v2, … in the order they are first shown
_next_pass = itertools.count().__next__  # numbers backward passes (engine.batched.LayerBackward)
_OP_NAMES = {"+": "add (+)", "-": "subtract (-)", "*": "multiply (*)", "/": "divide (/)", "**": "power (**)"}


def _check_number(x: Any, where: str, partner: Any = None) -> float:
    """`x` as a float if it is a finite real number; otherwise a clear error.

    `partner` is the other operand of a binary operation, named in the message.
    """
    if type(x) is float or type(x) is int:  # the common case, checked fast
        value = float(x)
    elif isinstance(x, bool) or not isinstance(x, numbers.Real):
        with_partner = f" (the other operand is {describe(partner)})" if partner is not None else ""
        raise TypeError(
            f"{where}: expected a real number (int or float) or a Value, "
            f"got {describe(x)}{with_partner}"
        )
    else:
        value = float(x)
    if not math.isfinite(value):
        with_partner = f" (the other operand is {describe(partner)})" if partner is not None else ""
        raise ValueError(f"{where}: {describe(x)} is not finite; a Value must hold a finite number{with_partner}")
    return value


class Value:
    """A scalar that remembers how it was computed.

    Attributes:
        data: the number (a finite float).
        grad: ∂root/∂self after `root.backward()`; 0.0 before.
        op: the operation that made it; for leaves: "" for a Value you created,
            "param" for a trainable parameter, "const" for a plain number lifted
            into the graph.
        label: a name for printing and drawing ("" if none).
        edges: (parent₁, ∂self/∂parent₁, parent₂, ∂self/∂parent₂, …): the Values it was
            computed from, in operand order, each followed by its local derivative,
            computed in the forward pass. One flat tuple (not two) keeps a node small;
            `parents` and `local_grads` read it as two tuples.
        scope: dotted name of the nn module that created it (or None).

    Leaves accumulate `grad` over `backward()` calls, as in PyTorch; a
    computed Value holds the gradient of the latest backward pass.
    """

    # `number` is set the first time an unlabelled Value is named (v1, v2, …): most never are,
    # and an int per node would cost 28 bytes.
    __slots__ = ("data", "grad", "op", "label", "edges", "scope", "number")

    def __init__(self, data: float, label: str = "") -> None:
        # a 1-D numpy array is a batch: one number per sample (see engine.batched)
        self.data = batched.as_batch(data, "Value") if isinstance(data, np.ndarray) else _check_number(data, "Value")
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {describe(label)}")
        self.grad = 0.0
        self.op = ""
        self.label = label
        self.edges: tuple = ()
        self.scope = state.scope

    # -- construction helpers -------------------------------------------------

    @staticmethod
    def _result(op: str, data: Any, edges: tuple, prepared: bool = False) -> Value:
        """The output of an operation with `edges` (parent, local derivative, …); recorded unless in `no_grad()`.

        A batch (numpy array) result is checked for inf and NaN, and its scalar parents' local
        derivatives are wrapped so that they sum over the batch; `prepared` says the operation
        did both itself.
        """
        if type(data) is not float:  # a batch, or a numpy scalar
            if isinstance(data, np.ndarray):
                if not prepared:
                    batched.check_finite(_OP_NAMES.get(op, op), data, edges[::2])
                    if state.recording:
                        edges = batched.wrap_locals(edges)
            else:
                data = float(data)
        if type(data) is float and not math.isfinite(data):
            raise OverflowError(
                f"{_OP_NAMES.get(op, op)}: the result is {data} for operands "
                f"{', '.join(describe(p) for p in edges[::2])}; a Value must hold a finite number"
            )
        out = Value.__new__(Value)
        out.data = data
        out.grad = 0.0
        out.op = op
        out.label = ""
        out.edges = edges if state.recording else ()
        out.scope = state.scope
        return out

    def _elementwise(self, op: str, function: Any, *args: Any) -> Value:
        """Apply the batch form of an elementwise operation (engine.batched)."""
        out, local = function(self.data, self, *args)
        return Value._result(op, out, (self, local))

    @property
    def is_batch(self) -> bool:
        """True when `data` is a batch (a 1-D array, one number per sample)."""
        return type(self.data) is not float

    def mean(self) -> Value:
        """The mean over the batch, m = (1/n) Σᵢ aᵢ (a scalar);  ∂m/∂aᵢ = 1/n. A scalar is its own mean."""
        a = self.data
        if type(a) is float:
            return Value._result("mean", a, (self, 1.0))
        n = a.shape[0]
        return Value._result("mean", float(np.sum(a)) / n, (self, np.full(n, 1.0 / n)))

    def sum(self) -> Value:
        """The sum over the batch, s = Σᵢ aᵢ (a scalar);  ∂s/∂aᵢ = 1."""
        a = self.data
        if type(a) is float:
            return Value._result("sum", a, (self, 1.0))
        return Value._result("sum", float(np.sum(a)), (self, np.ones(a.shape[0])))

    @staticmethod
    def parameter(x: Any, label: str = "") -> Value:
        """A trainable leaf (op "param"): what nn modules learn. Renderers show it as a parameter."""
        p = Value(x, label)
        p.op = "param"
        return p

    @staticmethod
    def constant(x: Any, where: str = "Value.constant", partner: Any = None) -> Value:
        """A plain number (or a batch of numbers) lifted into the graph as a leaf with op "const"."""
        if type(x) is Value:
            return x
        if isinstance(x, np.ndarray):
            c = Value(x, label="batch")
            c.op = "const"
            return c
        number = _check_number(x, where, partner)
        c = Value(number, label=fmt(number))
        c.op = "const"
        return c

    def named(self, label: str) -> Value:
        """Set this Value's label and return it: `z1 = (w1 * x1 + b1).named("z1")`."""
        if not isinstance(label, str):
            raise TypeError(f"named: label must be a str, got {describe(label)}")
        self.label = label
        return self

    @property
    def name(self) -> str:
        """The label, or `v1`, `v2`, … for an unlabelled Value (numbered when first named, then fixed)."""
        if self.label:
            return self.label
        try:
            number = self.number
        except AttributeError:
            number = self.number = _next_number()
        return f"v{number}"

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in operand order."""
        return self.edges[::2]

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """∂self/∂parent for each parent (same order as `parents`), computed in the forward pass."""
        return self.edges[1::2]

    @property
    def is_leaf(self) -> bool:
        """True for Values with no recorded parents (inputs, parameters, constants)."""
        return not self.edges

    def __repr__(self) -> str:
        parts = [f"{self.label!r}"] if self.label else []
        parts.append(f"data={self.data:.6g}")
        parts.append(f"grad={self.grad:.6g}")
        if self.op:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"

    def __float__(self) -> float:
        return self.data

    # -- arithmetic: forward value and local derivatives side by side ---------

    def __add__(self, other: Any) -> Value:
        """a + b.   ∂/∂a = 1,  ∂/∂b = 1."""
        other = other if type(other) is Value else Value.constant(other, "add (+)", self)
        return Value._result("+", self.data + other.data, (self, 1.0, other, 1.0))

    def __radd__(self, other: Any) -> Value:
        return Value.constant(other, "add (+)", self) + self

    def __sub__(self, other: Any) -> Value:
        """a − b.   ∂/∂a = 1,  ∂/∂b = −1."""
        other = other if type(other) is Value else Value.constant(other, "subtract (-)", self)
        return Value._result("-", self.data - other.data, (self, 1.0, other, -1.0))

    def __rsub__(self, other: Any) -> Value:
        return Value.constant(other, "subtract (-)", self) - self

    def __mul__(self, other: Any) -> Value:
        """a · b.   ∂/∂a = b,  ∂/∂b = a."""
        other = other if type(other) is Value else Value.constant(other, "multiply (*)", self)
        return Value._result("*", self.data * other.data, (self, other.data, other, self.data))

    def __rmul__(self, other: Any) -> Value:
        return Value.constant(other, "multiply (*)", self) * self

    def __truediv__(self, other: Any) -> Value:
        """a / b.   ∂/∂a = 1/b,  ∂/∂b = −a/b²."""
        other = other if type(other) is Value else Value.constant(other, "divide (/)", self)
        a, b = self.data, other.data
        if type(a) is not float or type(b) is not float:
            if np.any(b == 0.0):
                raise ZeroDivisionError(f"divide (/): {describe(self)} / {describe(other)} divides by zero")
            return Value._result("/", a / b, (self, 1.0 / b, other, -a / (b * b)))
        if b == 0.0:
            raise ZeroDivisionError(f"divide (/): {describe(self)} / {describe(other)} divides by zero")
        d_b = -a / (b * b) if abs(b) > 1e-154 else -(a / b) / b  # avoid b*b underflowing to 0
        _require_finite_derivative("divide (/)", "-a/b²", d_b, self, other)
        return Value._result("/", a / b, (self, 1.0 / b, other, d_b))

    def __rtruediv__(self, other: Any) -> Value:
        return Value.constant(other, "divide (/)", self) / self

    def __neg__(self) -> Value:
        """−a.   ∂/∂a = −1."""
        return Value._result("neg", -self.data, (self, -1.0))

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Any) -> Value:
        """aⁿ for a number n:  ∂/∂a = n·aⁿ⁻¹.
        aᵇ for a Value b:     ∂/∂a = b·aᵇ⁻¹,  ∂/∂b = aᵇ·ln a   (needs a > 0, or a = 0 and b > 0).
        """
        if type(exponent) is Value:
            return _pow_values(self, exponent)
        n = _check_number(exponent, "power (**)", self)
        a = self.data
        if type(a) is not float:
            return self._elementwise(f"**{n:g}", batched.power, n)
        if a == 0.0 and n < 0:
            raise ZeroDivisionError(f"power (**): {describe(self)} ** {n:g} raises zero to a negative power")
        if a < 0.0 and not n.is_integer():
            raise ValueError(
                f"power (**): {describe(self)} ** {n:g} has a negative base and a non-integer "
                "exponent; the result is not a real number"
            )
        try:
            out = a**n
            local = 0.0 if n == 0.0 else (n * a ** (n - 1.0) if n != 1.0 else 1.0)
        except OverflowError:
            raise OverflowError(f"power (**): {describe(self)} ** {n:g} overflows") from None
        except ZeroDivisionError:  # 0 ** (n-1) with 0 < n < 1: the derivative is infinite
            local = math.inf
        _require_finite_derivative("power (**)", f"{n:g}·a^{n - 1:g}", local, self)
        return Value._result(f"**{n:g}", out, (self, local))

    def __rpow__(self, base: Any) -> Value:
        return _pow_values(Value.constant(base, "power (**)", self), self)

    # -- elementary functions --------------------------------------------------

    def exp(self) -> Value:
        """eᵃ.   ∂/∂a = eᵃ."""
        if type(self.data) is not float:
            return self._elementwise("exp", batched.exp)
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp: e ** {describe(self)} overflows a float (the largest finite exp is at a ≈ 709.78)"
            ) from None
        return Value._result("exp", out, (self, out))

    def log(self) -> Value:
        """ln a  (a > 0).   ∂/∂a = 1/a."""
        if type(self.data) is not float:
            return self._elementwise("log", batched.log)
        a = self.data
        if a <= 0.0:
            raise ValueError(f"log: needs a positive number, got {describe(self)}")
        local = 1.0 / a
        _require_finite_derivative("log", "1/a", local, self)
        return Value._result("log", math.log(a), (self, local))

    def tanh(self) -> Value:
        """tanh a = (eᵃ − e⁻ᵃ)/(eᵃ + e⁻ᵃ).   ∂/∂a = 1 − tanh²a."""
        if type(self.data) is not float:
            return self._elementwise("tanh", batched.tanh)
        t = math.tanh(self.data)  # stable for any finite a: tanh(±1000) = ±1
        return Value._result("tanh", t, (self, 1.0 - t * t))

    def sigmoid(self) -> Value:
        """σ(a) = 1/(1 + e⁻ᵃ).   ∂/∂a = σ(a)(1 − σ(a))."""
        if type(self.data) is not float:
            return self._elementwise("sigmoid", batched.sigmoid)
        s = _sigmoid(self.data)
        return Value._result("sigmoid", s, (self, s * (1.0 - s)))

    def softplus(self) -> Value:
        """softplus(a) = ln(1 + eᵃ), as max(a, 0) + ln(1 + e^−|a|) (never overflows).   ∂/∂a = σ(a)."""
        if type(self.data) is not float:
            return self._elementwise("softplus", batched.softplus)
        a = self.data
        out = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
        return Value._result("softplus", out, (self, _sigmoid(a)))

    def relu(self) -> Value:
        """max(0, a).   ∂/∂a = 1 if a > 0 else 0  (0 at a = 0)."""
        if type(self.data) is not float:
            return self._elementwise("relu", batched.relu)
        a = self.data
        return Value._result("relu", a if a > 0.0 else 0.0, (self, 1.0 if a > 0.0 else 0.0))

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        """a if a > 0 else s·a.   ∂/∂a = 1 if a > 0 else s  (s = negative_slope)."""
        s = _check_number(negative_slope, "leaky_relu: negative_slope")
        if type(self.data) is not float:
            return self._elementwise("leaky_relu", batched.leaky_relu, s)
        a = self.data
        return Value._result("leaky_relu", a if a > 0.0 else s * a, (self, 1.0 if a > 0.0 else s))

    # -- backward ---------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Backpropagate: fill `.grad` of every Value this one depends on.

        Seeds ∂self/∂self = grad, then visits nodes in reverse topological order
        and applies `parent.grad += local * node.grad` along each edge. Iterative:
        no recursion limit, time linear in the graph size.
        """
        order = begin_backward(self, grad)
        for node in reversed(order):
            edges = node.edges
            if type(edges) is tuple:
                if edges:  # a leaf has none
                    g = node.grad
                    edges = iter(edges)
                    for parent, local in zip(edges, edges):  # (parent, local), (parent, local), …
                        parent.grad += local * g
            else:  # a layer's weighted sum on a batch: applied together with its layer
                edges.backward(node.grad)
        check_gradients(order)

    def backward_steps(self, grad: float = 1.0) -> Iterator[Any]:
        """Backward one node at a time, for stepping through in a REPL.

        Yields a `BackwardStep` per node, in the order `backward()` visits them;
        each step's gradient updates are applied when it is yielded, so `.grad`
        can be inspected between steps. `print(step)` shows the chain rule.
        """
        from .stepping import backward_steps

        return backward_steps(self, grad)

    def zero_grad(self) -> None:
        """Set `.grad = 0` on this Value and every Value in its graph."""
        for node in topological_order(self):
            node.grad = 0.0


def _sigmoid(a: float) -> float:
    """σ(a) written so that nothing overflows: e^(−a) for a ≥ 0, e^a for a < 0 (both ≤ 1)."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _require_finite_derivative(op: str, formula: str, local: float, *operands: Any) -> None:
    if not math.isfinite(local):
        raise OverflowError(
            f"{op}: the local derivative {formula} is infinite at "
            f"{', '.join(describe(o) for o in operands)}"
        )


def _pow_values(base: Value, exponent: Value) -> Value:
    """aᵇ with both a and b in the graph.  ∂/∂a = b·aᵇ⁻¹,  ∂/∂b = aᵇ·ln a."""
    a, b = base.data, exponent.data
    if type(a) is not float or type(b) is not float:
        if np.any(np.asarray(a) <= 0.0):
            raise ValueError(f"power (**): {describe(base)} ** {describe(exponent)} needs a positive base "
                             "for every sample when the exponent is in the graph")
        out = a**b
        return Value._result("**", out, (base, b * a ** (b - 1.0), exponent, out * np.log(a)))
    if a < 0.0:
        raise ValueError(
            f"power (**): {describe(base)} ** {describe(exponent)} has a negative base; with the "
            "exponent in the graph, ∂/∂b = aᵇ·ln a is not real (use a plain number as exponent)"
        )
    if a == 0.0:
        if b <= 0.0:
            raise ZeroDivisionError(
                f"power (**): {describe(base)} ** {describe(exponent)} raises zero to a non-positive power"
            )
        # 0ᵇ = 0 for b > 0; ∂/∂b = 0ᵇ·ln 0 → 0 (limit); ∂/∂a = b·0ᵇ⁻¹
        if b < 1.0:
            _require_finite_derivative("power (**)", "b·a^(b-1)", math.inf, base, exponent)
        d_a = 1.0 if b == 1.0 else 0.0
        return Value._result("**", 0.0, (base, d_a, exponent, 0.0))
    try:
        out = a**b
        d_a = b * a ** (b - 1.0)
    except OverflowError:
        raise OverflowError(f"power (**): {describe(base)} ** {describe(exponent)} overflows") from None
    _require_finite_derivative("power (**)", "b·a^(b-1)", d_a, base, exponent)
    return Value._result("**", out, (base, d_a, exponent, out * math.log(a)))


def begin_backward(root: Value, grad: Any) -> list[Value]:
    """Prepare a backward pass from `root`: its graph in topological order, grads seeded.

    Computed Values start this pass at 0 (they hold the gradient of the latest
    pass); leaves keep what they had, so their gradients accumulate over passes.
    """
    seed = _check_number(grad, "backward: grad")
    order = topological_order(root)
    backward_pass = _next_pass()
    for node in order:
        edges = node.edges
        if type(edges) is not tuple:  # a weighted sum of a layer on a batch: its layer counts it in
            node.grad = edges.join(backward_pass)
        elif edges:
            node.grad = 0.0
    root.grad += seed
    return order


def check_gradients(order: list[Value]) -> None:
    """Raise if a backward pass left any gradient infinite or NaN."""
    for node in order:
        g = node.grad
        if not (math.isfinite(g) if type(g) is float else np.isfinite(g).all()):
            raise OverflowError(
                f"backward: the gradient of {describe(node)} overflowed to {node.grad}; "
                "scale the loss or the inputs down"
            )
