"""Optimizers: each `step()` moves every parameter using its `.grad`; `zero_grad()` clears them.

Update rules (g = ∂L/∂θ, plus weight_decay·θ when weight decay is on):

  SGD            θ ← θ − η g
  momentum       v ← μ v + g;          θ ← θ − η v       (PyTorch's form; the notes'
                 v_t = γ v_{t−1} + η ∇L, θ ← θ − v_t is the same with v_notes = η v)
  Nesterov       v ← μ v + g;          θ ← θ − η (g + μ v)
  RMSProp        s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε)
  Adam           m ← β₁ m + (1 − β₁) g;  s ← β₂ s + (1 − β₂) g²;
                 m̂ = m / (1 − β₁ᵗ);  ŝ = s / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√ŝ + ε)
"""
from __future__ import annotations

import math
from typing import Iterable

from chainrule.engine import Value, no_grad
from chainrule.engine.value import _check_number


class Optimizer:
    """Holds the parameters and the learning rate `lr` (schedules change `lr`)."""

    def __init__(self, parameters: Iterable[Value], lr: float, weight_decay: float = 0.0) -> None:
        self.params = list(parameters)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimise")
        bad = [p for p in self.params if not isinstance(p, Value)]
        if bad:
            raise TypeError(f"{type(self).__name__}: parameters must be Values, got {type(bad[0]).__name__}")
        self.lr = _positive(lr, f"{type(self).__name__}: lr")
        self.weight_decay = _check_number(weight_decay, f"{type(self).__name__}: weight_decay")
        if self.weight_decay < 0:
            raise ValueError(f"{type(self).__name__}: weight_decay must be ≥ 0, got {weight_decay}")
        self.steps = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def _grads(self) -> list[float]:
        if self.weight_decay:
            return [p.grad + self.weight_decay * p.data for p in self.params]
        return [p.grad for p in self.params]

    def step(self) -> None:
        self.steps += 1
        with no_grad():
            self._update(self._grads())

    def _update(self, grads: list[float]) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _positive(x: float, where: str) -> float:
    x = _check_number(x, where)
    if x <= 0:
        raise ValueError(f"{where} must be > 0, got {x}")
    return x


def _fraction(x: float, where: str) -> float:
    x = _check_number(x, where)
    if not 0 <= x < 1:
        raise ValueError(f"{where} must be in [0, 1), got {x}")
    return x


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum μ (and Nesterov's look-ahead)."""

    def __init__(self, parameters: Iterable[Value], lr: float = 0.01, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        self.momentum = _fraction(momentum, "SGD: momentum")
        if nesterov and not self.momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0")
        self.nesterov = nesterov
        self.velocity = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        mu, lr = self.momentum, self.lr
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if mu:
                self.velocity[i] = v = mu * self.velocity[i] + g
                g = g + mu * v if self.nesterov else v
            p.data -= lr * g


class RMSProp(Optimizer):
    """Divide each step by a running root-mean-square of that parameter's gradients."""

    def __init__(self, parameters: Iterable[Value], lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        self.rho = _fraction(rho, "RMSProp: rho")
        self.eps = _positive(eps, "RMSProp: eps")
        self.square_avg = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        rho = self.rho
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.square_avg[i] = s = rho * self.square_avg[i] + (1 - rho) * g * g
            p.data -= self.lr * g / (math.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Momentum plus RMSProp-style scaling, with bias correction.

    Default lr = 3e-4, as the notes recommend ("a good default"); PyTorch's default is 1e-3.
    """

    def __init__(self, parameters: Iterable[Value], lr: float = 3e-4, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(parameters, lr, weight_decay)
        self.beta1 = _fraction(betas[0], "Adam: betas[0]")
        self.beta2 = _fraction(betas[1], "Adam: betas[1]")
        self.eps = _positive(eps, "Adam: eps")
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, grads: list[float]) -> None:
        b1, b2, t = self.beta1, self.beta2, self.steps
        c1, c2 = 1 - b1**t, 1 - b2**t
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.m[i] = m = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = v = b2 * self.v[i] + (1 - b2) * g * g
            p.data -= self.lr * (m / c1) / (math.sqrt(v / c2) + self.eps)


def clip_grad_norm(parameters: Iterable[Value], max_norm: float) -> float:
    """Scale all gradients down together so that their joint L2 norm is at most max_norm.

    Returns the norm before clipping (what to plot to see explosions).
    """
    params = list(parameters)
    max_norm = _positive(max_norm, "clip_grad_norm: max_norm")
    norm = math.sqrt(math.fsum(p.grad * p.grad for p in params))
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm


def clip_grad_value(parameters: Iterable[Value], clip_value: float) -> None:
    """Clamp every gradient into [−clip_value, clip_value]."""
    c = _positive(clip_value, "clip_grad_value: clip_value")
    for p in parameters:
        p.grad = min(c, max(-c, p.grad))
