"""How a loss reads a model: which of its numbers it consumes, and how accuracy is judged.

A loss on probabilities (bce, nll) needs a model whose output is a probability; the stable
losses (bce on a sigmoid output, cross-entropy on a softmax output) read the scores before the
output activation (the logits) instead. `objective(loss, model)` makes that choice once, from the
loss's name — or from the library's own loss function, which means the same as its name — and
the model's output activation, and refuses a pairing that would train towards a wrong number:

    loss            output activation           reads              accuracy
    mse, mse_half   any                         outputs            argmax / > 0.5 / none
    bce             sigmoid                     logits (stable)    z > 0
    bce_logits      linear (or any)             outputs as logits  z > 0
    cross_entropy   softmax, or linear          logits             argmax
    nll             softmax                     probabilities      argmax
    hinge           any                         outputs            sign
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional, Union

import numpy as np

from chainrule.engine import Value, no_grad

from . import arrays
from . import losses as L
from .layers import MLP, Layer, Neuron


@dataclass(frozen=True)
class Objective:
    """A loss as fit reads it: the function on scalar outputs, which outputs it reads, how
    accuracy is judged, and the same loss on arrays (for the array path), if it has one."""

    name: str
    function: Callable[[Any, Any], Value]  # on scalar outputs (one graph per sample)
    use_logits: bool  # read the scores before the output activation (model.logits)
    accuracy: Optional[str]  # "threshold", "sign", "argmax" or None
    array_function: Optional[Callable[..., tuple[float, np.ndarray]]] = None  # the same loss on arrays
    threshold: float = 0.5  # "threshold" accuracy: class 1 above it (0 when the numbers read are logits)
    named: bool = True  # one of the library's losses, whose targets are checked by its name (not a function of yours)

    def outputs(self, model: Any, inputs: Any) -> Any:
        """What the loss reads from one sample: the model's logits (for the stable forms) or outputs."""
        return model.logits(inputs) if self.use_logits else model(inputs)


# The library's own loss functions, passed as functions, mean what their names mean: the same
# pairing with the model's output (so nn.cross_entropy on a softmax model reads its logits, not
# the softmax of its probabilities).
LIBRARY_LOSSES: dict[Callable, str] = {
    L.mse: "mse", L.binary_cross_entropy: "bce", L.binary_cross_entropy_with_logits: "bce_logits",
    L.cross_entropy: "cross_entropy", L.nll: "nll", L.hinge: "hinge",
}
NAMES = ("mse", "mse_half", "bce", "bce_logits", "cross_entropy", "nll", "hinge")


def output_activation(model: Any) -> Optional[str]:
    """The activation of the model's last layer ("sigmoid", "softmax", "linear", …), or None for a
    module of your own, whose output the library cannot know."""
    if isinstance(model, MLP):
        return model.output
    if isinstance(model, (Layer, Neuron)):
        return model.activation
    out = getattr(model, "output", None)
    return out if isinstance(out, str) else None


def output_count(model: Any, first_sample: Any) -> int:
    """How many numbers the model gives per sample (asked of a module of your own by running it once)."""
    if isinstance(model, MLP):
        return model.sizes[-1]
    if isinstance(model, Layer):
        return model.nout
    if isinstance(model, Neuron):
        return 1
    with no_grad():
        out = model(list(first_sample))
    return 1 if isinstance(out, Value) else len(out)


def objective(loss: Union[str, Callable], model: Any) -> Objective:
    """The form of `loss` that fits this model's output (see the module's table), or a clear error."""
    if callable(loss) and loss not in LIBRARY_LOSSES:
        kind = _accuracy_of(output_activation(model))
        return Objective(getattr(loss, "__name__", "custom"), loss, False, kind, named=False)
    name = LIBRARY_LOSSES[loss] if callable(loss) else loss
    if name not in NAMES:
        raise ValueError(f"fit: unknown loss {loss!r}; choose one of {', '.join(NAMES)}, or pass a function")
    return _named(name, output_activation(model))


