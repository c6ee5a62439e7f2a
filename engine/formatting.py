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


def signed(x: float) -> str:
    """A number as a factor in a written product: bracketed when negative, 2 × (−0.5) not 2 × -0.5."""
    return f"({fmt(x)})" if x < 0 else fmt(x)


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
    (topological) order: inputs first, root last; a Value made inside a module (its scope) is
    named by where it is, L1.N0.w0 (see `short_scope`), so that three neurons' w0 are three names.

    The numbering belongs to one graph, not to the process: two graphs built the same way get
    the same names, so the same graph always draws and prints the same way.
    """
    shown: dict[Value, str] = {}
    count = 0
    for node in order:
        name = node.label
        if not name:
            count += 1
            name = f"v{count}"
        shown[node] = f"{short_scope(node.scope)}.{name}" if node.scope else name
    return shown


def short_scope(scope: str) -> str:
    """A module's dotted name as a place in a picture: layers.0.neurons.3 → L1.N3 (layers counted from 1,
    nearest the input first, as the notes count them; neurons from 0, as a layer indexes them)."""
    parts = scope.split(".")
    out, i = [], 0
    while i < len(parts):
        if parts[i] in ("layers", "neurons") and i + 1 < len(parts) and parts[i + 1].isdigit():
            number = int(parts[i + 1])
            out.append(f"L{number + 1}" if parts[i] == "layers" else f"N{number}")
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return ".".join(out)
