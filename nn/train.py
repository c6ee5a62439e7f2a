"""`fit`: the notes' training loop — forward, loss, backward, update — over epochs and batches.

Full-batch gradient descent (batch_size=None), mini-batch SGD (batch_size=k) and
stochastic gradient descent (batch_size=1) are the same loop with different batch sizes.
A named loss on an MLP runs each batch through the array path (nn/arrays.py: one node per
layer operation); a loss function of your own runs through scalar graphs, one per sample.
Both give the same numbers: `loss_graph` builds the scalar graph of any batch, to draw it
or step through it. Returns a `History` of loss, accuracy, learning rate and gradient norm.
"""
from __future__ import annotations

import math
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from chainrule import engine
from chainrule.engine import Value, no_grad
from chainrule.engine.checks import as_number

from . import arrays
from . import losses as L
from .init import generator
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
    diverged: bool = False  # True when it ended because the numbers blew up

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
        return "\n".join(lines)

    def __repr__(self) -> str:  # a summary, not thousands of numbers
        return self.summary()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.summary())

    def _repr_html_(self) -> str:  # Jupyter: the summary and a small loss curve (viz.plots.history draws more)
        from html import escape

        return f"<pre>{escape(self.summary())}</pre>{_loss_curve_svg(self.loss)}"


@dataclass(frozen=True)
class Objective:
    """How a loss reads a model: which output it consumes and how accuracy is judged."""

    name: str
    function: Callable[[Any, Any], Value]  # on scalar outputs (one graph per sample)
    use_logits: bool
    accuracy: Optional[str]  # "threshold", "sign", "argmax" or None
    array_function: Optional[Callable[..., tuple[float, np.ndarray]]] = None  # the same loss on arrays

    def outputs(self, model: MLP, inputs: Any) -> Any:
        """What the loss reads from one sample: the model's logits (for the stable forms) or outputs."""
        return model.logits(inputs) if self.use_logits else model(inputs)


def objective(loss: Union[str, Callable], model: Any) -> Objective:
    """Pick the stable form of a named loss for this model's output activation."""
    if callable(loss):
        return Objective(getattr(loss, "__name__", "custom"), loss, False, _accuracy_kind("custom", model))
    out = getattr(model, "output", "linear")
    if loss == "bce":
        if out == "sigmoid":  # train on logits: stable for any score
            return Objective("bce", L.binary_cross_entropy_with_logits, True, "threshold", arrays.LOSSES["bce_logits"])
        return Objective("bce", L.binary_cross_entropy, False, "threshold", arrays.LOSSES["bce"])
    if loss == "cross_entropy":
        if out not in ("softmax", "linear"):
            raise ValueError(f"fit: loss 'cross_entropy' needs output='softmax' (or 'linear' logits), the model has {out!r}")
        return Objective("cross_entropy", L.cross_entropy, True, "argmax", arrays.LOSSES["cross_entropy"])
    if loss in ("mse", "mse_half", "hinge", "nll"):
        return Objective(loss, L.LOSSES[loss], False, _accuracy_kind(loss, model), arrays.LOSSES[loss])
    raise ValueError(f"fit: unknown loss {loss!r}; choose mse, mse_half, bce, cross_entropy, nll, hinge or pass a function")


def _accuracy_kind(loss: str, model: Any) -> Optional[str]:
    out = getattr(model, "output", "linear")
    if out == "softmax" or loss == "nll":
        return "argmax"
    if loss == "hinge":
        return "sign"
    if out == "sigmoid":
        return "threshold"
    return None  # regression: no accuracy


# -- data in, checked once ---------------------------------------------------------------------

def _inputs(X: Any, model: Any, where: str) -> np.ndarray:
    try:
        A = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: X must be a list of samples, each a list of numbers") from None
    if A.ndim == 1 and getattr(model, "nin", None) == 1:
        A = A[:, None]
    if A.ndim != 2 or len(A) == 0:
        raise ValueError(f"{where}: X must be a non-empty list of samples, each a list of numbers (got shape {A.shape})")
    nin = getattr(model, "nin", A.shape[1])
    if A.shape[1] != nin:
        raise ValueError(f"{where}: each sample must have {nin} inputs for this model, got {A.shape[1]}")
    if not np.isfinite(A).all():
        raise ValueError(f"{where}: X holds NaN or infinity")
    return A


