"""The playground: a page where a network learns in front of you, with exactly nn.fit's numbers.

`playground(model, X, y, loss=…, optimizer=…, l2=…, batch_size=…, seed=…)` makes the page (it shows
inline in Jupyter; `.save(path)` writes it) and `save_playground(…, path)` writes it straight away.
The page trains the given model from its exact weights in the browser (viz/pages/trainer.js: the
array path's formulas, the optimizers' rules and fit's batches, held equal to nn.fit to 1e-9 over 50
epochs by tests), and shows, live: the data and the decision over the plane, the loss, the network's
weights (or gradients, or last updates), the gradient size per layer, and one sample's whole
computation graph with data and grad on every node.

This module checks the arguments as fit does and packs what the page needs: the trainer's
specification (`trainer_spec`), and the graph of one sample laid out once by Graphviz (its numbers
are recomputed in the page for every step, by the pages' table of operations).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from chainrule.nn import MLP, RMSProp, SGD, Adam
from chainrule.nn.optim import Optimizer
from chainrule.nn.shuffle import check_seed
from chainrule.nn.init import generator
from chainrule.nn.train import TrainingStep

# Above these the page could not animate smoothly (a step and a boundary frame per screen refresh)
MAX_PARAMETERS = 10_000
MAX_POINTS = 5_000
PAGE_LOSSES = ("mse", "mse_half", "bce", "bce_logits", "cross_entropy", "nll", "hinge")
PAGE_HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
PAGE_OUTPUTS = ("linear", "sigmoid", "softmax")


def trainer_spec(model: Any, X: Sequence[Any], y: Sequence[Any], loss: str = "mse", optimizer: Optional[Optimizer] = None,
                 l2: float = 0.0, batch_size: Optional[int] = None, seed: Optional[int] = None,
                 where: str = "playground") -> dict:
    """What the page's trainer (chainruleTrainer.create) needs to train as `nn.fit(model, X, y, loss=loss,
    optimizer=optimizer, l2=l2, batch_size=batch_size, seed=seed)` does: checked as fit checks them.

    seed None: the shuffler's first state is drawn now from the library-wide generator (as fit draws
    it at its first shuffle), only when there are mini-batches to shuffle.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"{where}: the page trains an nn.MLP (it mirrors the array path), got {type(model).__name__}; "
                        "train other modules with nn.fit")
    if not isinstance(loss, str) or loss not in PAGE_LOSSES:
        raise ValueError(f"{where}: loss must be one of {', '.join(PAGE_LOSSES)} (by name: the page computes it "
                         f"itself), got {loss!r}")
    step = TrainingStep(model, X, y, loss, optimizer, l2, where=where)  # fit's checks, fit's default optimizer
    _check_page_model(model, where)
    n = len(step.X)
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"{where}: batch_size must be an int ≥ 1 (or None: full batch), got {batch_size!r}")
    batched = batch_size is not None and batch_size < n
    if seed is not None:
        check_seed(seed, where)
    state = seed if seed is not None else generator(None).getrandbits(32) if batched else 0
    return {"sizes": [model.nin, *model.sizes], "activation": model.activation, "output": model.output, "loss": loss,
            "parameters": [p.data for p in model.parameters()], "optimizer": optimizer_spec(step.optimizer),
            "l2": step.l2, "batchSize": batch_size if batched else None, "seed": state,
            "X": step.X.tolist(), "y": _plain_targets(y, loss)}


def optimizer_spec(optimizer: Optimizer) -> dict:
    """An optimizer's kind, settings, state and step count, as the page's trainer reads them."""
    if isinstance(optimizer, Adam):
        spec = {"kind": "adam", "beta1": optimizer.beta1, "beta2": optimizer.beta2, "eps": optimizer.eps}
    elif isinstance(optimizer, RMSProp):
        spec = {"kind": "rmsprop", "rho": optimizer.rho, "eps": optimizer.eps}
    elif isinstance(optimizer, SGD):
        spec = {"kind": "sgd", "momentum": optimizer.momentum, "nesterov": optimizer.nesterov}
    else:
        raise TypeError(f"playground: the page knows SGD (with momentum, Nesterov), RMSProp and Adam, got "
                        f"{type(optimizer).__name__}")
    state = {key: np.asarray(getattr(optimizer, key), dtype=float).tolist() for key in optimizer.STATE}
    return {**spec, "lr": optimizer.lr, "weight_decay": optimizer.weight_decay, "state": state, "steps": optimizer.steps}


def _check_page_model(model: MLP, where: str) -> None:
    """What the page cannot show or compute: refused with why, and what to use instead."""
    count = model.num_parameters()
    if count > MAX_PARAMETERS:
        raise ValueError(f"{where}: this model has {count:,} parameters; the page animates at most {MAX_PARAMETERS:,} "
                         "(every step, the boundary over the plane and the network are drawn again). Train it with "
                         "nn.fit and look at it with viz.plots.history and viz.plots.decision_boundary")
    if model.nin != 2:
        raise ValueError(f"{where}: the page draws the data on a plane, so the model needs 2 inputs, this one has "
                         f"{model.nin}. Train it with nn.fit and plot it with viz.plots")
    if model.activation not in PAGE_HIDDEN or model.output not in PAGE_OUTPUTS:
        raise ValueError(f"{where}: the page knows the hidden activations {', '.join(PAGE_HIDDEN)} and the outputs "
                         f"{', '.join(PAGE_OUTPUTS)}; this model has {model.activation!r} and {model.output!r}")
    if model.dropout:
        raise ValueError(f"{where}: the page does not drop units (its numbers must equal fit's, and dropout's masks "
                         "come from numpy's generator); build the model without dropout, or train it with nn.fit")


def _plain_targets(y: Sequence[Any], loss: str) -> list:
    values = np.asarray(y, dtype=float)
    if loss in ("cross_entropy", "nll"):
        return [int(v) for v in values.reshape(-1)]
    return values.tolist()
