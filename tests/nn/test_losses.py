"""Every loss against a hand computation and against central differences."""
import math

import pytest

from chainrule import nn
from chainrule.engine import Value, gradcheck


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_mse_and_the_half_convention():
    preds = [Value(0.5), Value(2.0), Value(-1.0)]
    targets = [1.0, 1.0, 0.0]
    by_hand = ((0.5 - 1) ** 2 + (2 - 1) ** 2 + (-1 - 0) ** 2) / 3
    assert nn.mse(preds, targets).data == pytest.approx(by_hand)
    half = nn.mse(preds, targets, half=True)
    assert half.data == pytest.approx(by_hand / 2)
    half.backward()
    assert [p.grad for p in preds] == pytest.approx([(0.5 - 1) / 3, (2 - 1) / 3, -1 / 3])


def test_mse_on_the_notes_two_neuron_output():
    a2 = Value(0.7152516802527555)
    loss = nn.mse([a2], [0.25], half=True)
    loss.backward()
    assert round(a2.grad, 4) == 0.4653  # the notes' ∂E/∂a2 under the ½ convention


def test_binary_cross_entropy_by_hand_and_on_logits():
    zs, ys = [0.3, -1.2, 2.0], [1.0, 0.0, 1.0]
    by_hand = -sum(y * math.log(sigmoid(z)) + (1 - y) * math.log(1 - sigmoid(z)) for z, y in zip(zs, ys)) / 3
    probs = [Value(z).sigmoid() for z in zs]
    assert nn.binary_cross_entropy(probs, ys).data == pytest.approx(by_hand)
    logits = [Value(z) for z in zs]
    loss = nn.binary_cross_entropy_with_logits(logits, ys)
    assert loss.data == pytest.approx(by_hand)
    loss.backward()
    assert [v.grad for v in logits] == pytest.approx([(sigmoid(z) - y) / 3 for z, y in zip(zs, ys)])


def test_bce_on_logits_is_stable_and_on_probabilities_explains_itself():
    z = Value(1000.0)
    loss = nn.binary_cross_entropy_with_logits([z], [0.0])
    loss.backward()
    assert loss.data == pytest.approx(1000.0) and z.grad == pytest.approx(1.0)
    assert nn.binary_cross_entropy_with_logits([Value(-1000.0)], [0.0]).data == 0.0
    with pytest.raises(ValueError, match="infinite loss; use binary_cross_entropy_with_logits"):
        nn.binary_cross_entropy([Value(1000.0).sigmoid()], [0.0])


def test_cross_entropy_is_log_softmax_and_stable():
    z = [2.0, 1.0, 0.1]
    expected = -math.log(math.exp(z[0]) / sum(math.exp(v) for v in z))
    logits = [Value(v) for v in z]
    loss = nn.cross_entropy(logits, 0)
    assert loss.data == pytest.approx(expected)
    loss.backward()
    soft = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
    assert [v.grad for v in logits] == pytest.approx([soft[0] - 1, soft[1], soft[2]])
    big = nn.cross_entropy([[Value(1000.0), Value(0.0)], [Value(0.0), Value(1000.0)]], [1, 1])
    assert big.data == pytest.approx(500.0)
    assert nn.nll([[0.7, 0.2, 0.1]], [0]).data == pytest.approx(-math.log(0.7))
    with pytest.raises(ValueError, match="out of range for 3 classes"):
        nn.cross_entropy(logits, 3)
    with pytest.raises(TypeError, match="class index"):
        nn.cross_entropy(logits, 0.5)


def test_hinge_and_l2_penalty():
    scores = [Value(0.3), Value(-2.0), Value(1.5)]
    labels = [1.0, 1.0, -1.0]
    loss = nn.hinge(scores, labels)
    assert loss.data == pytest.approx((0.7 + 3.0 + 2.5) / 3)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        nn.hinge(scores, [0.0, 1.0, 1.0])
    w = [Value(0.5), Value(-2.0)]
    penalty = nn.l2_penalty(w, 1e-2)
    penalty.backward()
    assert penalty.data == pytest.approx(1e-2 * 4.25)
    assert [p.grad for p in w] == pytest.approx([2e-2 * 0.5, 2e-2 * -2.0])


@pytest.mark.parametrize("loss", [
    lambda a, b, c: nn.mse([a, b, c], [0.2, -0.4, 1.0]),
    lambda a, b, c: nn.binary_cross_entropy_with_logits([a, b, c], [1.0, 0.0, 1.0]),
    lambda a, b, c: nn.binary_cross_entropy([a.sigmoid(), b.sigmoid(), c.sigmoid()], [1.0, 0.0, 0.5]),
    lambda a, b, c: nn.cross_entropy([a, b, c], 2),
    lambda a, b, c: nn.nll(nn_softmax([a, b, c]), 1),
    lambda a, b, c: nn.hinge([a, b, c], [1.0, -1.0, 1.0]),
], ids=["mse", "bce_logits", "bce", "cross_entropy", "nll", "hinge"])
def test_loss_gradients_match_central_differences(loss):
    assert gradcheck(loss, [0.3, -0.7, 1.1]).ok


def nn_softmax(values):
    from chainrule import engine
    return engine.softmax(values)


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        nn.mse([[Value(1.0)], [Value(2.0)]], [[1.0], [2.0], [3.0]])
