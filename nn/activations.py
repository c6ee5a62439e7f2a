"""Activation functions by name. Elementwise ones act on one Value; softmax acts on a layer."""
from __future__ import annotations

from typing import Callable

from chainrule.engine import Value


def linear(z: Value) -> Value:
    """A linear unit passes its weighted sum on as it is (a named function, not a lambda: models pickle)."""
    return z


ELEMENTWISE: dict[str, Callable[[Value], Value]] = {
    "linear": linear,
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,  # negative slope 0.01
    "elu": Value.elu,  # α = 1
    "gelu": Value.gelu,  # exact: x·Φ(x)
}
LAYERWISE = ("softmax",)
NAMES = (*ELEMENTWISE, *LAYERWISE)
HIDDEN = tuple(ELEMENTWISE)  # what a neuron or a hidden layer may use: softmax acts on a whole output layer


def check(name: str, where: str, allowed: tuple[str, ...] = NAMES) -> str:
    """`name` if it is one of the `allowed` activations, otherwise a clear error listing them."""
    if name not in allowed:
        raise ValueError(f"{where}: unknown activation {name!r}; choose one of {', '.join(allowed)}")
    return name
