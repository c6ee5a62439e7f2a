"""How numbers and names are written for people: 4 significant figures, v1, v2, … for unnamed values."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .value import Value


def fmt(x: Any) -> str:
    """A number with 4 significant figures; scientific notation for small or large ones.

    >>> fmt(0.0570704), fmt(3.2e-7), fmt(0.0), fmt(12345.0)
    ('0.05707', '3.2e-07', '0', '1.234e+04')
    """
    if x is None:
        return "None"
    return f"{float(x):.4g}"


def in_partial(name: str) -> str:
    """A name as it sits inside ∂…/∂…: bracketed when it is more than one symbol, ∂(T−a2)/∂a2."""
    one_symbol = name.replace("_", "").isalnum() and not name[0].isdigit()  # w1, σ, x₁; not w·x, T−a2
    if one_symbol or (name.startswith("(") and name.rstrip("²³").endswith(")") and name.count("(") == 1):
        return name  # one symbol, or already one bracket: (T−a2)²
    try:
        float(name)  # a constant's label, such as 0.5
    except ValueError:
        return f"({name})"
    return name


def names_in(order: Iterable[Value]) -> dict[Value, str]:
    """Each Value's label, or v1, v2, … for the unlabelled ones, numbered in the given
    (topological) order: inputs first, root last.

    The numbering belongs to one graph, not to the process: two graphs built the same way get
    the same names, so the same graph always draws and prints the same way.
    """
    shown: dict[Value, str] = {}
    count = 0
    for node in order:
        if node.label:
            shown[node] = node.label
        else:
            count += 1
            shown[node] = f"v{count}"
    return shown
