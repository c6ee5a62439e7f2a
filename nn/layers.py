"""Neuron, Layer and MLP: z = w·x + b, then an activation.

One sample through a model builds the scalar graph a learner reads: a neuron's weighted
sum is one `engine.dot` node (one local derivative per weight and input), then its
activation; the model's inputs are Values labelled x0, x1, …; nodes carry their neuron's
scope ("layers.0.neurons.3") so that renderers can group them.

The numbers live in one flat buffer per model (nn/parameters.py): a layer's weights are the
matrix `W` (nout × nin) and its biases the vector `b`, views on that buffer, which the array
path (nn/arrays.py) uses to run a whole batch at once. `parameters()` gives one scalar
`Parameter` per weight, in the order neuron by neuron: w0, w1, …, b.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, Optional, Sequence, Union

import numpy as np

from chainrule import engine
from chainrule.engine import Value
from chainrule.engine.checks import as_number
from chainrule.engine.functional import dot_of

from . import activations
from .dropout import Dropout
from .init import Initializer, generator, resolve
from .model_files import mlp_config_from, read_document
from .module import Module
from .parameters import Parameter, ParameterStore


def _check_inputs(x: Any, nin: int, where: str) -> list[Value]:
    """One sample's inputs as Values: numbers become inputs labelled x0, x1, … (Values pass through)."""
    if type(x) is not list and (isinstance(x, (Value, str, bytes, Mapping)) or not hasattr(x, "__len__")):
        raise TypeError(f"{where}: expected one sample, a list of {nin} numbers or Values, got {type(x).__name__} {x!r}")
    if (isinstance(x, np.ndarray) and x.ndim != 1) or isinstance(next(iter(x), None), (list, tuple, np.ndarray)):
        raise ValueError(f"{where}: model(x) takes one sample (a list of {nin} numbers); for a batch of samples "
                         "use nn.predict(model, X) (the array path) or loop over the rows")
    if len(x) != nin:
        raise ValueError(f"{where}: expected {nin} inputs, got {len(x)}")
    return [v if isinstance(v, Value) else Value(as_number(v, f"{where}: input {i}"), f"x{i}") for i, v in enumerate(x)]


