"""Check backward's gradients against central differences.

numeric ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, with error O(h²).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .backward import constants_only, topological_order
from .checks import argument_list, describe, returned
from .formatting import fmt
from .recording import no_grad
from .value import Value


@dataclass(frozen=True)
class GradcheckRow:
    name: str
    value: float
    analytic: float  # from backward()
    numeric: float  # central difference (nan if f failed at x ± h)
    error: float  # |analytic − numeric|
    ok: bool


@dataclass(frozen=True)
class GradcheckResult:
    """Per-input comparison; true when every input agrees. `print()` it for a table."""

    rows: list[GradcheckRow]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failures(self) -> list[GradcheckRow]:
        return [r for r in self.rows if not r.ok]

    def __bool__(self) -> bool:
        return self.ok

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython shows the table
        printer.text(str(self))

    def _repr_html_(self) -> str:  # Jupyter: the table, monospaced
        from html import escape

        return f"<pre>{escape(str(self))}</pre>"

    def __str__(self) -> str:
        lines = [f"{'input':>10} {'value':>11} {'backward':>11} {'numeric':>11} {'error':>9}"]
        for r in self.rows:
            flag = "" if r.ok else "   <-- disagrees"
            lines.append(
                f"{r.name:>10} {fmt(r.value):>11} {fmt(r.analytic):>11} {fmt(r.numeric):>11} {fmt(r.error):>9}{flag}"
            )
        bad = len(self.failures)
        lines.append("all gradients agree" if not bad else f"{bad} of {len(self.rows)} gradients disagree")
        return "\n".join(lines)


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-4,
) -> GradcheckResult:
    """Compare `backward()` with central differences for `f(*inputs)`.

    `inputs` are numbers or Values (their data and labels are used; they are
    not modified). An input agrees when |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).
    Kinks (ReLU at 0) and points where f is undefined nearby show up as disagreements.
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be callable, got {describe(f)}")
    points: list[float] = []
    names: list[str] = []
    for i, x in enumerate(argument_list(inputs, "gradcheck")):
        points.append(x.data if isinstance(x, Value) else Value(x).data)
        names.append((x.label if isinstance(x, Value) else "") or f"x{i}")

    leaves = [Value(p, label=n) for p, n in zip(points, names)]
    out = returned(f(*leaves), "gradcheck")
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, it returned {describe(out)}")
    if not constants_only(topological_order(out)):  # f may ignore its inputs: then every gradient is 0
        out.backward()

    rows = []
    for i, (point, name) in enumerate(zip(points, names)):
        numeric = _central_difference(f, points, i, eps)
        analytic = leaves[i].grad
        error = abs(analytic - numeric) if math.isfinite(numeric) else math.inf
        ok = error <= atol + rtol * max(abs(analytic), abs(numeric))
        rows.append(GradcheckRow(name, point, analytic, numeric, error, ok))
    return GradcheckResult(rows)


def _central_difference(f: Callable[..., Value], points: list[float], i: int, eps: float) -> float:
    def at(shift: float) -> float:
        shifted = list(points)
        shifted[i] += shift
        with no_grad():
            return f(*(Value(p) for p in shifted)).data

    try:
        return (at(eps) - at(-eps)) / (2 * eps)
    except (ValueError, ZeroDivisionError, OverflowError):
        return math.nan  # f is undefined on one side: no numeric derivative here
