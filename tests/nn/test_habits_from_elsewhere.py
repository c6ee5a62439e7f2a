"""What learners bring from PyTorch and micrograd to the losses and fit: it works, or it says what to do.

Each case here gave a wrong number or a misleading message before (an audit of learner habits).
"""
import os

import numpy as np
import pytest

from chainrule import engine, nn
from chainrule.engine import Value

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
CLASSES = [0, 1, 1, 0]


def softmax_model(seed=0):
    return nn.MLP(2, [4, 2], activation="tanh", output="softmax", seed=seed)


def test_a_loss_of_ones_own_on_class_indices_counts_right_answers_as_the_named_loss_does():
    m = softmax_model()
    nn.fit(m, X, [1, 0, 0, 1], loss="cross_entropy", optimizer=nn.Adam(m.parameters(), lr=0.05), epochs=300,
           progress=False)  # it learns the opposite classes: every answer below is wrong
    named = nn.evaluate(m, X, CLASSES, loss="nll")
    h = nn.fit(m, X, CLASSES, loss=lambda p, t: nn.nll(p, t), optimizer=nn.SGD(m.parameters(), lr=1e-12), epochs=1,
               progress=False)
    assert named[1] == 0.0 and h.accuracy == [0.0]  # one column of class indices is not one-hot
    assert h.loss[0] == pytest.approx(named[0], rel=1e-9) and named[0] > 2


def test_evaluate_gives_a_loss_of_ones_own_the_targets_as_fit_does():
    m = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    seen = []

    def mine(preds, ys):
        seen.append(ys)
        return sum((p - t) ** 2 for p, t in zip(preds, ys)) / len(preds)

    nn.fit(m, X, [0.0, 1.0, 1.0, 0.0], loss=mine, optimizer=nn.SGD(m.parameters(), lr=0.1), epochs=1, progress=False)
    value, _ = nn.evaluate(m, X, [0.0, 1.0, 1.0, 0.0], loss=mine)
    assert seen[0] == seen[-1] == [0.0, 1.0, 1.0, 0.0]
    assert value == pytest.approx(nn.evaluate(m, X, [0.0, 1.0, 1.0, 0.0], loss="mse")[0], rel=1e-12)


def test_cross_entropy_refuses_softmax_outputs_it_would_softmax_again():
    m = softmax_model()
    with pytest.raises(ValueError, match=r"cross_entropy: got p0 \(Value, data=0\.51.*\), the output of a softmax.*that would be a "
                                         r"softmax twice\. Give it model\.logits\(x\).*or use nn\.nll"):
        nn.cross_entropy(m(X[1]), 1)
    with pytest.raises(ValueError, match="softmax twice"):
        nn.loss_graph(m, X, CLASSES, lambda p, t: nn.cross_entropy(p, t))  # wrapped: no longer silently different
    right = nn.cross_entropy(m.logits(X[1]), 1).data
    assert right == pytest.approx(nn.nll(m(X[1]), 1).data, rel=1e-12)  # the two right ways agree


def test_bce_with_logits_refuses_a_sigmoid_output_and_labels_outside_0_1():
    m = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"the output of a sigmoid.*binary_cross_entropy on the probabilities"):
        nn.binary_cross_entropy_with_logits(m(X[1]), 1)
    for label in (-1, 2):
        with pytest.raises(ValueError, match=rf"binary_cross_entropy_with_logits: targets must be in \[0, 1\], got {label}"):
            nn.binary_cross_entropy_with_logits(Value(0.3), label)
    assert nn.binary_cross_entropy_with_logits(m.logits(X[1]), 1).data == pytest.approx(
        nn.binary_cross_entropy(m(X[1]), 1).data, rel=1e-12)


