"""Plots of training and of the maths (matplotlib, headless).

Every function draws on a fresh `Figure` and returns it: a notebook shows it
inline. Pass `path` (.png or .svg) to also write it, whole or not at all.
No pyplot: nothing global holds a figure (nothing to close), and no backend is switched.
matplotlib is imported on first use, so `import chainrule` stays light.
Derivatives shown are computed by the engine's backward, never by hand formulas.
"""
from __future__ import annotations

import functools
import io
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from chainrule.engine import Value
from chainrule.engine.files import write_atomically

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PathLike = Optional[Union[str, os.PathLike]]
POSITIVE, NEGATIVE = "#0072B2", "#D55E00"
# Okabe–Ito: colour-blind safe. Class i is drawn in PALETTE[i] (class 0 blue, class 1 vermillion).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
DPI = 110  # 1,100 px across for a two-panel figure: sharp on a slide


@functools.cache
def _figure_class() -> type:
    from matplotlib.figure import Figure

    class Picture(Figure):
        """A Figure that a notebook shows as PNG without pyplot."""

        def _repr_png_(self) -> bytes:
            return to_bytes(self, "png")

    return Picture


def to_bytes(fig: "Figure", kind: str = "png") -> bytes:
    """The figure encoded as PNG or SVG."""
    buffer = io.BytesIO()
    if kind == "png" and fig.dpi == DPI and hasattr(fig.canvas, "print_png"):
        # savefig draws a figure that has a layout engine twice: once unseen, only to run the layout,
        # then for real. The Agg canvas's own draw runs the layout and draws in one pass, at the
        # figure's DPI (the PNG's, set by _figure): the same pixels, in about half the time.
        fig.canvas.print_png(buffer)
    else:
        # No bbox_inches="tight": constrained layout already fits the figure, and "tight" draws it twice.
        fig.savefig(buffer, format=kind, dpi=DPI)
    return buffer.getvalue()


def save(fig: "Figure", path: "str | os.PathLike[str]") -> Path:
    """Write a figure as PNG or SVG (by extension), atomically; returns the path."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise ValueError(f"plots: cannot tell the format from {path.name!r}; use .png or .svg")
    return write_atomically(path, to_bytes(fig, kind))


def _figure(cols: int = 1, rows: int = 1, size: tuple[float, float] = (5.0, 3.6), **subplots: Any) -> tuple["Figure", Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=(size[0] * cols, size[1] * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # a canvas of its own: no pyplot, no global backend
    axes = fig.subplots(rows, cols, squeeze=False, **subplots)
    return fig, axes


def _log_y(ax: Any, nonpositive: str = "clip") -> None:
    """A log y axis (values ≤ 0: "clip" draws them at the bottom edge, "mask" leaves them out).
    Minor ticks at 2 and 5 times each power of ten, not at every integer: as readable, and cheaper,
    as the layout measures every tick."""
    from matplotlib.ticker import LogLocator

    ax.set_yscale("log", nonpositive=nonpositive)
    ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))


def _done(fig: "Figure", path: PathLike) -> "Figure":
    if path is not None:
        save(fig, path)
    return fig


def _legend_outside(fig: "Figure", ax: Any, where: str = "right center", **options: Any) -> None:
    """One legend for the figure, beside the axes (never over the data, nor under a long title)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc=f"outside {where}", fontsize=8, **options)


def history(hist: Any, path: PathLike = None, title: str = "Training") -> "Figure":
    """Loss (and accuracy, when there is one) per epoch, training and validation."""
    has_acc = any(not math.isnan(a) for a in hist.accuracy)
    fig, axes = _figure(2 if has_acc else 1)
    epochs = range(1, len(hist.loss) + 1)
    panels = [("loss", hist.loss, hist.val_loss)]
    if has_acc:
        panels.append(("accuracy", hist.accuracy, hist.val_accuracy))
    for ax, (what, train, validation) in zip(axes[0], panels):
        ax.plot(epochs, train, color=POSITIVE, label="training")
        if validation:
            ax.plot(epochs, validation, color=NEGATIVE, label="validation")
        ax.set(xlabel="epoch", ylabel=what, title=f"{title}: {what}")
        ax.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole numbers
    if min(hist.loss) > 0 and max(hist.loss) / min(hist.loss) > 50:
        _log_y(axes[0][0])
    if has_acc:
        axes[0][1].set_ylim(0, 1.02)
    _legend_outside(fig, axes[0][0])
    return _done(fig, path)


