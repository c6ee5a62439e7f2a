"""Learning-rate schedules: they change `optimizer.lr` between epochs.

Every setting is checked when the schedule is made: none can make lr zero, negative,
growing without end or NaN. And a schedule never sets lr to 0, even after so many
reductions that the product underflows: lr then stays at the last positive value.
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Callable

from chainrule.engine.checks import count

from .optim import Optimizer


class ReduceLROnPlateau:
    """Multiply lr by `factor` when the monitored loss has not improved for `patience` epochs.

    As Keras's ReduceLROnPlateau (the notes' reference): an improvement is a drop
    below best·(1 − threshold); lr never goes below `min_lr`; after a reduction,
    `cooldown` epochs pass before counting again.
    """

    def __init__(self, optimizer: Optimizer, factor: float = 0.1, patience: int = 10, min_lr: float = 0.0,
                 threshold: float = 1e-4, cooldown: int = 0) -> None:
        where = "ReduceLROnPlateau"
        self.optimizer = _optimizer(optimizer, where)
        self.factor = _number(factor, f"{where}: factor", "in (0, 1)", lambda x: 0 < x < 1)
        self.patience = count(patience, f"{where}: patience", 0, "epochs without improvement before a reduction")
        self.min_lr = _number(min_lr, f"{where}: min_lr", "≥ 0 (the floor of lr)", lambda x: x >= 0)
        self.threshold = _number(threshold, f"{where}: threshold", "in [0, 1) (the relative drop that counts as "
                                 "an improvement)", lambda x: 0 <= x < 1)
        self.cooldown = count(cooldown, f"{where}: cooldown", 0, "epochs to wait after a reduction")
        self.best = math.inf
        self.bad_epochs = 0
        self.cooldown_left = 0
        self.reductions: list[int] = []  # epochs (1-based) at which lr was reduced
        self.epoch = 0

    def step(self, loss: float) -> None:
        """Call once per epoch with the loss to watch (usually the validation loss)."""
        self.epoch += 1
        improved = self.best == math.inf or loss < self.best - self.threshold * abs(self.best)  # relative
        if improved:
            self.best = loss
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        if self.cooldown_left:
            self.cooldown_left -= 1
            self.bad_epochs = 0
        if self.bad_epochs > self.patience:
            new = max(self.optimizer.lr * self.factor, self.min_lr)
            if 0 < new < self.optimizer.lr:  # 0: the product underflowed
                self.optimizer.lr = new
                self.reductions.append(self.epoch)
            self.cooldown_left = self.cooldown
            self.bad_epochs = 0


class StepLR:
    """lr ← lr·gamma every `step_size` epochs (step decay)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.optimizer = _optimizer(optimizer, "StepLR")
        self.step_size = count(step_size, "StepLR: step_size", 1, "epochs between reductions")
        self.gamma = _number(gamma, "StepLR: gamma", "in (0, 1] (the factor lr is multiplied by)", lambda x: 0 < x <= 1)
        self.epoch = 0

    def step(self, loss: float | None = None) -> None:
        self.epoch += 1
        if self.epoch % self.step_size == 0:
            _set_lr(self.optimizer, self.optimizer.lr * self.gamma)


class LinearLR:
    """lr falls linearly from its start value to start·end_factor over `epochs` epochs, then stays."""

    def __init__(self, optimizer: Optimizer, epochs: int, end_factor: float = 0.1) -> None:
        self.optimizer = _optimizer(optimizer, "LinearLR")
        self.epochs = count(epochs, "LinearLR: epochs", 1, "epochs the fall takes")
        self.end_factor = _number(end_factor, "LinearLR: end_factor", "in (0, 1] (the final lr over the first)",
                                  lambda x: 0 < x <= 1)
        self.start = optimizer.lr
        self.epoch = 0

    def step(self, loss: float | None = None) -> None:
        self.epoch = min(self.epoch + 1, self.epochs)
        fraction = self.epoch / self.epochs
        # the two weights, not 1 − fraction·(1 − end_factor): that rounds to 0 for a tiny end_factor
        _set_lr(self.optimizer, self.start * ((1 - fraction) + fraction * self.end_factor))


def _set_lr(optimizer: Optimizer, lr: float) -> None:
    """Set `optimizer.lr` unless the new value underflowed to 0 (lr stays positive)."""
    if lr > 0:
        optimizer.lr = lr


def _optimizer(optimizer: Any, where: str) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{where}: expected an Optimizer, got {type(optimizer).__name__}")
    return optimizer


def _number(x: Any, where: str, allowed: str, ok: Callable[[float], bool]) -> float:
    """`x` as a float if it is a finite real number for which `ok` holds; else a ValueError saying what is allowed."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or not ok(float(x)):
        raise ValueError(f"{where} must be a number {allowed}, got {x!r}")
    return float(x)
