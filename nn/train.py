"""`fit`: the notes' training loop — forward, loss, backward, update — over epochs and batches.

    fit(model, X, y, loss, optimizer, epochs, …)
        check every argument               nothing is trained until all of them are right
        for each epoch:
            for each batch:                forward, loss, backward, update (a TrainingStep)
            record                         loss, accuracy, learning rate, gradient norm
            decide to stop                 stop_below, early stopping, or the epochs run out

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
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterator, Optional, Sequence, Union

import numpy as np

from chainrule.engine import Value, no_grad
from chainrule.engine.checks import as_number, count, describe, positive

from . import arrays
from . import losses as L
from .dropout import Dropout
from .history import History
from .shuffle import shuffler
from .layers import MLP
from .module import Module
from .objectives import Objective, objective, output_count, right_answers, truth
from .optim import SGD, Optimizer, clip_norm_of, clip_value_of

__all__ = ["History", "TrainingStep", "evaluate", "fit", "loss_graph", "objective", "predict"]


# -- data in, checked once ---------------------------------------------------------------------

def _inputs(X: Any, model: Any, where: str) -> np.ndarray:
    try:
        A = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: X must be a list of samples, each a list of numbers{_iterator_hint(X)}") from None
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


def _iterator_hint(x: Any) -> str:
    """Advice for an iterator (a generator, map, zip), which numpy cannot read as rows: list() it first."""
    if hasattr(x, "__len__") or not hasattr(x, "__iter__"):  # a list, or no collection at all (a number)
        return ""
    return f"; got a {type(x).__name__}: make it a list first, list(…)"


def _targets(y: Any, A: np.ndarray, obj: Objective, model: Any, where: str) -> np.ndarray:
    """Targets as an array the array losses read: class indices (n) or numbers (n × k)."""
    if not hasattr(y, "__len__") or isinstance(y, (str, bytes)):
        raise TypeError(f"{where}: y must be a list (or array) of targets, one per sample; got {describe(y)}"
                        f"{_iterator_hint(y)}")
    if len(y) != len(A):
        raise ValueError(f"{where}: {len(A)} samples but {len(y)} targets; they must match one to one")
    if obj.named:  # a loss of the library's: its targets are checked by its name
        T = L.check_labels(obj.name, y, output_count(model, A[0]))
    else:  # a loss of one's own: any numbers
        try:
            T = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: targets must be numbers, one per sample or a list of them per sample (all "
                             f"of one length); got {y!r:.80}") from None
    if obj.named and obj.name in ("cross_entropy", "nll"):
        return T.astype(int)
    return T[:, None] if T.ndim == 1 else T


def _l2(l2: Any, where: str) -> float:
    l2 = as_number(l2, f"{where}: l2")
    if l2 < 0:
        raise ValueError(f"{where}: l2 must be ≥ 0 (it adds λ‖θ‖² to the loss), got {l2}")
    return l2


# -- one batch: loss and gradients ------------------------------------------------------------

ArrayLoss = Callable[..., tuple[float, np.ndarray]]


def _array_loss(model: Any, obj: Objective) -> Optional[ArrayLoss]:
    """The loss on arrays when this model and loss take the array path (an MLP, a named loss), else None."""
    return obj.array_function if isinstance(model, MLP) else None


def _batch_gradients(model: MLP, X: np.ndarray, T: np.ndarray, obj: Objective, l2: float,
                     hidden: Optional[list] = None) -> tuple[float, np.ndarray]:
    """Forward, loss and backward for one batch on the array path; gradients are added to the
    parameters' `.grad` (into the model's gradient buffer). Returns the loss and the numbers the loss
    read (n × k); a `hidden` list receives each hidden layer's outputs."""
    loss = _array_loss(model, obj)
    if loss is None:
        raise TypeError(f"the array path needs an MLP and a named loss, got {type(model).__name__} and {obj.name!r}")
    tape = arrays.Tape()
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow shows up as a non-finite loss, checked by fit
        O = arrays.forward(model, X, tape, logits=obj.use_logits, hidden=hidden)
        value, G = loss(O, T)
        tape.backward(G)
        if l2:
            theta = model._store.values
            value += l2 * float(theta @ theta)
            model._store.grads += (2.0 * l2) * theta
    return value, O


