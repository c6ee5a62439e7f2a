"""fit's loop, step by step against the same steps taken by hand: the default optimizer, clipping inside
a step, the full batch as one step, dead layers watched over every batch, stop_below and early stopping
at their exact edges, the scheduler fed the watched loss, the progress bar and when it shows, the
divergence and dead-ReLU warnings word for word. No number here depends on the shuffle order."""
import math
import os
import sys
import warnings

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value
from chainrule.nn import arrays, train

X, Y = nn.data.xor()


def xor_model():
    return nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)


def test_a_training_step_without_an_optimizer_is_sgd_at_0_1():
    model, again = xor_model(), xor_model()
    step = nn.TrainingStep(model, X, Y, "bce")
    assert (step.last_norm, step.last_correct, step.last_alive) == (0.0, None, [])
    loss = step()
    by_hand = nn.TrainingStep(again, X, Y, "bce", nn.SGD(again.parameters(), lr=0.1))
    assert by_hand() == loss and again.state_dict() == model.state_dict()
    assert step.optimizer.lr == 0.1 and step.last_correct == by_hand.last_correct


def test_a_one_dimensional_x_feeds_a_one_input_model():
    model = nn.MLP(1, [1], seed=0)
    assert nn.predict(model, [0.5, 2.0]) == nn.predict(model, [[0.5], [2.0]])
    assert nn.evaluate(model, [0.5, 2.0], [1.0, 4.0]) == nn.evaluate(model, [[0.5], [2.0]], [1.0, 4.0])