def test_nll_refuses_numbers_that_are_no_probabilities():
    with pytest.raises(ValueError, match=r"nll: a Value with data=2\.0 for the true class 1 is not a probability "
                                         r"\(it must lie in \(0, 1\]\).*use cross_entropy"):
        nn.nll([Value(1.0), Value(2.0)], 1)
    with pytest.raises(ValueError, match="not a probability"):
        nn.nll([Value(-0.5), Value(0.5)], 0)
    with pytest.raises(ValueError, match="probability 0 for the true class 0 gives an infinite loss"):
        nn.nll([Value(0.0), Value(1.0)], 0)
    assert nn.nll([Value(0.25), Value(0.75)], 1).data == pytest.approx(-np.log(0.75), rel=1e-15)


def test_one_value_to_cross_entropy_says_a_one_output_model_is_a_yes_no_classifier():
    one = nn.MLP(2, [4, 1], seed=0)(X[1])
    for loss in (nn.cross_entropy, nn.nll):
        with pytest.raises(TypeError, match=r"a list of at least two\), got just one, z \(Value, .*binary_cross_entropy_with_logits"):
            loss(one, 0)


def test_numpy_arrays_of_targets_and_scores_are_lists_of_them():
    s, t = Value(0.3), Value(-0.2)
    assert nn.mse([s, t], np.array([1.0, 2.0])).data == pytest.approx(((0.3 - 1) ** 2 + (-0.2 - 2) ** 2) / 2)
    assert nn.hinge([s, t], np.array([1, -1])).data == pytest.approx((0.7 + 0.8) / 2)
    assert nn.cross_entropy(np.array([[s, t]], dtype=object), np.array([0])).data == pytest.approx(
        nn.cross_entropy([s, t], 0).data)


def test_hinge_on_plain_scores_is_a_number_not_an_attribute_error():
    assert nn.hinge([0.3, -0.2], [1, -1]).data == pytest.approx((0.7 + 0.8) / 2)
    with pytest.raises(TypeError, match=r"hinge: score: expected a real number"):
        nn.hinge(["a"], [1])


def test_a_value_where_a_number_is_needed_is_named_as_such():
    with pytest.raises(TypeError, match=r"^Value: needs a plain number, got a Value with data=2\.0 \(its number is \.data\)$"):
        Value(Value(2.0))
    with pytest.raises(TypeError, match=r"^backward: grad: needs a plain number, got a Value"):
        Value(1.0).backward(Value(2.0))
    with pytest.raises(TypeError, match=r"mse: a target is a Value \(a Value with data=0\.3\); targets are plain numbers, "
                                        r"and the predictions come first: mse\(predictions, targets\)"):
        nn.mse(1.0, Value(0.3))
    with pytest.raises(TypeError, match="expected a real number"):  # not a Value: the usual message
        engine.exp("a")


def test_a_module_built_micrographs_way_is_told_its_values_are_inputs():
    import random

    class MyNeuron(nn.Module):
        def __init__(self, nin):
            self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
            self.b = Value(0.0)

    with pytest.warns(UserWarning, match=r"MyNeuron has no parameters, but holds Values \(w, b\): a Value\(x\) of one's "
                                         r"own is an input, not trained\. Make weights with Value\.parameter\(x\)"):
        assert MyNeuron(3).parameters() == []


def test_parts_held_in_a_dict_are_found_as_pytorchs_moduledict_finds_them():
    class Net(nn.Module):
        def __init__(self):
            self.parts = {"a": nn.Neuron(2, seed=0), "b": nn.Neuron(1, seed=1)}

    net = Net()
    assert [k for k, _ in net.named_parameters()] == ["parts.a.w.0", "parts.a.w.1", "parts.a.b", "parts.b.w.0",
                                                      "parts.b.b"]
    assert [type(m).__name__ for m in net.modules()] == ["Net", "Neuron", "Neuron"]


def test_a_dict_or_a_batch_given_as_one_sample_is_refused():
    m = nn.MLP(3, [2, 1], seed=0)
    with pytest.raises(TypeError, match=r"expected one sample, a list of 3 numbers or Values, got dict"):
        m({0: 1.0, 1: 2.0, 2: 3.0})
    for batch in ([[1.0, 2.0, 3.0]] * 3, [[1.0, 2.0, 3.0]], np.ones((1, 3)).tolist()):
        with pytest.raises(ValueError, match=r"takes one sample \(a list of 3 numbers\); for a batch of samples use nn\.predict"):
            m(batch)
    assert m((1.0, 2.0, 3.0)).data == m(np.array([1.0, 2.0, 3.0])).data


