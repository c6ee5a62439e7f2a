"""The losses on numbers and Values: their values by hand where a plain number stands in for a Value, the
edges of what they accept (a probability of exactly 0 or 1 on the right side), and every refusal word for
word; check_labels' refusals, which fit shows before any training."""
import math

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value
from chainrule.nn.losses import check_labels

p = Value(0.5, label="p")


def test_plain_numbers_stand_for_constants():
    assert nn.binary_cross_entropy([0.25], [1.0]).data == pytest.approx(-math.log(0.25), rel=1e-15)
    assert nn.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]).data == 0.0  # certain and right: no loss
    assert nn.binary_cross_entropy_with_logits([2.0], [1.0]).data == pytest.approx(math.log1p(math.exp(-2.0)), rel=1e-15)
    assert nn.nll([0.25, 0.75], 1).data == pytest.approx(-math.log(0.75), rel=1e-15)
    assert nn.nll([[0.25, 0.75], [Value(0.5), 0.5]], [1, 0]).data == pytest.approx(
        -(math.log(0.75) + math.log(0.5)) / 2, rel=1e-15)
    zero = nn.l2_penalty([], 0.5)
    assert zero.data == 0.0 and zero.op == "const"


def test_predictions_as_samples_of_one_or_several_outputs():
    a, b, c, d = (Value(v) for v in (1.0, 2.0, 4.0, 3.0))
    assert nn.mse([a, b], [0.0, 0.0]).data == (1 + 4) / 2
    assert nn.mse([[a, b], [c, d]], [[1.0, 2.0], [3.0, 4.0]]).data == (0 + 0 + 1 + 1) / 4
    assert nn.mse([a, [c, d]], [0.0, [3.0, 4.0]]).data == (1 + 1 + 1) / 3  # one output, then two
    assert nn.mse([a], [3.0], half=True).data == 2.0


