"""`fit`: the notes' training loop — forward, loss, backward, update — over epochs and batches.

Full-batch gradient descent (batch_size=None), mini-batch SGD (batch_size=k) and
stochastic gradient descent (batch_size=1) are the same loop with different
batch sizes. Returns a `History` of train/validation loss and accuracy per epoch.
"""
from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from chainrule.engine import Value, no_grad

from . import batch as B
from . import losses as L
from .layers import MLP
from .optim import SGD, Optimizer, clip_grad_norm, clip_grad_value


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

    @property
    def epochs(self) -> int:
        return len(self.loss)


@dataclass(frozen=True)
class Objective:
    """How a loss reads a model: which output it consumes and how accuracy is judged."""

    name: str
    function: Callable[[list[Any], list[Any]], Value]
    use_logits: bool
    accuracy: Optional[str]  # "threshold", "sign", "argmax" or None
    batch_function: Optional[Callable[[Any, Any], Value]] = None  # the same loss on a whole batch at once

    def outputs(self, model: MLP, inputs: Any) -> Any:
        """What the loss reads: the model's logits (for the stable forms) or its outputs."""
        return model.logits(inputs) if self.use_logits else model(inputs)


def objective(loss: Union[str, Callable], model: MLP) -> Objective:
    """Pick the stable form of a named loss for this model's output activation."""
    if callable(loss):
        return Objective(getattr(loss, "__name__", "custom"), loss, False, _accuracy_kind("custom", model))
    out = model.output
    if loss == "bce":
        if out == "sigmoid":  # train on logits: stable for any score
            return Objective("bce", L.binary_cross_entropy_with_logits, True, "threshold",
                             B.binary_cross_entropy_with_logits)
        return Objective("bce", L.binary_cross_entropy, False, "threshold", B.binary_cross_entropy)
    if loss == "cross_entropy":
        if out not in ("softmax", "linear"):
            raise ValueError(f"fit: loss 'cross_entropy' needs output='softmax' (or 'linear' logits), the model has {out!r}")
        return Objective("cross_entropy", L.cross_entropy, True, "argmax", B.cross_entropy)
    if loss in ("mse", "mse_half", "hinge", "nll"):
        return Objective(loss, L.LOSSES[loss], False, _accuracy_kind(loss, model), B.LOSSES[loss])
    raise ValueError(f"fit: unknown loss {loss!r}; choose mse, mse_half, bce, cross_entropy, nll, hinge or pass a function")


def _accuracy_kind(loss: str, model: MLP) -> Optional[str]:
    if model.output == "softmax" or loss == "nll":
        return "argmax"
    if loss == "hinge":
        return "sign"
    if model.output == "sigmoid":
        return "threshold"
    return None  # regression: no accuracy


def _labels(outputs: Any, kind: str, logits: bool) -> Any:
    """Predicted labels from one sample's outputs (numbers) or a batch's (arrays)."""
    if kind == "argmax":  # the same class for logits and for softmax probabilities
        return np.argmax(np.array([o.data for o in outputs]), axis=0).astype(float)
    value = outputs.data
    if kind == "sign":
        return np.where(value > 0, 1.0, -1.0)
    return np.where(value > (0.0 if logits else 0.5), 1.0, 0.0)  # σ(z) > 0.5 exactly when z > 0


def _loss_on(model: MLP, X: list[Any], y: list[Any], obj: Objective, batched: bool) -> tuple[Value, Any]:
    """(loss, outputs) for samples X: one graph for the whole batch, or one graph per sample."""
    if batched:
        outputs = obj.outputs(model, B.columns(X))
        return obj.batch_function(outputs, y), outputs
    outputs = [obj.outputs(model, x) for x in X]
    return obj.function(outputs, y), outputs