def curves(series: Mapping[str, Sequence[float]], path: PathLike = None, title: str = "", xlabel: str = "epoch",
           ylabel: str = "loss", log: bool = False, styles: Optional[Mapping[str, dict]] = None,
           start: int = 1) -> "Figure":
    """Several named curves on one axis (e.g. optimizers compared); x counts from `start`.

    styles: optional matplotlib line options per series name, e.g. {"train": {"ls": "--", "color": "C0"}}.
    log: a log y axis (values ≤ 0 are left out of a log axis, not drawn as 0).
    """
    fig, axes = _figure(size=(7.0, 4.0))
    _draw_curves(axes[0][0], series, title, xlabel, ylabel, log, styles, start)
    _legend_outside(fig, axes[0][0])
    return _done(fig, path)


def curves_side_by_side(panels: Mapping[str, Mapping[str, Sequence[float]]], path: PathLike = None, title: str = "",
                        xlabel: str = "epoch", ylabel: str = "loss", log: bool = False,
                        styles: Optional[Mapping[str, dict]] = None, start: int = 1) -> "Figure":
    """One `curves` panel per {panel title: series}, side by side on the same y scale (so that the
    panels compare honestly), with one legend: the same names get the same colours in every panel."""
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("curves_side_by_side: pass {panel title: {curve name: values}}, at least one panel")
    fig, axes = _figure(cols=len(panels), size=(5.2, 4.0), sharey=True)
    for ax, (panel_title, series) in zip(axes[0], panels.items()):
        _draw_curves(ax, series, panel_title, xlabel, ylabel if ax is axes[0][0] else "", log, styles, start)
    if title:
        fig.suptitle(title)
    _legend_outside(fig, axes[0][0], "lower center", ncols=3)
    return _done(fig, path)


def _draw_curves(ax: Any, series: Mapping[str, Sequence[float]], title: str, xlabel: str, ylabel: str, log: bool,
                 styles: Optional[Mapping[str, dict]], start: int) -> None:
    for (name, ys), colour in zip(series.items(), PALETTE * 4):
        ax.plot(range(start, start + len(ys)), ys, label=name, **({"color": colour} | dict((styles or {}).get(name, {}))))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.xaxis.get_major_locator().set_params(integer=True)  # epochs and iterations are whole numbers
    if log:
        _log_y(ax, nonpositive="mask")


def _two_classes(labels: Sequence[float]) -> tuple[float, float]:
    """The (below, above) threshold classes of a one-output model: (0, 1) or (−1, +1)."""
    present = set(labels)
    if present <= {0.0, 1.0}:
        return 0.0, 1.0
    if present <= {-1.0, 1.0}:
        return -1.0, 1.0
    if len(present) == 2:
        low, high = sorted(present)
        return low, high
    raise ValueError(f"decision_boundary: one output separates two classes, the labels hold {sorted(present)}")


def decision_boundary(predict: Callable[[list[list[float]]], Sequence[Any]], X: Sequence[Sequence[float]],
                      y: Sequence[Any], path: PathLike = None, title: str = "Decision boundary",
                      resolution: int = 100, threshold: float = 0.5, output_label: str = "model output",
                      lines: Sequence[tuple[float, float, float]] = (), lines_label: str = "") -> "Figure":
    """The model's decision over the plane, with the data on top (2 input features).

    predict: called ONCE with every grid point (a list of [x₁, x₂]); returns one output per point
    (a number: class = output > threshold, e.g. `lambda P: nn.predict(model, P)`) or a list of
    scores (class = argmax). A point and the region of its class have the same colour; the shade
    says how sure the model is (white = the threshold, undecided), the black line is output = threshold.
    lines: extra lines a·x₁ + b·x₂ + c = 0, dashed (e.g. each hidden unit's w·x + b = 0).
    """
    return decision_boundaries([(predict, X, y, title)], path, resolution=resolution, threshold=threshold,
                               output_label=output_label, lines=lines, lines_label=lines_label)


