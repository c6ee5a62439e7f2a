"""Saved models: one JSON file a model, its floats exact, checked whole before anything changes.

    {"format": "chainrule.state_dict", "version": 1, "model": "MLP",
     "config": {"nin": 2, "sizes": [4, 1], …}, "parameters": {"layers.0.neurons.0.w.0": 0.15, …}}

JSON writes every float so that it reads back as the same float (no pickle: a model file is
data, never code). A file is written to a temporary name and renamed, so a failed save leaves no
half-written file; a file is read and checked whole (format, version, config, that every number
is finite and every parameter named) before a model is built or a parameter changed.
"""
from __future__ import annotations

import json
import math
import numbers
import os
from pathlib import Path
from typing import Any

from chainrule.engine.files import write_atomically

from . import activations

FORMAT = "chainrule.state_dict"
VERSION = 1
MLP_CONFIG = ("nin", "sizes", "activation", "output", "init", "seed", "dropout")


def save(module: Any, path: str | os.PathLike) -> Path:
    """Write `module`'s config and parameters to `path` (see `Module.save`)."""
    path = Path(path)
    state = module.state_dict()
    bad = first_non_finite(state)
    if bad is not None:
        raise ValueError(f"save: parameter {bad!r} is {state[bad]}, and a model file holds finite numbers "
                         f"only; {path} was not written. Reload a good file, or train again with a smaller "
                         "learning rate")
    document = {"format": FORMAT, "version": VERSION, "model": type(module).__name__,
                "config": module.config(), "parameters": state}
    return write_atomically(path, json.dumps(document, indent=1, allow_nan=False).encode("utf-8"))


def load_into(module: Any, path: str | os.PathLike) -> None:
    """Set `module`'s parameters from a file written by `save`, if the file holds a model of its shape."""
    document = read_document(path)
    theirs = {k: document["config"].get(k) for k in module.ARCHITECTURE}
    ours = {k: module.config().get(k) for k in module.ARCHITECTURE}
    if document["model"] != type(module).__name__ or theirs != ours:
        raise ValueError(f"load: {path} holds a {document['model']} with {theirs}, "
                         f"but this is a {type(module).__name__} with {ours}")
    module.load_state_dict(document["parameters"])


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
    bad = first_non_finite(document["parameters"])
    if bad is not None:
        raise ValueError(f"load: {path}: parameter {bad!r} must be a finite number, "
                         f"got {_short(document['parameters'][bad])}")
    return document




def mlp_config_from(document: dict[str, Any], path: str | os.PathLike, model: str) -> dict[str, Any]:
    """Check a document from `read_document` against an MLP's shape; return a config safe for `MLP(**config)`.

    Everything is checked before anything is built: the model name (`model`: the MLP class's
    name), each config entry, and that the declared shape (nin, sizes) has exactly the parameters
    the file holds (`layers.L.neurons.J.w.I` and `layers.L.neurons.J.b`), so a small file cannot
    make a huge model. The initialiser does not matter once the weights exist: the config's
    `init` draws zeros (the file's weights replace them) under the saved name, so a model made
    with any initialiser (a function is saved as e.g. "<lambda>") reloads.
    """
    where = f"{model}.from_file: {path}"
    if document["model"] != model:
        raise ValueError(f"{where} holds a model of class {document['model']}, not {model}")
    config = dict(document["config"])
    _check_config(config, where)
    _check_parameter_names(config, document["parameters"], where)

    def init(rng: Any, fan_in: int, fan_out: int) -> float:
        return 0.0

    saved_init = config.get("init")
    init.__name__ = saved_init if isinstance(saved_init, str) else "custom"
    return {**config, "init": init}


def _check_config(config: dict[str, Any], where: str) -> None:
    """Every entry of an MLP's config is one it takes, of the right kind."""
    unknown = sorted(set(config) - set(MLP_CONFIG))
    if unknown:
        raise ValueError(f"{where} has unknown config entries {_short(unknown)}; an MLP's are {', '.join(MLP_CONFIG)}")
    nin, sizes = config.get("nin"), config.get("sizes")
    if not _positive_int(nin) or not isinstance(sizes, list) or not sizes or not all(map(_positive_int, sizes)):
        raise ValueError(f"{where}: its config needs nin (a positive int) and sizes (a non-empty list of positive "
                         f"ints), got nin={_short(nin)}, sizes={_short(sizes)}")
    for key, allowed in (("activation", activations.HIDDEN), ("output", activations.NAMES)):
        if key in config:
            activations.check(config[key], f"{where}: {key}", allowed)
    seed = config.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, (int, type(None))):
        raise ValueError(f"{where}: seed must be an int or null, got {_short(seed)}")
    dropout = config.get("dropout", 0.0)
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout < 1:
        raise ValueError(f"{where}: dropout must be a number in [0, 1), got {_short(dropout)}")


def _check_parameter_names(config: dict[str, Any], held: dict[str, Any], where: str) -> None:
    """The file holds exactly the parameters of the shape it declares (counted before any is built)."""
    nin, sizes = config["nin"], config["sizes"]
    shape = f"MLP({_short(nin)}, {_short(sizes)})"
    layers = list(zip([nin, *sizes], sizes))  # (fan_in, fan_out) of each layer
    expected = sum((fan_in + 1) * fan_out for fan_in, fan_out in layers)
    if len(held) != expected:
        raise ValueError(f"{where} declares {shape} with {_short(expected)} parameters, but it holds {len(held)}")
    names = {f"layers.{i}.neurons.{j}.{weight}" for i, (fan_in, fan_out) in enumerate(layers)
             for j in range(fan_out) for weight in [*(f"w.{k}" for k in range(fan_in)), "b"]}
    missing = sorted(names - held.keys())
    if missing:
        raise ValueError(f"{where} lacks {len(missing)} of the parameters of the {shape} it declares: "
                         f"{missing[:3]}{' …' if len(missing) > 3 else ''}")


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not a number a model file may hold (only finite numbers)")


def first_non_finite(parameters: dict[str, Any]) -> str | None:
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


