"""Plots of training and of the maths (matplotlib, headless): PNG or SVG by file extension.

Every function draws on a fresh `matplotlib.figure.Figure` (no pyplot state, no
backend switch), saves it whole (no half-written file) and returns the path.
Derivatives shown are computed by the engine's backward, never by hand formulas.
"""
from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chainrule.engine import Value, no_grad
from chainrule.engine.files import write_atomically

POSITIVE, NEGATIVE = "#0072B2", "#D55E00"
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def save(fig: Figure, path: str | os.PathLike) -> Path:
    """Write a figure as PNG or SVG (by extension), atomically."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise ValueError(f"plots: cannot tell the format from {path.name!r}; use .png or .svg")
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=kind, dpi=110, bbox_inches="tight")
    return write_atomically(path, buffer.getvalue())


def _figure(cols: int = 1, rows: int = 1, size: tuple[float, float] = (5.0, 3.6)) -> tuple[Figure, Any]:
    fig = Figure(figsize=(size[0] * cols, size[1] * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, axes


def history(hist: Any, path: str | os.PathLike, title: str = "Training") -> Path:
    """Loss (and accuracy, when there is one) per epoch, training and validation."""
    has_acc = any(not math.isnan(a) for a in hist.accuracy)
    fig, axes = _figure(2 if has_acc else 1)
    epochs = range(1, len(hist.loss) + 1)
    ax = axes[0][0]
    ax.plot(epochs, hist.loss, color=POSITIVE, label="training")
    if hist.val_loss:
        ax.plot(epochs, hist.val_loss, color=NEGATIVE, label="validation")
    ax.set(xlabel="epoch", ylabel="loss", title=f"{title}: loss")
    if min(hist.loss) > 0 and max(hist.loss) / max(min(hist.loss), 1e-300) > 50:
        ax.set_yscale("log")
    ax.legend()
    if has_acc:
        ax = axes[0][1]
        ax.plot(epochs, hist.accuracy, color=POSITIVE, label="training")
        if hist.val_accuracy:
            ax.plot(epochs, hist.val_accuracy, color=NEGATIVE, label="validation")
        ax.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title=f"{title}: accuracy")
        ax.legend()
    return save(fig, path)


def curves(series: Mapping[str, Sequence[float]], path: str | os.PathLike, title: str = "", xlabel: str = "epoch",
           ylabel: str = "loss", log: bool = False, styles: Optional[Mapping[str, dict]] = None) -> Path:
    """Several named curves on one axis (e.g. optimizers compared).

    styles: optional matplotlib line options per series name, e.g. {"train": {"ls": "--", "color": "C0"}}.
    """
    fig, axes = _figure(size=(6.0, 4.0))
    ax = axes[0][0]
    for (name, ys), colour in zip(series.items(), PALETTE * 4):
        ax.plot(range(1, len(ys) + 1), ys, label=name, **({"color": colour} | dict((styles or {}).get(name, {}))))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return save(fig, path)


def decision_boundary(model: Callable[[list[float]], Any], X: Sequence[Sequence[float]], y: Sequence[Any],
                      path: str | os.PathLike, title: str = "Decision boundary", resolution: int = 60,
                      threshold: float = 0.5) -> Path:
    """The model's decision over the plane, with the data on top (2 input features).

    One output: class = output > threshold (0.5 for a sigmoid; pass 0 for raw scores).
    Several outputs: class = argmax.
    """
    points = [list(map(float, x)) for x in X]
    if not points or any(len(p) != 2 for p in points):
        raise ValueError("decision_boundary: needs 2-D inputs (each sample a pair of numbers)")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad_x, pad_y = 0.15 * (max(xs) - min(xs) or 1), 0.15 * (max(ys) - min(ys) or 1)
    gx = [min(xs) - pad_x + i * (max(xs) - min(xs) + 2 * pad_x) / (resolution - 1) for i in range(resolution)]
    gy = [min(ys) - pad_y + j * (max(ys) - min(ys) + 2 * pad_y) / (resolution - 1) for j in range(resolution)]
    grid = []
    with no_grad():
        for b in gy:
            row = []
            for a in gx:
                out = model([a, b])
                if isinstance(out, Value):
                    row.append(1.0 if out.data > threshold else 0.0)
                else:
                    scores = [o.data for o in out]
                    row.append(float(scores.index(max(scores))))
            grid.append(row)
    fig, axes = _figure(size=(5.0, 4.4))
    ax = axes[0][0]
    from matplotlib.colors import ListedColormap

    labels = sorted(set(float(v) for v in y) | {v for r in grid for v in r})
    index = {v: i for i, v in enumerate(labels)}
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
    ax.contourf(gx, gy, [[index[v] for v in r] for r in grid], levels=[i - 0.5 for i in range(len(labels) + 1)],
                cmap=ListedColormap(colours), alpha=0.25)
    for v in labels:
        members = [p for p, t in zip(points, y) if float(t) == v]
        if members:
            ax.scatter([p[0] for p in members], [p[1] for p in members], s=18, color=colours[index[v]],
                       edgecolors="black", linewidths=0.4, label=f"class {v:g}")
    ax.set(title=title, xlabel="x₁", ylabel="x₂")
    ax.legend(loc="best", fontsize=8)
    return save(fig, path)


def activation_derivative(name: str, z: float, negative_slope: float = 0.01) -> tuple[float, float]:
    """(g(z), g'(z)) with g' from the engine's backward."""
    x = Value(z)
    out = {"sigmoid": x.sigmoid, "tanh": x.tanh, "relu": x.relu, "softplus": x.softplus,
           "leaky_relu": lambda: x.leaky_relu(negative_slope)}[name]()
    out.backward()
    return out.data, x.grad


def activations(names: Iterable[str], path: str | os.PathLike, low: float = -6.0, high: float = 6.0,
                points: int = 241, negative_slope: float = 0.1) -> Path:
    """Each activation with its derivative (from backward), one panel each."""
    names = list(names)
    fig, axes = _figure(len(names), size=(3.4, 3.0))
    zs = [low + i * (high - low) / (points - 1) for i in range(points)]
    for ax, name in zip(axes[0], names):
        pairs = [activation_derivative(name, z, negative_slope) for z in zs]
        ax.axhline(0, color="#bbbbbb", lw=0.8)
        ax.axvline(0, color="#bbbbbb", lw=0.8)
        ax.plot(zs, [p[0] for p in pairs], color=POSITIVE, label="g(z)")
        ax.plot(zs, [p[1] for p in pairs], color=NEGATIVE, ls="--", label="g′(z) (backward)")
        shown = name if name != "leaky_relu" else f"leaky ReLU ({negative_slope:g})"
        ax.set(title=shown, xlabel="z")
        ax.legend(fontsize=7, loc="upper left")
    return save(fig, path)


def layer_gradients(series: Mapping[str, Sequence[float]], path: str | os.PathLike,
                    title: str = "Gradient size per layer", ylabel: str = "mean |∂L/∂w|") -> Path:
    """Per-layer gradient magnitudes on a log scale, one line per network (vanishing gradients)."""
    fig, axes = _figure(size=(6.0, 4.0))
    ax = axes[0][0]
    for (name, values), colour in zip(series.items(), PALETTE * 4):
        shown = [max(v, 1e-300) for v in values]
        ax.plot(range(1, len(values) + 1), shown, marker="o", label=name, color=colour)
    ax.set_yscale("log")
    ax.set(xlabel="layer (1 = nearest the input)", ylabel=ylabel, title=title)
    ax.legend()
    return save(fig, path)


def gradient_descent(ws: Sequence[float], cost: Callable[[float], float], X: Sequence[float], Z: Sequence[float],
                     path: str | os.PathLike, title: str = "Gradient descent", iterations: Optional[int] = None) -> Path:
    """The notes' pair of scatterplots: cost J(w) against w with the iterates on the parabola,
    and the data with the line z = w·x of each iteration."""
    ws = list(ws)[: (iterations + 1) if iterations else None]
    fig, axes = _figure(2, size=(5.0, 3.8))
    ax = axes[0][0]
    lo, hi = min(ws + [0.0]) - 0.5, max(ws + [4.0]) + 0.5
    grid = [lo + i * (hi - lo) / 200 for i in range(201)]
    ax.plot(grid, [cost(w) for w in grid], color="#888888", label="J(w)")
    ax.plot(ws, [cost(w) for w in ws], color=NEGATIVE, marker="o", ms=4, lw=1, label="iterates")
    for k, w in enumerate(ws[:6]):
        ax.annotate(f"w{k}", (w, cost(w)), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set(xlabel="weight w", ylabel="cost J(w)", title=f"{title}: cost")
    ax.legend()
    ax = axes[0][1]
    ax.scatter(X, Z, color="black", zorder=3, label="data")
    span = [min(X) - 0.2, max(X) + 0.2]
    shown = ws if len(ws) <= 8 else ws[:4] + ws[-3:]
    for k, w in enumerate(shown):
        alpha = 0.3 + 0.7 * (k + 1) / len(shown)
        ax.plot(span, [w * s for s in span], color=POSITIVE, alpha=alpha, lw=1.2)
        ax.annotate(f"w={w:.3g}", (span[1], w * span[1]), fontsize=7, color=POSITIVE, alpha=alpha)
    ax.set(xlabel="x", ylabel="z", title=f"{title}: the line z = w·x per iteration")
    return save(fig, path)


def images(pictures: Sequence[Sequence[float]], captions: Sequence[str], path: str | os.PathLike,
           shape: tuple[int, int] = (8, 8), title: str = "") -> Path:
    """Small grey-scale images in a row (e.g. misclassified digits)."""
    n = len(pictures)
    if n == 0:
        raise ValueError("images: nothing to show")
    fig, axes = _figure(n, size=(1.5, 1.8))
    for ax, pixels, caption in zip(axes[0], pictures, captions):
        ax.imshow([list(pixels[r * shape[1]:(r + 1) * shape[1]]) for r in range(shape[0])], cmap="gray_r")
        ax.set_title(caption, fontsize=8)
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return save(fig, path)


def confusion(matrix: Sequence[Sequence[int]], path: str | os.PathLike, title: str = "Confusion matrix") -> Path:
    """A confusion matrix: rows true class, columns predicted class, counts in the cells."""
    k = len(matrix)
    fig, axes = _figure(size=(4.8, 4.4))
    ax = axes[0][0]
    ax.imshow(matrix, cmap="Blues")
    top = max(max(r) for r in matrix) or 1
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(matrix[i][j]), ha="center", va="center", fontsize=8,
                    color="white" if matrix[i][j] > top / 2 else "black")
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted", ylabel="true", title=title)
    return save(fig, path)


__all__ = ["history", "curves", "decision_boundary", "activations", "activation_derivative", "layer_gradients",
           "gradient_descent", "images", "confusion", "save"]