CASES = [
    (lambda: nn.mse([], []), ValueError, "mse: no predictions given"),
    (lambda: nn.mse([[p, p]], [[1.0]]), ValueError, "mse: a sample has 2 outputs but 1 targets"),
    (lambda: nn.mse([p, p], [1.0]), ValueError, "mse: 2 predictions but 1 targets"),
    (lambda: nn.mse([p], [[1.0, 2.0]]), ValueError, "mse: a sample has 1 outputs but 2 targets"),
    (lambda: nn.hinge([p], ["a"]), TypeError, "hinge: target: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda: nn.hinge([p], [0.0]), ValueError, "hinge: labels must be -1 or +1, got 0.0"),
    (lambda: nn.binary_cross_entropy([p], [1.5]), ValueError, "binary_cross_entropy: targets must be in [0, 1], got 1.5"),
    (lambda: nn.binary_cross_entropy([p], ["y"]), TypeError,
     "binary_cross_entropy: target: expected a real number (int or float) or a Value, got 'y' (str)"),
    (lambda: nn.binary_cross_entropy([Value(1.2, label="q")], [1.0]), ValueError,
     "binary_cross_entropy: q (Value, data=1.2) is not a probability (it must lie in [0, 1]); put a sigmoid on the "
     "output (v.sigmoid(), or output='sigmoid' for an MLP), or use binary_cross_entropy_with_logits on the scores "
     "before the sigmoid (stable)"),
    (lambda: nn.binary_cross_entropy([0.0], [1.0]), ValueError,
     "binary_cross_entropy: probability the constant 0.0 for target 1.0 gives an infinite loss; use "
     "binary_cross_entropy_with_logits on the scores before the sigmoid (stable)"),
    (lambda: nn.binary_cross_entropy([Value(1.0, label="s")], [0.0]), ValueError,
     "binary_cross_entropy: probability s (Value, data=1.0) for target 0.0 gives an infinite loss; use "
     "binary_cross_entropy_with_logits on the scores before the sigmoid (stable)"),
    (lambda: nn.binary_cross_entropy_with_logits([p], ["x"]), TypeError,
     "binary_cross_entropy_with_logits: target: expected a real number (int or float) or a Value, got 'x' (str)"),
    (lambda: nn.binary_cross_entropy_with_logits([p, p], [1.0]), ValueError,
     "binary_cross_entropy_with_logits: 2 predictions but 1 targets"),
    (lambda: nn.cross_entropy([p, p], 2), ValueError, "cross_entropy: class index 2 is out of range for 2 classes"),
    (lambda: nn.cross_entropy([p, p], True), TypeError, "cross_entropy: a target must be a class index (int), got True"),
    (lambda: nn.cross_entropy([p, p], 0.5), TypeError, "cross_entropy: a target must be a class index (int), got 0.5"),
    (lambda: nn.cross_entropy([[p, p]], [0, 1]), ValueError, "cross_entropy: 1 samples but 2 targets"),
    (lambda: nn.cross_entropy([], []), ValueError, "cross_entropy: no samples given"),
    (lambda: nn.nll([0.0, 1.0], 0), ValueError,
     "nll: probability 0 for the true class 0 gives an infinite loss; use cross_entropy on logits"),
    (lambda: nn.nll([0.5, 0.5], 3), ValueError, "nll: class index 3 is out of range for 2 classes"),
    (lambda: nn.nll([0.5, 0.5], "0"), TypeError, "nll: a target must be a class index (int), got '0'"),
    (lambda: nn.l2_penalty([p], "a"), TypeError,
     "l2_penalty: lam: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda: check_labels("bce", ["a", "b"], 1), ValueError, "loss 'bce': targets must be numbers, got ['a', 'b']"),
    (lambda: check_labels("hinge", [1.0, float("nan")], 1), ValueError, "loss 'hinge': targets hold NaN or infinity"),
    # no number at all is said first, whatever else is wrong with the labels
    (lambda: check_labels("hinge", [[1.0, float("nan")]], 1), ValueError, "loss 'hinge': targets hold NaN or infinity"),
    (lambda: check_labels("nll", [0, float("inf")], 3), ValueError, "loss 'nll': targets hold NaN or infinity"),
    (lambda: check_labels("cross_entropy", [[0, float("nan")]], 2), ValueError,
     "loss 'cross_entropy': targets hold NaN or infinity"),
    (lambda: check_labels("mse", [1.0, float("-inf")], 1), ValueError, "loss 'mse': targets hold NaN or infinity"),
    # a one-label loss on a model with several outputs would train every output towards the same label
    (lambda: check_labels("bce", [0, 1], 2), ValueError,
     "loss 'bce': reads one output per sample (the score of the class labelled 1); this model gives 2. Give it one "
     "output, or use loss='cross_entropy' with class indices for several classes"),
    (lambda: check_labels("hinge", [-1, 1], 3), ValueError,
     "loss 'hinge': reads one output per sample (the score of the class labelled +1); this model gives 3. Give it one "
     "output, or use loss='cross_entropy' with class indices for several classes"),
    (lambda: check_labels("bce_logits", [[0, 1], [1, 0]], 1), ValueError,
     "loss 'bce_logits': expects one label per sample, 0 or 1 (one per sample); got targets of shape (2, 2)"),
    (lambda: check_labels("bce", [[0, 1], [1, 0]], 1), ValueError,
     "loss 'bce': expects one label per sample, 0 or 1 (one per sample); got targets of shape (2, 2)"),
    (lambda: check_labels("hinge", np.zeros((2, 1, 1)), 1), ValueError,
     "loss 'hinge': expects one label per sample, -1 or +1 (one per sample); got targets of shape (2, 1, 1)"),
    (lambda: check_labels("hinge", np.ones((1, 2)), 1), ValueError,
     "loss 'hinge': expects one label per sample, -1 or +1 (one per sample); got targets of shape (1, 2)"),
    (lambda: check_labels("bce", [0, 1, 2, 3, 4, 5, 6, -1], 1), ValueError,
     "loss 'bce': expects labels 0 or 1 (one per sample), got [-1.0, 2.0, 3.0, 4.0, 5.0] (for ±1 labels use "
     "loss='hinge'; for bce map them with (y + 1) / 2)"),
    (lambda: check_labels("bce_logits", [-1, 1], 1), ValueError,
     "loss 'bce_logits': expects labels 0 or 1 (one per sample), got [-1.0] (for ±1 labels use loss='hinge'; for bce "
     "map them with (y + 1) / 2)"),
    (lambda: check_labels("hinge", [0, 1], 1), ValueError,
     "loss 'hinge': expects labels -1 or +1 (one per sample), got [0.0] (for 0/1 labels map them with 2·y − 1, or use "
     "loss='bce')"),
    (lambda: check_labels("cross_entropy", [0, 3], 3), ValueError,
     "loss 'cross_entropy': expects labels class indices 0 … k−1 (one per sample) with k = 3 outputs, got values from "
     "0 to 3"),
    (lambda: check_labels("nll", [0, 0.5], 3), ValueError,
     "loss 'nll': expects labels class indices 0 … k−1 (one per sample) with k = 3 outputs, got values from 0 to 0.5"),
    (lambda: check_labels("nll", [-1, 0], 3), ValueError,
     "loss 'nll': expects labels class indices 0 … k−1 (one per sample) with k = 3 outputs, got values from -1 to 0"),
    (lambda: check_labels("cross_entropy", [[0, 1]], 2), ValueError,
     "loss 'cross_entropy': expects labels class indices 0 … k−1 (one per sample), got targets of shape (1, 2)"),
    (lambda: check_labels("mse", [1.0, 2.0], 2), ValueError, "loss 'mse': the model has 2 outputs but each target has 1 numbers"),
    (lambda: check_labels("mse_half", [[1.0, 2.0]], 1), ValueError,
     "loss 'mse_half': the model has 1 outputs but each target has 2 numbers"),
    (lambda: check_labels("mse", np.zeros((2, 1, 1)), 1), ValueError,  # it said "1 outputs but … 1 numbers" before
     "loss 'mse': each target must be a number or a list of 1 numbers, got targets of shape (2, 1, 1)"),
]


@pytest.mark.parametrize("call,kind,message", CASES, ids=[c[2][:40] for c in CASES])
def test_each_refusal_word_for_word(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == message


def test_labels_each_loss_accepts():
    check_labels("bce", [[0.0], [1.0]], 1)  # a column of labels is one per sample too
    check_labels("hinge", [-1, 1, 1], 1)
    check_labels("bce_logits", [0, 1], 1)
    check_labels("cross_entropy", [0, 2, 1], 3)
    check_labels("mse_half", [[1.0, 2.0]], 2)
    check_labels("mse", [1.0, 2.0], 1)
