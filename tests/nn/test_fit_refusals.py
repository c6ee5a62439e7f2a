"""Every refusal of fit, evaluate, predict, loss_graph and TrainingStep, word for word, each naming the
function the learner called; and nothing trained when one is raised."""
import pytest

from chainrule import nn
from chainrule.nn import train

X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
y = [0.0, 1.0, 1.0]
PART = "fit: the optimizer misses {} of the model's 13 parameters ({}); they would never move. Build it on model.parameters()"


def model():
    return nn.MLP(2, [3, 1], seed=0)


CASES = [
    ("X text", lambda m: nn.fit(m, "ab", y), ValueError, "fit: X must be a list of samples, each a list of numbers"),
    ("X iterator", lambda m: nn.predict(m, iter([[1.0, 2.0]])), ValueError,
     "predict: X must be a list of samples, each a list of numbers; got a list_iterator: make it a list first, list(…)"),
    ("X word", lambda m: nn.evaluate(m, [[1.0, "a"]], [1.0]), ValueError,
     "evaluate: X must be a list of samples, each a list of numbers"),
    ("X flat", lambda m: nn.loss_graph(m, [1.0, 2.0], [1.0]), ValueError,
     "loss_graph: X must be a non-empty list of samples, each a list of numbers (got shape (2,))"),
    ("X empty", lambda m: nn.predict(m, []), ValueError,
     "predict: X must be a non-empty list of samples, each a list of numbers (got shape (0,))"),
    ("X width", lambda m: nn.fit(m, [[1.0, 2.0, 3.0]], [1.0]), ValueError,
     "fit: each sample must have 2 inputs for this model, got 3"),
    ("X nan", lambda m: nn.evaluate(m, [[1.0, float("nan")]], [1.0]), ValueError, "evaluate: X holds NaN or infinity"),
    ("X inf step", lambda m: nn.TrainingStep(m, [[1.0, float("inf")]], [1.0]), ValueError,
     "TrainingStep: X holds NaN or infinity"),
    ("y text", lambda m: nn.fit(m, X, "abc"), TypeError,
     "fit: y must be a list (or array) of targets, one per sample; got 'abc' (str)"),
    ("y length", lambda m: nn.TrainingStep(m, X, [1.0]), ValueError,
     "TrainingStep: 3 samples but 1 targets; they must match one to one"),
    ("l2", lambda m: nn.loss_graph(m, X, y, l2=-1), ValueError,
     "loss_graph: l2 must be ≥ 0 (it adds λ‖θ‖² to the loss), got -1.0"),
    ("l2 text", lambda m: nn.fit(m, X, y, l2="a"), TypeError,
     "fit: l2: expected a real number (int or float) or a Value, got 'a' (str)"),
    ("l2 step", lambda m: nn.TrainingStep(m, X, y, l2=-0.5), ValueError,
     "TrainingStep: l2 must be ≥ 0 (it adds λ‖θ‖² to the loss), got -0.5"),
    ("optimizer", lambda m: nn.fit(m, X, y, optimizer=3), TypeError,
     "fit: optimizer must be an optimizer built on the model's parameters, e.g. nn.SGD(model.parameters(), lr=0.1); "
     "got 3 (int)"),
    ("optimizer class", lambda m: nn.TrainingStep(m, X, y, optimizer=nn.SGD), TypeError,
     "TrainingStep: optimizer must be an optimizer built on the model's parameters, e.g. nn.SGD(model.parameters(), "
     "lr=0.1); got the class SGD"),
    ("optimizer of another", lambda m: nn.fit(m, X, y, optimizer=nn.Adam(model().parameters())), ValueError,
     "fit: the optimizer holds none of this model's parameters (it was built on another model's, or on a copy's), so "
     "training would move nothing. Build it on this model: Adam(model.parameters(), …)"),
    ("optimizer of a part", lambda m: nn.fit(m, X, y, optimizer=nn.SGD(m.parameters()[:5], lr=0.1)), ValueError,
     PART.format(8, "layers.0.neurons.1.b, layers.0.neurons.2.w.0, layers.0.neurons.2.w.1, …")),
    ("optimizer of all but three", lambda m: nn.fit(m, X, y, optimizer=nn.SGD(m.parameters()[:10], lr=0.1)), ValueError,
     PART.format(3, "layers.1.neurons.0.w.1, layers.1.neurons.0.w.2, layers.1.neurons.0.b")),
    ("optimizer of all but four", lambda m: nn.fit(m, X, y, optimizer=nn.SGD(m.parameters()[:9], lr=0.1)), ValueError,
     PART.format(4, "layers.1.neurons.0.w.0, layers.1.neurons.0.w.1, layers.1.neurons.0.w.2, …")),
    ("optimizer of all but two", lambda m: nn.fit(m, X, y, optimizer=nn.SGD(m.parameters()[:11], lr=0.1)), ValueError,
     PART.format(2, "layers.1.neurons.0.w.2, layers.1.neurons.0.b")),
    ("clip_norm", lambda m: nn.fit(m, X, y, clip_norm=0), ValueError, "fit: clip_norm must be > 0, got 0.0"),
    ("clip_norm below 1", lambda m: nn.fit(m, X, y, clip_norm=-0.5), ValueError, "fit: clip_norm must be > 0, got -0.5"),
    ("clip_value", lambda m: nn.fit(m, X, y, clip_value="a"), TypeError,
     "fit: clip_value: expected a real number (int or float) or a Value, got 'a' (str)"),
    ("epochs", lambda m: nn.fit(m, X, y, epochs=0), ValueError, "fit: epochs must be an int ≥ 1, got 0"),
    ("batch_size", lambda m: nn.fit(m, X, y, batch_size=0), ValueError,
     "fit: batch_size (or None: full batch) must be an int ≥ 1, got 0"),
    ("shuffle", lambda m: nn.fit(m, X, y, shuffle=1), TypeError, "fit: shuffle must be True or False, got 1 (int)"),
    ("early_stopping", lambda m: nn.fit(m, X, y, early_stopping=0, validation=(X, y)), ValueError,
     "fit: early_stopping must be an int ≥ 1, got 0"),
    ("early_stopping without validation", lambda m: nn.fit(m, X, y, early_stopping=2), ValueError,
     "fit: early_stopping watches the validation loss: pass validation=(X_val, y_val)"),
    ("stop_below", lambda m: nn.fit(m, X, y, stop_below="x"), TypeError,
     "fit: stop_below: expected a real number (int or float) or a Value, got 'x' (str)"),
    ("progress", lambda m: nn.fit(m, X, y, progress="on"), TypeError,
     "fit: progress must be True, False or None, got 'on' (str)"),
    ("validation", lambda m: nn.fit(m, X, y, validation=(X,)), ValueError, "fit: validation must be a pair (X_val, y_val)"),
    ("validation of numbers", lambda m: nn.fit(m, X, y, validation=X[0]), ValueError,  # read as X_val = 0.0
     "fit (validation): X must be a non-empty list of samples, each a list of numbers (got shape ())"),
    ("validation not a pair", lambda m: nn.fit(m, X, y, validation=[X, y, y]), ValueError,
     "fit: validation must be a pair (X_val, y_val)"),
    ("validation neither", lambda m: nn.fit(m, X, y, validation=3), ValueError,
     "fit: validation must be a pair (X_val, y_val)"),
    ("X a number", lambda m: nn.predict(m, 0.5), ValueError,  # no advice to list() a number (it said so before)
     "predict: X must be a non-empty list of samples, each a list of numbers (got shape ())"),
    ("y a number", lambda m: nn.fit(m, X, 1.0), TypeError,
     "fit: y must be a list (or array) of targets, one per sample; got 1.0 (float)"),
    ("X a generator", lambda m: nn.fit(m, (x for x in X), y), ValueError,
     "fit: X must be a list of samples, each a list of numbers; got a generator: make it a list first, list(…)"),
    ("validation X", lambda m: nn.fit(m, X, y, validation=([[1.0]], [1.0])), ValueError,
     "fit (validation): each sample must have 2 inputs for this model, got 1"),
    ("validation y", lambda m: nn.fit(m, X, y, validation=(X, [1.0])), ValueError,
     "fit (validation): 3 samples but 1 targets; they must match one to one"),
    ("scheduler", lambda m: nn.fit(m, X, y, scheduler=3), TypeError,
     "fit: scheduler must be a scheduler built on the optimizer, e.g. nn.StepLR(optimizer, step_size=10); got 3 (int)"),
    ("scheduler class", lambda m: nn.fit(m, X, y, scheduler=nn.StepLR), TypeError,
     "fit: scheduler must be a scheduler built on the optimizer, e.g. nn.StepLR(optimizer, step_size=10); "
     "got the class StepLR"),
    ("scheduler of another", lambda m: nn.fit(m, X, y, optimizer=nn.SGD(m.parameters(), lr=0.1),
                                              scheduler=nn.StepLR(nn.SGD(m.parameters(), lr=0.1), 1)), ValueError,
     "fit: the scheduler changes the learning rate of another optimizer than the one fit trains with, so it would have "
     "no effect. Build it on the same optimizer, or pass only the scheduler (fit then trains with the scheduler's "
     "optimizer)"),
    ("bce labels", lambda m: nn.evaluate(m, X, [0.0, 2.0, 1.0], "bce_logits"), ValueError,
     "loss 'bce_logits': expects labels 0 or 1 (one per sample), got [2.0] (for ±1 labels use loss='hinge'; for bce "
     "map them with (y + 1) / 2)"),
]


@pytest.mark.parametrize("name,call,kind,message", CASES, ids=[c[0] for c in CASES])
def test_each_refusal_word_for_word_and_nothing_trained(name, call, kind, message):
    m = model()
    before = m.state_dict()
    with pytest.raises(kind) as info:
        call(m)
    assert str(info.value) == message
    assert m.state_dict() == before


def test_targets_given_as_an_iterator_are_told_to_become_a_list():
    with pytest.raises(TypeError) as info:
        nn.fit(model(), X, iter(y))
    text = str(info.value)
    assert text.startswith("fit: y must be a list (or array) of targets, one per sample; got <list_iterator object")
    assert text.endswith("(list_iterator); got a list_iterator: make it a list first, list(…)")


def test_the_array_path_names_what_it_needs():
    m = model()
    obj = train.objective(lambda o, t: nn.mse(o, t), m)
    with pytest.raises(TypeError) as info:
        train._batch_gradients(m, None, None, obj, 0.0)
    assert str(info.value) == "the array path needs an MLP and a named loss, got MLP and '<lambda>'"


def test_progress_may_be_true_false_or_none():
    for progress in (True, False, None):
        assert nn.fit(model(), X, y, epochs=1, progress=progress).epochs == 1
