"""What fit reports: the History's numbers against independent computations (evaluate, TrainingStep on
the same batches), its summary and notebook display, why training stopped, and a divergence's warning.

History.loss and .accuracy are what the epoch's batches measured as they trained, each before its own
update; the validation numbers are measured after the epoch."""
import math
import os
import warnings

import pytest

from chainrule import nn


def xor_model():
    return nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)


def test_history_numbers_equal_evaluate_and_the_largest_batch_gradient_norm():
    X, y = nn.data.xor()
    model = xor_model()
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=1,
                     batch_size=2, shuffle=False, validation=(X[:2], y[:2]))
    assert (history.val_loss[0], history.val_accuracy[0]) == nn.evaluate(model, X[:2], y[:2], "bce")
    assert history.lr == [0.5] and history.stopped == "ran all 1 epochs" and not history.diverged
    # the same batches by hand: each batch's loss and accuracy before its update, and its gradient norm
    again = xor_model()
    step = nn.TrainingStep(again, X, y, "bce", nn.SGD(again.parameters(), lr=0.5))
    norms, losses, accuracies = [], [], []
    for rows in ([0, 1], [2, 3]):
        loss, accuracy = nn.evaluate(again, [X[i] for i in rows], [y[i] for i in rows], "bce")
        assert step(rows) == pytest.approx(loss, rel=1e-12)
        losses.append(loss)
        accuracies.append(accuracy)
        norms.append(step.last_norm)
    assert history.loss == [pytest.approx(sum(losses) / 2, rel=1e-12)]  # two batches of two samples
    assert history.accuracy == [pytest.approx(sum(accuracies) / 2, rel=1e-12)]
    assert history.grad_norm == [pytest.approx(max(norms), rel=1e-12)] and norms[0] != norms[1]
    assert again.state_dict() == model.state_dict()


def test_regression_has_no_accuracy_and_a_custom_loss_is_evaluated_on_the_scalar_path():
    X, y = nn.data.line(6, noise=0.0)
    model = nn.MLP(1, [1], seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.1)

    def by_hand():
        return sum((o - t) ** 2 for o, t in zip(nn.predict(model, X), y)) / len(y)

    before = by_hand()
    history = nn.fit(model, X, y, loss=lambda o, t: nn.mse(o, t), optimizer=optimizer, epochs=1, validation=(X, y))
    assert math.isnan(history.accuracy[-1]) and math.isnan(history.val_accuracy[-1])
    assert history.loss == [pytest.approx(before, rel=1e-12)]  # measured before the epoch's update
    assert history.val_loss == [pytest.approx(by_hand(), rel=1e-12)] and by_hand() < before  # after it
    assert nn.evaluate(model, X, y, lambda o, t: nn.mse(o, t)) == (pytest.approx(by_hand(), rel=1e-12), None)


def test_accuracy_by_threshold_sign_and_argmax():
    model = nn.MLP(1, [1], output="sigmoid", seed=0)
    w, b = model.parameters()
    w.data, b.data = 1.0, 0.0  # σ(x): above 0.5 exactly when x > 0
    assert nn.evaluate(model, [[-1.0], [0.0], [2.0], [3.0]], [0, 0, 1, 0], "bce")[1] == 0.75
    hinge_model = nn.MLP(1, [1], seed=0)
    w, b = hinge_model.parameters()
    w.data, b.data = 1.0, 0.0  # the sign of x; 0 counts as −1
    assert nn.evaluate(hinge_model, [[-1.0], [0.0], [2.0], [3.0]], [-1, -1, 1, -1], "hinge")[1] == 0.75
    softmax = nn.MLP(1, [2], output="softmax", seed=0)
    w0, w1, b0, b1 = softmax.parameters()[0], softmax.parameters()[2], softmax.parameters()[1], softmax.parameters()[3]
    w0.data, w1.data, b0.data, b1.data = -1.0, 1.0, 0.0, 0.0  # class 1 when x > 0
    assert nn.evaluate(softmax, [[-1.0], [2.0], [3.0], [-2.0]], [0, 1, 0, 0], "cross_entropy")[1] == 0.75


def test_summary_and_notebook_display():
    X, y = nn.data.xor()
    model = xor_model()
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=3,
                     validation=(X, y))
    first, last = history.loss[0], history.loss[-1]
    assert history.summary() == (
        f"History: 3 epochs; loss {first:.4g} → {last:.4g}\n"
        f"  accuracy {history.accuracy[0]:.1%} → {history.accuracy[-1]:.1%}\n"
        f"  validation loss {history.val_loss[-1]:.4g} (best {min(history.val_loss):.4g})\n"
        "  stopped: ran all 3 epochs")
    assert repr(history) == history.summary() and repr(nn.History()) == "History: no epochs yet"
    html = history._repr_html_()
    assert html.startswith("<pre>History: 3 epochs") and "</pre><svg" in html
    assert f"training loss (log scale): {first:.3g} → {last:.3g}</text></svg>" in html
    assert 'points="52.0,' in html and ' 348.0,' in html  # the first loss at the left axis, the last at the right
    assert "<svg" not in nn.History(loss=[1.0])._repr_html_()
    assert "accuracy" not in nn.History(loss=[1.0], accuracy=[math.nan]).summary()


def test_stop_below_and_early_stopping_count_exactly():
    X, y = nn.data.line(4, noise=0.0)
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=50,
                     stop_below=1e9)  # below at once: one epoch
    assert history.epochs == 1 and history.stopped.startswith("loss ") and "< 1e+09 at epoch 1" in history.stopped
    # a validation set the model cannot improve on (lr tiny): stops after exactly `early_stopping` epochs without a better one
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=1e-300), epochs=50,
                     validation=(X, y), early_stopping=3)
    assert history.epochs == 4 and history.stopped == "no better validation loss for 3 epochs (epoch 4)"


def test_divergence_stops_with_a_warning_that_names_the_fix():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], seed=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = nn.fit(model, X, [1e150] * 4, loss="mse", optimizer=nn.SGD(model.parameters(), lr=10.0), epochs=5)
    # epoch 1 measures (1e150)² = 1e300 before its update; the update throws the weights so far that
    # epoch 2's loss overflows: that epoch stops before its update, and the History keeps epoch 1
    message = ("diverged at epoch 2: the loss became non-finite (inf). The learning rate (lr=10) is too large for this problem: "
               "lower it (try 1) or clip the gradients (clip_norm=1.0). The parameters keep their last finite values.")
    assert history.diverged and history.stopped == message and history.epochs == 1
    assert history.loss[0] == pytest.approx(1e300, rel=1e-6)
    assert [str(w.message) for w in caught] == ["fit: " + message]
    assert caught[0].category is RuntimeWarning
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutation testing (mutation/run.py) calls fit through a frame more
        assert caught[0].filename == __file__  # points at the caller's line
    assert all(math.isfinite(p.data) for p in model.parameters())