def _loss_graph(model: Any, X: Any, y: Any, obj: Objective, l2: float, params: list[Value]) -> Value:
    return _loss_and_outputs(model, X, y, obj, l2, params)[0]


def _loss_and_outputs(model: Any, X: Any, y: Any, obj: Objective, l2: float, params: list[Value]) -> tuple[Value, list]:
    """The scalar graph of a batch's loss, and the outputs it read (one graph per sample)."""
    outputs = [obj.outputs(model, list(x)) for x in X]
    value = obj.function(outputs, [_plain(t) for t in y])
    return (value + L.l2_penalty(params, l2) if l2 else value), outputs


def _numbers(outputs: list) -> np.ndarray:
    """Scalar outputs (a Value, or a list of them, per sample) as an n × k array of their numbers."""
    return np.array([[o.data] if isinstance(o, Value) else [v.data for v in o] for o in outputs])


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
    return _loss_graph(model, A, list(y), obj, _l2(l2, "loss_graph"), model.parameters()).named("loss")


# -- evaluation --------------------------------------------------------------------------------

@contextmanager
def evaluation_mode(model: Any) -> Iterator[None]:
    """Dropout off inside the block (every module in evaluation mode); each module's mode as it was after."""
    modules = list(model.modules()) if isinstance(model, Module) else []
    modes = [m.training for m in modules]
    for m in modules:
        m.training = False
    try:
        yield
    finally:
        for m, mode in zip(modules, modes):
            m.training = mode


