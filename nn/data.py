"""Small data sets of the notes, seeded: XOR, the line z = 2x, two moons, spirals, handwritten digits.

Every function returns plain Python lists (X: a list of samples, each a list of
floats; y: a list of labels), which print readably and feed an MLP directly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np


def xor() -> tuple[list[list[float]], list[float]]:
    """The four XOR points: y = 1 when exactly one input is 1. Not linearly separable."""
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    return X, [0.0, 1.0, 1.0, 0.0]


def line(n: int = 5, slope: float = 2.0, low: float = 0.0, high: float = 1.0, noise: float = 0.0,
         seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """Points on z = slope·x (the notes' z = 2x), x evenly spaced in [low, high], optional Gaussian noise."""
    _check_count(n, "line")
    x = np.linspace(low, high, n)
    z = slope * x + noise * np.random.default_rng(seed).standard_normal(n)
    return [[float(v)] for v in x], [float(v) for v in z]


def moons(n: int = 100, noise: float = 0.1, seed: int = 0, labels: str = "01") -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles (as scikit-learn's make_moons); labels 0/1, or −1/+1 with labels="pm1"."""
    _check_count(n, "moons")
    if labels not in ("01", "pm1"):
        raise ValueError(f"moons: labels must be '01' or 'pm1', got {labels!r}")
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, math.pi, n_out)
    t_in = np.linspace(0, math.pi, n_in)
    X = np.vstack([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                   np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    X = X + noise * rng.standard_normal(X.shape)
    perm = rng.permutation(n)
    X, y = X[perm], y[perm]
    if labels == "pm1":
        y = 2 * y - 1
    return X.tolist(), [float(v) for v in y]


def spirals(n_per_class: int = 50, classes: int = 2, noise: float = 0.1, turns: float = 1.0,
            seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """`classes` interleaved spiral arms around the origin; labels 0 … classes−1."""
    _check_count(n_per_class, "spirals")
    if not isinstance(classes, int) or classes < 2:
        raise ValueError(f"spirals: classes must be an int ≥ 2, got {classes!r}")
    rng = np.random.default_rng(seed)
    X, y = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, n_per_class)
        theta = 2 * math.pi * turns * r + 2 * math.pi * c / classes
        pts = np.column_stack([r * np.cos(theta), r * np.sin(theta)]) + noise * rng.standard_normal((n_per_class, 2)) * r[:, None]
        X.append(pts)
        y.extend([c] * n_per_class)
    Xa = np.vstack(X)
    perm = rng.permutation(len(Xa))
    return Xa[perm].tolist(), [y[i] for i in perm]


def digits() -> tuple[list[list[float]], list[int]]:
    """The 1,797 handwritten digits 0–9 (8×8 pixels, scaled to [0, 1]): the UCI test set as
    scikit-learn bundles it, shipped with chainrule (nn/datasets/README.md says where it comes from).

    Pixels are counts 0–16 in the file; each is divided by 16.
    """
    table = np.loadtxt(DIGITS_FILE, delimiter=",")  # numpy reads the .gz directly
    pixels, labels = table[:, :-1], table[:, -1]
    return (pixels / 16.0).tolist(), [int(v) for v in labels]


DIGITS_FILE = Path(__file__).parent / "datasets" / "digits.csv.gz"


@dataclass(frozen=True)
class Standardizer:
    """x ↦ (x − mean) / std per feature, fitted on training data only (the notes: normalise inputs)."""

    mean: list[float]
    std: list[float]

    @classmethod
    def fit(cls, X: Sequence[Sequence[float]]) -> "Standardizer":
        A = _matrix(X, "Standardizer.fit")
        std = A.std(axis=0)
        std[std == 0] = 1.0  # a constant feature stays 0 rather than dividing by zero
        return cls(A.mean(axis=0).tolist(), std.tolist())

    def transform(self, X: Sequence[Sequence[float]]) -> list[list[float]]:
        A = _matrix(X, "Standardizer.transform")
        if A.shape[1] != len(self.mean):
            raise ValueError(f"Standardizer.transform: fitted on {len(self.mean)} features, got {A.shape[1]}")
        return ((A - np.array(self.mean)) / np.array(self.std)).tolist()


def standardize(X_train: Sequence[Sequence[float]], *others: Sequence[Sequence[float]]) -> tuple[Any, ...]:
    """Fit on X_train, transform it and each of `others`: (train, *others, standardizer)."""
    s = Standardizer.fit(X_train)
    return (s.transform(X_train), *(s.transform(X) for X in others), s)


def split(X: Sequence[Any], y: Sequence[Any], fractions: tuple[float, ...] = (0.6, 0.2, 0.2),
          seed: int = 0) -> list[tuple[list[Any], list[Any]]]:
    """Shuffle once (seeded) and cut into parts of the given fractions, e.g. train/validation/test."""
    if len(X) != len(y):
        raise ValueError(f"split: {len(X)} inputs but {len(y)} labels")
    if not fractions or any(f <= 0 for f in fractions) or abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError(f"split: fractions must be positive and sum to 1, got {fractions}")
    perm = np.random.default_rng(seed).permutation(len(X)).tolist()
    cuts = np.round(np.cumsum(fractions) * len(X)).astype(int).tolist()
    parts, start = [], 0
    for end in cuts:
        idx = perm[start:end]
        parts.append(([X[i] for i in idx], [y[i] for i in idx]))
        start = end
    return parts


def _matrix(X: Sequence[Sequence[float]], where: str) -> np.ndarray:
    A = np.asarray(X, dtype=float)
    if A.ndim != 2 or len(A) == 0:
        raise ValueError(f"{where}: expected a non-empty list of samples (each a list of numbers)")
    return A


def _check_count(n: int, where: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{where}: the number of samples must be a positive int, got {n!r}")
