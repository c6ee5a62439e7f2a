"""Batched losses: the same formulas as `losses.py`, with each output a Value holding a whole batch.

A batch enters the network as columns: one 1-D array per input feature
(`columns(X)`), so `model(columns(X))` runs every sample through one graph of
the size of a single sample's graph. Every loss returns the mean over the batch.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from chainrule import engine
from chainrule.engine import Value


def columns(X: Sequence[Sequence[float]]) -> list[np.ndarray]:
    """Samples (rows) as feature columns: [[x11, x12], [x21, x22]] → [array([x11, x21]), array([x12, x22])]."""
    A = np.asarray(X, dtype=float)
    if A.ndim != 2 or len(A) == 0:
        raise ValueError("columns: expected a non-empty list of samples, each a list of numbers")
    return [np.ascontiguousarray(A[:, j]) for j in range(A.shape[1])]


def _outputs(outputs: Any) -> list[Value]:
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def _targets(targets: Any, k: int) -> list[np.ndarray]:
    T = np.asarray(targets, dtype=float)
    if T.ndim == 1:
        T = T[:, None]
    if T.shape[1] != k:
        raise ValueError(f"batch loss: {k} outputs but targets with {T.shape[1]} columns")
    return [np.ascontiguousarray(T[:, j]) for j in range(k)]


def mse(outputs: Any, targets: Any, half: bool = False) -> Value:
    """(1/nk) Σ (ŷ − y)² over samples and outputs (½ of it with half=True)."""
    outs = _outputs(outputs)
    terms = [((o - t) ** 2).mean() for o, t in zip(outs, _targets(targets, len(outs)))]
    loss = engine.mean(terms)
    return 0.5 * loss if half else loss


def binary_cross_entropy_with_logits(logits: Any, targets: Any) -> Value:
    """mean(softplus(z) − y·z): stable for any z."""
    (z,) = _outputs(logits)
    (t,) = _targets(targets, 1)
    return (z.softplus() - z * t).mean()


def binary_cross_entropy(probabilities: Any, targets: Any) -> Value:
    """−mean(y log p + (1 − y) log(1 − p)) on probabilities."""
    (p,) = _outputs(probabilities)
    (t,) = _targets(targets, 1)
    if np.any((t > 0) & (p.data <= 0)) or np.any((t < 1) & (p.data >= 1)):
        raise ValueError("binary_cross_entropy: a probability of exactly 0 or 1 on the wrong side gives an infinite "
                         "loss; use binary_cross_entropy_with_logits on the scores before the sigmoid (stable)")
    eps = np.finfo(float).tiny  # only where its weight is 0, so it never changes the loss
    return -(t * (p + np.where(t > 0, 0.0, eps)).log() + (1 - t) * (1 - p + np.where(t < 1, 0.0, eps)).log()).mean()


def _one_hot(targets: Any, k: int) -> list[np.ndarray]:
    y = np.asarray(targets)
    if y.ndim != 1 or not np.all(np.equal(np.mod(y, 1), 0)) or y.min() < 0 or y.max() >= k:
        raise ValueError(f"cross_entropy: targets must be class indices 0 … {k - 1}")
    return [(y == j).astype(float) for j in range(k)]


def cross_entropy(logits: Any, targets: Any) -> Value:
    """mean(log Σⱼ e^{zⱼ} − z_y), via log-sum-exp."""
    zs = _outputs(logits)
    hot = _one_hot(targets, len(zs))
    picked = engine.sum([z * h for z, h in zip(zs, hot)])
    return (engine.logsumexp(zs) - picked).mean()


def nll(probabilities: Any, targets: Any) -> Value:
    """−mean(log p_y) on probabilities."""
    ps = _outputs(probabilities)
    hot = _one_hot(targets, len(ps))
    picked = engine.sum([p * h for p, h in zip(ps, hot)])
    if np.any(picked.data <= 0):
        raise ValueError("nll: probability 0 for a true class gives an infinite loss; use cross_entropy on logits")
    return -picked.log().mean()


def hinge(scores: Any, targets: Any) -> Value:
    """mean(max(0, 1 − y·s)) with y ∈ {−1, +1}."""
    (s,) = _outputs(scores)
    (t,) = _targets(targets, 1)
    if not np.all(np.isin(t, (-1.0, 1.0))):
        raise ValueError("hinge: labels must be -1 or +1")
    return (1 - s * t).relu().mean()


LOSSES = {"mse": mse, "mse_half": lambda o, t: mse(o, t, half=True), "bce": binary_cross_entropy,
          "bce_logits": binary_cross_entropy_with_logits, "cross_entropy": cross_entropy, "nll": nll, "hinge": hinge}