def test_fit_on_a_model_left_in_evaluation_mode_warns_that_its_dropout_is_off():
    import warnings

    m = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", dropout=0.5, seed=0).eval()
    with pytest.warns(UserWarning, match=r"fit: the model is in evaluation mode \(model\.eval\(\)\), so its dropout is "
                                         r"off while it trains; call model\.train\(\) first"):
        nn.fit(m, X, CLASSES, loss="bce", optimizer=nn.SGD(m.parameters(), lr=0.1), epochs=1, progress=False)
    assert not m.training  # fit does not switch modes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for model in (m.train(), nn.MLP(2, [8, 1], output="sigmoid", seed=0).eval()):  # training, or no dropout
            nn.fit(model, X, CLASSES, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=1,
                   progress=False)


def test_the_loss_refusals_word_for_word():
    m = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=0)
    with pytest.raises(ValueError) as info:
        nn.binary_cross_entropy_with_logits(m(X[1]).named("a2"), 1)
    assert str(info.value).startswith("binary_cross_entropy_with_logits: got a2 (Value, data=")
    assert str(info.value).endswith(
        "), the output of a sigmoid, but this loss takes the scores before it (logits) and applies a sigmoid itself: "
        "that would be a sigmoid twice. Give it model.logits(x) (an MLP's scores before its output activation), or use "
        "binary_cross_entropy on the probabilities.")
    with pytest.raises(TypeError) as info:
        nn.cross_entropy(Value(0.5), 0)
    assert str(info.value) == (
        "cross_entropy: expects a sample's scores, one per class (a list of at least two), got just one, a Value with "
        "data=0.5; a model with one output is a yes/no classifier: use binary_cross_entropy_with_logits (or "
        "binary_cross_entropy on a sigmoid output)")
    with pytest.raises(ValueError) as info:
        nn.nll([Value(1.0), Value(2.0)], 1)
    assert str(info.value) == (
        "nll: a Value with data=2.0 for the true class 1 is not a probability (it must lie in (0, 1]); nll reads "
        "probabilities (softmax outputs); for scores (logits) use cross_entropy")
    assert nn.nll([Value(1.0), Value(0.0)], 0).data == 0.0  # a probability of exactly 1 is one


def test_the_warning_names_only_public_values_and_points_at_the_callers_line():
    class Mine(nn.Module):
        def __init__(self):
            self.nin = 2  # not a Value: not listed
            self._cache = Value(1.0)  # private: not listed
            self.w = Value(0.5)

    with pytest.warns(UserWarning) as record:
        Mine().parameters()
    assert str(record[0].message) == (
        "Mine has no parameters, but holds Values (w): a Value(x) of one's own is an input, not trained. Make weights "
        "with Value.parameter(x) (micrograd's Value(random.uniform(-1, 1)) becomes Value.parameter(random.uniform(-1, 1)))")
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutation testing (mutation/run.py) calls through frames more
        assert record[0].filename == __file__  # the caller's line

    class Private(nn.Module):
        def __init__(self):
            self._w = Value(0.5)

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Private().parameters() == []  # only private Values: nothing a learner would call a weight


def test_the_evaluation_mode_warning_points_at_the_callers_line_and_needs_a_dropout_that_drops():
    import warnings

    m = nn.MLP(2, [8, 1], activation="tanh", output="sigmoid", dropout=0.5, seed=0).eval()
    with pytest.warns(UserWarning) as record:
        nn.fit(m, X, CLASSES, loss="bce", optimizer=nn.SGD(m.parameters(), lr=0.1), epochs=1, progress=False)
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutation testing calls through frames more
        assert record[0].filename == __file__  # the caller's line
    m.dropout[0].p = 0.0  # a dropout that drops nothing: evaluation mode changes nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.fit(m, X, CLASSES, loss="bce", optimizer=nn.SGD(m.parameters(), lr=0.1), epochs=1, progress=False)


