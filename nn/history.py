"""`History`: what happened in training, one entry per epoch — what `fit` returns and viz plots."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class History:
    """What happened in training, one entry per epoch (for viz plots).

    `loss` and `accuracy` are what the epoch's batches measured as they trained, each batch before
    its own update (the mean over the samples; with the L2 term when fit has one): the first entry
    is the loss of the weights training started from. `val_loss` and `val_accuracy` are measured
    after the epoch, in evaluation mode.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # largest over the epoch's batches, before clipping
    stopped: str = ""  # why training ended
    diverged: bool = False  # True when it ended because the numbers blew up
    dead_layers: list[int] = field(default_factory=list)  # hidden layers (0-based) whose every ReLU gave 0 for every sample at the end

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def summary(self) -> str:
        """A few lines: epochs, first and last loss and accuracy, why it stopped."""
        if not self.loss:
            return "History: no epochs yet"
        lines = [f"History: {self.epochs} epochs; loss {self.loss[0]:.4g} → {self.loss[-1]:.4g}"]
        if self.accuracy and not math.isnan(self.accuracy[-1]):
            lines.append(f"  accuracy {self.accuracy[0]:.1%} → {self.accuracy[-1]:.1%}")
        if self.val_loss:
            lines.append(f"  validation loss {self.val_loss[-1]:.4g} (best {min(self.val_loss):.4g})")
        if self.stopped:
            lines.append(f"  stopped: {self.stopped}")
        if self.dead_layers:
            lines.append(f"  dead ReLUs: every unit of hidden layer {', '.join(map(str, self.dead_layers))} gives 0 "
                         "for every sample")
        return "\n".join(lines)

    def __repr__(self) -> str:  # a summary, not thousands of numbers
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())

    def _repr_html_(self) -> str:  # Jupyter: the summary and a small loss curve (viz.plots.history draws more)
        from html import escape

        return f"<pre>{escape(self.summary())}</pre>{_loss_curve_svg(self.loss)}"


def _loss_curve_svg(loss: list[float], width: int = 360, height: int = 170) -> str:
    """The training loss per epoch as a small inline SVG (no plotting library needed): a log scale
    when every loss is positive (the late epochs are where the loss changes by factors), axes with
    ticks, and every line and letter in the theme's own colour (currentColor), so it reads in a
    dark notebook theme as in a light one."""
    if len(loss) < 2 or not all(math.isfinite(v) for v in loss):
        return ""
    log = min(loss) > 0
    ys = [math.log10(v) for v in loss] if log else list(loss)
    low, high = min(ys), max(ys)
    if log:  # whole decades around the curve
        low, high = math.floor(low), max(math.ceil(high), math.floor(low) + 1)
    span = (high - low) or 1.0
    left, right, top, bottom = 52, 12, 10, 38
    def x_of(i: float) -> float:
        return left + (width - left - right) * i / (len(loss) - 1)
    def y_of(v: float) -> float:
        return top + (height - top - bottom) * (high - v) / span
    points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(ys))
    ticks = [low + k for k in range(int(high - low) + 1)] if log else [low, (low + high) / 2, high]
    labels = "".join(
        f'<line x1="{left - 4}" x2="{left}" y1="{y_of(t):.1f}" y2="{y_of(t):.1f}" stroke="currentColor"/>'
        f'<text x="{left - 6}" y="{y_of(t) + 4:.1f}" text-anchor="end">{_tick(t, log)}</text>' for t in ticks)
    epochs = "".join(
        f'<line x1="{x_of(e - 1):.1f}" x2="{x_of(e - 1):.1f}" y1="{height - bottom}" y2="{height - bottom + 4}" '
        f'stroke="currentColor"/><text x="{x_of(e - 1):.1f}" y="{height - bottom + 16}" text-anchor="middle">{e}</text>'
        for e in sorted({1, len(loss)}))
    axes = (f'<path d="M{left},{top} V{height - bottom} H{width - right}" fill="none" stroke="currentColor" '
            'stroke-opacity="0.6"/>')
    caption = (f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" text-anchor="middle">epoch · '
               f'training loss{" (log scale)" if log else ""}: {loss[0]:.3g} → {loss[-1]:.3g}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="training loss per epoch" font-family="sans-serif" font-size="12" fill="currentColor" '
            f'style="color: inherit">{axes}{labels}{epochs}<polyline fill="none" stroke="#0072B2" stroke-width="2" '
            f'points="{points}"/>{caption}</svg>')


def _tick(t: float, log: bool) -> str:
    return f"{10.0 ** t:g}" if log else f"{t:.3g}"
