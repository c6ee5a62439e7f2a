"""`Module`: anything with parameters. PyTorch-shaped so the habits transfer.

Parameters are found by walking a module's attributes in the order they were
set: a parameter Value (op "param"), a sub-module, or a list of either. Names
are dotted paths such as `layers.0.neurons.3.w.1`.
"""
from __future__ import annotations

import json
import math
import numbers
import os
from pathlib import Path
from typing import Any, Iterator

from chainrule.engine import Value
from chainrule.engine.files import write_atomically

from . import activations

FORMAT = "chainrule.state_dict"
VERSION = 1


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
        return [p for _, p in self.named_parameters()]

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
            for item in (value if isinstance(value, (list, tuple)) else [value]):
                if isinstance(item, Module):
                    yield from item.modules()

    # -- how a module shows itself ----------------------------------------------------

    def summary_rows(self) -> list[tuple[str, str, int]]:
        """(name, what it is, parameter count) for each direct part: the table a notebook shows."""
        rows = []
        for attr, value in vars(self).items():
            if attr.startswith("_"):
                continue
            for i, item in enumerate(value if isinstance(value, (list, tuple)) else [value]):
                if isinstance(item, Module):
                    name = f"{attr}.{i}" if isinstance(value, (list, tuple)) else attr
                    rows.append((name, repr(item), item.num_parameters()))
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
        bad = _first_non_finite(state)
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
        and then renamed, so a failed save never leaves a half-written file.
        """
        path = Path(path)
        state = self.state_dict()
        bad = _first_non_finite(state)
        if bad is not None:
            raise ValueError(f"save: parameter {bad!r} is {state[bad]}, and a model file holds finite numbers "
                             f"only; {path} was not written. Reload a good file, or train again with a smaller "
                             "learning rate")
        document = {"format": FORMAT, "version": VERSION, "model": type(self).__name__,
                    "config": self.config(), "parameters": state}
        return write_atomically(path, json.dumps(document, indent=1, allow_nan=False).encode("utf-8"))

    def load(self, path: str | os.PathLike) -> None:
        """Load parameters saved by `save()`. A malformed or mismatched file raises and changes nothing."""
        document = read_document(path)
        theirs = {k: document["config"].get(k) for k in self.ARCHITECTURE}
        ours = {k: self.config().get(k) for k in self.ARCHITECTURE}
        if document["model"] != type(self).__name__ or theirs != ours:
            raise ValueError(
                f"load: {path} holds a {document['model']} with {theirs}, "
                f"but this is a {type(self).__name__} with {ours}"
            )
        self.load_state_dict(document["parameters"])


def read_document(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check a saved-model JSON file; anything malformed raises a ValueError naming the file.

    A valid document has "format", "version", "model" (a str), "config" (a dict) and
    "parameters" (a dict of name -> finite number: no NaN, ±Infinity or numbers too
    large for a float).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"load: no such file: {path}") from None
    except UnicodeDecodeError:
        raise ValueError(f"load: {path} is not a text (UTF-8) file, so not a chainrule model file") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise ValueError(f"load: {path} is not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ValueError(f"load: {path} nests its JSON too deeply to be a chainrule model file") from None
    except ValueError as e:  # NaN/Infinity tokens; integers longer than Python converts
        raise ValueError(f"load: {path}: {e}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"load: {path} is not a chainrule model file (no \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ValueError(f"load: {path} has format version {document.get('version')!r}; this chainrule reads {VERSION}")
    for key, kind in (("model", str), ("config", dict), ("parameters", dict)):
        if not isinstance(document.get(key), kind):
            raise ValueError(f"load: {path} has no valid {key!r} entry")
    bad = _first_non_finite(document["parameters"])
    if bad is not None:
        raise ValueError(f"load: {path}: parameter {bad!r} must be a finite number, "
                         f"got {_short(document['parameters'][bad])}")
    return document


MLP_CONFIG = ("nin", "sizes", "activation", "output", "init", "seed", "dropout")


def mlp_config_from(document: dict[str, Any], path: str | os.PathLike, model: str = "MLP") -> dict[str, Any]:
    """Check a document from `read_document` against an MLP's shape; return a config safe for `MLP(**config)`.

    Everything is checked before anything is built: the model name (`model`: the MLP
    class's name), each config entry,
    and that the declared shape (nin, sizes) has exactly the parameters the file holds
    (`layers.L.neurons.J.w.I` and `layers.L.neurons.J.b`), so a small file cannot make
    a huge model. The initialiser does not matter once the weights exist: the config's
    `init` draws zeros (the file's weights replace them) under the saved name, so a
    model made with any initialiser (a function is saved as e.g. "<lambda>") reloads.
    """
    where = f"{model}.from_file: {path}"
    if document["model"] != model:
        raise ValueError(f"{where} holds a model of class {document['model']}, not {model}")
    config = dict(document["config"])
    unknown = sorted(set(config) - set(MLP_CONFIG))
    if unknown:
        raise ValueError(f"{where} has unknown config entries {_short(unknown)}; an MLP's are {', '.join(MLP_CONFIG)}")
    nin, sizes = config.get("nin"), config.get("sizes")
    if not _positive_int(nin) or not isinstance(sizes, list) or not sizes or not all(map(_positive_int, sizes)):
        raise ValueError(f"{where}: its config needs nin (a positive int) and sizes (a non-empty list of positive "
                         f"ints), got nin={_short(nin)}, sizes={_short(sizes)}")
    for key, allow_softmax in (("activation", False), ("output", True)):
        if key in config:
            activations.check(config[key], f"{where}: {key}", allow_softmax)
    seed = config.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, (int, type(None))):
        raise ValueError(f"{where}: seed must be an int or null, got {_short(seed)}")
    dropout = config.get("dropout", 0.0)
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"{where}: dropout must be a number in [0, 1), got {_short(dropout)}")

    shape = f"MLP({_short(nin)}, {_short(sizes)})"
    layers = list(zip([nin, *sizes], sizes))  # (fan_in, fan_out) of each layer
    expected = sum((fan_in + 1) * fan_out for fan_in, fan_out in layers)  # counted, not built
    held = document["parameters"]
    if len(held) != expected:
        raise ValueError(f"{where} declares {shape} with {_short(expected)} parameters, but it holds {len(held)}")
    names = {f"layers.{i}.neurons.{j}.{weight}" for i, (fan_in, fan_out) in enumerate(layers)
             for j in range(fan_out) for weight in [*(f"w.{k}" for k in range(fan_in)), "b"]}
    missing = sorted(names - held.keys())
    if missing:
        raise ValueError(f"{where} lacks {len(missing)} of the parameters of the {shape} it declares: "
                         f"{missing[:3]}{' …' if len(missing) > 3 else ''}")

    def init(rng: Any, fan_in: int, fan_out: int) -> float:
        return 0.0
    init.__name__ = config.get("init") if isinstance(config.get("init"), str) else "custom"
    return {**config, "init": init}


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not a number a model file may hold (only finite numbers)")


def _first_non_finite(parameters: dict[str, Any]) -> str | None:
    """The name of the first value that is not a finite real number (bools are not numbers here)."""
    for name, value in parameters.items():
        try:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                return name
        except OverflowError:  # an int too large for a float
            return name
    return None


def _positive_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x > 0


def _short(value: Any) -> str:
    """repr(value), cut to a readable length (a file may hold a 400-digit number)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _named(value: Any, name: str) -> Iterator[tuple[str, Value]]:
    if isinstance(value, Value):
        if value.op == "param":
            yield name, value
    elif isinstance(value, Module):
        yield from value.named_parameters(prefix=f"{name}.")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _named(item, f"{name}.{i}")