class TwoOut(nn.Module):
    """A module of one's own with two outputs: the scalar path, where the targets reach the loss as given."""

    def __init__(self):
        self.w = [Value.parameter(0.5, "w0"), Value.parameter(-1.0, "w1")]

    def __call__(self, x):
        return [self.w[0] * x[0] + 1.0, self.w[1] * x[1]]


def test_a_loss_of_ones_own_gets_each_sample_as_a_list_not_an_array():
    seen = []

    def mine(preds, ys):
        seen.extend(type(t) for t in ys)
        return nn.mse(preds, ys)

    Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    nn.loss_graph(TwoOut(), X, Y, mine)
    nn.evaluate(TwoOut(), X, Y, loss=mine)
    assert seen and set(seen) == {list}


def test_evaluate_on_a_module_of_ones_own_reads_class_indices_and_rows_of_targets():
    model = TwoOut()
    outs = [model(x) for x in X]
    by_hand = nn.cross_entropy(outs, CLASSES).data
    assert nn.evaluate(model, X, CLASSES, loss="cross_entropy")[0] == pytest.approx(by_hand, rel=1e-12)
    Y = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    assert nn.evaluate(model, X, Y, loss="mse")[0] == pytest.approx(nn.mse(outs, Y).data, rel=1e-12)


def test_evaluate_and_validation_give_a_loss_of_ones_own_the_targets_as_given():
    from chainrule import engine

    Xs = [[0.1, 0.2], [0.3, -0.1], [-0.5, 0.4], [0.9, 0.7]]
    rows = [[1.0], [0.0], [0.5], [0.2]]  # one-element rows, read as t[0]

    def row_mse(outs, ts):
        return engine.mean([(o - t[0]) ** 2 for o, t in zip(outs, ts)])

    m = nn.MLP(2, [4, 1], seed=0)
    value, _ = nn.evaluate(m, Xs, rows, loss=row_mse)
    assert value == pytest.approx(nn.evaluate(m, Xs, [r[0] for r in rows], loss="mse")[0], rel=1e-12)
    h = nn.fit(m, Xs, rows, loss=row_mse, epochs=1, validation=(Xs, rows), progress=False)
    assert h.val_loss[0] == pytest.approx(nn.evaluate(m, Xs, rows, loss=row_mse)[0], rel=1e-12)
    m3 = nn.MLP(2, [4, 3], output="softmax", seed=0)
    picked = nn.evaluate(m3, Xs, [0, 1, 2, 1], loss=lambda outs, ts: engine.mean([-o[t].log() for o, t in zip(outs, ts)]))
    assert picked[0] == pytest.approx(nn.evaluate(m3, Xs, [0, 1, 2, 1], loss="nll")[0], rel=1e-12)  # ints, as given


def test_a_summary_lists_parts_held_in_a_dict():
    class Net(nn.Module):
        def __init__(self):
            self.parts = {"a": nn.Neuron(2, seed=0), "b": nn.Neuron(1, seed=1)}
            self.head = nn.Neuron(1, seed=2)

    assert Net().summary_rows() == [("parts.a", "Neuron(2, activation='relu')", 3),
                                    ("parts.b", "Neuron(1, activation='relu')", 2), ("head", "Neuron(1, activation='relu')", 2)]


def test_a_sigmoid_neuron_of_its_own_trains_with_bce_on_its_logits():
    n = nn.Neuron(2, activation="sigmoid", seed=0)
    y = [0, 1, 1, 1]
    z = n.logits(X[1])
    assert z.op == "dot" and n(X[1]).data == pytest.approx(1 / (1 + np.exp(-z.data)), rel=1e-12)
    before = nn.evaluate(n, X, y, loss="bce")[0]
    assert before == pytest.approx(nn.binary_cross_entropy([n(x) for x in X], y).data, rel=1e-12)
    h = nn.fit(n, X, y, loss="bce", optimizer=nn.SGD(n.parameters(), lr=0.5), epochs=50, progress=False)
    assert h.loss[-1] < before and h.accuracy[-1] == 1.0  # OR is linearly separable
