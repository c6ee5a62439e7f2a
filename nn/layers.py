"""Neuron, Layer and MLP: z = w·x + b, then an activation.

A neuron's weighted sum is one `engine.dot` node (with one local derivative per
weight and input), so a neuron is two nodes in the graph: the sum and its activation.
A Layer makes its neurons' nodes with `engine.dots` and `engine.each`: the same nodes,
computed as one matrix operation when the inputs hold a batch.
Values created inside a module carry its scope ("layers.0.neurons.3") for renderers.
"""
from __future__ import annotations

import random

import numpy as np
from typing import Any, Sequence, Union

from chainrule import engine
from chainrule.engine import Value
from chainrule.engine._state import state
from chainrule.engine.value import _check_number

from . import activations
from .init import Initializer, resolve
from .module import Module, read_document


def _check_inputs(x: Any, nin: int, where: str) -> list:
    if isinstance(x, (Value, str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"{where}: expected a list of {nin} numbers or Values, got {type(x).__name__} {x!r}")
    if len(x) != nin:
        raise ValueError(f"{where}: expected {nin} inputs, got {len(x)}")
    return [v if type(v) is Value or isinstance(v, np.ndarray) else _check_number(v, f"{where}: input") for v in x]


class Neuron(Module):
    """a = g(w·x + b) with weights w (nin of them) and bias b (starts at 0)."""

    def __init__(self, nin: int, activation: str = "relu", init: Union[str, Initializer] = "auto",
                 rng: random.Random | None = None, fan_out: int = 1, name: str = "") -> None:
        if isinstance(nin, bool) or not isinstance(nin, int) or nin < 1:
            raise ValueError(f"Neuron: nin must be a positive int, got {nin!r}")
        self.activation = activations.check(activation, "Neuron", allow_softmax=False)
        draw = resolve(init, activation)
        rng = rng or random.Random(0)
        self._scope = name or None
        previous, state.scope = state.scope, self._scope
        try:
            self.w = [Value.parameter(draw(rng, nin, fan_out), f"w{i}") for i in range(nin)]
            self.b = Value.parameter(0.0, "b")
        finally:
            state.scope = previous
        self._act = activations.ELEMENTWISE[self.activation]

    def weighted_sum(self, x: Sequence[Any]) -> Value:
        """z = Σ wᵢxᵢ + b (one node)."""
        return engine.dot(self.w, x, self.b)

    def __call__(self, x: Sequence[Any]) -> Value:
        _check_inputs(x, len(self.w), "Neuron")
        previous, state.scope = state.scope, self._scope
        try:
            return self._act(self.weighted_sum(x))
        finally:
            state.scope = previous

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """nout neurons reading the same nin inputs; softmax (output layers) acts on all of them together."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: Union[str, Initializer] = "auto",
                 rng: random.Random | None = None, name: str = "") -> None:
        if isinstance(nout, bool) or not isinstance(nout, int) or nout < 1:
            raise ValueError(f"Layer: nout must be a positive int, got {nout!r}")
        self.activation = activations.check(activation, "Layer")
        if self.activation == "softmax" and nout < 2:
            raise ValueError("Layer: softmax needs at least 2 outputs (softmax of one score is always 1)")
        neuron_activation = "linear" if self.activation == "softmax" else self.activation
        rng = rng or random.Random(0)
        prefix = f"{name}." if name else ""
        self.neurons = [Neuron(nin, neuron_activation, init, rng, fan_out=nout, name=f"{prefix}neurons.{j}")
                        for j in range(nout)]
        self._scope = name or None
        self.nin, self.nout = nin, nout

    def logits(self, x: Sequence[Any]) -> list[Value]:
        """The weighted sums z before the activation (one `dot` node per neuron, in its neuron's scope)."""
        x = _check_inputs(x, self.nin, "Layer")
        zs = engine.dots([n.w for n in self.neurons], x, [n.b for n in self.neurons])
        for n, z in zip(self.neurons, zs):
            z.scope = n._scope
        return zs

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        zs = self.logits(x)
        if self.activation == "softmax":
            previous, state.scope = state.scope, self._scope
            try:
                return engine.softmax(zs)
            finally:
                state.scope = previous
        if self.activation == "linear":
            return zs
        outputs = engine.each(self.activation, zs)
        for n, a in zip(self.neurons, outputs):
            a.scope = n._scope
        return outputs

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: `MLP(2, [16, 16, 1])` is 2 inputs → 16 → 16 → 1 output.

    Hidden layers use `activation`; the last layer uses `output` ("linear",
    "sigmoid", "softmax", or any activation name). Logistic regression is
    `MLP(n, [1], output="sigmoid")`: an MLP without a hidden layer.
    Calling it on one sample returns a Value when there is one output, else a list.
    """

    ARCHITECTURE = ("nin", "sizes", "activation", "output")

    def __init__(self, nin: int, sizes: Sequence[int], activation: str = "relu", output: str = "linear",
                 init: Union[str, Initializer] = "auto", seed: int = 0) -> None:
        if isinstance(nin, bool) or not isinstance(nin, int) or nin < 1:
            raise ValueError(f"MLP: nin must be a positive int, got {nin!r}")
        if isinstance(sizes, (int, str)) or not sizes or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
            raise ValueError(f"MLP: sizes must be a non-empty list of positive ints, got {sizes!r}")
        activations.check(activation, "MLP (activation)", allow_softmax=False)
        activations.check(output, "MLP (output)")
        if not callable(init):
            resolve(init, activation)  # fail early on an unknown name
        self._config = {"nin": nin, "sizes": list(sizes), "activation": activation, "output": output,
                        "init": init if isinstance(init, str) else getattr(init, "__name__", "custom"), "seed": seed}
        rng = random.Random(seed)
        dims = [nin, *sizes]
        last = len(sizes) - 1
        self.layers = [
            Layer(dims[i], dims[i + 1], output if i == last else activation, init, rng, name=f"layers.{i}")
            for i in range(len(sizes))
        ]
        self.nin, self.sizes, self.activation, self.output = nin, list(sizes), activation, output

    def config(self) -> dict[str, Any]:
        return dict(self._config)

    @classmethod
    def from_file(cls, path) -> "MLP":
        """Rebuild an MLP saved with `save()`: its shape from the file's config, then its parameters.

        The file is checked whole before anything is built (`module.mlp_config_from`).
        """
        from .module import mlp_config_from
        document = read_document(path)
        model = cls(**mlp_config_from(document, path, cls.__name__))
        model.load_state_dict(document["parameters"])
        return model

    def _hidden(self, x: Sequence[Any]) -> list:
        x = _check_inputs(x, self.nin, "MLP")
        for layer in self.layers[:-1]:
            x = layer(x)
        return x

    def logits(self, x: Sequence[Any]) -> Union[Value, list[Value]]:
        """The output layer's weighted sums before its activation (for stable losses on logits)."""
        out = self.layers[-1].logits(self._hidden(x))
        return out[0] if len(out) == 1 else out

    def __call__(self, x: Sequence[Any]) -> Union[Value, list[Value]]:
        out = self.layers[-1](self._hidden(x))
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return (f"MLP({self.nin}, {self.sizes}, activation={self.activation!r}, output={self.output!r}) "
                f"with {self.num_parameters()} parameters")
