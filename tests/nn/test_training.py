"""fit(): the notes' training loop learns XOR and the moons; batches, stopping, history, seeds."""
import math

import pytest

from chainrule import nn
def test_xor_is_learned_to_100_percent_by_a_two_layer_network():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.1), epochs=300)
    assert history.accuracy[-1] == 1.0
    assert [round(p) for p in nn.predict(model, X)] == [0, 1, 1, 0]
    assert history.loss[-1] < history.loss[0] / 10


def test_logistic_regression_cannot_learn_xor():
    X, y = nn.data.xor()
    model = nn.MLP(2, [1], output="sigmoid")
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.1), epochs=300)
    assert history.accuracy[-1] <= 0.75  # a line cannot separate XOR


def test_moons_like_micrograd_reach_100_percent():
    X, y = nn.data.moons(100, noise=0.1, seed=0, labels="pm1")
    model = nn.MLP(2, [16, 16, 1], activation="relu", init="uniform", seed=0)
    opt = nn.SGD(model.parameters(), lr=1.0)
    history = nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=100, l2=1e-4,
                     scheduler=nn.LinearLR(opt, epochs=100, end_factor=0.1))
    assert history.accuracy[-1] == 1.0
    # the rate each epoch used: micrograd's 1 − 0.9·k/100 for k = 0 … 99
    assert history.lr[0] == 1.0 and history.lr[-1] == pytest.approx(1 - 0.9 * 99 / 100)


def test_stop_below_threshold_like_the_notes():
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)
    history = nn.fit(model, X, y, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.1), epochs=1000,
                     stop_below=0.01)
    assert history.loss[-1] < 0.01 <= history.loss[-2] and history.epochs < 1000
    assert "< 0.01" in history.stopped


def test_batch_sizes_change_the_number_of_updates():
    X, y = nn.data.line(8, noise=0.0)
    def one_epoch(batch_size):
        model = nn.MLP(1, [1], seed=0)
        opt = nn.SGD(model.parameters(), lr=0.05)
        nn.fit(model, X, y, loss="mse", optimizer=opt, epochs=1, batch_size=batch_size, seed=0)
        return opt.steps, model.layers[0].neurons[0].w[0].data
    assert one_epoch(None)[0] == 1 and one_epoch(4)[0] == 2 and one_epoch(1)[0] == 8
    assert one_epoch(1)[1] != one_epoch(None)[1]


def test_regression_converges_to_slope_two():
    X, y = nn.data.line(5)
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=500)
    assert model.layers[0].neurons[0].w[0].data == pytest.approx(2.0, abs=1e-3)
    assert math.isnan(history.accuracy[0])  # regression has no accuracy


def test_validation_history_and_early_stopping():
    X, y = nn.data.moons(80, noise=0.3, seed=1)
    (Xt, yt), (Xv, yv) = nn.data.split(X, y, (0.5, 0.5), seed=0)
    model = nn.MLP(2, [32, 32, 1], output="sigmoid", seed=0)
    history = nn.fit(model, Xt, yt, loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=300,
                     validation=(Xv, yv), early_stopping=10)
    assert len(history.val_loss) == len(history.loss) == history.epochs < 300
    assert "validation" in history.stopped


def test_same_seed_same_training():
    X, y = nn.data.moons(40, seed=2)
    def train():
        model = nn.MLP(2, [8, 1], output="sigmoid", seed=3)
        return nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=5,
                      batch_size=8, seed=4).loss
    assert train() == train()


def test_cross_entropy_on_a_softmax_model_uses_logits():
    X, y = nn.data.spirals(20, classes=3, noise=0.0, seed=0)
    model = nn.MLP(2, [16, 3], output="softmax", seed=0)
    history = nn.fit(model, X, y, loss="cross_entropy", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=30)
    assert history.loss[-1] < history.loss[0] and history.accuracy[-1] > 0.5


def test_fit_argument_errors():
    X, y = nn.data.xor()
    model = nn.MLP(2, [1], output="sigmoid")
    with pytest.raises(ValueError, match="4 samples but 3 targets"):
        nn.fit(model, X, y[:3])
    with pytest.raises(ValueError, match="unknown loss"):
        nn.fit(model, X, y, loss="l1")
    with pytest.raises(ValueError, match="early_stopping watches the validation loss"):
        nn.fit(model, X, y, early_stopping=3)
    with pytest.raises(ValueError, match="batch_size"):
        nn.fit(model, X, y, batch_size=0)