def _positive_int(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return n


class Neuron(Module):
    """a = g(w·x + b) with weights w (nin of them) and bias b (starts at 0).

    Built alone it owns its numbers; inside a Layer its weights are a row of the layer's matrix.
    """

    def __init__(self, nin: int, activation: str = "relu", init: Union[str, Initializer] = "auto",
                 seed: int | None = None, *, _row: tuple[ParameterStore, int] | None = None, name: str = "",
                 fan_out: int = 1) -> None:
        _positive_int(nin, "Neuron: nin")
        self.activation = activations.check(activation, "Neuron", activations.HIDDEN)
        if _row is None:  # a neuron of its own: its own buffer, weights drawn now
            store, start = ParameterStore(nin + 1), 0
            draw, rng = resolve(init, activation), generator(seed)
            store.values[:nin] = [draw(rng, nin, fan_out) for _ in range(nin)]
        else:
            store, start = _row
        self._scope = name or None
        self.w = [Parameter(store, start + i, f"w{i}", self._scope) for i in range(nin)]
        self.b = Parameter(store, start + nin, "b", self._scope)
        self._act = activations.ELEMENTWISE[self.activation]

    def weighted_sum(self, x: Sequence[Any], numbers: Optional[tuple[list[float], list[float]]] = None) -> Value:
        """z = Σ wᵢxᵢ + b (one node). A layer passes the numbers of w and x, read at once for all its neurons."""
        z = engine.dot(self.w, x, self.b) if numbers is None else dot_of(self.w, numbers[0], x, numbers[1], self.b)
        z.scope, z.label = self._scope, "z"
        return z

    def logits(self, x: Sequence[Any]) -> Value:
        """z = Σ wᵢxᵢ + b, before the activation (what the stable losses read, as Layer.logits)."""
        return self.weighted_sum(_check_inputs(x, len(self.w), "Neuron"))

    def __call__(self, x: Sequence[Any]) -> Value:
        z = self.logits(x)
        a = self._act(z)
        if a is not z:  # a linear neuron's output is its z
            a.scope, a.label = self._scope, "a"
        return a

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """nout neurons reading the same nin inputs; softmax (output layers) acts on all of them together.

    `W` (nout × nin) and `b` (nout) are the weights as arrays, views on the same numbers as the
    neurons' parameters; `W_grad` and `b_grad` are their gradients.
    """

    VIEWS = ("W", "b", "W_grad", "b_grad")
    W: np.ndarray  # (set by _views: views on the model's buffers)
    b: np.ndarray
    W_grad: np.ndarray
    b_grad: np.ndarray

    def __setattr__(self, name: str, value: Any) -> None:
        # Binding another array to W (or b, W_grad, b_grad) would cut it off from the parameters: the graphs, the
        # array path and the optimizer would each go on with other numbers. `layer.W_grad += G` gives the view back.
        if name in self.VIEWS and name in vars(self) and value is not vars(self)[name]:
            raise AttributeError(f"Layer.{name} is a view on the model's parameters: write into it (layer.{name}[:] = …) "
                                 "rather than binding a new array to it, which the parameters, the graphs and the "
                                 "optimizer would never see")
        super().__setattr__(name, value)

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: Union[str, Initializer] = "auto",
                 seed: int | None = None, *, _store: tuple[ParameterStore, int] | None = None, name: str = "",
                 _rng: random.Random | None = None) -> None:
        _positive_int(nin, "Layer: nin")
        _positive_int(nout, "Layer: nout")
        self.activation = activations.check(activation, "Layer")
        if self.activation == "softmax" and nout < 2:
            raise ValueError("Layer: softmax needs at least 2 outputs (softmax of one score is always 1)")
        store, start = _store if _store is not None else (ParameterStore(nout * (nin + 1)), 0)
        self.nin, self.nout = nin, nout
        self._store, self._start = store, start
        self._views()
        neuron_activation = "linear" if self.activation == "softmax" else self.activation
        draw, rng = resolve(init, neuron_activation), _rng or generator(seed)
        self.W[:] = [[draw(rng, nin, nout) for _ in range(nin)] for _ in range(nout)]
        prefix = f"{name}." if name else ""
        self.neurons = [Neuron(nin, neuron_activation, _row=(store, start + j * (nin + 1)), name=f"{prefix}neurons.{j}")
                        for j in range(nout)]
        self._scope = name or None

    def _views(self) -> None:
        """W, b and their gradients as arrays on this layer's stretch of the model's buffer:
        neuron by neuron, each its weights then its bias."""
        nin, nout, start = self.nin, self.nout, self._start
        rows = self._store.values[start:start + nout * (nin + 1)].reshape(nout, nin + 1)
        grads = self._store.grads[start:start + nout * (nin + 1)].reshape(nout, nin + 1)
        vars(self).update(W=rows[:, :nin], b=rows[:, nin], W_grad=grads[:, :nin], b_grad=grads[:, nin])

    def __getstate__(self) -> dict[str, Any]:
        # copy and pickle: the views are made again on the copied buffer, not copied as arrays of their own
        state = dict(vars(self))
        for view in self.VIEWS:
            del state[view]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._views()

    def logits(self, x: Sequence[Any]) -> list[Value]:
        """The weighted sums z before the activation (one `dot` node per neuron)."""
        x = _check_inputs(x, self.nin, "Layer")
        xd = [v.data for v in x]
        return [n.weighted_sum(x, (w, xd)) for n, w in zip(self.neurons, self.W.tolist())]  # W: each neuron's w

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        zs = self.logits(x)
        if self.activation == "softmax":
            outputs = engine.softmax(zs)
            for j, p in enumerate(outputs):
                p.scope, p.label = self._scope, f"p{j}"
            return outputs
        if self.activation == "linear":
            return zs
        act = activations.ELEMENTWISE[self.activation]
        outputs = [act(z) for z in zs]
        for n, z, a in zip(self.neurons, zs, outputs):
            if a is not z:
                a.scope, a.label = n._scope, "a"
        return outputs

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: `MLP(2, [16, 16, 1])` is 2 inputs → 16 → 16 → 1 output.

    Hidden layers use `activation`; the last layer uses `output` ("linear", "sigmoid",
    "softmax", or any activation name). Logistic regression is `MLP(n, [1], output="sigmoid")`:
    an MLP without a hidden layer. Calling it on one sample builds that sample's scalar graph
    and returns a Value when there is one output, else a list. `seed=n` gives the same weights
    every time; without it the weights come from the library-wide generator (`nn.manual_seed`).
    """

    ARCHITECTURE = ("nin", "sizes", "activation", "output")

    def __init__(self, nin: int, sizes: Sequence[int], activation: str = "relu", output: str = "linear",
                 init: Union[str, Initializer] = "auto", seed: int | None = None, dropout: float = 0.0) -> None:
        _positive_int(nin, "MLP: nin")
        if isinstance(sizes, (int, str)) or not sizes or not all(
                isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
            raise ValueError(f"MLP: sizes must be a non-empty list of positive ints, got {sizes!r}")
        activations.check(activation, "MLP (activation)", activations.HIDDEN)
        activations.check(output, "MLP (output)")  # an unknown init name is refused by the first layer, as early
        self._config = {"nin": nin, "sizes": list(sizes), "activation": activation, "output": output,
                        "init": init if isinstance(init, str) else getattr(init, "__name__", "custom"), "seed": seed,
                        "dropout": dropout}
        dims = [nin, *sizes]
        self._store = ParameterStore(sum((dims[i] + 1) * dims[i + 1] for i in range(len(sizes))))
        rng = generator(seed)
        last = len(sizes) - 1
        self.layers, start = [], 0
        for i in range(len(sizes)):
            self.layers.append(Layer(dims[i], dims[i + 1], output if i == last else activation, init,
                                     _store=(self._store, start), name=f"layers.{i}", _rng=rng))
            start += (dims[i] + 1) * dims[i + 1]
        # dropout after every hidden layer (while training), drawn from the model's generator
        self.dropout = [Dropout(dropout, seed=None if seed is None else seed + 1 + i) for i in range(last)] \
            if dropout else []
        self.nin, self.sizes, self.activation, self.output = nin, list(sizes), activation, output

    def config(self) -> dict[str, Any]:
        return dict(self._config)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0: one array operation on the model's gradient buffer."""
        self._store.grads[:] = 0.0

    @classmethod
    def from_file(cls, path) -> "MLP":
        """Rebuild an MLP saved with `save()`: its shape from the file's config, then its parameters.

        The file is checked whole before anything is built (`model_files.mlp_config_from`).
        """
        document = read_document(path)
        model = cls(**mlp_config_from(document, path, cls.__name__))
        model.load_state_dict(document["parameters"])
        return model

    def _hidden(self, x: Sequence[Any]) -> list:
        x = _check_inputs(x, self.nin, "MLP")
        for i, layer in enumerate(self.layers[:-1]):
            x = layer(x)
            if self.dropout:
                x = self.dropout[i](x)
        return x

    def logits(self, x: Sequence[Any]) -> Union[Value, list[Value]]:
        """The output layer's weighted sums before its activation (for stable losses on logits)."""
        out = self.layers[-1].logits(self._hidden(x))
        return out[0] if len(out) == 1 else out

    def __call__(self, x: Sequence[Any]) -> Union[Value, list[Value]]:
        out = self.layers[-1](self._hidden(x))
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        drop = f", dropout={self.dropout[0].p:g}" if self.dropout else ""
        return (f"MLP({self.nin}, {self.sizes}, activation={self.activation!r}, output={self.output!r}{drop}) "
                f"with {self.num_parameters()} parameters")