def test_a_module_of_your_own_takes_samples_of_any_width_and_is_predicted_in_evaluation_mode():
    class Pair(nn.Module):
        def __init__(self):
            self.w = nn.Neuron(3, activation="linear", seed=0)
            self.drop = nn.Dropout(0.5, seed=0)

        def __call__(self, x):
            z = self.drop([self.w(x)])[0]  # dropped half the time while training
            return [z, z * 2.0]

    model = Pair()
    out = nn.predict(model, [[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    w = [p.data for p in model.w.w]
    first = w[0] * 1 + w[1] * 2 + w[2] * 3
    assert out == [[pytest.approx(first), pytest.approx(2 * first)], [pytest.approx(w[1]), pytest.approx(2 * w[1])]]
    assert model.training and model.drop.training  # evaluation mode only inside predict


@pytest.mark.parametrize("clip", ["norm", "value"])
def test_clipping_inside_a_step_is_clipping_by_hand_then_the_update(clip):
    model, again = xor_model(), xor_model()
    options = {"clip_norm": 0.01} if clip == "norm" else {"clip_value": 0.001}
    step = nn.TrainingStep(model, X, Y, "bce", nn.SGD(model.parameters(), lr=1.0), **options)
    step()
    opt = nn.SGD(again.parameters(), lr=1.0)
    opt.zero_grad()
    loss = nn.loss_graph(again, X, Y, "bce")
    loss.backward()
    g = np.array([p.grad for p in again.parameters()])
    assert step.last_norm == pytest.approx(math.sqrt(g @ g), rel=1e-12)  # before clipping
    if clip == "norm":
        assert nn.clip_grad_norm(again.parameters(), 0.01) == pytest.approx(step.last_norm, rel=1e-12)
    else:
        nn.clip_grad_value(again.parameters(), 0.001)
    opt.step()
    assert list(model.state_dict().values()) == pytest.approx(list(again.state_dict().values()), rel=1e-12, abs=1e-15)


def test_a_batch_as_large_as_the_data_is_one_full_batch_step():
    for batch_size in (4, 5):  # = n, > n
        model = xor_model()
        opt = nn.SGD(model.parameters(), lr=0.5)
        history = nn.fit(model, X, Y, "bce", opt, epochs=1, batch_size=batch_size)
        again = xor_model()
        step = nn.TrainingStep(again, X, Y, "bce", nn.SGD(again.parameters(), lr=0.5))
        assert history.loss == [step()] and opt.steps == 1 and history.grad_norm == [step.last_norm]
        assert history.accuracy == [step.last_correct / 4]


def relu_net():
    """Two hidden ReLU layers; the second layer's first unit is alive only for the last sample."""
    model = nn.MLP(1, [1, 2, 1], activation="relu", seed=0)
    first, second = model.layers[0], model.layers[1]
    first.W[:] = [[1.0]]
    first.b[:] = [0.0]
    second.W[:] = [[1.0], [0.0]]
    second.b[:] = [-2.5, -1.0]  # unit 0 alive only for x = 3; unit 1 never
    return model


def test_dead_layers_are_judged_over_every_batch_of_the_last_epoch():
    """A layer with a unit alive in any batch is alive: the epoch's batches are combined with `or`."""
    X1, y1 = [[1.0], [2.0], [3.0]], [0.0, 0.0, 1.0]
    model = relu_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the living sample first, in the data's order: no warning
        history = nn.fit(model, X1[::-1], y1[::-1], "mse", nn.SGD(model.parameters(), lr=1e-9), epochs=1, batch_size=1,
                         shuffle=False)
    assert history.dead_layers == []
    model = relu_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.fit(model, X1, y1, "mse", nn.SGD(model.parameters(), lr=1e-9), epochs=1, batch_size=1)
    assert history.dead_layers == []  # layer 1 lives in one batch of three, whatever the order (it was judged
    # by the epoch's last batch alone, and called dead when that batch was another sample's)
    for order in ([2, 0, 1], [0, 1, 2]):  # the same by hand, in two orders: alive if alive in any batch
        net = relu_net()
        step = nn.TrainingStep(net, X1, y1, "mse", nn.SGD(net.parameters(), lr=1e-9), watch_hidden=True)
        alive = [False, False]
        for row in order:
            step([row])
            alive = [a or b for a, b in zip(alive, step.last_alive)]
        assert alive == [True, True] and step.last_alive == ([True, False] if order[-1] != 2 else [True, True])
    model = relu_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.fit(model, X1, y1, "mse", nn.SGD(model.parameters(), lr=1e-9), epochs=1).dead_layers == []
    step = nn.TrainingStep(relu_net(), X1, y1, "mse", watch_hidden=True)
    step([0])
    assert step.last_alive == [True, False]
    custom = nn.TrainingStep(relu_net(), X1, y1, lambda o, t: nn.mse(o, t), watch_hidden=True)
    custom([0])
    assert custom.last_alive == []  # the scalar path watches nothing


def test_the_dead_relu_warning_word_for_word():
    model = relu_net()
    model.layers[1].b[:] = [-10.0, -10.0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = nn.fit(model, [[1.0], [2.0]], [0.0, 1.0], "mse", nn.SGD(model.parameters(), lr=0.1), epochs=3,
                         batch_size=1)
    assert history.loss[0] != history.loss[-1] != history.loss[1]  # the output layer's bias still learns
    assert history.dead_layers == [1]
    assert [str(w.message) for w in caught] == [
        f"fit: every unit of hidden layer 1 outputs 0 for every sample (dead ReLUs): no gradient reaches the layers "
        f"before it, and the loss is stuck at {history.loss[-1]:.4g}. Try activation='leaky_relu' or 'tanh', "
        "init='he', or a smaller learning rate."]
    assert not caught[0].filename.startswith(os.path.dirname(train.__file__))  # points outside the library
    if "MUTANT_UNDER_TEST" not in os.environ:
        assert caught[0].filename == __file__


def test_a_divergence_names_the_first_line_of_the_error_and_the_learning_rate_to_try():
    model = nn.MLP(1, [1], seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = nn.fit(model, [[1.0], [2.0]], [1e200, 1e200], "mse", nn.SGD(model.parameters(), lr=0.5), epochs=3)
    assert history.diverged and history.epochs == 0  # (1e200)² overflows at once
    assert history.stopped == ("diverged at epoch 1: the loss became non-finite (inf). The learning rate (lr=0.5) is "
                               "too large for this problem: lower it (try 0.05) or clip the gradients (clip_norm=1.0). "
                               "The parameters keep their last finite values.")
    assert not caught[0].filename.startswith(os.path.dirname(train.__file__))


def test_stop_below_is_strict_and_early_stopping_counts_from_the_best_epoch():
    X1, y1 = nn.data.line(4)
    first = nn.fit(nn.MLP(1, [1], seed=0), X1, y1, "mse", epochs=1).loss[0]
    history = nn.fit(nn.MLP(1, [1], seed=0), X1, y1, "mse", epochs=5, stop_below=first)
    assert history.epochs > 1  # a loss equal to the threshold is not below it
    model = nn.MLP(1, [1], seed=0)
    losses = iter([3.0, 2.0, 2.5, 1.0, 1.5, 1.6, 1.7, 0.5])
    scheduler_saw = []

    class Watcher:
        optimizer = None

        def step(self, loss):
            scheduler_saw.append(loss)

    real = train._evaluate
    try:  # the validation loss each epoch, given: best at epochs 1, 2, 4; two epochs without a better one stop
        train._evaluate = lambda *args: (next(losses), None)
        history = nn.fit(model, X1, y1, "mse", epochs=20, validation=(X1, y1), early_stopping=2, scheduler=Watcher())
    finally:
        train._evaluate = real
    assert history.val_loss == [3.0, 2.0, 2.5, 1.0, 1.5, 1.6]
    assert history.stopped == "no better validation loss for 2 epochs (epoch 6)"
    assert scheduler_saw == history.val_loss  # the scheduler watches the validation loss when there is one


class Bar:
    """Stands in for tqdm: records what fit asks of its progress bar."""
    made = []

    def __init__(self, total, unit, leave):
        self.total, self.unit, self.leave, self.updates, self.postfix, self.closed = total, unit, leave, [], [], False
        Bar.made.append(self)

    def update(self, n):
        self.updates.append(n)

    def set_postfix(self, **values):
        self.postfix.append(values)

    def close(self):
        self.closed = True


def test_the_progress_bar_counts_epochs_and_shows_the_loss(monkeypatch):
    monkeypatch.setattr("tqdm.tqdm", Bar)
    Bar.made.clear()
    history = nn.fit(xor_model(), X, Y, "bce", epochs=3, progress=True)
    (bar,) = Bar.made
    assert (bar.total, bar.unit, bar.leave, bar.closed) == (3, "epoch", False, True)
    assert bar.updates == [1, 1, 1] and bar.postfix == [{"loss": f"{v:.4g}"} for v in history.loss]
    nn.fit(xor_model(), X, Y, "bce", epochs=3, progress=False)
    assert len(Bar.made) == 1


def test_the_bar_shows_by_itself_on_a_terminal_for_more_than_two_million_sample_steps(monkeypatch):
    """work = epochs × batches per epoch × samples × (1 on the array path, 50 on scalar graphs)."""
    seen = []
    real = train._progress_bar
    monkeypatch.setattr(train, "_progress_bar", lambda epochs, work, progress: seen.append((epochs, work, progress)))
    nn.fit(xor_model(), X, Y, "bce", epochs=3, batch_size=3)  # 2 batches of ≤ 3 from 4 samples
    nn.fit(xor_model(), X, Y, lambda o, t: nn.binary_cross_entropy(o, t), epochs=2, progress=True)
    assert seen == [(3, 3 * 2 * 4 * 1, None), (2, 2 * 1 * 4 * 50, True)]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert real(5, 2_000_000, None) is None
    monkeypatch.setattr("tqdm.tqdm", Bar)
    assert isinstance(real(5, 2_000_001, None), Bar) and isinstance(real(5, 1, True), Bar)
    assert real(5, 10**9, False) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert real(5, 10**9, None) is None


def test_evaluate_is_the_array_losss_number_exactly_and_warns_of_nothing_numpy_overflows():
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    X, labels = [[0.5, -1.0], [2.0, 0.25], [1.0, 1.0]], [1, 0, 1]
    O = arrays.forward(model, np.array(X), logits=True)
    assert nn.evaluate(model, X, labels, "cross_entropy")[0] == arrays.cross_entropy(O, np.array(labels))[0]
    one_hot = [[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]]  # mse on a softmax: accuracy by the argmax of each row
    P = arrays.forward(model, np.array(X))
    by_hand = np.mean(np.argmax(P, axis=1) == np.array([1, 0, 0]))
    assert nn.evaluate(model, X, one_hot, "mse")[1] == by_hand
    step = nn.TrainingStep(model, X, one_hot, "mse")
    step()
    assert step.last_correct == round(3 * by_hand) and step.last_alive == []  # nothing watched unless asked
    huge = nn.MLP(2, [3, 2], activation="linear", seed=0)
    huge.layers[0].W[:] = 1e300
    huge.layers[1].W[:] = 1e300  # (1e300)² overflows in the products, then inf − inf is nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow is a number (inf or nan) here, not a numpy warning
        assert not math.isfinite(nn.evaluate(huge, X, one_hot, "mse")[0])
        assert not math.isfinite(nn.evaluate(huge, X, labels, "cross_entropy")[0])
        assert not all(math.isfinite(v) for row in nn.predict(huge, X) for v in row)


def test_a_model_of_ones_own_trains_with_its_own_loss_and_any_scheduler():
    class Line(nn.Module):
        def __init__(self):
            self.w = Value.parameter(0.0, "w")
            self.b = Value.parameter(0.0, "b")

        def __call__(self, x):
            return self.w * x[0] + self.b

    seen = []

    class Tracker:  # a scheduler of one's own: a step(), no optimizer attribute
        def step(self, loss):
            seen.append(loss)

    def squared(outputs, targets):
        return nn.mse(outputs, targets)

    model = Line()
    X1, y1 = nn.data.line(4)
    history = nn.fit(model, X1, [int(v) if v == int(v) else v for v in y1], squared,
                     nn.SGD(model.parameters(), lr=0.5), epochs=3, scheduler=Tracker(), batch_size=2)
    assert seen == history.loss and all(math.isnan(a) for a in history.accuracy)  # a regression: no accuracy
    assert nn.loss_graph(model, [[0.5], [1.0]], [1.0, 2.0], squared).data == pytest.approx(
        ((model.w.data * 0.5 + model.b.data - 1) ** 2 + (model.w.data + model.b.data - 2) ** 2) / 2, rel=1e-15)
    with pytest.raises(ValueError) as info:
        nn.fit(model, X1, y1, squared, nn.SGD([model.w], lr=0.1), epochs=1)
    assert str(info.value) == ("fit: the optimizer misses 1 of the model's 2 parameters (b); they would never move. "
                               "Build it on model.parameters()")
    with pytest.raises(ValueError) as info:
        nn.evaluate(model, X1, y1[:1], squared)
    assert str(info.value) == "evaluate: 4 samples but 1 targets; they must match one to one"


def test_the_optimizer_of_a_models_own_parameters_is_checked_without_walking_them(monkeypatch):
    model = xor_model()
    opt = nn.SGD(model.parameters(), lr=0.1)

    def walked(*args, **kwargs):
        raise AssertionError("fit walked the model's parameters")
    monkeypatch.setattr(model, "named_parameters", walked)
    assert nn.fit(model, X, Y, "bce", opt, epochs=2).epochs == 2


def test_fit_trains_a_hundred_epochs_by_default():
    assert nn.fit(xor_model(), X, Y, "bce").epochs == 100


def test_a_divergence_reports_the_first_line_of_the_error_without_its_full_stop():
    model = nn.MLP(1, [1], seed=0)

    def exploding(outputs, targets):
        raise OverflowError("the score passed MAX.\nsecond line")
    with pytest.warns(RuntimeWarning):
        history = nn.fit(model, [[1.0]], [1.0], exploding, nn.SGD(model.parameters(), lr=0.5), epochs=2)
    assert history.stopped.startswith("diverged at epoch 1: the score passed MAX. The learning rate (lr=0.5)")
    model.layers[0].W[:] = [[1e-20]]  # the loss 1e300·w·x = 1e290 is finite; its gradient 1e300·x = 1e310 is not
    with pytest.warns(RuntimeWarning):
        history = nn.fit(model, [[1e10]], [0.0], lambda o, t: o[0] * 1e300, nn.SGD(model.parameters(), lr=0.5), epochs=1)
    assert history.stopped == (
        "diverged at epoch 1: backward: the gradient of w0 (Value, data=1e-20) overflowed to inf; every .grad is left "
        "as it was before this pass. Scale the loss or the inputs down (or lower the learning rate). The learning rate "
        "(lr=0.5) is too large for this problem: lower it (try 0.05) or clip the gradients (clip_norm=1.0). The "
        "parameters keep their last finite values.")


def test_true_and_false_are_labels_one_and_zero():
    bools = [False, True, True, False]
    a, b = xor_model(), xor_model()
    assert nn.fit(a, X, bools, "bce", epochs=3, batch_size=2, shuffle=False).loss == \
        nn.fit(b, X, Y, "bce", epochs=3, batch_size=2, shuffle=False).loss
    assert nn.evaluate(a, X, bools, "bce") == nn.evaluate(a, X, Y, "bce")


def test_loss_graph_reads_a_flat_x_for_a_one_input_model():
    model = nn.MLP(1, [1], seed=0)
    assert nn.loss_graph(model, [0.5, 2.0], [1.0, 4.0]).data == nn.loss_graph(model, [[0.5], [2.0]], [1.0, 4.0]).data


def test_a_model_of_ones_own_with_a_named_loss_and_one_sample():
    class Line(nn.Module):
        def __init__(self):
            self.w = Value.parameter(0.5, "w")

        def __call__(self, x):
            return self.w * x[0]

    model = Line()
    history = nn.fit(model, [[2.0]], [3.0], "mse", nn.SGD(model.parameters(), lr=0.1), epochs=1)
    assert history.loss == [(1.0 - 3.0) ** 2] and model.w.data == 0.5 - 0.1 * 2 * (1.0 - 3.0) * 2.0
    with pytest.raises(ValueError) as info:
        nn.predict(model, [1.0, 2.0])  # without a declared nin, a flat list is no list of samples
    assert str(info.value) == "predict: X must be a non-empty list of samples, each a list of numbers (got shape (2,))"


def test_targets_of_a_loss_of_ones_own_must_be_numbers_of_one_shape():
    """They were met by numpy's own "setting an array element with a sequence" before."""
    model = nn.MLP(1, [1], seed=0)

    def first_of_each(outputs, targets):
        return nn.mse(outputs, [t[0] for t in targets])

    with pytest.raises(ValueError) as info:
        nn.fit(model, [[1.0], [2.0]], [[1.0], [2.0, 5.0]], first_of_each, epochs=1)
    assert str(info.value) == ("fit: targets must be numbers, one per sample or a list of them per sample (all of one "
                               "length); got [[1.0], [2.0, 5.0]]")
    assert nn.fit(model, [[1.0], [2.0]], [[1.0, 0.0], [2.0, 5.0]], first_of_each, epochs=1).epochs == 1
    with pytest.raises(ValueError) as info:  # words are no numbers either (numpy would keep them as strings)
        nn.fit(model, [[1.0], [2.0]], ["one", "two"], first_of_each, epochs=1)
    assert str(info.value).endswith("got ['one', 'two']")


def test_loss_graph_without_l2_is_the_loss_itself():
    model = nn.MLP(1, [1], seed=0)
    assert nn.loss_graph(model, [[1.0]], [2.0]).op == "mean"
    assert nn.loss_graph(model, [[1.0]], [2.0], l2=0.1).op == "+"


def test_only_hidden_layers_are_watched_whatever_the_output():
    model = nn.MLP(1, [2, 1], activation="relu", output="sigmoid", seed=0)
    for loss in ("bce", "mse"):  # the sigmoid left out (bce reads the logits) or applied (mse)
        step = nn.TrainingStep(model, [[1.0]], [1.0], loss, watch_hidden=True)
        step()
        assert len(step.last_alive) == 1


def test_predict_meets_an_overflow_with_numbers_not_warnings():
    huge = nn.MLP(2, [3, 2], activation="linear", output="softmax", seed=0)
    huge.layers[0].W[:] = 1e300
    huge.layers[1].W[:] = 1e300  # the scores overflow to inf; the softmax of inf − inf is nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = nn.predict(huge, [[0.5, -1.0]])
    assert not all(math.isfinite(v) for v in out[0])


def test_targets_read_as_text_are_numbers():
    """A column read from a text file may hold "1.5": the losses read it as the number."""
    model = nn.MLP(1, [1], seed=0)
    assert nn.evaluate(model, [[1.0], [2.0]], ["1.5", "2"]) == nn.evaluate(model, [[1.0], [2.0]], [1.5, 2.0])