def _targets(y: Any, n: int, obj: Objective, model: Any, where: str) -> np.ndarray:
    """Targets as an array the array losses read: class indices (n) or numbers (n × k)."""
    if len(y) != n:
        raise ValueError(f"{where}: {n} samples but {len(y)} targets; they must match one to one")
    outputs = model.sizes[-1] if hasattr(model, "sizes") else 1
    if obj.array_function is not None:
        L.check_labels("bce_logits" if obj.name == "bce" else obj.name, y, outputs)
    if obj.name in ("cross_entropy", "nll"):
        return np.asarray(y, dtype=float).astype(int)
    T = np.asarray(y, dtype=float)
    return T[:, None] if T.ndim == 1 else T


def _truth(y: np.ndarray, kind: str) -> np.ndarray:
    if kind == "argmax" and y.ndim == 2:  # one-hot targets
        return np.argmax(y, axis=1).astype(float)
    return y.reshape(len(y)).astype(float) if y.ndim == 2 and y.shape[1] == 1 else y.astype(float)


def _labels(O: np.ndarray, kind: str, logits: bool) -> np.ndarray:
    """Predicted labels from outputs (n × k)."""
    if kind == "argmax":  # the same class for logits and for softmax probabilities
        return np.argmax(O, axis=1).astype(float)
    o = O[:, 0]
    if kind == "sign":
        return np.where(o > 0, 1.0, -1.0)
    return np.where(o > (0.0 if logits else 0.5), 1.0, 0.0)  # σ(z) > 0.5 exactly when z > 0


# -- one batch: loss and gradients ------------------------------------------------------------

def _array_path(model: Any, obj: Objective) -> bool:
    return isinstance(model, MLP) and obj.array_function is not None


def _batch_gradients(model: MLP, X: np.ndarray, T: np.ndarray, obj: Objective, l2: float) -> float:
    """Forward, loss and backward for one batch on the array path; gradients are added to the
    parameters' `.grad` (into the model's gradient buffer). Returns the loss."""
    tape = arrays.Tape()
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow shows up as a non-finite loss, checked by fit
        O = arrays.forward(model, X, tape, logits=obj.use_logits)
        value, G = obj.array_function(O, T)
        tape.backward(G)
        if l2:
            theta = model._store.values
            value += l2 * float(theta @ theta)
            model._store.grads += (2.0 * l2) * theta
    return value


def _scalar_gradients(model: Any, X: np.ndarray, y: Any, obj: Objective, l2: float, params: list[Value]) -> float:
    value = _loss_graph(model, X, y, obj, l2, params)
    value.backward()
    return value.data


def _loss_graph(model: Any, X: Any, y: Any, obj: Objective, l2: float, params: list[Value]) -> Value:
    value = obj.function([obj.outputs(model, list(x)) for x in X], [_plain(t) for t in y])
    return value + L.l2_penalty(params, l2) if l2 else value


def _plain(t: Any) -> Any:
    return t.tolist() if isinstance(t, np.ndarray) else t


def loss_graph(model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
               l2: float = 0.0) -> Value:
    """The scalar graph of one batch's loss (one graph per sample, combined as the loss combines them),
    with the same numbers as the array path that `fit` uses: draw it, explain it, step through it.
    `loss_graph(model, [X[i]], [y[i]], loss)` is sample i's own graph.
    """
    obj = objective(loss, model)
    A = _inputs(X, model, "loss_graph")
    return _loss_graph(model, A, list(y), obj, _l2(l2, "loss_graph"), model.parameters())


def _l2(l2: Any, where: str) -> float:
    l2 = as_number(l2, f"{where}: l2")
    if l2 < 0:
        raise ValueError(f"{where}: l2 must be ≥ 0 (it adds λ‖θ‖² to the loss), got {l2}")
    return l2


# -- evaluation --------------------------------------------------------------------------------

