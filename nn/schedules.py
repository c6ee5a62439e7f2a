"""Learning-rate schedules: they change `optimizer.lr` between epochs."""
from __future__ import annotations

import math

from chainrule.engine.checks import as_number as _check_number

from .optim import Optimizer


class ReduceLROnPlateau:
    """Multiply lr by `factor` when the monitored loss has not improved for `patience` epochs.

    As Keras's ReduceLROnPlateau (the notes' reference): an improvement is a drop
    below best·(1 − threshold); lr never goes below `min_lr`; after a reduction,
    `cooldown` epochs pass before counting again.
    """

    def __init__(self, optimizer: Optimizer, factor: float = 0.1, patience: int = 10, min_lr: float = 0.0,
                 threshold: float = 1e-4, cooldown: int = 0) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"ReduceLROnPlateau: expected an Optimizer, got {type(optimizer).__name__}")
        self.factor = _check_number(factor, "ReduceLROnPlateau: factor")
        if not 0 < self.factor < 1:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), got {factor}")
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"ReduceLROnPlateau: patience must be an int ≥ 0, got {patience!r}")
        self.optimizer, self.patience, self.cooldown = optimizer, patience, cooldown
        self.min_lr = _check_number(min_lr, "ReduceLROnPlateau: min_lr")
        self.threshold = _check_number(threshold, "ReduceLROnPlateau: threshold")
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
            if new < self.optimizer.lr:
                self.optimizer.lr = new
                self.reductions.append(self.epoch)
            self.cooldown_left = self.cooldown
            self.bad_epochs = 0


class StepLR:
    """lr ← lr·gamma every `step_size` epochs (step decay)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be a positive int, got {step_size!r}")
        self.optimizer, self.step_size = optimizer, step_size
        self.gamma = _check_number(gamma, "StepLR: gamma")
        self.epoch = 0

    def step(self, loss: float | None = None) -> None:
        self.epoch += 1
        if self.epoch % self.step_size == 0:
            self.optimizer.lr *= self.gamma


class LinearLR:
    """lr falls linearly from its start value to start·end_factor over `epochs` epochs, then stays."""

    def __init__(self, optimizer: Optimizer, epochs: int, end_factor: float = 0.1) -> None:
        if not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"LinearLR: epochs must be a positive int, got {epochs!r}")
        self.optimizer, self.epochs = optimizer, epochs
        self.start = optimizer.lr
        self.end_factor = _check_number(end_factor, "LinearLR: end_factor")
        self.epoch = 0

    def step(self, loss: float | None = None) -> None:
        self.epoch = min(self.epoch + 1, self.epochs)
        fraction = self.epoch / self.epochs
        self.optimizer.lr = self.start * (1 - fraction * (1 - self.end_factor))