def evaluate(model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse") -> tuple[float, Optional[float]]:
    """(loss, accuracy or None) on a data set, in evaluation mode (no dropout), without recording a graph."""
    obj = objective(loss, model)
    A = _inputs(X, model, "evaluate")
    return _evaluate(model, A, _targets(y, A, obj, model, "evaluate"), obj, list(y))


def _evaluate(model: Any, X: np.ndarray, T: np.ndarray, obj: Objective, given: list) -> tuple[float, Optional[float]]:
    """The loss and accuracy of the model as it is now, in evaluation mode. `given` are the targets as they
    were given: a loss of one's own gets them so, as in training."""
    loss = _array_loss(model, obj)
    if loss is not None:  # no tape: no dropout
        with np.errstate(over="ignore", invalid="ignore"):
            O = arrays.forward(model, X, logits=obj.use_logits)
            value = loss(O, T)[0]
    else:
        with no_grad(), evaluation_mode(model):
            outputs = [obj.outputs(model, list(x)) for x in X]
            value = obj.function(outputs, [_plain(t) for t in given]).data
        O = _numbers(outputs)
    if obj.accuracy is None:
        return value, None
    return value, float(np.mean(right_answers(O, truth(T, obj.accuracy), obj)))


def predict(model: Any, X: Sequence[Any]) -> list[Any]:
    """Model outputs as plain numbers, in evaluation mode: a float per sample (one output) or a list per sample.

    One call for the whole set (the array path for an MLP): a 3,600-point grid is one matrix product per layer.
    """
    A = _inputs(X, model, "predict")
    if isinstance(model, MLP):
        with np.errstate(over="ignore", invalid="ignore"):
            O = arrays.forward(model, A)
    else:
        with no_grad(), evaluation_mode(model):
            O = _numbers([model(list(x)) for x in A])
    return O[:, 0].tolist() if O.shape[1] == 1 else O.tolist()


# -- one step ----------------------------------------------------------------------------------

class TrainingStep:
    """One step of the notes' loop — forward, loss, backward, update — on data checked once.

    `step()` trains on every sample, `step(rows)` on those rows (a mini-batch); each returns
    the batch's loss before the update. This is exactly what `fit` does for each batch, so a
    benchmark of it measures fit. With `clip_norm`/`clip_value` the gradients are clipped
    before the update; `last_norm` is their norm before clipping. `last_correct` counts the
    batch's samples the model classified right (None for a regression), and with `watch_hidden`
    `last_alive` says for each hidden layer whether any of its units gave a number other than 0
    (the array path only).
    """

    def __init__(self, model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
                 optimizer: Optional[Optimizer] = None, l2: float = 0.0, clip_norm: Optional[float] = None,
                 clip_value: Optional[float] = None, where: str = "TrainingStep", watch_hidden: bool = False) -> None:
        self.model, self.objective = model, objective(loss, model)
        self.X = _inputs(X, model, where)
        self.T = _targets(y, self.X, self.objective, model, where)
        self._given_y = y
        self.l2 = _l2(l2, where)
        self.optimizer = _check_optimizer(model, optimizer, where) if optimizer is not None else \
            SGD(model.parameters(), lr=0.1)
        self.clip_norm = None if clip_norm is None else positive(clip_norm, f"{where}: clip_norm")
        self.clip_value = None if clip_value is None else positive(clip_value, f"{where}: clip_value")
        self.fast = _array_loss(model, self.objective) is not None
        self.last_norm = 0.0
        self.last_correct: Optional[int] = None
        self.watch_hidden = watch_hidden and self.fast
        self.last_alive: list[bool] = []
        kind = self.objective.accuracy  # the true label of every sample, for counting right answers (None: a regression)
        self.labels: Optional[np.ndarray] = None if kind is None else truth(self.T, kind)

    @cached_property
    def y(self) -> list[Any]:
        """The targets as given, one per sample (read once, and only when the scalar path needs them)."""
        return list(self._given_y)

    @cached_property
    def params(self) -> list[Value]:
        """The model's parameters as Values (walked once, and only when the scalar path needs them)."""
        return self.model.parameters()

    def __call__(self, rows: Optional[Union[Sequence[int], np.ndarray]] = None) -> float:
        optimizer, obj = self.optimizer, self.objective
        optimizer.zero_grad()
        X = self.X if rows is None else self.X[rows]
        T = self.T if rows is None else self.T[rows]
        if self.fast:
            hidden: Optional[list] = [] if self.watch_hidden else None
            value, O = _batch_gradients(self.model, X, T, obj, self.l2, hidden)
            self.last_alive = [bool(H.any()) for H in hidden or []]
        else:
            y = self.y if rows is None else [self.y[i] for i in rows]
            graph, outputs = _loss_and_outputs(self.model, X, y, obj, self.l2, self.params)
            graph.backward()
            value, O = graph.data, _numbers(outputs)
        if not math.isfinite(value):  # a non-finite gradient is refused by optimizer.step, by name
            raise OverflowError(f"the loss became non-finite ({value:.4g})")
        labels = self.labels
        if labels is not None:
            right = right_answers(O, labels if rows is None else labels[rows], obj)
            self.last_correct = int(np.count_nonzero(right))
        self.last_norm = self._clip(optimizer)
        optimizer.step()
        return value

    step = __call__

    def _clip(self, optimizer: Optimizer) -> float:
        """Clip the gradients as asked; return their norm before clipping."""
        if self.clip_norm is not None:
            norm = clip_norm_of(optimizer.numbers, self.clip_norm)
        else:
            g = optimizer.numbers.grads()
            norm = math.sqrt(float(g @ g))
        if self.clip_value is not None:
            clip_value_of(optimizer.numbers, self.clip_value)
        return norm


def _check_optimizer(model: Any, optimizer: Any, where: str) -> Optimizer:
    """The optimizer, if it is one and moves every parameter of the model; else a clear error."""
    if not isinstance(optimizer, Optimizer):
        made = f"the class {optimizer.__name__}" if isinstance(optimizer, type) else describe(optimizer)
        raise TypeError(f"{where}: optimizer must be an optimizer built on the model's parameters, e.g. "
                        f"nn.SGD(model.parameters(), lr=0.1); got {made}")
    store = getattr(model, "_store", None)
    if store is not None and optimizer.numbers.store is store:  # the model's whole buffer: every parameter
        return optimizer
    held = {id(p) for p in optimizer.params}
    named = list(model.named_parameters())
    missing = [name for name, p in named if id(p) not in held]
    if missing and len(missing) == len(named):
        raise ValueError(f"{where}: the optimizer holds none of this model's parameters (it was built on another "
                         "model's, or on a copy's), so training would move nothing. Build it on this model: "
                         f"{type(optimizer).__name__}(model.parameters(), …)")
    if missing:
        shown = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        raise ValueError(f"{where}: the optimizer misses {len(missing)} of the model's {len(named)} parameters "
                         f"({shown}); they would never move. Build it on model.parameters()")
    return optimizer


# -- the loop ----------------------------------------------------------------------------------

@dataclass
class _Plan:
    """fit's arguments, checked: what each epoch does and when to stop."""

    step: TrainingStep
    epochs: int
    batch: int
    shuffle: bool
    rng: Any
    validation: Optional[tuple[np.ndarray, np.ndarray, list]]
    scheduler: Any
    stop_below: Optional[float]
    early_stopping: Optional[int]
    progress: Any  # a tqdm bar, or None
    best_epoch: int = 0  # the epoch with the lowest validation loss so far (early stopping)
    order: list[int] = field(default_factory=list)  # the samples' order, shuffled again each epoch


def fit(model: Any, X: Sequence[Any], y: Sequence[Any], loss: Union[str, Callable] = "mse",
        optimizer: Optional[Optimizer] = None, epochs: int = 100, batch_size: Optional[int] = None,
        validation: Optional[tuple[Sequence[Any], Sequence[Any]]] = None, seed: Optional[int] = None,
        shuffle: bool = True, l2: float = 0.0, scheduler: Any = None, clip_norm: Optional[float] = None,
        clip_value: Optional[float] = None, stop_below: Optional[float] = None,
        early_stopping: Optional[int] = None, progress: Optional[bool] = None) -> History:
    """Train `model` on (X, y) and return the History.

    The History records, per epoch, the training loss and accuracy as the epoch's batches measured
    them, each before its own update (as Keras does; with the full batch, the loss at the start of the
    epoch: the notes' loop computes E, then updates), and the validation loss and accuracy after it
    (`nn.evaluate` gives the loss of the model as it is now).

    loss: "mse", "mse_half", "bce", "bce_logits", "cross_entropy", "nll", "hinge", a loss function of this
    library (the same as its name) or f(outputs, targets) -> Value; targets are checked against it first (bce
    0/1, hinge ±1, cross_entropy and nll class indices 0 … k−1). optimizer: default SGD(lr=0.1), or the
    scheduler's optimizer when a scheduler is given; it must hold every parameter of the model. batch_size: None
    for the full batch, 1 for stochastic. seed: the shuffling order, an int 0 … 2³² − 1 (nn/shuffle.py; None:
    from the library's generator, nn.manual_seed). l2: adds λ‖θ‖² to the loss (and to the loss History records).
    scheduler: a scheduler on the same optimizer (nn.StepLR(optimizer, …)), stepped per epoch with the
    validation loss if given, else the training loss. stop_below: stop when the training loss falls below it
    (the notes' "until E < 0.001"). early_stopping: stop after this many epochs without a better validation
    loss. progress: a tqdm bar (default: on a terminal, for long runs).

    Every argument is checked before the first step. If the numbers blow up (a learning rate too
    large), training stops before any parameter becomes infinite, a RuntimeWarning says so, and the History
    so far comes back with `diverged=True`. Dead ReLUs (a hidden layer giving 0 for every sample at the
    end) get a RuntimeWarning and `History.dead_layers`.
    """
    plan = _checked(model, X, y, loss, optimizer, epochs, batch_size, validation, seed, shuffle, l2, scheduler,
                    clip_norm, clip_value, stop_below, early_stopping, progress)
    history = History()
    alive: list[bool] = []  # per hidden layer: did any unit give a number other than 0 in the last epoch
    for epoch in range(1, plan.epochs + 1):
        try:
            trained = _train_one_epoch(plan)
            _record(plan, history, trained)
            alive = trained.alive
        except OverflowError as error:
            _diverged(history, epoch, error, plan.step.optimizer)
            break
        history.stopped = _stop_reason(plan, history, epoch)
        if history.stopped:
            break
    else:
        history.stopped = f"ran all {plan.epochs} epochs"
    if plan.progress is not None:
        plan.progress.close()
    _warn_if_dead(alive, history)
    return history


def _checked(model: Any, X: Any, y: Any, loss: Any, optimizer: Any, epochs: Any, batch_size: Any, validation: Any,
             seed: Any, shuffle: Any, l2: Any, scheduler: Any, clip_norm: Any, clip_value: Any, stop_below: Any,
             early_stopping: Any, progress: Any) -> _Plan:
    """Every argument of fit, checked before anything is trained."""
    if optimizer is None and scheduler is not None and isinstance(getattr(scheduler, "optimizer", None), Optimizer):
        optimizer = scheduler.optimizer  # the scheduler's own optimizer is the one it schedules
    step = TrainingStep(model, X, y, loss, optimizer, l2, clip_norm, clip_value, where="fit",
                        watch_hidden=getattr(model, "activation", None) == "relu")  # for dead ReLUs
    _warn_if_evaluating(model)
    epochs = count(epochs, "fit: epochs", 1)
    batch = len(step.X) if batch_size is None else count(batch_size, "fit: batch_size (or None: full batch)", 1)
    if not isinstance(shuffle, bool):
        raise TypeError(f"fit: shuffle must be True or False, got {describe(shuffle)}")
    if early_stopping is not None:
        early_stopping = count(early_stopping, "fit: early_stopping", 1)
        if validation is None:
            raise ValueError("fit: early_stopping watches the validation loss: pass validation=(X_val, y_val)")
    if stop_below is not None:
        stop_below = as_number(stop_below, "fit: stop_below")
    if progress not in (None, True, False):
        raise TypeError(f"fit: progress must be True, False or None, got {describe(progress)}")
    total_work = epochs * math.ceil(len(step.X) / batch) * len(step.X) * (1 if step.fast else 50)
    return _Plan(step, epochs, batch, shuffle, shuffler(seed), checked_validation(validation, model, step.objective),
                 _scheduler(scheduler, step.optimizer), stop_below, early_stopping,
                 _progress_bar(epochs, total_work, progress))


def checked_validation(validation: Any, model: Any, obj: Objective,
                       where: str = "fit") -> Optional[tuple[np.ndarray, np.ndarray, list]]:
    """(X_val, y_val) as arrays, checked as the training data are, and y_val as given; None without
    validation data."""
    if validation is None:
        return None
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise ValueError(f"{where}: validation must be a pair (X_val, y_val)")
    VA = _inputs(validation[0], model, f"{where} (validation)")
    return VA, _targets(validation[1], VA, obj, model, f"{where} (validation)"), list(validation[1])


def _scheduler(scheduler: Any, optimizer: Optimizer) -> Any:
    """The scheduler, if it is one and schedules the optimizer fit uses."""
    if scheduler is None:
        return None
    if isinstance(scheduler, type) or not callable(getattr(scheduler, "step", None)):
        made = f"the class {scheduler.__name__}" if isinstance(scheduler, type) else describe(scheduler)
        raise TypeError(f"fit: scheduler must be a scheduler built on the optimizer, e.g. "
                        f"nn.StepLR(optimizer, step_size=10); got {made}")
    own = getattr(scheduler, "optimizer", None)
    if own is not None and own is not optimizer:
        raise ValueError("fit: the scheduler changes the learning rate of another optimizer than the one fit "
                         "trains with, so it would have no effect. Build it on the same optimizer, or pass "
                         "only the scheduler (fit then trains with the scheduler's optimizer)")
    return scheduler


@dataclass
class _Epoch:
    """What an epoch's batches measured as they trained, each before its own update."""

    loss: float  # the mean over the samples of their batch's loss (with the L2 term)
    accuracy: float  # the share of samples their batch classified right (NaN for a regression)
    norm: float  # the largest gradient norm of the epoch's batches, before clipping
    alive: list[bool]  # per hidden layer: did any unit give a number other than 0 in the epoch


def _train_one_epoch(plan: _Plan) -> _Epoch:
    """Every batch once, each a TrainingStep (forward, loss, backward, update)."""
    step, n, batch = plan.step, len(plan.step.X), plan.batch
    if batch >= n:
        loss = step(None)
        correct = step.last_correct
        return _Epoch(loss, math.nan if correct is None else correct / n, step.last_norm, step.last_alive)
    if not plan.order:
        plan.order = list(range(n))
    if plan.shuffle:
        plan.rng.shuffle(plan.order)  # mulberry32 (nn/shuffle.py): the playground page shuffles the same way
    rows = np.array(plan.order)  # one index array per epoch: its slices index the batches
    total, correct, norm = 0.0, 0, 0.0
    alive: list[bool] = []
    for start in range(0, n, batch):
        size = min(batch, n - start)
        total += step(rows[start:start + batch]) * size
        correct += step.last_correct or 0
        norm = max(norm, step.last_norm)
        alive = [a or b for a, b in zip(alive, step.last_alive)] if alive else list(step.last_alive)
    return _Epoch(total / n, math.nan if step.last_correct is None else correct / n, norm, alive)


def _record(plan: _Plan, history: History, epoch: _Epoch) -> None:
    """The epoch's numbers: its training loss and accuracy (as its batches measured them, before
    each one's update), learning rate, gradient norm, and the validation loss and accuracy after it."""
    step = plan.step
    history.loss.append(epoch.loss)
    history.accuracy.append(epoch.accuracy)
    history.lr.append(step.optimizer.lr)
    history.grad_norm.append(epoch.norm)
    if plan.validation is not None:
        VA, VT, given = plan.validation
        val_loss, val_accuracy = _evaluate(step.model, VA, VT, step.objective, given)
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_accuracy if val_accuracy is not None else math.nan)