@lru_cache(maxsize=None)  # an Objective is frozen: one per pairing, made once (fit may be called every frame)
def _named(name: str, out: Optional[str]) -> Objective:
    array = arrays.LOSSES.get(name)
    if name in ("mse", "mse_half"):
        return Objective(name, L.LOSSES[name], False, _accuracy_of(out), array)
    if name == "hinge":
        return Objective(name, L.hinge, False, "sign", array)
    if name == "bce":
        if out == "sigmoid":  # train on the logits: stable for any score
            return Objective(name, L.binary_cross_entropy_with_logits, True, "threshold", arrays.LOSSES["bce_logits"], 0.0)
        if out is not None:
            raise ValueError(_not_probabilities("bce", out, "output='sigmoid' (fit then reads its logits, "
                                                "stably), or loss='bce_logits' to read these outputs as logits"))
        return Objective(name, L.binary_cross_entropy, False, "threshold")  # checks p ∈ [0, 1] itself
    if name == "bce_logits":  # on a sigmoid output the sigmoid is the loss's own: read the scores before it
        return Objective(name, L.binary_cross_entropy_with_logits, out == "sigmoid", "threshold", array, 0.0)
    if name == "cross_entropy":
        if out not in ("softmax", "linear", None):
            raise ValueError(f"fit: loss 'cross_entropy' reads scores (logits): it needs output='softmax' (or "
                             f"'linear'), the model's output is {out!r}")
        return Objective(name, L.cross_entropy, out == "softmax", "argmax", array)
    if out not in ("softmax", None):  # nll
        raise ValueError(_not_probabilities("nll", out, "output='softmax', or loss='cross_entropy', which reads "
                                            "these outputs as scores (softmax and nll in one, stably)"))
    return Objective(name, L.nll, False, "argmax", array)


def _accuracy_of(out: Optional[str]) -> Optional[str]:
    """How a loss without classes of its own judges accuracy: by the output activation, if it says."""
    return "argmax" if out == "softmax" else "threshold" if out == "sigmoid" else None


def _not_probabilities(loss: str, out: Optional[str], advice: str) -> str:
    return (f"fit: loss {loss!r} reads probabilities in [0, 1], but this model's output activation is {out!r}, "
            f"whose numbers are not probabilities (the loss could go negative and training would chase it). "
            f"Use {advice}.")


# -- accuracy ----------------------------------------------------------------------------

def truth(y: np.ndarray, kind: str) -> np.ndarray:
    """The true labels from the targets as fit holds them (class indices, one-hot rows or numbers):
    one per sample, or one per output of a sample for several outputs judged by a threshold."""
    if kind == "argmax" and y.ndim == 2 and y.shape[1] > 1:  # one-hot targets (one column is class indices)
        return np.argmax(y, axis=1).astype(float)
    return (y.reshape(len(y)) if y.ndim == 2 and y.shape[1] == 1 else y).astype(float, copy=False)


def predicted(O: np.ndarray, obj: Objective) -> np.ndarray:
    """Predicted labels from the numbers the loss reads (n × k), shaped as `truth` gives them."""
    if obj.accuracy == "argmax":  # the same class for logits and for softmax probabilities
        return np.argmax(O, axis=1).astype(float)
    o = O[:, 0] if O.shape[1] == 1 else O  # several sigmoid outputs: each its own yes or no (multi-label)
    if obj.accuracy == "sign":
        return np.where(o > 0, 1.0, -1.0)
    return np.where(o > obj.threshold, 1.0, 0.0)  # σ(z) > 0.5 exactly when z > 0


def right_answers(O: np.ndarray, labels: np.ndarray, obj: Objective) -> np.ndarray:
    """For each sample, whether the model got it right: its class, its sign, or, with several outputs
    judged by a threshold, every one of them on the right side."""
    if obj.accuracy != "argmax" and labels.ndim == 1:
        O = O[:, :1]  # one yes or no per sample: the first output's
    right = predicted(O, obj) == labels
    return right if right.ndim == 1 else right.all(axis=1)
