"""Every operation's local derivatives as Value expressions: the table for second derivatives.

value.py stores each local derivative as a number, computed beside the forward value. To
differentiate a gradient again, the local derivatives must themselves be nodes of a graph,
built from the operation's parents (and its output). This table writes each one once more,
as an expression of Values, read as in the notes:

    op           ∂out/∂parent, as Values
    a + b        1, 1                   a − b       1, −1            −a        −1
    a · b        b, a                   a / b       1/b, −a/b²
    aⁿ           n·aⁿ⁻¹                 aᵇ          b·aᵇ⁻¹, out·ln a
    eᵃ           out                    ln a        1/a
    tanh a       1 − out²               σ(a)        out·(1 − out)    softplus a   σ(a)
    sin a        cos a                  cos a       −sin a
    GELU a       Φ(a) + a·φ(a)          Φ(a)        φ(a) = e^(−a²/2)/√(2π)
    ELU a        1 (a > 0), out + α     relu, leaky relu, |a|: the stored number (a constant)
    Σ, mean      1, 1/n (constants)     dot         xᵢ for wᵢ, wᵢ for xᵢ, 1 for b
    logsumexp    e^(xᵢ − out)           softmax i   pᵢ(δᵢⱼ − pⱼ), pⱼ = e^(xⱼ − logsumexp x)

A local derivative that does not depend on any Value (a constant) stays a plain number. Tests
check every row against the number value.py stores, and second derivatives against central
differences of the gradient (and PyTorch's double backward when it is installed).
"""
from __future__ import annotations

import math
import operator
from functools import reduce
from typing import TYPE_CHECKING, Callable, Union

from .checks import describe

if TYPE_CHECKING:  # the table only calls methods of the nodes it is given: no import, no cycle
    from .value import Value

Local = Union["Value", float]
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _stored(node: Value) -> tuple[Local, ...]:
    """Piecewise-linear operations and constant factors: the number value.py stored is exact."""
    return node.edges[1::2]


def _setting(node: Value) -> float:
    """The operation's own number, stored on the node by value.py (an exponent, a slope, an α, an index)."""
    if node.setting is None:
        raise ValueError(f"{node.op}: this node keeps no setting; it was not made by the engine's operation")
    return node.setting


def _power(node: Value) -> tuple[Local, ...]:
    (a,) = node.parents
    n = _setting(node)
    if n == 0.0:
        return (0.0,)
    return (n * a ** (n - 1.0),) if n != 1.0 else (1.0,)


def _power_of_values(node: Value) -> tuple[Local, ...]:
    a, b = node.parents
    if a.data == 0.0:
        return _power_of_values_at_zero(a, b)
    return (b * a ** (b - 1.0), node * a.log())


def _power_of_values_at_zero(a: Value, b: Value) -> tuple[Local, ...]:
    """aᵇ at a = 0 (b ≥ 1, or the forward pass would have refused it).

    ∂/∂a = b·aᵇ⁻¹ is the Value expression for b > 1 (its own derivatives, b(b−1)aᵇ⁻² and
    aᵇ⁻¹(1 + b ln a), go to 2 at b = 2 and to 0 beyond); ∂/∂b = aᵇ·ln a → 0 with both of its
    derivatives, a constant. For 1 ≤ b < 2 a second derivative is infinite there: refuse it.
    """
    if b.data < 2.0:
        which = "∂²/∂a∂b = aᵇ⁻¹(1 + b·ln a)" if b.data == 1.0 else "∂²/∂a² = b(b−1)·aᵇ⁻²"
        raise OverflowError(f"second derivative of a ** b at a = 0, b = {b.data:g}: {which} is infinite there "
                            f"(a is {describe(a)}); differentiate at a point with a > 0")
    return (b * a ** (b - 1.0), 0.0)


def _elu(node: Value) -> tuple[Local, ...]:
    (a,) = node.parents
    if a.data > 0.0:
        return (1.0,)
    return (node + _setting(node),)  # α·eᵃ = α(eᵃ − 1) + α


def _gelu(node: Value) -> tuple[Local, ...]:
    (a,) = node.parents
    return (a.normal_cdf() + a * _normal_pdf(a),)


def _normal_pdf(a: Value) -> Value:
    return (a * a * -0.5).exp() * _INV_SQRT_2PI


def _dot(node: Value) -> tuple[Local, ...]:
    parents = node.parents
    locals_: list[Local] = []
    terms = len(parents) // 2
    for k in range(terms):  # (w, x) per term: ∂z/∂w = x, ∂z/∂x = w
        w, x = parents[2 * k], parents[2 * k + 1]
        locals_ += (x, w)
    if len(parents) % 2:  # the bias
        locals_.append(1.0)
    return tuple(locals_)


def _logsumexp(node: Value) -> tuple[Local, ...]:
    return tuple((x - node).exp() for x in node.parents)


def _softmax(node: Value) -> tuple[Local, ...]:
    xs = node.parents
    m = max(x.data for x in xs)  # a number: subtracting it changes no derivative
    lse = reduce(operator.add, [(x - m).exp() for x in xs]).log() + m
    probs = [(x - lse).exp() for x in xs]
    i = int(_setting(node))  # which output of the softmax this node is
    p_i = probs[i]
    return tuple(p_i * ((1.0 if j == i else 0.0) - p_j) for j, p_j in enumerate(probs))


TABLE: dict[str, Callable[[Value], tuple[Local, ...]]] = {
    "+": _stored, "-": _stored, "neg": _stored, "sum": _stored, "mean": _stored,
    "relu": _stored, "leaky_relu": _stored, "abs": _stored,
    "*": lambda n: (n.parents[1], n.parents[0]),
    "/": lambda n: (1.0 / n.parents[1], -n.parents[0] / (n.parents[1] * n.parents[1])),
    "**": _power_of_values,
    "exp": lambda n: (n,),
    "log": lambda n: (1.0 / n.parents[0],),
    "tanh": lambda n: (1.0 - n * n,),
    "sigmoid": lambda n: (n * (1.0 - n),),
    "softplus": lambda n: (n.parents[0].sigmoid(),),
    "sin": lambda n: (n.parents[0].cos(),),
    "cos": lambda n: (-n.parents[0].sin(),),
    "elu": _elu,
    "gelu": _gelu,
    "Φ": lambda n: (_normal_pdf(n.parents[0]),),
    "dot": _dot,
    "logsumexp": _logsumexp,
    "softmax": _softmax,
}


def local_values(node: Value) -> tuple[Local, ...]:
    """∂node/∂parent for each parent (in edge order), as Values wherever they depend on the graph."""
    op = node.op.partition("(")[0]  # "leaky_relu(0.2)" follows the rule of "leaky_relu"
    rule = _power if op.startswith("**") and op != "**" else TABLE.get(op)
    if rule is None:
        raise NotImplementedError(f"no second-derivative rule for the operation {node.op!r}")
    return rule(node)