def evaluate(model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse") -> tuple[float, Optional[float]]:
    """(loss, accuracy or None) on a data set, without recording a graph."""
    obj = objective(loss, model)
    A = _inputs(X, model, "evaluate")
    return _evaluate(model, A, _targets(y, len(A), obj, model, "evaluate"), obj)


def _evaluate(model: Any, X: np.ndarray, T: np.ndarray, obj: Objective) -> tuple[float, Optional[float]]:
    if _array_path(model, obj):
        with np.errstate(over="ignore", invalid="ignore"):
            O = arrays.forward(model, X, logits=obj.use_logits)
            value = obj.array_function(O, T)[0]
    else:
        with no_grad():
            outputs = [obj.outputs(model, list(x)) for x in X]
            value = obj.function(outputs, [_plain(t) for t in T]).data
        O = np.array([[o.data] if isinstance(o, Value) else [v.data for v in o] for o in outputs])
    if obj.accuracy is None:
        return value, None
    labels = _labels(O, obj.accuracy, obj.use_logits)
    return value, float(np.mean(labels == _truth(T, obj.accuracy)))


def predict(model: Any, X: Sequence[Any]) -> list[Any]:
    """Model outputs as plain numbers: a float per sample (one output) or a list per sample.

    One call for the whole set (the array path for an MLP): a 3,600-point grid is one matrix product per layer.
    """
    A = _inputs(X, model, "predict")
    if isinstance(model, MLP):
        with np.errstate(over="ignore", invalid="ignore"):
            O = arrays.forward(model, A)
    else:
        with no_grad():
            outs = [model(list(x)) for x in A]
        O = np.array([[o.data] if isinstance(o, Value) else [v.data for v in o] for o in outs])
    return O[:, 0].tolist() if O.shape[1] == 1 else O.tolist()


# -- one step, and the loop -------------------------------------------------------------------

class TrainingStep:
    """One step of the notes' loop — forward, loss, backward, update — on data checked once.

    `step()` trains on every sample, `step(rows)` on those rows (a mini-batch); each returns
    the batch's loss before the update. This is exactly what `fit` does for each batch, so a
    benchmark of it measures fit. With `clip_norm`/`clip_value` the gradients are clipped
    before the update; `last_norm` is their norm before clipping.
    """

    def __init__(self, model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
                 optimizer: Optional[Optimizer] = None, l2: float = 0.0, clip_norm: Optional[float] = None,
                 clip_value: Optional[float] = None, where: str = "TrainingStep") -> None:
        self.model, self.objective = model, objective(loss, model)
        self.X = _inputs(X, model, where)
        self.T = _targets(y, len(self.X), self.objective, model, where)
        self.y = list(y)
        self.l2 = _l2(l2, where)
        self.params = model.parameters()
        self.optimizer = optimizer or SGD(self.params, lr=0.1)
        self.clip_norm, self.clip_value = clip_norm, clip_value
        self.fast = _array_path(model, self.objective)
        self.last_norm = 0.0

    def __call__(self, rows: Optional[Sequence[int]] = None) -> float:
        optimizer, obj = self.optimizer, self.objective
        optimizer.zero_grad()
        X = self.X if rows is None else self.X[rows]
        if self.fast:
            value = _batch_gradients(self.model, X, self.T if rows is None else self.T[rows], obj, self.l2)
        else:
            y = self.y if rows is None else [self.y[i] for i in rows]
            value = _scalar_gradients(self.model, X, y, obj, self.l2, self.params)
        if not math.isfinite(value):  # a non-finite gradient is refused by optimizer.step, by name
            raise OverflowError(f"the loss became non-finite ({value:.4g})")
        _, grads = optimizer.values_and_grads()
        if self.clip_norm is not None:
            self.last_norm = clip_grad_norm(optimizer.params, self.clip_norm)
        else:
            self.last_norm = math.sqrt(float(grads @ grads))
        if self.clip_value is not None:
            clip_grad_value(optimizer.params, self.clip_value)
        optimizer.step()
        return value

    step = __call__


def fit(model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
        optimizer: Optional[Optimizer] = None, epochs: int = 100, batch_size: Optional[int] = None,
        validation: Optional[tuple[Sequence[Any], Sequence[Any]]] = None, seed: Optional[int] = None,
        shuffle: bool = True, l2: float = 0.0, scheduler: Any = None, clip_norm: Optional[float] = None,
        clip_value: Optional[float] = None, stop_below: Optional[float] = None,
        early_stopping: Optional[int] = None, progress: Optional[bool] = None) -> History:
    """Train `model` on (X, y) and return the History.

    loss: "mse", "mse_half", "bce", "cross_entropy", "nll", "hinge" or f(outputs, targets) -> Value.
    Targets are checked against the loss before training: bce 0/1, hinge ±1, cross_entropy and
    nll class indices 0 … k−1. optimizer: default SGD(lr=0.1). batch_size: None = full batch,
    1 = stochastic. seed: the shuffling order (None: the library-wide generator, nn.manual_seed).
    l2: adds λ‖θ‖² to the loss. scheduler: anything with step(loss) (called per epoch with the
    validation loss if given, else the training loss). stop_below: stop when the training loss
    falls below it (the notes' "until E < 0.001"). early_stopping: stop after this many epochs
    without a better validation loss. progress: a tqdm bar (default: on a terminal, for long runs).

    If the numbers blow up (a learning rate too large), training stops before any parameter
    becomes infinite, a RuntimeWarning says so, and the History so far is returned with
    `diverged=True` and the reason in `stopped`.
    """
    step = TrainingStep(model, X, y, loss, optimizer, l2, clip_norm, clip_value, where="fit")
    obj, A, T, optimizer = step.objective, step.X, step.T, step.optimizer
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive int, got {epochs!r}")
    n = len(A)
    batch = n if batch_size is None else batch_size
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    if early_stopping is not None and validation is None:
        raise ValueError("fit: early_stopping watches the validation loss: pass validation=(X_val, y_val)")
    val = None
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise ValueError("fit: validation must be a pair (X_val, y_val)")
        VA = _inputs(validation[0], model, "fit (validation)")
        val = (VA, _targets(validation[1], len(VA), obj, model, "fit (validation)"))
    rng = generator(seed)
    history = History()
    order = list(range(n))
    best_val, since_best = math.inf, 0
    bar = _progress_bar(epochs, epochs * math.ceil(n / batch) * n * (1 if step.fast else 50), progress)

    for epoch in range(1, epochs + 1):
        if shuffle and batch < n:
            rng.shuffle(order)
        rows = np.array(order) if batch < n else None  # one index array per epoch: its slices index the batches
        norm = 0.0
        try:
            for start in range(0, n, batch):
                step(rows[start:start + batch] if batch < n else None)
                norm = max(norm, step.last_norm)
            train_loss, train_acc = _evaluate(model, A, T, obj)
            if step.l2:
                train_loss += step.l2 * _squared_norm(model, step.params)
            if not math.isfinite(train_loss):
                raise OverflowError(f"the loss became {train_loss}")
        except OverflowError as error:
            history.diverged = True
            history.stopped = (f"diverged at epoch {epoch}: {_first_line(error)}. The learning rate "
                               f"(lr={optimizer.lr:g}) is too large for this problem: lower it (try {optimizer.lr / 10:g}) "
                               "or clip the gradients (clip_norm=1.0). The parameters keep their last finite values.")
            warnings.warn(f"fit: {history.stopped}", RuntimeWarning, stacklevel=2)
            break
        history.loss.append(train_loss)
        history.accuracy.append(train_acc if train_acc is not None else math.nan)
        history.lr.append(optimizer.lr)
        history.grad_norm.append(norm)
        watched = train_loss
        if val is not None:
            val_loss, val_acc = _evaluate(model, val[0], val[1], obj)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc if val_acc is not None else math.nan)
            watched = val_loss
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{train_loss:.4g}")
        if scheduler is not None:
            scheduler.step(watched)
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


def _squared_norm(model: Any, params: list[Value]) -> float:
    """‖θ‖²: one dot product on an MLP's buffer, else a sum over the Values."""
    if isinstance(model, MLP):
        theta = model._store.values
        return float(theta @ theta)
    return math.fsum(p.data * p.data for p in params)


def _first_line(error: BaseException) -> str:
    return str(error).split("\n")[0].rstrip(".")


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


def _progress_bar(epochs: int, work: int, progress: Optional[bool]):
    """A tqdm bar over epochs: on request, or by default on a terminal when the run is long."""
    show = progress if progress is not None else (sys.stderr.isatty() and work > 2_000_000)
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=epochs, unit="epoch", leave=False)