def decision_boundaries(panels: Sequence[tuple[Callable, Sequence[Sequence[float]], Sequence[Any], str]],
                        path: PathLike = None, title: str = "", resolution: int = 100, threshold: float = 0.5,
                        output_label: str = "model output", lines: Sequence[tuple[float, float, float]] = (),
                        lines_label: str = "") -> "Figure":
    """Several decisions side by side, one panel per (predict, X, y, title), drawn as `decision_boundary`
    draws one (e.g. the same network trained with three penalties). Panels whose outputs share a
    colour scale (probabilities do) share one colour bar."""
    if isinstance(panels, tuple) or not panels:
        raise ValueError("decision_boundaries: pass a list of (predict, X, y, title) panels, at least one")
    for k, panel in enumerate(panels):
        if not isinstance(panel, (tuple, list)) or len(panel) != 4:
            raise ValueError(f"decision_boundaries: panel {k} must be (predict, X, y, title), got {panel!r:.60}")
    one = len(panels) == 1
    fig, axes = _figure(cols=len(panels), size=(6.0, 5.2) if one else (5.0, 4.8))
    drawn = [_boundary_panel(ax, *panel, resolution=resolution, threshold=threshold, lines=lines,
                             lines_label=lines_label) for ax, panel in zip(axes[0], panels)]
    shaded = [(ax, shade) for ax, (shade, _, _) in zip(axes[0], drawn) if shade is not None]
    one_scale = len({(shade.norm.vmin, shade.norm.vmax) for _, shade in shaded}) == 1
    groups = [shaded] if one_scale else [[pair] for pair in shaded]  # one bar for all, or a bar beside each
    for group in groups:
        shade = group[0][1]
        bar = fig.colorbar(shade, ax=[ax for ax, _ in group], shrink=0.85, label=output_label)
        bar.set_ticks(sorted({shade.norm.vmin, threshold, shade.norm.vmax}))
        bar.ax.yaxis.set_major_formatter("{x:.3g}")
    handles, names = max(((h, n) for _, h, n in drawn), key=lambda pair: len(pair[0]))  # the fullest legend
    fig.legend(handles, names, loc="outside lower center", ncols=min(len(handles), 3), fontsize=8)
    if title:
        fig.suptitle(title)
    return _done(fig, path)


def _boundary_panel(ax: Any, predict: Callable[[list[list[float]]], Sequence[Any]], X: Sequence[Sequence[float]],
                    y: Sequence[Any], title: str, resolution: int, threshold: float,
                    lines: Sequence[tuple[float, float, float]], lines_label: str) -> tuple[Any, list, list]:
    """One decision on `ax`: (the shading to key a colour bar to, or None for classes; legend handles; names)."""
    import numpy as np
    from matplotlib.lines import Line2D

    points, labels, (gx, gy), scores = _scores_on_a_grid(predict, X, y, resolution)
    if scores.ndim == 1:
        shade, colour_of, boundary, subtitle = _two_classes_field(ax, gx, gy, scores, labels, threshold)
    else:
        shade, subtitle = None, ""
        colour_of, boundary = _many_classes_field(ax, gx, gy, scores)
    GX, GY = np.meshgrid(gx, gy)
    for a, b, c in lines:
        ax.contour(gx, gy, a * GX + b * GY + c, levels=[0.0], colors="#444444", linewidths=1.0, linestyles="--")
    _labelled_points(ax, points, labels, colour_of)
    handles, names = ax.get_legend_handles_labels()
    if subtitle == "":
        handles.append(Line2D([], [], color="black", lw=1.6))
        names.append(boundary)
    if lines:
        handles.append(Line2D([], [], color="#444444", lw=1.0, ls="--"))
        names.append(lines_label or "extra lines")
    ax.set(title=title + subtitle, xlabel="x₁ (first input)", ylabel="x₂ (second input)",
           xlim=(gx[0], gx[-1]), ylim=(gy[0], gy[-1]))
    return shade, handles, names