def _stop_reason(plan: _Plan, history: History, epoch: int) -> str:
    """Why training stops after this epoch ("" to go on); moves the progress bar, steps the scheduler."""
    if plan.progress is not None:
        plan.progress.update(1)
        plan.progress.set_postfix(loss=f"{history.loss[-1]:.4g}")
    watched = history.val_loss[-1] if history.val_loss else history.loss[-1]
    if plan.scheduler is not None:
        plan.scheduler.step(watched)
    if plan.stop_below is not None and history.loss[-1] < plan.stop_below:
        return f"loss {history.loss[-1]:.4g} < {plan.stop_below:g} at epoch {epoch}"
    if plan.early_stopping is not None:
        if epoch == 1 or watched < history.val_loss[plan.best_epoch - 1]:
            plan.best_epoch = epoch
        elif epoch - plan.best_epoch >= plan.early_stopping:
            return f"no better validation loss for {plan.early_stopping} epochs (epoch {epoch})"
    return ""


def _diverged(history: History, epoch: int, error: BaseException, optimizer: Optimizer) -> None:
    history.diverged = True
    history.stopped = (f"diverged at epoch {epoch}: {str(error).split(chr(10))[0].rstrip('.')}. The learning rate "
                       f"(lr={optimizer.lr:g}) is too large for this problem: lower it (try {optimizer.lr / 10:g}) "
                       "or clip the gradients (clip_norm=1.0). The parameters keep their last finite values.")
    warnings.warn(f"fit: {history.stopped}", RuntimeWarning, stacklevel=3)


