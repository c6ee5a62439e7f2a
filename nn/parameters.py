"""Where a model's numbers live: one flat buffer of parameters, and scalar views onto it.

A model keeps all its weights and biases in one flat buffer (and their gradients in a
second one of the same length). A layer reads its weights as a matrix W and its biases as
a vector b, both views on that buffer, so the array path (nn/arrays.py) computes a whole
batch with a few matrix operations. A learner never needs to know: `model.parameters()`
gives one `Parameter` per weight, a scalar `Value` whose `.data` and `.grad` read and write
its place in the buffers. Scalar graphs, optimizers, saving and everything printed work on
those scalars, and both paths see the same numbers.

The buffers are `array.array('d')` shared with numpy without copying: a scalar read gives a
Python float at once, and numpy works on the same memory.
"""
from __future__ import annotations

import array
from typing import Any

import numpy as np

from chainrule.engine import Value
from chainrule.engine.checks import as_number


class ParameterStore:
    """A flat buffer of `size` parameter values and one of their gradients (all 0 at first).

    `values` and `grads` are numpy views for array work; `_values` and `_grads` are the same
    memory as Python arrays, for fast scalar access by `Parameter`.
    """

    def __init__(self, size: int) -> None:
        self._values = array.array("d", bytes(8 * size))
        self._grads = array.array("d", bytes(8 * size))
        self.values = np.frombuffer(self._values, dtype=float)
        self.grads = np.frombuffer(self._grads, dtype=float)

    def __len__(self) -> int:
        return len(self._values)


class Parameter(Value):
    """A trainable weight (op "param") whose number lives in a `ParameterStore`.

    Reads and writes of `.data` and `.grad` go to the store, so the matrices the array path
    uses and the scalar Values a learner reads are always the same numbers. `.data` only takes
    finite real numbers; `p.grad = None` means "no gradient yet" and stores 0.
    """

    __slots__ = ("store", "index")

    def __init__(self, store: ParameterStore, index: int, label: str = "", scope: str | None = None) -> None:
        self.store = store
        self.index = index
        self.op = "param"
        self.label = label
        self.edges = ()
        self.scope = scope
        self._visited_by = None

    @property
    def data(self) -> float:  # type: ignore[override]
        return self.store._values[self.index]

    @data.setter
    def data(self, x: Any) -> None:
        self.store._values[self.index] = as_number(x, f"{self.label or 'parameter'}.data")

    @property
    def grad(self) -> float:  # type: ignore[override]
        return self.store._grads[self.index]

    @grad.setter
    def grad(self, g: Any) -> None:
        # not checked for finiteness: backward checks a whole pass and undoes it if needed
        self.store._grads[self.index] = 0.0 if g is None else float(g)
