"""Loss functions: each takes predictions and targets and returns one Value (a mean over samples).

Predictions are a Value (one output) or a list of Values; for a batch, a list
of those. Targets are plain numbers. The stable versions work on logits
(scores before the output activation), as PyTorch's and Keras's do.
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from chainrule import engine
from chainrule.engine import Value
from chainrule.engine.checks import as_number as _check_number, describe


def _rows(predictions: Any, targets: Any, where: str) -> list[tuple[list[Any], list[float]]]:
    """Pair up predictions and targets as (outputs of one sample, its targets)."""
    def as_list(x):
        return list(x) if isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim) else [x]

    preds, targs = as_list(predictions), as_list(targets)
    if len(preds) != len(targs):
        raise ValueError(f"{where}: {len(preds)} predictions but {len(targs)} targets")
    pairs = [(as_list(p), as_list(t)) for p, t in zip(preds, targs)]  # a number is a sample of one output
    if not pairs:
        raise ValueError(f"{where}: no predictions given")
    out = []
    for p, t in pairs:
        if len(p) != len(t):
            raise ValueError(f"{where}: a sample has {len(p)} outputs but {len(t)} targets")
        if any(isinstance(v, Value) for v in t):
            raise TypeError(f"{where}: a target is a Value ({describe(next(v for v in t if isinstance(v, Value)))}); "
                            f"targets are plain numbers, and the predictions come first: {where}(predictions, targets)")
        out.append((p, [_check_number(v, f"{where}: target") for v in t]))
    return out


def mse(predictions: Any, targets: Any, half: bool = False) -> Value:
    """Mean squared error  (1/n) Σ (ŷ − y)²;  with half=True  (1/2n) Σ (ŷ − y)², whose gradient is ŷ − y.

    The notes' worked example uses the ½ convention for its gradients.
    """
    terms = [(p - t) ** 2 for ps, ts in _rows(predictions, targets, "mse") for p, t in zip(ps, ts)]
    loss = engine.mean(terms)
    return 0.5 * loss if half else loss


def binary_cross_entropy(probabilities: Any, targets: Any) -> Value:
    """−(1/n) Σ [y log p + (1 − y) log(1 − p)], on probabilities p in [0, 1].

    A number outside [0, 1] is no probability (the loss could go negative), and a probability
    of exactly 0 or 1 on the wrong side is an infinite loss: both are errors here (as in
    PyTorch's BCELoss). Give it σ(z), or use `binary_cross_entropy_with_logits` on the scores z.
    """
    terms = []
    for ps, ts in _rows(probabilities, targets, "binary_cross_entropy"):
        for p, y in zip(ps, ts):
            if not 0.0 <= y <= 1.0:
                raise ValueError(f"binary_cross_entropy: targets must be in [0, 1], got {y}")
            p = Value.constant(p)  # a number becomes a constant; a Value stays as it is
            if not 0.0 <= p.data <= 1.0:
                raise ValueError(
                    f"binary_cross_entropy: {describe(p)} is not a probability (it must lie in [0, 1]); put a "
                    "sigmoid on the output (v.sigmoid(), or output='sigmoid' for an MLP), or use "
                    "binary_cross_entropy_with_logits on the scores before the sigmoid (stable)")
            parts = []  # y·log p and (1 − y)·log(1 − p), each only where its weight is not 0
            for weight, q in ((y, p), (1.0 - y, 1 - p)):
                if weight:
                    if q.data <= 0.0:
                        raise ValueError(
                            f"binary_cross_entropy: probability {describe(p)} for target {y} gives an infinite loss; "
                            "use binary_cross_entropy_with_logits on the scores before the sigmoid (stable)")
                    parts.append(weight * q.log())
            terms.append(-(parts[0] if len(parts) == 1 else parts[0] + parts[1]))
    return engine.mean(terms)


def binary_cross_entropy_with_logits(logits: Any, targets: Any) -> Value:
    """The same loss on scores z with p = σ(z), stable for any z:

    −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z,   ∂/∂z = σ(z) − y.
    """
    where = "binary_cross_entropy_with_logits"
    terms = []
    for zs, ts in _rows(logits, targets, where):
        for z, y in zip(zs, ts):
            if not 0.0 <= y <= 1.0:
                raise ValueError(f"{where}: targets must be in [0, 1], got {y}")
            z = Value.constant(z)
            _refuse_activated(z, "sigmoid", where, "a sigmoid", "binary_cross_entropy on the probabilities")
            terms.append(z.softplus() - y * z)
    return engine.mean(terms)


def _refuse_activated(v: Any, op: str, where: str, what: str, instead: str) -> None:
    """A loss on logits given the output of the activation it applies itself would apply it twice."""
    if isinstance(v, Value) and v.op == op:
        raise ValueError(
            f"{where}: got {describe(v)}, the output of {what}, but this loss takes the scores before it (logits) "
            f"and applies {what} itself: that would be {what} twice. Give it model.logits(x) (an MLP's scores "
            f"before its output activation), or use {instead}.")


def _class_index(target: Any, k: int, where: str) -> int:
    if isinstance(target, bool) or not isinstance(target, numbers.Real) or not float(target).is_integer():
        raise TypeError(f"{where}: a target must be a class index (int), got {target!r}")
    index = int(target)
    if not 0 <= index < k:
        raise ValueError(f"{where}: class index {index} is out of range for {k} classes")
    return index


def _samples(outputs: Any, targets: Any, where: str) -> list[tuple[list[Any], int]]:
    if isinstance(outputs, Value):
        raise TypeError(f"{where}: expects a sample's scores, one per class (a list of at least two), got just one, "
                        f"{describe(outputs)}; a model with one output is a yes/no classifier: use "
                        "binary_cross_entropy_with_logits (or binary_cross_entropy on a sigmoid output)")
    if isinstance(outputs, np.ndarray):
        outputs = outputs.tolist()
    if outputs and not isinstance(outputs[0], (list, tuple)):  # one sample
        outputs, targets = [outputs], [targets]
    if len(outputs) != len(targets):
        raise ValueError(f"{where}: {len(outputs)} samples but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{where}: no samples given")
    return [(list(o), _class_index(t, len(o), where)) for o, t in zip(outputs, targets)]


def cross_entropy(logits: Sequence[Any], targets: Any) -> Value:
    """Softmax + negative log-likelihood on logits, stable via log-sum-exp:

    L = log Σⱼ e^{zⱼ} − z_y,   ∂L/∂zⱼ = softmax(z)ⱼ − [j = y].
    `logits`: one sample's scores (a list) or a list of them; `targets`: class indices.
    """
    samples = _samples(logits, targets, "cross_entropy")
    for z, _ in samples:
        for v in z:
            _refuse_activated(v, "softmax", "cross_entropy", "a softmax", "nn.nll on the probabilities")
    terms = [engine.logsumexp(z) - z[y] for z, y in samples]
    return engine.mean(terms)


def nll(probabilities: Sequence[Any], targets: Any) -> Value:
    """Categorical cross-entropy on probabilities (the notes' −Σ y log ŷ with one-hot y): −log p_y."""
    terms = []
    for p, y in _samples(probabilities, targets, "nll"):
        q = Value.constant(p[y])
        if q.data == 0.0:
            raise ValueError(f"nll: probability 0 for the true class {y} gives an infinite loss; use cross_entropy on logits")
        if not 0.0 < q.data <= 1.0:
            raise ValueError(f"nll: {describe(q)} for the true class {y} is not a probability (it must lie in (0, 1]); "
                             "nll reads probabilities (softmax outputs); for scores (logits) use cross_entropy")
        terms.append(-q.log())
    return engine.mean(terms)


def hinge(scores: Any, targets: Any) -> Value:
    """The max-margin (hinge) loss (1/n) Σ max(0, 1 − y·s) with labels y ∈ {−1, +1} (micrograd's moons demo)."""
    terms = []
    for ss, ts in _rows(scores, targets, "hinge"):
        for s, y in zip(ss, ts):
            if y not in (-1.0, 1.0):
                raise ValueError(f"hinge: labels must be -1 or +1, got {y}")
            terms.append((1 - y * Value.constant(s, "hinge: score")).relu())
    return engine.mean(terms)


def l2_penalty(parameters: Sequence[Value], lam: float) -> Value:
    """λ Σ θ² over the parameters given (weight decay; the notes: regularisation = a MAP estimate). ∂/∂θ = 2λθ.

    The notes write λ‖W‖², the weights only; `fit(l2=λ)` passes every parameter, biases too, as PyTorch's
    weight_decay does. Pass only the weights to follow the notes."""
    params = list(parameters)
    lam = _check_number(lam, "l2_penalty: lam")
    if not params:
        return Value.constant(0.0)
    return lam * engine.dot(params, params)


# What each named loss expects as labels, checked before training starts (a wrong labelling
# would otherwise train silently towards a meaningless loss).
LABELS = {
    "bce": "0 or 1 (one per sample)", "bce_logits": "0 or 1 (one per sample)", "hinge": "-1 or +1 (one per sample)",
    "cross_entropy": "class indices 0 … k−1 (one per sample)", "nll": "class indices 0 … k−1 (one per sample)",
}


def check_labels(loss: str, targets: Any, outputs: int) -> Any:
    """Refuse targets that `loss` cannot read, with a message saying which labels it expects; return
    them as an array of floats.

    bce: 0/1; hinge: ±1; cross_entropy and nll: class indices 0 … outputs−1; mse: numbers
    (one per output).
    """
    import numpy as np

    where = f"loss {loss!r}"
    try:
        y = np.asarray(targets, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: targets must be numbers, got {targets!r:.80}") from None
    # Labels that pass their check are finite numbers; a check that fails first says whether some target is
    # no number at all (so the common case costs one test, not two).
    if loss in ("bce", "bce_logits", "hinge"):
        _check_two_labels(loss, y, outputs, where)
    elif loss in ("cross_entropy", "nll"):
        _check_class_indices(loss, y, outputs, where)
    else:
        _refuse_non_finite(y, where)
        if loss in ("mse", "mse_half"):
            _check_target_width(y, outputs, where)
    return y


def _refuse_non_finite(y: Any, where: str) -> None:
    import numpy as np

    if not np.isfinite(y).all():
        raise ValueError(f"{where}: targets hold NaN or infinity")


def _check_two_labels(loss: str, y: Any, outputs: int, where: str) -> None:
    """bce: one 0 or 1 per sample; hinge: one −1 or +1; and a model with one output, the score of the class."""
    if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
        _refuse_non_finite(y, where)
        raise ValueError(f"{where}: expects one label per sample, {LABELS[loss]}; got targets of shape {y.shape}")
    low, high = (-1.0, 1.0) if loss == "hinge" else (0.0, 1.0)
    fits = (y == low) | (y == high)  # (np.isin: 5× slower for two values)
    if not fits.all():
        _refuse_non_finite(y, where)
        bad = sorted(set(y[~fits].ravel().tolist()))[:5]
        hint = " (for ±1 labels use loss='hinge'; for bce map them with (y + 1) / 2)" if loss != "hinge" else \
            " (for 0/1 labels map them with 2·y − 1, or use loss='bce')"
        raise ValueError(f"{where}: expects labels {LABELS[loss]}, got {bad}{hint}")
    if outputs != 1:
        raise ValueError(f"{where}: reads one output per sample (the score of the class labelled "
                         f"{'+1' if loss == 'hinge' else '1'}); this model gives {outputs}. Give it one output, or use "
                         "loss='cross_entropy' with class indices for several classes")


def _check_class_indices(loss: str, y: Any, outputs: int, where: str) -> None:
    """cross_entropy and nll: one whole number 0 … outputs − 1 per sample."""
    import numpy as np

    if y.ndim != 1:
        _refuse_non_finite(y, where)
        raise ValueError(f"{where}: expects labels {LABELS[loss]}, got targets of shape {y.shape}")
    if not (y == np.round(y)).all() or y.min() < 0 or y.max() >= outputs:  # NaN and ±∞ fail it too
        _refuse_non_finite(y, where)
        raise ValueError(f"{where}: expects labels {LABELS[loss]} with k = {outputs} outputs, "
                         f"got values from {y.min():g} to {y.max():g}")


def _check_target_width(y: Any, outputs: int, where: str) -> None:
    """mse: a number per sample for one output, else a list of `outputs` numbers per sample."""
    if y.ndim > 2:
        raise ValueError(f"{where}: each target must be a number or a list of {outputs} numbers, got targets of "
                         f"shape {y.shape}")
    width = 1 if y.ndim == 1 else y.shape[1]
    if width != outputs:
        raise ValueError(f"{where}: the model has {outputs} outputs but each target has {width} numbers")


LOSSES = {"mse": mse, "mse_half": lambda p, t: mse(p, t, half=True), "bce": binary_cross_entropy,
          "bce_logits": binary_cross_entropy_with_logits, "cross_entropy": cross_entropy, "nll": nll,
          "hinge": hinge}