def _warn_if_evaluating(model: Any) -> None:
    """A model left in evaluation mode trains with its dropout off (fit does not switch modes, as in PyTorch)."""
    if isinstance(model, Module) and not model.training and any(
            isinstance(m, Dropout) and m.p > 0 for m in model.modules()):
        warnings.warn("fit: the model is in evaluation mode (model.eval()), so its dropout is off while it trains; "
                      "call model.train() first", UserWarning, stacklevel=4)


def _warn_if_dead(alive: list[bool], history: History) -> None:
    """Dead ReLUs: a hidden layer whose every unit gave 0 for every sample of the last epoch passes no gradient back."""
    dead = [i for i, a in enumerate(alive) if not a]
    history.dead_layers = dead
    if dead and history.loss:
        warnings.warn(
            f"fit: every unit of hidden layer {dead[0]} outputs 0 for every sample (dead ReLUs): no gradient "
            f"reaches the layers before it, and the loss is stuck at {history.loss[-1]:.4g}. Try "
            "activation='leaky_relu' or 'tanh', init='he', or a smaller learning rate.", RuntimeWarning, stacklevel=3)


def _progress_bar(epochs: int, work: int, progress: Optional[bool]) -> Any:
    """A tqdm bar over epochs: on request, or by default on a terminal when the run is long."""
    show = progress if progress is not None else (sys.stderr.isatty() and work > 2_000_000)
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=epochs, unit="epoch", leave=False)
