"""fit's batches and what History reports: every sample once per epoch, a partial last batch, shuffling
that depends on the seed, and a loss that includes the L2 term being minimised. Properties and numbers
computed independently (TrainingStep on the same rows, the scalar graph, by hand); no exact shuffled order
is pinned, so the generator behind the shuffle may change."""
import math

import numpy as np
import pytest

from chainrule import engine, nn

N = 8
X = [[x] for x in np.linspace(-1.0, 1.0, N)]
IDS = [float(i) for i in range(N)]  # each target names its sample


def batches_seen(epochs, batch_size, **settings):
    """The sample ids of each training batch fit builds, per epoch, read by a loss function of our own."""
    seen = []

    def loss(outputs, targets):
        if engine.is_recording():  # a training batch (fit evaluates each epoch without recording a graph)
            seen.append([int(t) for t in targets])
        return nn.mse(outputs, targets)

    model = nn.MLP(1, [1], seed=0)
    opt = nn.SGD(model.parameters(), lr=1e-3)
    nn.fit(model, X, IDS, loss=loss, optimizer=opt, epochs=epochs, batch_size=batch_size, **settings)
    assert opt.steps == len(seen)  # one update per batch
    per_epoch, k = [], math.ceil(N / batch_size)
    for e in range(epochs):
        per_epoch.append(seen[e * k:(e + 1) * k])
    assert len(seen) == epochs * k
    return per_epoch


@pytest.mark.parametrize("batch_size,sizes", [(3, [3, 3, 2]), (5, [5, 3]), (4, [4, 4]), (1, [1] * N), (7, [7, 1])])
def test_every_sample_is_used_exactly_once_per_epoch_with_a_partial_last_batch(batch_size, sizes):
    for epoch in batches_seen(3, batch_size, seed=0):
        assert [len(b) for b in epoch] == sizes
        assert sorted(i for b in epoch for i in b) == list(range(N))


def test_shuffle_false_keeps_the_data_order():
    for epoch in batches_seen(2, 3, shuffle=False):
        assert epoch == [[0, 1, 2], [3, 4, 5], [6, 7]]


def test_the_seed_decides_the_order_and_each_epoch_is_shuffled_again():
    order = {seed: [[i for b in epoch for i in b] for epoch in batches_seen(3, 2, seed=seed)] for seed in (0, 1)}
    assert order[0] == [[i for b in epoch for i in b] for epoch in batches_seen(3, 2, seed=0)]  # reproducible
    assert order[0] != order[1]
    identity = list(range(N))
    for seed in (0, 1):
        assert sum(epoch != identity for epoch in order[seed]) >= 2  # shuffled (8! orders: identity is rare)
        assert len({tuple(epoch) for epoch in order[seed]}) >= 2  # a new order each epoch


def test_mini_batch_losses_depend_on_the_seed_and_not_shuffling_equals_training_step_by_hand():
    Xs, ys = nn.data.line(N, noise=0.0)

    def train(**settings):
        model = nn.MLP(1, [1], seed=0)
        history = nn.fit(model, Xs, ys, loss="mse", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=2,
                         batch_size=3, **settings)
        return history.loss, [p.data for p in model.parameters()]

    (loss0, theta0), (loss1, _), (plain, plain_theta) = train(seed=0), train(seed=1), train(shuffle=False)
    assert loss0 != loss1 and loss0 != plain
    # shuffle=False, batch_size=3 on 8 samples: rows 0-2, 3-5, then the partial batch 6-7, each one update
    model = nn.MLP(1, [1], seed=0)
    step = nn.TrainingStep(model, Xs, ys, "mse", nn.SGD(model.parameters(), lr=0.1))
    losses = []
    for _ in range(2):  # an epoch's loss: its batches' losses, each before its update, weighted by their sizes
        losses.append(sum(step(rows) * len(rows) for rows in ([0, 1, 2], [3, 4, 5], [6, 7])) / N)
    assert plain_theta == pytest.approx([p.data for p in model.parameters()], rel=1e-12)
    assert plain == pytest.approx(losses, rel=1e-12)
    assert theta0 != plain_theta


@pytest.mark.parametrize("batch_size,updates", [(None, 1), (3, 3), (5, 2), (8, 1), (1, 8)])
def test_updates_per_epoch_on_the_array_path(batch_size, updates):
    Xs, ys = nn.data.line(N, noise=0.0)
    model = nn.MLP(1, [2, 1], activation="tanh", seed=0)
    opt = nn.Adam(model.parameters(), lr=0.01)
    nn.fit(model, Xs, ys, loss="mse", optimizer=opt, epochs=2, batch_size=batch_size, seed=0)
    assert opt.steps == 2 * updates


@pytest.mark.parametrize("loss", ["mse", "custom"])
def test_history_loss_is_the_loss_being_minimised_with_its_l2_term(loss):
    Xs, ys = [[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8]], [1.0, -0.5, 0.25]
    l2 = 0.1
    function = "mse" if loss == "mse" else (lambda outputs, targets: nn.mse(outputs, targets))
    model = nn.MLP(2, [3, 1], activation="tanh", seed=4)
    optimizer = nn.SGD(model.parameters(), lr=0.05)
    nn.fit(model, Xs, ys, loss=function, optimizer=optimizer, epochs=1, l2=l2)
    # the loss the next epoch measures before its update: the data term by hand, plus λ‖θ‖² by hand,
    # and the scalar graph of the same loss
    outputs = nn.predict(model, Xs)
    data_term = sum((o - t) ** 2 for o, t in zip(outputs, ys)) / len(ys)
    penalty = l2 * sum(p.data ** 2 for p in model.parameters())
    assert penalty > 0.1 * data_term  # the penalty is no rounding error here
    graph = nn.loss_graph(model, Xs, ys, function, l2=l2).data
    history = nn.fit(model, Xs, ys, loss=function, optimizer=optimizer, epochs=1, l2=l2)
    assert history.loss[-1] == pytest.approx(data_term + penalty, rel=1e-12)
    assert history.loss[-1] == pytest.approx(graph, rel=1e-12)
