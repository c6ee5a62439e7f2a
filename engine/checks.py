"""Checking numbers that enter the graph and the library's arguments, and naming operands in error messages."""
from __future__ import annotations

import math
import numbers
from typing import Any


def describe(x: Any) -> str:
    """Name an operand in an error message: a Value by its label and data, anything else by repr and type."""
    describe_value = getattr(x, "_describe", None)  # a Value names itself (no import: value.py imports this)
    if describe_value is not None:
        return describe_value()
    return f"{x!r} ({type(x).__name__})"


def as_number(x: Any, where: str, partner: Any = None) -> float:
    """`x` as a float if it is a finite real number; otherwise an error naming `where`, `x` and `partner`.

    `partner` is the other operand of a binary operation. ints, floats and numpy scalars are
    numbers; bools, strings, None, complex numbers and arrays are not.
    """
    if type(x) is float or type(x) is int:  # the common case, checked fast
        value = x
    elif hasattr(x, "edges") and hasattr(x, "data"):  # a Value where only a number will do
        raise TypeError(f"{where}: needs a plain number, got {describe(x)} (its number is .data)"
                        f"{_partner(partner)}")
    elif isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}: expected a real number (int or float) or a Value, got {describe(x)}"
                        f"{_partner(partner)}{_hint(x)}")
    else:
        value = x
    try:
        value = float(value)
    except OverflowError:  # an int beyond the largest float, e.g. 10**400
        raise OverflowError(f"{where}: {x!r} is too large for a float (the largest is about 1.8e308)"
                            f"{_partner(partner)}") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {describe(x)} is not finite; a Value must hold a finite number{_partner(partner)}")
    return value


def _partner(partner: Any) -> str:
    return f" (the other operand is {describe(partner)})" if partner is not None else ""


def _hint(x: Any) -> str:
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return ("; a Value holds one number: for a batch of samples use nn.fit / nn.predict, "
                "or build a list of Values")
    return ""


def positive(x: Any, where: str) -> float:
    """`x` as a number if it is > 0 (a learning rate, an ε, a clipping bound); else a ValueError naming `where`."""
    x = as_number(x, where)
    if x <= 0:
        raise ValueError(f"{where} must be > 0, got {x}")
    return x


def count(x: Any, where: str, least: int, meaning: str = "") -> int:
    """`x` if it is an int ≥ `least` (not a bool); else a ValueError saying what it counts."""
    if isinstance(x, bool) or not isinstance(x, int) or x < least:
        said = f" ({meaning})" if meaning else ""
        raise ValueError(f"{where} must be an int ≥ {least}{said}, got {x!r}")
    return x


def argument_list(x: Any, who: str, what: str = "inputs") -> list[Any]:
    """`x` as a list, one entry per argument of f; a single number (the common slip) gets an example."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):  # a Value has no __iter__: refused here too
        tangent = ", [1.0]" if who == "jvp" else ""
        raise TypeError(f"{who}: {what} must be a list with one entry per argument of f, e.g. {who}(f, [0.5]{tangent}) "
                        f"for f(x); got {describe(x)}")
    return list(x)


def returned(out: Any, who: str) -> Any:
    """What f returned, refused when it is None (a function that forgot `return`)."""
    if out is None:
        raise TypeError(f"{who}: f returned None: did it forget `return`? (f must return the Value it computes)")
    return out