def _scores_on_a_grid(predict: Callable, X: Sequence[Sequence[float]], y: Sequence[Any],
                      resolution: int) -> tuple[Any, list[float], tuple[Any, Any], Any]:
    """The points, their labels, a grid over them (15% margin) and predict's outputs on the grid."""
    import numpy as np

    if hasattr(predict, "parameters"):  # a model, not a function of the whole grid
        raise TypeError("decision_boundary: pass a function of all grid points, e.g. "
                        "lambda grid: nn.predict(model, grid), not the model")
    points = np.asarray(X, dtype=float)
    if points.ndim != 2 or points.shape[1:] != (2,) or not len(points):
        raise ValueError("decision_boundary: needs 2-D inputs (each sample a pair of numbers)")
    if len(y) != len(points):
        raise ValueError(f"decision_boundary: {len(points)} points but {len(y)} labels")
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.15 * np.where(high > low, high - low, 1.0)
    gx = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    gy = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    GX, GY = np.meshgrid(gx, gy)
    grid = np.column_stack([GX.ravel(), GY.ravel()])
    scores = np.asarray(predict(grid.tolist()), dtype=float)
    if len(scores) != len(grid):
        raise ValueError(f"decision_boundary: predict returned {len(scores)} outputs for {len(grid)} points")
    return points, [float(t) for t in y], (gx, gy), scores


def _two_classes_field(ax: Any, gx: Any, gy: Any, scores: Any, labels: list[float],
                       threshold: float) -> tuple[Any, dict, str, str]:
    """One output: shaded from one class's colour through white (undecided) to the other's, and the
    line where it crosses the threshold. (shading, colour of each class, legend text, subtitle)."""
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm

    classes = _two_classes(labels)
    field = scores.reshape(len(gy), len(gx))
    if 0.0 <= field.min() and field.max() <= 1.0 and threshold == 0.5:
        span = 0.5  # a probability: colour on its own scale, so p ≈ 0.5 everywhere stays white
    else:
        # most of the frame, not its far corners, sets the scale (beyond it the colour saturates)
        span = max(float(np.quantile(np.abs(field - threshold), 0.9)), 1e-12)
    cmap = LinearSegmentedColormap.from_list("classes", [PALETTE[0], "#ffffff", PALETTE[1]])
    norm = TwoSlopeNorm(vcenter=threshold, vmin=threshold - span, vmax=threshold + span)
    # 21 bands: the middle one straddles the threshold, so "undecided" is white
    shade = ax.contourf(gx, gy, field, levels=np.linspace(threshold - span, threshold + span, 22), cmap=cmap,
                        norm=norm, alpha=0.6, extend="both")
    subtitle = ""
    if (field > threshold).any() and (field <= threshold).any():
        ax.contour(gx, gy, field, levels=[threshold], colors="black", linewidths=1.6)
    else:
        lo, hi = field.min(), field.max()
        stays = f"= {lo:.3g} everywhere" if hi - lo < 1e-3 * span else f"stays in [{lo:.3g}, {hi:.3g}]"
        subtitle = f"\noutput {stays} in this frame: no boundary"
    return shade, {classes[0]: PALETTE[0], classes[1]: PALETTE[1]}, f"boundary: output = {threshold:g}", subtitle


