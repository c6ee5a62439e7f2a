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

    def __reduce__(self) -> tuple:
        # copy and pickle: the numbers as bytes; the copy gets buffers (and numpy views) of its own
        return (_store_from_bytes, (self._values.tobytes(), self._grads.tobytes()))


def _store_from_bytes(values: bytes, grads: bytes) -> ParameterStore:
    store = ParameterStore(len(values) // 8)
    store._values[:] = array.array("d", values)
    store._grads[:] = array.array("d", grads)
    return store


class Parameter(Value):
    """A trainable weight (op "param") whose number lives in a `ParameterStore`.

    It is a Value in every way but one: its `.data` and `.grad` are properties that read and
    write its place in the store (Value keeps them in the object itself), so the matrices the
    array path uses and the scalar Values a learner reads are always the same numbers. `.data`
    only takes finite real numbers; `p.grad = None` means "no gradient yet" and stores 0; a
    gradient kept as a Value (backward(create_graph=True)) is refused: use engine.grad.
    """

    __slots__ = ("store", "index")

    def __init__(self, store: ParameterStore, index: int, label: str = "", scope: str | None = None) -> None:
        self.store = store
        self.index = index
        self.op = "param"
        self.label = label
        self.edges = ()
        self.setting = None
        self.scope = scope

    @property
    def data(self) -> float:
        return self.store._values[self.index]

    @data.setter
    def data(self, x: Any) -> None:
        self.store._values[self.index] = as_number(x, f"{self.label or 'parameter'}.data")

    @property
    def grad(self) -> float:
        return self.store._grads[self.index]

    @grad.setter
    def grad(self, g: Any) -> None:
        # a float goes straight in (backward writes one per edge); not checked for finiteness: backward
        # checks a whole pass and undoes it if needed
        self.store._grads[self.index] = g if type(g) is float else self._gradient_number(g)

    def _gradient_number(self, g: Any) -> float:
        """`p.grad = None` is "no gradient yet", 0; a Value (create_graph) cannot live in the buffer."""
        if isinstance(g, Value):
            raise TypeError(
                f"{self.label or 'a parameter'}.grad: a model parameter's gradient lives in its model's buffer, "
                "as a number; backward(create_graph=True) would store a Value there. Use "
                "engine.grad(loss, model.parameters(), create_graph=True) to get the gradients as Values.")
        return 0.0 if g is None else float(g)

    def __reduce__(self) -> tuple:
        # copy and pickle: the store (shared by every parameter of a model, copied once) and the place in it
        return (Parameter, (self.store, self.index, self.label, self.scope))


class Numbers:
    """θ and g of a list of parameters as arrays, in the list's order: what an optimizer and
    gradient clipping read and write. `values`/`grads` give the arrays; `set_values`/`set_grads`
    write new ones back.

    This base class gathers the numbers from the Values and writes them back one by one; for a
    model's own parameters, in the model's order, `numbers_of` gives `StoreNumbers`, whose
    arrays are the model's buffers themselves (no copy, one array operation per update).
    """

    store: ParameterStore | None = None

    def __init__(self, params: list[Value]) -> None:
        self.params = params

    def values(self) -> np.ndarray:
        return np.array([p.data for p in self.params], dtype=float)

    def grads(self) -> np.ndarray:
        return np.array([0.0 if p.grad is None else p.grad for p in self.params], dtype=float)

    def set_values(self, new: np.ndarray) -> None:
        for p, x in zip(self.params, new.tolist()):
            p.data = x

    def set_grads(self, new: np.ndarray) -> None:
        for p, g in zip(self.params, new.tolist()):
            p.grad = g


class StoreNumbers(Numbers):
    """The numbers of every parameter of one store, in its order: the store's own arrays."""

    store: ParameterStore

    def __init__(self, store: ParameterStore) -> None:  # the list of parameters is not needed: the store is it
        self.store = store

    def values(self) -> np.ndarray:
        return self.store.values

    def grads(self) -> np.ndarray:
        return self.store.grads

    def set_values(self, new: np.ndarray) -> None:
        self.store.values[:] = new

    def set_grads(self, new: np.ndarray) -> None:
        self.store.grads[:] = new


def numbers_of(params: list[Value]) -> Numbers:
    """The arrays behind `params`: the store's own when they are every parameter of one store in
    its order (what `model.parameters()` gives), else numbers gathered from the Values."""
    first = params[0] if params else None
    if not isinstance(first, Parameter) or len(params) != len(first.store):
        return Numbers(params)
    for i, p in enumerate(params):
        if not isinstance(p, Parameter) or p.store is not first.store or p.index != i:
            return Numbers(params)
    return StoreNumbers(first.store)
