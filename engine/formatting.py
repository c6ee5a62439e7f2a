"""How numbers and Values are written for people: 4 significant figures."""
from __future__ import annotations

from typing import Any


def fmt(x: Any) -> str:
    """A number with 4 significant figures; scientific notation for small or large ones.
    A batch shows its first samples: ⟨0.1, 0.25, … 100 samples⟩; a batch summed into a scalar
    parent (batched mode) shows Σ⟨…⟩.

    >>> fmt(0.0570704), fmt(3.2e-7), fmt(0.0), fmt(12345.0)
    ('0.05707', '3.2e-07', '0', '1.234e+04')
    """
    if type(x) is float:
        return f"{x:.4g}"
    local = getattr(x, "local", None)  # engine.batched.SumOver
    if local is not None:
        return "Σ" + fmt(local)
    if hasattr(x, "shape") and getattr(x, "ndim", 0) == 1:
        shown = ", ".join(f"{v:.4g}" for v in x[:2])
        return f"⟨{shown}{', …' if len(x) > 2 else ''} {len(x)} samples⟩"
    return f"{x:.4g}"


def describe(x: Any) -> str:
    """Name an operand in an error message: its label and data, or its value and type."""
    from .value import Value  # local import: value imports this module

    if isinstance(x, Value):
        if x.op == "const":
            return f"the constant {x.data!r}"
        if not x.label:
            return f"a Value with data={x.data!r}"
        return f"{x.label} (Value, data={x.data!r})"
    return f"{x!r} ({type(x).__name__})"
