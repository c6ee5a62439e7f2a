"""`History`: what happened in training, one entry per epoch — what `fit` returns and viz plots."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class History:
    """What happened in training, one entry per epoch (for viz plots)."""

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


def _loss_curve_svg(loss: list[float], width: int = 320, height: int = 120) -> str:
    """The training loss per epoch as a small inline SVG (no plotting library needed)."""
    if len(loss) < 2:
        return ""
    low, high = min(loss), max(loss)
    span = (high - low) or 1.0
    xs = [8 + (width - 16) * i / (len(loss) - 1) for i in range(len(loss))]
    ys = [8 + (height - 28) * (high - v) / span for v in loss]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="training loss per epoch"><polyline fill="none" stroke="#0072B2" stroke-width="2" '
            f'points="{points}"/><text x="8" y="{height - 4}" font-size="11" font-family="sans-serif">'
            f'loss per epoch: {loss[0]:.3g} → {loss[-1]:.3g}</text></svg>')