def _many_classes_field(ax: Any, gx: Any, gy: Any, scores: Any) -> tuple[dict, str]:
    """One output per class: each region in its class's colour, and the lines where two classes tie."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    classes = tuple(float(c) for c in range(scores.shape[1]))
    field = scores.argmax(axis=1).reshape(len(gy), len(gx))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(classes))]
    ax.contourf(gx, gy, field, levels=np.arange(len(classes) + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.3)
    ax.contour(gx, gy, field, levels=np.arange(len(classes) - 1) + 0.5, colors="black", linewidths=1.2)
    return dict(zip(classes, colours)), "boundary: two classes tie"


def _labelled_points(ax: Any, points: Any, labels: list[float], colour_of: dict) -> None:
    """The data on top, each class in its colour, labelled for the legend."""
    classes = tuple(colour_of)
    for v in sorted(set(labels)):
        if v not in colour_of:
            raise ValueError(f"decision_boundary: label {v:g} is not one of the model's classes {classes}")
        members = points[[t == v for t in labels]]
        ax.scatter(members[:, 0], members[:, 1], s=26, color=colour_of[v], edgecolors="black", linewidths=0.6,
                   label=(f"class {v:+g}" if min(classes) < 0 else f"class {v:g}").replace("-", "−"), zorder=3)


def activation_derivative(name: str, z: float, negative_slope: float = 0.01) -> tuple[float, float]:
    """(g(z), g'(z)) with g' from the engine's backward."""
    x = Value(z)
    out = {"sigmoid": x.sigmoid, "tanh": x.tanh, "relu": x.relu, "softplus": x.softplus, "elu": x.elu,
           "gelu": x.gelu, "leaky_relu": lambda: x.leaky_relu(negative_slope)}[name]()
    out.backward()
    return out.data, x.grad


def activations(names: Iterable[str], path: PathLike = None, low: float = -6.0, high: float = 6.0,
                points: int = 241, negative_slope: float = 0.01) -> "Figure":
    """Each activation with its derivative (from backward), one panel each.

    negative_slope: leaky ReLU's slope below 0 (0.01, as nn's leaky_relu); its panel says it.
    """
    names = list(names)
    cols = len(names) if len(names) <= 4 else 3  # more than four: rows of three, a slide's shape
    rows = -(-len(names) // cols)
    fig, axes = _figure(cols, rows, size=(3.4, 3.0))
    zs = [low + i * (high - low) / (points - 1) for i in range(points)]
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names):
        pairs = [activation_derivative(name, z, negative_slope) for z in zs]
        ax.axhline(0, color="#bbbbbb", lw=0.8)
        ax.axvline(0, color="#bbbbbb", lw=0.8)
        ax.plot(zs, [p[0] for p in pairs], color=POSITIVE, label="g(z)")
        ax.plot(zs, [p[1] for p in pairs], color=NEGATIVE, ls="--", label="g′(z), from backward")
        shown = {"sigmoid": "sigmoid σ(z)", "relu": "ReLU", "softplus": "softplus", "elu": "ELU (α = 1)",
                 "gelu": "GELU: z·Φ(z)"}.get(name, name)
        if name == "leaky_relu":
            shown = f"leaky ReLU: g(z) = {negative_slope:g}·z for z < 0"
            ax.annotate(f"g′ = {pairs[0][1]:g}, not 0", (low / 2, pairs[0][1]), xytext=(0, 14),
                        textcoords="offset points", ha="center", fontsize=8, color=NEGATIVE,
                        arrowprops={"arrowstyle": "->", "color": NEGATIVE})
        ax.set(title=shown, xlabel="z (weighted sum)")
        ax.title.set_fontsize(9)
    _legend_outside(fig, axes[0][0], "lower center", ncols=2)
    return _done(fig, path)


def layer_gradients(series: Mapping[str, Sequence[float]], path: PathLike = None,
                    title: str = "Gradient size per layer", ylabel: str = "mean |∂L/∂w|",
                    xlabel: str = "layer (1 = nearest the input; the last is the output layer)") -> "Figure":
    """Per-layer magnitudes on a log scale, one line per network (vanishing gradients)."""
    fig, axes = _figure(size=(7.0, 4.0))
    ax = axes[0][0]
    for (name, values), colour in zip(series.items(), PALETTE * 4):
        shown = [max(v, 1e-300) for v in values]
        ax.plot(range(1, len(values) + 1), shown, marker="o", label=name, color=colour)
    _log_y(ax)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _legend_outside(fig, ax)
    return _done(fig, path)


def iterate_labels(ws: Sequence[float], ys: Sequence[float], xlim: tuple[float, float], ylim: tuple[float, float],
                   shown: int = 6, spacing: float = 0.07) -> list[tuple[str, float, float]]:
    """Labels for the first `shown` iterates: ("w0, w2, w4", x, y), one per place.

    Iterates at the same place share a label; one closer than `spacing` (a fraction of the frame)
    to an earlier label gets none, so no two labels overlap.
    """
    placed: list[tuple[list[str], float, float]] = []
    for k, (w, j) in enumerate(list(zip(ws, ys))[:shown]):
        fx, fy = (w - xlim[0]) / (xlim[1] - xlim[0]), (j - ylim[0]) / (ylim[1] - ylim[0])
        near = [p for p in placed if math.hypot(p[1] - fx, p[2] - fy) < spacing]
        if not near:
            placed.append(([f"w{k}"], fx, fy))
        elif math.hypot(near[0][1] - fx, near[0][2] - fy) < 1e-9:
            near[0][0].append(f"w{k}")
    return [(", ".join(names), xlim[0] + fx * (xlim[1] - xlim[0]), ylim[0] + fy * (ylim[1] - ylim[0]))
            for names, fx, fy in placed]


def gradient_descent(ws: Sequence[float], cost: Callable[[float], float], X: Sequence[float], Z: Sequence[float],
                     path: PathLike = None, title: str = "Gradient descent", iterations: Optional[int] = None) -> "Figure":
    """The notes' pair of scatterplots: cost J(w) against w with the iterates on the parabola,
    and the data with the line z = w·x of each iteration (lighter = earlier)."""
    ws = list(ws)[: (iterations + 1) if iterations else None]
    fig, axes = _figure(2, size=(5.0, 3.8))
    ax = axes[0][0]
    lo, hi = min(ws + [0.0]) - 0.5, max(ws + [4.0]) + 0.5
    grid = [lo + i * (hi - lo) / 200 for i in range(201)]
    costs = [cost(w) for w in grid]
    ylim = (min(costs) - 0.08 * (max(costs) - min(costs)), max(costs) * 1.12)
    ax.plot(grid, costs, color="#888888", label="J(w)")
    ax.plot(ws, [cost(w) for w in ws], color=NEGATIVE, marker="o", ms=4, lw=1, label="iterates w0, w1, …")
    for text, w, j in iterate_labels(ws, [cost(w) for w in ws], (lo, hi), ylim):
        right_half = w > (lo + hi) / 2  # put the label on the inner side: it stays in the frame
        ax.annotate(text, (w, j), textcoords="offset points", xytext=(-6 if right_half else 6, 4), fontsize=8,
                    ha="right" if right_half else "left")
    ax.set(xlabel="weight w", ylabel="cost J(w)", title=f"{title}: cost", xlim=(lo, hi), ylim=ylim)
    ax.legend(loc="upper center", fontsize=8)  # the parabola's middle top is empty
    ax = axes[0][1]
    ax.scatter(X, Z, color="black", zorder=3, label="data")
    span = [min(X) - 0.2, max(X) + 0.2]
    lines = _distinct_lines(ws)
    shown = lines if len(lines) <= 8 else lines[:4] + lines[-3:]
    colours = _sequential_colours(len(shown))
    for (w, iterations), colour in zip(shown, colours):
        ax.plot(span, [w * s for s in span], color=colour, lw=1.6, label=f"{_iterations(iterations)} = {w:.4g}")
    if len(shown) < len(lines):
        ax.plot([], [], " ", label=f"({len(lines) - len(shown)} lines in between not drawn)")
    ax.set(xlabel="x", ylabel="z", title=f"{title}: the line z = w·x per iteration")
    _legend_outside(fig, ax)
    return _done(fig, path)


def _distinct_lines(ws: Sequence[float]) -> list[tuple[float, list[int]]]:
    """Each different w once (to 12 significant digits), with the iterations that reached it, in order:
    w jumping 0 ↔ 4 is two lines, drawn once each, not one line per iteration on top of another."""
    found: dict[str, tuple[float, list[int]]] = {}
    for k, w in enumerate(ws):
        found.setdefault(f"{w:.12g}", (w, []))[1].append(k)
    return list(found.values())


def _iterations(ks: list[int]) -> str:
    """w0 for one iteration; w0, w2, w4, … for many."""
    names = [f"w{k}" for k in ks]
    return ", ".join(names) if len(names) <= 3 else ", ".join(names[:3]) + ", …"


def _sequential_colours(n: int) -> list:
    """n colours from dark blue (earliest) to yellow (latest), each told from its neighbours (viridis)."""
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return [cmap(0.85 * k / max(1, n - 1)) for k in range(n)]


def plateau(watched: Sequence[float], lr: Sequence[float], reductions: Sequence[int], path: PathLike = None,
            watched_label: str = "validation loss", title: str = "ReduceLROnPlateau") -> "Figure":
    """The loss a plateau scheduler watches (top) and the learning rate it sets (bottom), per epoch.

    Each cut (after epoch r, so epoch r + 1 runs with the new η) is a dashed line at r + ½; the shaded
    stretch before it runs from the best loss so far to the cut: the plateau that caused it.
    """
    fig, axes = _figure(1, 2, size=(7.5, 2.5), sharex=True)
    top, bottom = axes[0][0], axes[1][0]
    epochs = range(1, len(watched) + 1)
    top.plot(epochs, watched, color=POSITIVE, label=watched_label)
    bottom.step(epochs, lr, where="mid", color=NEGATIVE, label="learning rate η")
    for k, r in enumerate(reductions):
        best = min(range(r), key=lambda i: watched[i]) + 1  # the epoch of the best loss before the cut
        top.axvspan(best, r + 0.5, color="#000000", alpha=0.08, lw=0,
                    label="plateau: no new best since the shaded stretch began" if k == 0 else None)
        top.plot([best], [watched[best - 1]], "o", color=POSITIVE, ms=4, label="the best loss so far" if k == 0 else None)
        for ax in (top, bottom):
            ax.axvline(r + 0.5, color="#555555", lw=0.9, ls="--", label="η cut" if k == 0 and ax is top else None)
    top.set(ylabel=watched_label)
    top.set_title(f"{title}: η is cut when the watched loss stops improving", fontsize=10)
    bottom.set(xlabel="epoch", ylabel="η")
    handles, labels = top.get_legend_handles_labels()
    more, names = bottom.get_legend_handles_labels()
    fig.legend(handles + more, labels + names, loc="outside lower center", ncols=3, fontsize=8)
    return _done(fig, path)


def clipping(losses: Mapping[str, Sequence[float]], norms: Mapping[str, Sequence[float]], threshold: float,
             path: PathLike = None, loss_label: str = "training loss", title: str = "Gradient clipping") -> "Figure":
    """Loss (left) and gradient norm before clipping (right) per epoch for each run, both on log scales,
    with the clip threshold: above the dashed line a gradient was scaled down to it."""
    fig, axes = _figure(2, size=(4.8, 3.8))
    left, right = axes[0]
    for (name, loss), colour in zip(losses.items(), PALETTE):
        left.plot(range(1, len(loss) + 1), loss, color=colour, label=name)
        right.plot(range(1, len(norms[name]) + 1), norms[name], color=colour)
    for ax in (left, right):
        _log_y(ax)
    right.axhline(threshold, color="black", ls="--", lw=1, label=f"clip threshold {threshold:g}")
    top = 2 * max(threshold, *(max(n) for n in norms.values()))
    right.axhspan(threshold, top, color="#000000", alpha=0.07, lw=0,
                  label="with clipping, a gradient up here is scaled down to the threshold")
    right.set_ylim(top=top)
    left.set(xlabel="epoch", ylabel=loss_label, title="the loss")
    right.set(xlabel="epoch", ylabel="largest gradient norm of the epoch,\nbefore clipping",
              title="the gradients, before clipping")
    fig.suptitle(title)  # once, over both panels: a title per panel would run past the figure's edge
    handles, labels = left.get_legend_handles_labels()
    more, names = right.get_legend_handles_labels()
    fig.legend(handles + more, labels + names, loc="outside lower center", ncols=2, fontsize=8)
    return _done(fig, path)


def images(pictures: Sequence[Sequence[float]], captions: Sequence[str], path: PathLike = None,
           shape: tuple[int, int] = (8, 8), title: str = "") -> "Figure":
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
    return _done(fig, path)


def confusion(matrix: Sequence[Sequence[int]], path: PathLike = None, title: str = "Confusion matrix") -> "Figure":
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
    return _done(fig, path)


__all__ = ["history", "curves", "decision_boundary", "activations", "activation_derivative", "layer_gradients",
           "gradient_descent", "iterate_labels", "plateau", "clipping", "images", "confusion", "save", "to_bytes"]
