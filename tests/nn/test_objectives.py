"""Which numbers each loss reads, and how accuracy is judged: nn/objectives.py's table, row by row, for
every loss and output activation (and a module of your own, whose output the library cannot know),
with the refusals word for word; and accuracy's predicted labels against thresholds worked by hand."""
import math

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value
from chainrule.nn import arrays, losses as L
from chainrule.nn.objectives import (Objective, objective, output_activation, output_count, predicted, right_answers,
                                     truth)


class Mine(nn.Module):
    """A module of one's own: two weights, one or two outputs, an output activation it may declare."""

    def __init__(self, outputs=1, output=None):
        self.w = [Value.parameter(0.5, "w0"), Value.parameter(-1.0, "w1")]
        self.outputs = outputs
        if output is not None:
            self.output = output

    def __call__(self, x):
        z = [self.w[0] * x[0], self.w[1] * x[0]][:self.outputs]
        return z[0] if self.outputs == 1 else z


MODELS = {"linear": nn.MLP(1, [2]), "sigmoid": nn.MLP(1, [1], output="sigmoid"),
          "softmax": nn.MLP(1, [2], output="softmax"), "tanh": nn.MLP(1, [1], output="tanh"), None: Mine()}


def row(o: Objective):
    return (o.name, o.function, o.use_logits, o.accuracy, o.array_function, o.threshold)


# (loss, output) -> (function, reads logits, accuracy, array function, threshold), as the module's table says
TABLE = {
    ("mse", "linear"): (L.mse, False, None, arrays.mse, 0.5),
    ("mse", "sigmoid"): (L.mse, False, "threshold", arrays.mse, 0.5),
    ("mse", "softmax"): (L.mse, False, "argmax", arrays.mse, 0.5),
    ("mse", None): (L.mse, False, None, arrays.mse, 0.5),
    ("mse_half", "tanh"): (L.LOSSES["mse_half"], False, None, arrays.LOSSES["mse_half"], 0.5),
    ("mse_half", "sigmoid"): (L.LOSSES["mse_half"], False, "threshold", arrays.LOSSES["mse_half"], 0.5),
    ("bce", "sigmoid"): (L.binary_cross_entropy_with_logits, True, "threshold",
                         arrays.binary_cross_entropy_with_logits, 0.0),
    ("bce", None): (L.binary_cross_entropy, False, "threshold", None, 0.5),
    ("bce_logits", "sigmoid"): (L.binary_cross_entropy_with_logits, True, "threshold",
                                arrays.binary_cross_entropy_with_logits, 0.0),
    ("bce_logits", "linear"): (L.binary_cross_entropy_with_logits, False, "threshold",
                               arrays.binary_cross_entropy_with_logits, 0.0),
    ("bce_logits", None): (L.binary_cross_entropy_with_logits, False, "threshold",
                           arrays.binary_cross_entropy_with_logits, 0.0),
    ("cross_entropy", "softmax"): (L.cross_entropy, True, "argmax", arrays.cross_entropy, 0.5),
    ("cross_entropy", "linear"): (L.cross_entropy, False, "argmax", arrays.cross_entropy, 0.5),
    ("cross_entropy", None): (L.cross_entropy, False, "argmax", arrays.cross_entropy, 0.5),
    ("nll", "softmax"): (L.nll, False, "argmax", arrays.nll, 0.5),
    ("nll", None): (L.nll, False, "argmax", arrays.nll, 0.5),
    ("hinge", "linear"): (L.hinge, False, "sign", arrays.hinge, 0.5),
    ("hinge", "tanh"): (L.hinge, False, "sign", arrays.hinge, 0.5),
}


@pytest.mark.parametrize("loss,out", list(TABLE), ids=[f"{l}-{o}" for l, o in TABLE])
def test_each_loss_reads_what_the_table_says(loss, out):
    function, logits, accuracy, array, threshold = TABLE[loss, out]
    assert row(objective(loss, MODELS[out])) == (loss, function, logits, accuracy, array, threshold)


