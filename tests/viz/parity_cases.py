"""The grid of training runs on which the playground's trainer (viz/pages/trainer.js) must give nn.fit's
numbers: every optimizer × hidden activation × loss that fits the output, full batch and mini-batches.

Each case is built twice from the same seed: once as the page's trainer specification (what
viz.playground puts in the page), once trained by nn.fit for EPOCHS epochs. The settings are a
learner's (the optimizers' usual learning rates, RMSProp's default 0.001): runs whose own numbers
are stable, so that a difference of one rounding in a step stays a difference of about one
rounding. (A run can be chaotic: RMSProp at η = 0.01 on a tanh network amplifies a change of 1 ulp
in every weight to 6e-7 after 50 epochs, in nn.fit itself; see test_trainer_parity.py.)
"""
from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from chainrule import nn
from chainrule.viz.playground import trainer_spec

EPOCHS = 50
HIDDEN = ("relu", "tanh", "sigmoid")
LOSSES = ("mse", "mse_half", "bce", "cross_entropy", "hinge")  # each on the output it fits
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
BATCHES = (None, 16)  # full batch (one step per epoch) and mini-batches of 16 (3 steps, shuffled)
# beyond the grid: Nesterov, weight decay, the other activations and losses, batches of 1
EXTRA = [("leaky_relu", "bce_logits", "nesterov", 5), ("elu", "nll", "adam_decay", 16), ("gelu", "mse", "sgd_decay", None),
         ("tanh", "hinge", "sgd", 1), ("relu", "cross_entropy", "momentum", 7)]
CASES = [*itertools.product(HIDDEN, LOSSES, OPTIMIZERS, BATCHES), *EXTRA]
TOLERANCE, TINY = 1e-9, 1e-12  # relative, or absolute


def data(loss: str, seed: int = 0):
    """(X, y, output activation, outputs): three spiral arms for the class losses, else 42 moons."""
    if loss in ("cross_entropy", "nll"):
        X, y = nn.data.spirals(14, classes=3, noise=0.1, seed=seed)
        return X, y, "softmax", 3
    X, y = nn.data.moons(42, noise=0.2, seed=seed)
    if loss == "hinge":
        y = [2 * v - 1 for v in y]
    return X, y, {"bce": "sigmoid"}.get(loss, "linear"), 1


def optimizer(name: str, params):
    return {"sgd": lambda: nn.SGD(params, lr=0.1), "momentum": lambda: nn.SGD(params, lr=0.05, momentum=0.9),
            "nesterov": lambda: nn.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
            "sgd_decay": lambda: nn.SGD(params, lr=0.1, weight_decay=1e-2),
            "rmsprop": lambda: nn.RMSProp(params, lr=0.001), "adam": lambda: nn.Adam(params, lr=0.01),
            "adam_decay": lambda: nn.Adam(params, lr=0.01, weight_decay=1e-2)}[name]()


@functools.lru_cache(maxsize=None)  # the Node and the Chromium tests of one worker share the fits
def case(activation: str, loss: str, optimizer_name: str, batch, seed: int = 0, nudge: bool = False, lr=None):
    """(the page's trainer spec, History.loss of nn.fit, every parameter after it); lr: another learning rate."""
    X, y, output, k = data(loss, seed)
    model = nn.MLP(2, [6, 6, k], activation=activation, output=output, seed=seed)
    params = model.parameters()
    if nudge:  # every non-zero weight one ulp up: how much the run itself amplifies one rounding
        for p in params:
            if p.data:
                p.data = math.nextafter(p.data, math.inf)
    opt = optimizer(optimizer_name, params)
    if lr is not None:
        opt.lr = lr
    spec = trainer_spec(model, X, y, loss, opt, l2=1e-3, batch_size=batch, seed=7)
    history = nn.fit(model, X, y, loss=loss, optimizer=opt, epochs=EPOCHS, l2=1e-3, batch_size=batch, seed=7)
    assert history.epochs == EPOCHS and not history.diverged
    return spec, history.loss, [p.data for p in params]


def worst_difference(got, expected) -> float:
    """The largest difference in units of the tolerance (≤ 1: equal to 1e-9 relative, or to 1e-12 absolute)."""
    a, b = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    gap = np.abs(a - b)
    return float(np.max(np.minimum(gap / np.maximum(TOLERANCE * np.abs(b), 1e-300), gap / TINY), initial=0.0))