def evaluate(model: MLP, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse") -> tuple[float, Optional[float]]:
    """(loss, accuracy or None) on a data set, without recording a graph."""
    return _evaluate(model, list(X), list(y), objective(loss, model), batched=True)


def _evaluate(model: MLP, X: list[Any], y: list[Any], obj: Objective, batched: bool = True) -> tuple[float, Optional[float]]:
    if not X:
        raise ValueError("evaluate: no data")
    batched = batched and obj.batch_function is not None
    with no_grad():
        value, outputs = _loss_on(model, X, y, obj, batched)
        if obj.accuracy is None:
            return value.data, None
        if batched:
            labels = _labels(outputs, obj.accuracy, obj.use_logits)
        else:
            labels = np.array([_labels(o, obj.accuracy, obj.use_logits) for o in outputs])
    truth = np.array([_as_label(t) for t in y], dtype=float)
    return value.data, float(np.mean(labels == truth))


def _as_label(t: Any) -> Any:
    if isinstance(t, (list, tuple)):
        return list(t).index(max(t))
    return float(t)


def predict(model: MLP, X: Sequence[Any]) -> list[Any]:
    """Model outputs as plain numbers (a float per sample, or a list for several outputs)."""
    with no_grad():
        outs = [model(x) for x in X]
    return [o.data if isinstance(o, Value) else [v.data for v in o] for o in outs]


def fit(model: MLP, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
        optimizer: Optional[Optimizer] = None, epochs: int = 100, batch_size: Optional[int] = None,
        validation: Optional[tuple[Sequence[Any], Sequence[Any]]] = None, seed: int = 0, shuffle: bool = True,
        l2: float = 0.0, scheduler: Any = None, clip_norm: Optional[float] = None, clip_value: Optional[float] = None,
        stop_below: Optional[float] = None, early_stopping: Optional[int] = None,
        progress: Optional[bool] = None, batched: Optional[bool] = None) -> History:
    """Train `model` on (X, y) and return the History.

    loss: "mse", "mse_half", "bce", "cross_entropy", "nll", "hinge" or f(outputs, targets) -> Value.
    optimizer: default SGD(lr=0.1). batch_size: None = full batch, 1 = stochastic.
    l2: adds λ‖θ‖² to the loss. scheduler: anything with step(loss) (called per epoch with the
    validation loss if given, else the training loss). stop_below: stop when the training loss
    falls below it (the notes' "until E < 0.001"). early_stopping: stop after this many epochs
    without a better validation loss. progress: a tqdm bar (default: on a terminal, for long runs).
    batched: run each batch through one graph whose Values hold the whole batch (the default for the
    named losses; gradients equal the per-sample graphs' to rounding); False builds one graph per sample.
    """
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} targets")
    if not X:
        raise ValueError("fit: no training data")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive int, got {epochs!r}")
    n = len(X)
    batch = n if batch_size is None else batch_size
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    if early_stopping is not None and validation is None:
        raise ValueError("fit: early_stopping watches the validation loss: pass validation=(X_val, y_val)")
    obj = objective(loss, model)
    use_batches = obj.batch_function is not None if batched is None else bool(batched)
    if use_batches and obj.batch_function is None:
        raise ValueError("fit: batched=True needs a named loss (a custom loss function runs one graph per sample)")
    params = model.parameters()
    optimizer = optimizer or SGD(params, lr=0.1)
    rng = random.Random(seed)
    history = History()
    order = list(range(n))
    best_val, since_best = math.inf, 0
    batches = math.ceil(n / batch)
    bar = _progress_bar(epochs, epochs * batches * n, progress)

    for epoch in range(1, epochs + 1):
        if shuffle and batch < n:
            rng.shuffle(order)
        norm = 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            value, _ = _loss_on(model, [X[i] for i in idx], [y[i] for i in idx], obj, use_batches)
            if l2:
                value = value + L.l2_penalty(params, l2)
            optimizer.zero_grad()
            value.backward()
            if clip_norm is not None:
                batch_norm = clip_grad_norm(params, clip_norm)
            else:
                batch_norm = math.sqrt(math.fsum(p.grad * p.grad for p in params))
            norm = max(norm, batch_norm)
            if clip_value is not None:
                clip_grad_value(params, clip_value)
            optimizer.step()
        train_loss, train_acc = _evaluate(model, X, y, obj, use_batches)
        if l2:
            train_loss += l2 * math.fsum(p.data * p.data for p in params)
        history.loss.append(train_loss)
        history.accuracy.append(train_acc if train_acc is not None else math.nan)
        history.lr.append(optimizer.lr)
        history.grad_norm.append(norm)
        watched = train_loss
        if validation is not None:
            val_loss, val_acc = _evaluate(model, list(validation[0]), list(validation[1]), obj, use_batches)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc if val_acc is not None else math.nan)
            watched = val_loss
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{train_loss:.4g}")
        if scheduler is not None:
            scheduler.step(watched)
        if not math.isfinite(train_loss):
            history.stopped = f"the loss became {train_loss} at epoch {epoch}: lower the learning rate"
            break
        if stop_below is not None and train_loss < stop_below:
            history.stopped = f"loss {train_loss:.4g} < {stop_below} at epoch {epoch}"
            break
        if early_stopping is not None:
            if watched < best_val:
                best_val, since_best = watched, 0
            else:
                since_best += 1
                if since_best >= early_stopping:
                    history.stopped = f"no better validation loss for {early_stopping} epochs (epoch {epoch})"
                    break
    else:
        history.stopped = f"ran all {epochs} epochs"
    if bar is not None:
        bar.close()
    return history


def _progress_bar(epochs: int, work: int, progress: Optional[bool]):
    """A tqdm bar over epochs: on request, or by default on a terminal when the run is long."""
    show = progress if progress is not None else (sys.stderr.isatty() and work > 200_000)
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=epochs, unit="epoch", leave=False)
