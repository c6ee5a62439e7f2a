"""Gradients as functions: `grad`, second derivatives (`hessian`) and forward mode (`jvp`).

    grad(y, [x₁, …])                       [∂y/∂x₁, …], without touching any `.grad`
    grad(y, xs, create_graph=True)         the same, as Values in a new graph: differentiate them again
    hessian(f, [a, b])                     [[∂²f/∂a², ∂²f/∂a∂b], [∂²f/∂b∂a, ∂²f/∂b²]]
    jvp(f, [a, b], [v₁, v₂])               f(a, b) and the directional derivative ∇f·v, in one forward sweep

Reverse mode (backward) pushes one output's sensitivity back to every input; forward mode
pushes one direction of change forward to every output. Both use the same stored local
derivatives; second derivatives use the same derivatives written as Values (derivatives.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence, Union

from .checks import argument_list, as_number, describe, returned
from .reverse import combined_order, reverse
from .value import Value

Grad = Union[Value, float]


def _as_list(values: Any, what: str, who: str = "grad") -> list[Value]:
    if isinstance(values, Value):
        return [values]
    if not hasattr(values, "__iter__") or isinstance(values, (str, bytes)):
        raise TypeError(f"{who}: {what} must be a Value or a list of Values, got {describe(values)}"
                        f"{_NUMBER_HINT if isinstance(values, (int, float)) else ''}")
    items = list(values)
    for v in items:
        if not isinstance(v, Value):
            raise TypeError(f"{who}: {what} must be Values, got {describe(v)}")
    return items


def _fresh_leaves(inputs: list[Any], who: str) -> list[Value]:
    """One new leaf per input, with its number and its label (x0, x1, … for a plain number): f is
    differentiated there, and the inputs themselves are left alone."""
    return [Value(x.data if isinstance(x, Value) else as_number(x, f"{who}: input"),
                  (x.label if isinstance(x, Value) else "") or f"x{i}") for i, x in enumerate(inputs)]


_NUMBER_HINT = ": a plain number has no graph to differentiate (pass the Value itself, not its .data)"


def grad(outputs: Union[Value, Sequence[Value]], inputs: Union[Value, Sequence[Value]],
         grad_outputs: Sequence[float] | None = None, create_graph: bool = False) -> list[Grad]:
    """∂(outputs)/∂(inputs), as `torch.autograd.grad`: one gradient per input, no `.grad` touched.

    Several outputs are summed, each weighted by its `grad_outputs` entry (1 by default). With
    `create_graph=True` every gradient is a Value in a new graph (a constant 0 for an input the
    outputs do not depend on), so it can be drawn, printed and differentiated again.
    """
    outs = _as_list(outputs, "outputs")
    ins = _as_list(inputs, "inputs")
    seeds = [1.0] * len(outs) if grad_outputs is None else [as_number(s, "grad: grad_outputs") for s in grad_outputs]
    if len(seeds) != len(outs):
        raise ValueError(f"grad: {len(outs)} outputs but {len(seeds)} grad_outputs")
    g = reverse(outs, seeds, create_graph)
    result: list[Grad] = []
    for x in ins:
        value = g.get(x, 0.0)
        if create_graph and not isinstance(value, Value):
            value = Value.constant(value)
        number = value.data if isinstance(value, Value) else value
        if not math.isfinite(number):
            raise OverflowError(f"grad: the gradient with respect to {describe(x)} overflowed to {number}; "
                                "scale the outputs or the inputs down")
        result.append(value)
    return result


def hessian(f: Callable[..., Value], inputs: Sequence[Any]) -> list[list[float]]:
    """The matrix of second derivatives Hᵢⱼ = ∂²f/∂xᵢ∂xⱼ of a function of numbers at `inputs`.

    `f` takes one Value per input and returns a Value. Built by differentiating each entry of
    the gradient (computed with create_graph=True) once more.
    """
    if not callable(f):
        raise TypeError(f"hessian: f must be callable, got {describe(f)}")
    xs = _fresh_leaves(argument_list(inputs, "hessian"), "hessian")
    y = returned(f(*xs), "hessian")
    if not isinstance(y, Value):
        raise TypeError(f"hessian: f must return a Value, it returned {describe(y)}")
    first = [g for g in grad(y, xs, create_graph=True) if isinstance(g, Value)]  # with create_graph: all Values
    return [[float(d) for d in grad(gi, xs)] for gi in first]  # without create_graph, grad gives numbers


@dataclass(frozen=True)
class JVP:
    """f(inputs) and the directional derivative J·v, from one forward sweep (forward mode).

    `tangents` maps every node of the graph to its tangent ∂node/∂t along the direction v.
    """

    value: Union[float, list[float]]
    derivative: Union[float, list[float]]
    output: Union[Value, list[Value]]
    tangents: dict

    def __iter__(self):  # value, derivative = jvp(...)
        return iter((self.value, self.derivative))


def jvp(f: Callable[..., Any], inputs: Sequence[Any], tangents: Sequence[Any]) -> JVP:
    """Forward mode: f(inputs) and J·v for the direction v = `tangents`, as `torch.func.jvp`.

    Every node gets its tangent ṅ = Σ ∂n/∂parent · ṗarent, in topological order (parents first),
    from the same local derivatives backward uses: one sweep per direction, where reverse mode
    needs one sweep per output.
    """
    if not callable(f):
        raise TypeError(f"jvp: f must be callable, got {describe(f)}")
    inputs, tangents = argument_list(inputs, "jvp"), argument_list(tangents, "jvp", "tangents")
    if len(inputs) != len(tangents):
        raise ValueError(f"jvp: {len(inputs)} inputs but {len(tangents)} tangents")
    xs = _fresh_leaves(inputs, "jvp")
    out = returned(f(*xs), "jvp")
    outs = _as_list(out, "f's outputs", "jvp")
    tangent: dict[Value, float] = {x: as_number(t, "jvp: tangent") for x, t in zip(xs, tangents)}
    for node in combined_order(outs):
        if node.edges:
            pairs = iter(node.edges)
            tangent[node] = math.fsum(local * tangent.get(parent, 0.0) for parent, local in zip(pairs, pairs))
    derivative = [tangent.get(o, 0.0) for o in outs]
    for o, d in zip(outs, derivative):
        if not math.isfinite(d):
            raise OverflowError(f"jvp: the directional derivative of {describe(o)} overflowed to {d}")
    single = isinstance(out, Value)
    return JVP(outs[0].data if single else [o.data for o in outs], derivative[0] if single else derivative,
               out, tangent)
