"""`Value`: one number in a computation graph, and the table of operations on it.

Every operation below computes its forward value and, right beside it, the local
derivative ∂out/∂parent for each parent. Both are stored on the result, as one
flat tuple `edges = (parent₁, ∂out/∂parent₁, parent₂, ∂out/∂parent₂, …)`, so
backward is one generic loop (engine/backward.py)

    parent.grad += local × node.grad

and `explain`, the stepper and the renderer show the very numbers a learner would
write by hand. Read the methods from `__add__` down as a table of derivatives:
the formula is in each docstring, the code is the formula.

No operation stores a closure, so a graph holds no reference cycles and a dropped
graph is freed at once.
"""
from __future__ import annotations

import math
from typing import Any, Iterator

from . import backward as _backward
from .reverse import backward_create_graph
from .checks import as_number, describe
from .formatting import fmt
from .recording import paused, recording
from .steps import BackwardStep

_isfinite = math.isfinite
_OP_NAMES = {"+": "add (+)", "-": "subtract (-)", "*": "multiply (*)", "/": "divide (/)", "**": "power (**)",
             "neg": "negate (-)", "abs": "abs"}


class Value:
    """A number that remembers how it was computed.

    Attributes:
        data: the number (a finite float).
        grad: ∂root/∂self after `root.backward()`; 0.0 before. Leaves (inputs, parameters)
            add to it over backward calls, as in PyTorch; `None` means "no gradient yet".
        op: the operation that made it ("+", "tanh", …); for leaves "" (a Value you made),
            "param" (a trainable parameter) or "const" (a plain number lifted into the graph).
        label: a name for printing and drawing ("" if none).
        edges: (parent₁, ∂self/∂parent₁, parent₂, ∂self/∂parent₂, …), in operand order,
            computed in the forward pass. Read them as pairs with `engine.edges(v)`.
        setting: the operation's own number, when it has one: the exponent n of aⁿ, the slope of
            leaky_relu, the α of elu, which output i of a softmax this is; else None.
        scope: the dotted name of the nn module that made it ("layers.0.neurons.3"), or None.

    `==` and hashing are by identity, as for any graph node: two Values with equal numbers
    are still two nodes (a dict of gradients keyed by Value needs that). `<`, `<=`, `>`, `>=`
    compare the numbers, so `while loss > 0.01`, `max(values)` and `sorted(values)` work.
    """

    __slots__ = ("data", "grad", "op", "label", "edges", "setting", "scope")  # no per-node dict: ~40% less memory

    def __init__(self, data: float, label: str = "", op: str = "", edges: tuple = (),
                 setting: float | None = None) -> None:
        """A leaf you make, `Value(0.5, label="x")`. Every operation below makes its result with this
        same constructor, `Value(out, "", op, edges, setting)`: its number, no label yet, the op's
        name, its edges and its setting. The edges are dropped inside `no_grad()`."""
        if type(data) is not float or not _isfinite(data):
            data = _finite_number(data, op, edges)
        if type(label) is not str:
            raise TypeError(f"Value: label must be a str, got {describe(label)}{_signature_hint(label)}")
        self.data = data
        self.grad: Any = 0.0
        self.op = op
        self.label = label
        self.edges = edges if not paused or recording() else ()
        self.setting = setting
        self.scope: str | None = None

    @staticmethod
    def parameter(x: Any, label: str = "") -> Value:
        """A trainable leaf (op "param"): what a model learns. Renderers draw it as a parameter."""
        return Value(x, label, "param")

    @staticmethod
    def constant(x: Any, where: str = "Value.constant", partner: Any = None) -> Value:
        """A plain number lifted into the graph as a leaf with op "const", labelled by its number
        (a Value is returned as it is). `where` and `partner` name the operation in an error."""
        if isinstance(x, Value):
            return x
        number = as_number(x, where, partner)
        return Value(number, fmt(number), "const")

    def named(self, label: str) -> Value:
        """Set this Value's label and return it: `z1 = (w1 * x1 + b1).named("z1")`."""
        if not isinstance(label, str):
            raise TypeError(f"named: label must be a str, got {describe(label)}")
        self.label = label
        return self

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in operand order."""
        return self.edges[::2]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent (same order as `parents`), computed in the forward pass."""
        return self.edges[1::2]

    @property
    def is_leaf(self) -> bool:
        """True for Values with no recorded parents (inputs, parameters, constants)."""
        return not self.edges

    # -- micrograd's names, for learners coming from its lecture ----------------

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the parents, as a set (read-only; `parents` keeps operand order)."""
        return set(self.edges[::2])

    @property
    def _op(self) -> str:
        """micrograd's name for the operation: "" for every leaf (input, parameter, constant)."""
        return self.op if self.edges else ""

    def _backward(self) -> None:
        """micrograd's step at one node: `parent.grad += ∂self/∂parent × self.grad` along each of
        this node's edges, once. Every other node's grad is left alone (backward()'s loop, chain_rule,
        does the same at every node, in reverse topological order)."""
        g = 0.0 if self.grad is None else self.grad
        pairs = iter(self.edges)
        for parent, local in zip(pairs, pairs):
            parent.grad = (0.0 if parent.grad is None else parent.grad) + local * g

    # -- arithmetic: forward value and local derivatives side by side ---------

    def __add__(self, other: Any) -> Value:
        """a + b.   ∂/∂a = 1,  ∂/∂b = 1."""
        other = other if isinstance(other, Value) else _lift(other, "+", self)
        return Value(self.data + other.data, "", "+", (self, 1.0, other, 1.0))

    def __sub__(self, other: Any) -> Value:
        """a − b.   ∂/∂a = 1,  ∂/∂b = −1."""
        other = other if isinstance(other, Value) else _lift(other, "-", self)
        return Value(self.data - other.data, "", "-", (self, 1.0, other, -1.0))

    def __mul__(self, other: Any) -> Value:
        """a · b.   ∂/∂a = b,  ∂/∂b = a."""
        other = other if isinstance(other, Value) else _lift(other, "*", self)
        return Value(self.data * other.data, "", "*", (self, other.data, other, self.data))

    def __truediv__(self, other: Any) -> Value:
        """a / b.   ∂/∂a = 1/b,  ∂/∂b = −a/b²."""
        other = other if isinstance(other, Value) else _lift(other, "/", self)
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(f"divide (/): {describe(self)} / {describe(other)} divides by zero")
        d_a = 1.0 / b
        d_b = -(a / b) / b  # not −a/(b·b): b·b underflows to 0 for |b| < 1e-154
        _require_finite("/", "1/b and −a/b²", (d_a, d_b), self, other)
        return Value(a / b, "", "/", (self, d_a, other, d_b))

    def __neg__(self) -> Value:
        """−a.   ∂/∂a = −1."""
        return Value(-self.data, "", "neg", (self, -1.0))

    def __pow__(self, exponent: Any) -> Value:
        """aⁿ for a number n:  ∂/∂a = n·aⁿ⁻¹.
        aᵇ for a Value b:     ∂/∂a = b·aᵇ⁻¹,  ∂/∂b = aᵇ·ln a   (needs a > 0, or a = 0 and b ≥ 1).
        """
        if isinstance(exponent, Value):
            return _power_of_values(self, exponent)
        n = as_number(exponent, "power (**)", self)
        a = self.data
        if a == 0.0 and n < 0:
            raise ZeroDivisionError(f"power (**): {describe(self)} ** {n:g} raises zero to a negative power")
        if a < 0.0 and not n.is_integer():
            raise ValueError(f"power (**): {describe(self)} ** {n:g} has a negative base and a non-integer "
                             "exponent; the result is not a real number")
        try:
            out = a**n
            local = 0.0 if n == 0.0 else 1.0 if n == 1.0 else n * a ** (n - 1.0)
        except OverflowError:
            raise OverflowError(f"power (**): {describe(self)} ** {n:g} overflows a float") from None
        except ZeroDivisionError:  # 0 ** (n − 1) with 0 < n < 1: the slope is vertical at 0
            local = math.inf
        _require_finite("**", f"{n:g}·a^{n - 1:g}", (local,), self)
        return Value(out, "", power_op(n), (self, local), n)

    def __abs__(self) -> Value:
        """|a|.   ∂/∂a = sign a  (0 at a = 0, as PyTorch)."""
        a = self.data
        if a > 0.0:
            return Value(a, "", "abs", (self, 1.0))
        _require_number(self, "abs")
        return Value(-a, "", "abs", (self, -1.0 if a < 0.0 else 0.0))

    # -- elementary functions --------------------------------------------------

    def exp(self) -> Value:
        """eᵃ.   ∂/∂a = eᵃ."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp: e ** {describe(self)} overflows a float "
                                "(the largest finite exp is at a ≈ 709.78)") from None
        return Value(out, "", "exp", (self, out))

    def log(self) -> Value:
        """ln a  (a > 0).   ∂/∂a = 1/a."""
        a = self.data
        if not a > 0.0:
            raise ValueError(f"log: needs a positive number, got {describe(self)}")
        local = 1.0 / a
        _require_finite("log", "1/a", (local,), self)
        return Value(math.log(a), "", "log", (self, local))

    def tanh(self) -> Value:
        """tanh a = (eᵃ − e⁻ᵃ)/(eᵃ + e⁻ᵃ).   ∂/∂a = 1 − tanh²a."""
        t = math.tanh(self.data)  # exact for any finite a: tanh(±1000) = ±1
        return Value(t, "", "tanh", (self, 1.0 - t * t))

    def sigmoid(self) -> Value:
        """σ(a) = 1/(1 + e⁻ᵃ).   ∂/∂a = σ(a)(1 − σ(a))."""
        s = _sigmoid(self.data)
        return Value(s, "", "sigmoid", (self, s * (1.0 - s)))

    def softplus(self) -> Value:
        """softplus(a) = ln(1 + eᵃ), as max(a, 0) + ln(1 + e^−|a|) (never overflows).   ∂/∂a = σ(a)."""
        a = self.data
        out = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
        return Value(out, "", "softplus", (self, _sigmoid(a)))

    def relu(self) -> Value:
        """max(0, a).   ∂/∂a = 1 if a > 0 else 0  (0 at a = 0)."""
        a = self.data
        if a > 0.0:
            return Value(a, "", "relu", (self, 1.0))
        _require_number(self, "relu")
        return Value(0.0, "", "relu", (self, 0.0))

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        """a if a > 0 else s·a.   ∂/∂a = 1 if a > 0 else s  (s = negative_slope, 0.01 by default)."""
        s = as_number(negative_slope, "leaky_relu: negative_slope")
        op = with_setting("leaky_relu", s, 0.01)
        a = self.data
        if a > 0.0:
            return Value(a, "", op, (self, 1.0), s)
        _require_number(self, "leaky_relu")
        return Value(s * a, "", op, (self, s), s)

    def elu(self, alpha: float = 1.0) -> Value:
        """a if a > 0 else α(eᵃ − 1).   ∂/∂a = 1 if a > 0 else α·eᵃ  (α = 1 by default)."""
        alpha = as_number(alpha, "elu: alpha")
        op = with_setting("elu", alpha, 1.0)
        a = self.data
        if a > 0.0:
            return Value(a, "", op, (self, 1.0), alpha)
        _require_number(self, "elu")
        # eᵃ − 1 as expm1(a): exact near 0, where exp(a) − 1 would lose most digits (a = −1e−12)
        return Value(alpha * math.expm1(a), "", op, (self, alpha * math.exp(a)), alpha)

    def gelu(self) -> Value:
        """GELU(a) = a·Φ(a), Φ the standard normal CDF (exact form, not the tanh approximation).
        ∂/∂a = Φ(a) + a·φ(a),  φ(a) = e^(−a²/2)/√(2π).
        """
        a = self.data
        cdf = 0.5 * math.erfc(-a / _SQRT2)  # erfc keeps Φ accurate far into the left tail
        pdf = math.exp(-0.5 * a * a) / _SQRT_2PI
        return Value(a * cdf, "", "gelu", (self, cdf + a * pdf))

    def sin(self) -> Value:
        """sin a.   ∂/∂a = cos a."""
        a = self.data
        try:
            return Value(math.sin(a), "", "sin", (self, math.cos(a)))
        except ValueError:  # sin(±∞): an infinity put into .data by hand
            _require_number(self, "sin")
            raise

    def cos(self) -> Value:
        """cos a.   ∂/∂a = −sin a."""
        a = self.data
        try:
            return Value(math.cos(a), "", "cos", (self, -math.sin(a)))
        except ValueError:  # cos(±∞)
            _require_number(self, "cos")
            raise

    def normal_cdf(self) -> Value:
        """Φ(a), the standard normal CDF (GELU is a·Φ(a)).   ∂/∂a = φ(a) = e^(−a²/2)/√(2π)."""
        a = self.data
        return Value(0.5 * math.erfc(-a / _SQRT2), "", "Φ", (self, math.exp(-0.5 * a * a) / _SQRT_2PI))

    # -- right-hand forms: number ∘ Value --------------------------------------

    def __radd__(self, other: Any) -> Value:
        return _lift(other, "+", self) + self

    def __rsub__(self, other: Any) -> Value:
        return _lift(other, "-", self) - self

    def __rmul__(self, other: Any) -> Value:
        return _lift(other, "*", self) * self

    def __rtruediv__(self, other: Any) -> Value:
        return _lift(other, "/", self) / self

    def __rpow__(self, base: Any) -> Value:
        return _power_of_values(_lift(base, "**", self), self)

    def __pos__(self) -> Value:
        return self

    # -- backward ---------------------------------------------------------------

    def backward(self, grad: float = 1.0, create_graph: bool = False) -> None:
        """Backpropagate: fill `.grad` of every Value this one depends on (see engine/backward.py).

        Seeds ∂self/∂self = grad, then visits nodes in reverse topological order and applies
        `parent.grad += local × node.grad` along each edge. A pass that would leave a gradient
        infinite or NaN raises and leaves every `.grad` as it was. With `create_graph=True` every
        `.grad` is a Value in a new graph, to be differentiated again (engine.grad, engine.hessian).
        """
        if create_graph:
            backward_create_graph(self, _backward.checked_seed(self, grad))
        else:
            _backward.backward(self, grad)

    def backward_steps(self, grad: float = 1.0) -> Iterator[BackwardStep]:
        """Backward one node at a time, for stepping through in a REPL: `print(step)` shows the
        chain rule at that node, and `.grad` can be inspected between steps."""
        return _backward.backward_steps(self, grad)

    def forward_steps(self) -> Iterator[Any]:
        """The forward pass replayed node by node: each Value with the formula and the numbers that
        made it (`print(step)`), in the order they were computed (see engine/forward.py)."""
        from .forward import forward_steps  # forward.py reads graphs; it builds nothing

        return forward_steps(self)

    def zero_grad(self) -> None:
        """Set `.grad = 0` on this Value and every Value in its graph."""
        for node in _backward.topological_order(self):
            node.grad = 0.0

    # -- how a Value meets the rest of Python -------------------------------------

    def __repr__(self) -> str:
        """`Value('w1', data=0.15, grad=0.0010206, op='param')`: every digit, as Python prints a float
        (and as micrograd does); notebooks and pictures show the short numbers."""
        parts = [repr(self.label)] if self.label else []
        parts.append(f"data={self.data!r}")
        g = self.grad
        parts.append(f"grad=Value(data={g.data!r})" if isinstance(g, Value) else f"grad={g!r}")
        if self.op:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython
        printer.text(repr(self))

    # How a Value draws its graph in a notebook: set by chainrule.viz when it is imported (the engine
    # imports nothing above it); a function (root) -> SVG text, or None for graphs too big to show.
    graph_svg = None

    def _repr_html_(self) -> str:  # Jupyter: the numbers, and the graph when it is small
        from html import escape

        g = self.grad
        shown_grad = (f"{fmt(g.data)} (a Value: a graph, from backward(create_graph=True))" if isinstance(g, Value)
                      else fmt(g))  # fmt(None) is "None"
        rows = [("label", self.label or "—"), ("data", fmt(self.data)), ("grad", shown_grad), ("op", self.op or "input")]
        if self.edges:
            rows.append(("parents", ", ".join(p.label or fmt(p.data) for p in self.parents)))
        cells = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{escape(str(v))}</td></tr>"
                        for k, v in rows)
        drawn = Value.graph_svg(self) if Value.graph_svg is not None and self.edges else None
        picture = f"<div style='max-width:100%;overflow:auto'>{drawn}</div>" if drawn else ""
        return f"<table><caption style='text-align:left'><b>Value</b></caption>{cells}</table>{picture}"

    def __format__(self, spec: str) -> str:
        """`f"{v:.4f}"` formats the number; `f"{v}"` is the repr."""
        return format(self.data, spec) if spec else repr(self)

    def __lt__(self, other: Any) -> bool:
        return self.data < _number_of(other, "<")

    def __le__(self, other: Any) -> bool:
        return self.data <= _number_of(other, "<=")

    def __gt__(self, other: Any) -> bool:
        return self.data > _number_of(other, ">")

    def __ge__(self, other: Any) -> bool:
        return self.data >= _number_of(other, ">=")

    __hash__ = object.__hash__  # identity, as `==` (see the class docstring)

    @property
    def __deepcopy__(self) -> Any:
        """copy.deepcopy: a leaf is copied as any object is (this gives None, so copy takes its usual way; a
        Parameter goes by its own __reduce__). A computed Value is refused, as PyTorch refuses it: its copy
        would take its whole graph along (and a deep graph overflows Python's recursion)."""
        return None if not self.edges else _refuse_deep_copy(self)

    def item(self) -> float:
        """PyTorch's name for the number, `loss.item()`: the same as `v.data`."""
        return self.data

    def __iadd__(self, other: Any) -> Value:
        """`v += x` is `v = v + x`, a new node, as in micrograd (`act = self.b; act += w * x` builds a sum);
        only a plain number added to a parameter is PyTorch's update step, done in place (see _in_place)."""
        return _in_place(self, other, 1.0) if self.op == "param" and not isinstance(other, Value) else self + other

    def __isub__(self, other: Any) -> Value:
        """`v -= x` is `v = v − x`; a plain number from a parameter, `p -= lr * p.grad`, updates it in place."""
        return _in_place(self, other, -1.0) if self.op == "param" and not isinstance(other, Value) else self - other

    def __bool__(self) -> bool:
        raise TypeError(
            f"the truth value of a Value is not defined ({describe(self)}): `if v:` would not say "
            "whether its number is non-zero. Compare the number instead: `if v.data > 0:` or `if v > 0:`")

    def __float__(self) -> float:
        raise TypeError(_LEAVES_GRAPH.format(what=f"float(), math functions and numpy turn {describe(self)} "
                                                  "into a plain float"))

    def __int__(self) -> int:
        raise TypeError(_LEAVES_GRAPH.format(what=f"int() turns {describe(self)} into a plain int"))

    __index__ = __int__

    def __round__(self, ndigits: Any = None) -> Any:
        raise TypeError(f"round() of a Value would leave the graph ({describe(self)}); "
                        f"round its number with round(v.data) or show it with f\"{{v:.4f}}\"")

    __array_ufunc__ = None  # numpy hands `array * v` back to Value, which refuses arrays with a clear error

    def _describe(self) -> str:  # used by checks.describe in error messages
        if self.op == "const":
            return f"the constant {self.data!r}"
        if not self.label:
            return f"a Value with data={self.data!r}"
        return f"{self.label} (Value, data={self.data!r})"


_LEAVES_GRAPH = ("{what}: the result would leave the graph, and backward would never see that step "
                 "(a wrong gradient, silently). Stay in the graph with the Value's own operations: "
                 "v.exp(), v.log(), v.tanh(), v.sigmoid(), v.relu(), v ** 0.5 for a square root, abs(v). "
                 "For the plain number, use v.data.")
_SQRT2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def with_setting(op: str, value: float, default: float) -> str:
    """The op name, with its setting when that is not the default: "leaky_relu", "leaky_relu(0.2)".
    The graph then says everything needed to compute it again (the what-if page does)."""
    return op if value == default else f"{op}({value!r})"


def power_op(n: float) -> str:
    """The op name of aⁿ for a number n: "**2", "**0.5"; exact, so the exponent can be read back."""
    short = f"{n:g}"
    return f"**{short}" if float(short) == n else f"**{n!r}"


# -- making nodes -------------------------------------------------------------------


def _finite_number(data: Any, op: str, edges: tuple) -> float:
    """A Value's number as a float (an int or a numpy scalar is converted). One that is not a finite
    number is refused: for an operation's result, naming the operation and its operands."""
    try:
        return as_number(data, "Value")
    except ValueError:
        if not edges:
            raise
        raise OverflowError(f"{_OP_NAMES.get(op, op)}: the result is {data} for "
                            f"{', '.join(describe(p) for p in edges[::2])}; a Value must hold a finite number") from None


def _signature_hint(label: Any) -> str:
    """micrograd's Value(data, (a, b), '+') puts its children where chainrule's label goes: say how it differs."""
    if not isinstance(label, (tuple, list, set)):
        return ""
    return (". micrograd's Value(data, _children, _op) has no match here: chainrule's is Value(data, label, op, edges) "
            "with edges = (parent₁, ∂out/∂parent₁, parent₂, ∂out/∂parent₂, …), each parent beside its local "
            "derivative. Usually the operators build nodes for you: a + b, a * b, a.tanh()")


def _lift(x: Any, op: str, partner: Value) -> Value:
    """A plain number on one side of a binary operation, as a constant leaf labelled by its number."""
    return Value.constant(x, _OP_NAMES[op], partner)


def _in_place(p: Value, number: Any, sign: float) -> Value:
    """`p += x` / `p -= x` with a plain number x on a parameter: PyTorch's update step. Inside no_grad() the
    number changes in place. Outside, `p = p − x` would make a new node named p and leave the model's
    parameter as it was (an update that silently does nothing), so it is refused, saying how to write it."""
    symbol = "+=" if sign > 0 else "-="
    if recording():
        raise TypeError(
            f"{describe(p)} {symbol} a number: on a parameter this would make a new Value and leave the parameter "
            f"as it was (the model would not change). Update its number: p.data {symbol} …, or do the update inside "
            f"`with no_grad():`, where p {symbol} … changes p in place, as in PyTorch")
    new = p.data + sign * as_number(number, f"parameter {symbol}")
    if not _isfinite(new):
        raise OverflowError(f"{describe(p)} {symbol} {number!r} overflows a float; a Value must hold a finite number")
    p.data = new
    return p


def _refuse_deep_copy(v: Value) -> Any:
    raise TypeError(f"copy.deepcopy of {describe(v)} would copy its whole graph; as in PyTorch, only leaves are "
                    "deep-copied. Copy its number instead, Value(v.data); a module that keeps a computed Value in an "
                    "attribute can keep its .data there")


def _number_of(x: Any, symbol: str) -> float:
    return x.data if isinstance(x, Value) else as_number(x, f"compare ({symbol})")


def _sigmoid(a: float) -> float:
    """σ(a) written so that nothing overflows: e^(−a) for a ≥ 0, e^a for a < 0 (both ≤ 1)."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _require_finite(op: str, formula: str, locals_: tuple[float, ...], *operands: Value) -> None:
    """No stored local derivative is ever infinite or NaN: refuse the operation instead."""
    if not all(_isfinite(local) for local in locals_):
        raise OverflowError(f"{_OP_NAMES.get(op, op)}: the local derivative {formula} is not finite at "
                            f"{', '.join(describe(o) for o in operands)}")


def _require_number(v: Value, op: str) -> None:
    """Comparisons are False for NaN: a NaN put into `.data` by hand must not pass as 0 (nor an ∞ as a number)."""
    if not _isfinite(v.data):
        what = "not a number" if v.data != v.data else "infinite"
        raise ValueError(f"{op}: {describe(v)} is {what}; a Value must hold a finite number")


def _power_of_values(base: Value, exponent: Value) -> Value:
    """aᵇ with both a and b in the graph.   ∂/∂a = b·aᵇ⁻¹,   ∂/∂b = aᵇ·ln a."""
    a, b = base.data, exponent.data
    if a < 0.0:
        raise ValueError(f"power (**): {describe(base)} ** {describe(exponent)} has a negative base; with the "
                         "exponent in the graph, ∂/∂b = aᵇ·ln a is not real (use a plain number as exponent)")
    if a == 0.0:  # 0ᵇ = 0 for b > 0;  ∂/∂b → 0 (the limit of aᵇ·ln a);  ∂/∂a = b·0ᵇ⁻¹ is finite only for b ≥ 1
        if b <= 0.0:
            raise ZeroDivisionError(f"power (**): {describe(base)} ** {describe(exponent)} "
                                    "raises zero to a non-positive power")
        if b < 1.0:  # b·0^(b−1) is infinite: the slope is vertical at 0
            _require_finite("**", "b·a^(b−1)", (math.inf,), base, exponent)
        return Value(0.0, "", "**", (base, 1.0 if b == 1.0 else 0.0, exponent, 0.0))
    try:
        out = a**b
        d_a = b * a ** (b - 1.0)
    except OverflowError:
        raise OverflowError(f"power (**): {describe(base)} ** {describe(exponent)} overflows a float") from None
    d_b = out * math.log(a)
    _require_finite("**", "b·a^(b−1) and aᵇ·ln a", (d_a, d_b), base, exponent)
    return Value(out, "", "**", (base, d_a, exponent, d_b))