@pytest.mark.parametrize("function,name", [(L.mse, "mse"), (L.binary_cross_entropy, "bce"),
                                           (L.binary_cross_entropy_with_logits, "bce_logits"),
                                           (L.cross_entropy, "cross_entropy"), (L.nll, "nll"), (L.hinge, "hinge")])
def test_a_library_loss_function_means_its_name(function, name):
    model = MODELS["softmax"] if name in ("cross_entropy", "nll") else MODELS["sigmoid"]
    assert row(objective(function, model)) == row(objective(name, model))


def test_a_loss_function_of_your_own_reads_the_outputs_and_judges_accuracy_by_the_output():
    def squared(outputs, targets):
        return L.mse(outputs, targets)

    assert row(objective(squared, MODELS["sigmoid"])) == ("squared", squared, False, "threshold", None, 0.5)
    assert row(objective(squared, MODELS["softmax"])) == ("squared", squared, False, "argmax", None, 0.5)
    assert row(objective(squared, MODELS["linear"])) == ("squared", squared, False, None, None, 0.5)
    assert row(objective(squared, Mine(output="sigmoid")))[3] == "threshold"  # a module may declare its output

    class Callable:
        def __call__(self, outputs, targets):
            return L.mse(outputs, targets)
    loss = Callable()
    assert row(objective(loss, MODELS["tanh"])) == ("custom", loss, False, None, None, 0.5)
    assert not objective(loss, MODELS["tanh"]).named and objective("hinge", MODELS["tanh"]).named


@pytest.mark.parametrize("name", ["hinge", "nll"])
def test_a_function_of_your_own_is_not_checked_as_the_library_loss_of_its_name(name):
    def mine(outputs, targets):
        return L.mse(outputs, targets)
    mine.__name__ = name
    model = nn.MLP(1, [1], output="linear", seed=0)
    history = nn.fit(model, [[0.0], [1.0]], [0.3, 0.7], loss=mine, epochs=2)  # targets no hinge or nll would take
    assert len(history.loss) == 2 and history.loss[1] < history.loss[0]


def test_the_output_activation_and_count_of_any_model():
    assert [output_activation(m) for m in (nn.MLP(1, [2], output="tanh"), nn.Layer(1, 2, activation="elu"),
                                           nn.Neuron(1, activation="sigmoid"), Mine(), Mine(output="softmax"))] == \
        ["tanh", "elu", "sigmoid", None, "softmax"]
    sample = [0.5]
    assert [output_count(m, sample) for m in (nn.MLP(1, [3]), nn.Layer(1, 4), nn.Neuron(1), Mine(1), Mine(2))] == \
        [3, 4, 1, 1, 2]


@pytest.mark.parametrize("loss,out,message", [
    ("bce", "linear", "fit: loss 'bce' reads probabilities in [0, 1], but this model's output activation is 'linear', "
                      "whose numbers are not probabilities (the loss could go negative and training would chase it). "
                      "Use output='sigmoid' (fit then reads its logits, stably), or loss='bce_logits' to read these "
                      "outputs as logits."),
    ("nll", "tanh", "fit: loss 'nll' reads probabilities in [0, 1], but this model's output activation is 'tanh', "
                    "whose numbers are not probabilities (the loss could go negative and training would chase it). "
                    "Use output='softmax', or loss='cross_entropy', which reads these outputs as scores (softmax and "
                    "nll in one, stably)."),
    ("cross_entropy", "sigmoid", "fit: loss 'cross_entropy' reads scores (logits): it needs output='softmax' (or "
                                 "'linear'), the model's output is 'sigmoid'"),
    ("l1", "linear", "fit: unknown loss 'l1'; choose one of mse, mse_half, bce, bce_logits, cross_entropy, nll, "
                     "hinge, or pass a function"),
])
def test_a_pairing_that_would_train_towards_a_wrong_number_is_refused(loss, out, message):
    with pytest.raises(ValueError) as info:
        objective(loss, MODELS[out])
    assert str(info.value) == message


