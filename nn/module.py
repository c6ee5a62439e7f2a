"""`Module`: anything with parameters. PyTorch-shaped so the habits transfer.

Parameters are found by walking a module's attributes in the order they were
set: a parameter Value (op "param"), a sub-module, or a list or dict of them. Names
are dotted paths such as `layers.0.neurons.3.w.1`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from chainrule.engine import Value

from . import model_files


class Module:
    """Base class: `parameters()`, `named_parameters()`, `zero_grad()`, state dicts, JSON files."""

    # config entries that must agree for saved parameters to fit (not e.g. the seed that drew them)
    ARCHITECTURE: tuple[str, ...] = ()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """(dotted name, parameter) for every parameter, in a fixed order."""
        for attr, value in vars(self).items():
            if attr.startswith("_"):
                continue
            yield from _named(value, f"{prefix}{attr}")

    def parameters(self) -> list[Value]:
        """Every trainable Value of this module and its sub-modules."""
        found = [p for _, p in self.named_parameters()]
        if not found:
            _warn_of_plain_values(self)
        return found

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (gradients accumulate over backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        return len(self.parameters())

    # -- training and evaluation modes (dropout acts only while training) ------------

    training: bool = True

    def train(self, mode: bool = True) -> "Module":
        """Training mode (the default): dropout drops. Returns the module, as PyTorch does."""
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode: dropout passes everything through. `nn.predict` and `nn.evaluate` always evaluate."""
        return self.train(False)

    def modules(self) -> Iterator["Module"]:
        """This module and every module inside it."""
        yield self
        for attr, value in vars(self).items():
            for _, item in _parts(value):
                if isinstance(item, Module):
                    yield from item.modules()

    # -- how a module shows itself ----------------------------------------------------

    def summary_rows(self) -> list[tuple[str, str, int]]:
        """(name, what it is, parameter count) for each direct part: the table a notebook shows."""
        rows = []
        for attr, value in vars(self).items():
            if attr.startswith("_"):
                continue
            for key, item in _parts(value):
                if isinstance(item, Module):
                    rows.append((attr if key is None else f"{attr}.{key}", repr(item), item.num_parameters()))
        return rows

    def _repr_html_(self) -> str:
        from html import escape

        body = "".join(f"<tr><td>{escape(n)}</td><td>{escape(w)}</td><td style='text-align:right'>{c:,}</td></tr>"
                       for n, w, c in self.summary_rows())
        return (f"<table><caption style='text-align:left'><b>{escape(type(self).__name__)}</b>: "
                f"{self.num_parameters():,} parameters{'' if self.training else ' (evaluation mode)'}</caption>"
                f"<tr><th>part</th><th>what</th><th>parameters</th></tr>{body}</table>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        lines = [repr(self)] + [f"  {n}: {w} ({c:,} parameters)" for n, w, c in self.summary_rows()]
        printer.text("\n".join(lines))

    # -- state: names -> floats ---------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """{name: value} for every parameter (plain floats: JSON-friendly)."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Set every parameter from `state`. All-or-nothing: on any error nothing changes."""
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict: expected a dict of name -> number, got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {len(missing)} parameter(s), e.g. {missing[:3]}")
            if unexpected:
                parts.append(f"unexpected {len(unexpected)} name(s), e.g. {unexpected[:3]}")
            raise ValueError(f"load_state_dict: the state does not match this {type(self).__name__}: " + "; ".join(parts))
        bad = model_files.first_non_finite(state)
        if bad is not None:
            raise ValueError(f"load_state_dict: parameter {bad!r} must be a finite number, got {state[bad]!r:.60}")
        for name, p in params.items():  # only now, when everything checked out
            p.data = float(state[name])

    def config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this module's shape (saved with its parameters)."""
        return {}

    def save(self, path: str | os.PathLike) -> Path:
        """Write the parameters (and the model's config) as JSON; floats round-trip exactly.

        A parameter that is NaN or ±inf (a diverged training run) is refused with a
        ValueError naming it, and nothing is written. Written to a temporary file first
        and then renamed, so a failed save never leaves a half-written file (nn/model_files.py).
        """
        return model_files.save(self, path)

    def load(self, path: str | os.PathLike) -> None:
        """Load parameters saved by `save()`. A malformed or mismatched file raises and changes nothing."""
        model_files.load_into(self, path)


def _named(value: Any, name: str) -> Iterator[tuple[str, Value]]:
    if isinstance(value, Value):
        if value.op == "param":
            yield name, value
    elif isinstance(value, Module):
        yield from value.named_parameters(prefix=f"{name}.")
    elif isinstance(value, (list, tuple, dict)):
        for key, item in _parts(value):
            yield from _named(item, f"{name}.{key}")


def _parts(value: Any) -> list[tuple[Any, Any]]:
    """(key, item) for each part an attribute holds: a list's or tuple's items by index, a dict's by key (as
    PyTorch's ModuleDict holds them), or (None, the attribute) for anything else."""
    if isinstance(value, dict):
        return list(value.items())
    return list(enumerate(value)) if isinstance(value, (list, tuple)) else [(None, value)]


def _warn_of_plain_values(module: Module) -> None:
    """A module with no parameters but Values of its own was most likely built micrograd's way, with
    Value(x) as weights: those are inputs here, and nothing would train. Say so once, when asked."""
    plain = [attr for attr, value in vars(module).items()
             if not attr.startswith("_") and any(isinstance(v, Value) and not v.edges for _, v in _parts(value))]
    if plain:
        import warnings

        warnings.warn(f"{type(module).__name__} has no parameters, but holds Values ({', '.join(plain)}): "
                      "a Value(x) of one's own is an input, not trained. Make weights with Value.parameter(x) "
                      "(micrograd's Value(random.uniform(-1, 1)) becomes Value.parameter(random.uniform(-1, 1)))",
                      stacklevel=3)
