"""Dropout: while training, each value is kept with probability 1 − p and scaled by 1/(1 − p).

Inverted dropout: a kept value is divided by 1 − p during training, so its expected value is
unchanged and evaluation needs no rescaling. In the scalar graph a dropped-out layer reads as
multiplications by constants (0 or 1/(1 − p)), so a drawing shows exactly which units were
dropped. In evaluation mode (`model.eval()`, and always in `nn.predict`/`nn.evaluate`) nothing
is dropped. The masks come from the module's own generator (`seed=`) or the library-wide one.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from chainrule.engine import Value
from chainrule.engine.checks import as_number

from .init import generator
from .module import Module


class Dropout(Module):
    """Drop each input with probability p while training (inverted dropout)."""

    def __init__(self, p: float = 0.5, seed: int | None = None) -> None:
        p = as_number(p, "Dropout: p")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p is the probability of dropping a unit and must be in [0, 1), got {p}")
        self.p = p
        self._rng = None if seed is None else generator(seed)  # None: the library-wide one, looked up when used

    def mask(self, shape: tuple[int, ...]) -> np.ndarray:
        """A fresh mask of 0 (dropped) and 1/(1 − p) (kept) entries."""
        rng = self._rng or generator(None)
        keep = np.random.default_rng(rng.getrandbits(64)).random(shape) >= self.p
        return keep / (1.0 - self.p)

    def __call__(self, values: Sequence[Any]) -> list[Value]:
        """The values, each multiplied by its mask entry while training; unchanged in evaluation mode."""
        values = list(values)
        if not self.training or self.p == 0.0:
            return values
        return [v * float(m) for v, m in zip(values, self.mask((len(values),)))]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"