def test_predicted_labels_by_argmax_sign_and_threshold():
    O = np.array([[0.2, 0.7], [0.9, -0.1], [0.0, 0.0]])
    assert predicted(O, objective("cross_entropy", MODELS["softmax"])).tolist() == [1.0, 0.0, 0.0]
    scores = np.array([[0.3], [0.0], [-0.2]])
    assert predicted(scores, objective("hinge", MODELS["linear"])).tolist() == [1.0, -1.0, -1.0]  # 0 counts as −1
    assert predicted(scores, objective("bce", MODELS["sigmoid"])).tolist() == [1.0, 0.0, 0.0]  # logits: z > 0
    probabilities = np.array([[0.6], [0.5], [0.4]])
    assert predicted(probabilities, objective("mse", MODELS["sigmoid"])).tolist() == [1.0, 0.0, 0.0]  # p > 0.5


def test_true_labels_from_indices_one_hot_rows_or_a_column():
    assert truth(np.array([[0, 1], [1, 0]]), "argmax").tolist() == [1.0, 0.0]
    assert truth(np.array([[1.0], [0.0]]), "threshold").tolist() == [1.0, 0.0]
    assert truth(np.array([2, 0]), "argmax").tolist() == [2.0, 0.0]


def test_several_sigmoid_outputs_are_each_a_yes_or_no_and_a_sample_is_right_when_all_are():
    """A multi-label model (two sigmoid outputs, mse): fit and evaluate count a sample right when every
    output is on the right side of 0.5 (this crashed, comparing n answers with n × 2 labels)."""
    model = nn.MLP(2, [4, 2], output="sigmoid", seed=0)
    X, y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], [[0, 1], [1, 0], [1, 1], [0, 0]]
    history = nn.fit(model, X, y, loss="mse", epochs=2, progress=False)
    loss, accuracy = nn.evaluate(model, X, y, loss="mse")
    by_hand = np.mean([all((p > 0.5) == bool(t) for p, t in zip(ps, ts)) for ps, ts in zip(nn.predict(model, X), y)])
    assert accuracy == by_hand and 0 <= history.accuracy[-1] <= 1
    O = np.array([[0.6, 0.4], [0.6, 0.6], [0.2, 0.1]])
    obj = objective("mse", model)
    assert predicted(O, obj).tolist() == [[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    assert right_answers(O, truth(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]), "threshold"), obj).tolist() == \
        [True, False, True]


def test_a_module_whose_output_attribute_is_no_activation_name_trains_as_a_module_of_ones_own():
    model = Mine(outputs=1)
    model.output = [0.25]  # e.g. the last output it gave: not an activation's name
    assert output_activation(model) is None
    history = nn.fit(model, [[1.0], [2.0]], [0.5, -1.0], loss="mse", epochs=2, progress=False)
    assert len(history.loss) == 2 and math.isnan(history.accuracy[-1])  # a regression: no accuracy


def test_one_label_per_sample_on_several_outputs_is_refused_for_bce_or_judged_by_the_first_output():
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    model = nn.MLP(2, [3, 2], output="sigmoid", seed=0)
    with pytest.raises(ValueError, match="reads one output per sample"):  # was a broadcasting error (3, 2) vs (3,)
        nn.fit(model, X, [1, 0, 1], loss="bce", epochs=1, progress=False)

    def first_output_mse(outputs, targets):
        return nn.mse([o[0] for o in outputs], targets)

    history = nn.fit(model, X, [1.0, 0.0, 1.0], loss=first_output_mse, epochs=1, progress=False)
    first = [p[0] > 0.5 for p in nn.predict(model, X)]  # (after the step; the History's is before it)
    assert nn.evaluate(model, X, [1.0, 0.0, 1.0], loss=first_output_mse)[1] == np.mean(np.array(first) == [1, 0, 1])
    assert 0.0 <= history.accuracy[-1] <= 1.0
