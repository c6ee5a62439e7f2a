"""The array path (fit's speed) computes exactly what the scalar graphs (what a learner reads) compute."""
import math
import warnings

import numpy as np
import pytest

from chainrule import engine, nn
from chainrule.nn import train

ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu"]


def _data(loss, n=12, nin=3, k=1, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, nin)).tolist()
    if loss in ("bce", "bce_logits"):
        y = rng.integers(0, 2, n).astype(float).tolist()
    elif loss == "hinge":
        y = (2 * rng.integers(0, 2, n) - 1).astype(float).tolist()
    elif loss in ("cross_entropy", "nll"):
        y = rng.integers(0, k, n).tolist()
    else:
        y = rng.normal(size=(n, k)).tolist() if k > 1 else rng.normal(size=n).tolist()
    return X, y


CASES = [  # (loss, output activation, outputs)
    ("mse", "linear", 1), ("mse", "linear", 3), ("mse_half", "tanh", 2), ("bce", "sigmoid", 1),
    ("bce_logits", "linear", 1), ("bce_logits", "sigmoid", 1), ("cross_entropy", "softmax", 4), ("cross_entropy", "linear", 3),
    ("nll", "softmax", 3), ("hinge", "linear", 1),
]


def _scalar_gradients(model, X, y, loss, l2):
    model.zero_grad()
    value = nn.loss_graph(model, X, y, loss, l2=l2)
    value.backward()
    return value.data, np.array([p.grad for p in model.parameters()])


def _array_gradients(model, X, y, loss, l2):
    obj = train.objective(loss, model)
    A = train._inputs(X, model, "t")
    T = train._targets(y, A, obj, model, "t")
    model.zero_grad()
    value, _ = train._batch_gradients(model, A, T, obj, l2)
    return value, np.array([p.grad for p in model.parameters()])


@pytest.mark.parametrize("loss,output,k", CASES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_loss_and_every_gradient_equal_the_scalar_graphs(loss, output, k, activation):
    X, y = _data(loss, k=k)
    model = nn.MLP(3, [4, k], activation=activation, output=output, seed=1)
    for l2 in (0.0, 1e-2):
        scalar_loss, scalar_grads = _scalar_gradients(model, X, y, loss, l2)
        array_loss, array_grads = _array_gradients(model, X, y, loss, l2)
        assert array_loss == pytest.approx(scalar_loss, rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(array_grads, scalar_grads, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make", [
    lambda ps: nn.SGD(ps, lr=0.1), lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
    lambda ps: nn.RMSProp(ps, lr=0.01), lambda ps: nn.Adam(ps, lr=0.01, weight_decay=1e-3),
], ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_several_steps_equal_scalar_training_with_every_optimizer(make):
    X, y = _data("bce", n=10)
    fast = nn.MLP(3, [5, 1], activation="tanh", output="sigmoid", seed=2)
    slow = nn.MLP(3, [5, 1], activation="tanh", output="sigmoid", seed=2)
    fast_opt = make(fast.parameters())  # the whole model: updated with array operations on its buffer
    slow_opt = make(list(reversed(slow.parameters())))  # not the model's order: one Value at a time
    assert fast_opt.numbers.store is fast._store and slow_opt.numbers.store is None
    step = nn.TrainingStep(fast, X, y, "bce", fast_opt, l2=1e-3)
    for _ in range(4):
        array_loss = step()
        slow_opt.zero_grad()
        value = nn.loss_graph(slow, X, y, "bce", l2=1e-3)
        value.backward()
        slow_opt.step()
        assert array_loss == pytest.approx(value.data, rel=1e-12)
        np.testing.assert_allclose([p.data for p in fast.parameters()], [p.data for p in slow.parameters()],
                                   rtol=1e-10, atol=1e-13)


def test_parameters_are_views_on_the_matrices():
    model = nn.MLP(2, [3, 1], seed=0)
    layer = model.layers[0]
    w = layer.neurons[1].w[0]
    w.data = 0.25
    assert layer.W[1, 0] == 0.25  # writing the scalar writes the matrix
    layer.b[2] = -1.5
    assert layer.neurons[2].b.data == -1.5  # and the other way round
    assert [name for name, _ in model.named_parameters()][:3] == ["layers.0.neurons.0.w.0",
                                                                  "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    with pytest.raises(ValueError, match="not finite"):
        w.data = math.inf
    assert w.data == 0.25


def test_any_sample_of_a_batch_step_expands_into_its_scalar_graph():
    X, y = _data("hinge", n=8)
    model = nn.MLP(3, [4, 1], seed=3)
    graph = nn.loss_graph(model, [X[5]], [y[5]], "hinge")
    assert graph.label == "loss"  # the root's name on the pages and in the step texts
    assert {v.label for v in engine.topological_order(graph) if v.op == ""} == {"x0", "x1", "x2"}
    assert any(v.scope == "layers.0.neurons.3" for v in engine.topological_order(graph))


def test_inputs_are_labelled_and_predict_is_one_call():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    grid = [[a / 10, b / 10] for a in range(-10, 11) for b in range(-10, 11)]
    by_graph = [model(x).data for x in grid[:5]]
    assert nn.predict(model, grid)[:5] == pytest.approx(by_graph, rel=1e-12)


def test_modules_without_a_seed_break_symmetry_and_manual_seed_reproduces():
    neurons = [nn.Neuron(3) for _ in range(4)]
    assert len({tuple(p.data for p in n.w) for n in neurons}) == 4  # four different neurons
    nn.manual_seed(7)
    a = [p.data for p in nn.MLP(2, [3, 1]).parameters()]
    nn.manual_seed(7)
    b = [p.data for p in nn.MLP(2, [3, 1]).parameters()]
    assert a == b
    assert [p.data for p in nn.MLP(2, [3, 1], seed=5).parameters()] == [p.data for p in nn.MLP(2, [3, 1], seed=5).parameters()]


@pytest.mark.parametrize("loss,y,expects", [
    ("bce", [1.0, -1.0, 1.0, -1.0], "expects labels 0 or 1"),
    ("hinge", [1.0, 0.0, 1.0, 0.0], r"expects labels -1 or \+1"),
    ("cross_entropy", [0, 1, 2, 3], r"class indices 0 … k−1.*k = 3"),
    ("nll", [0, 1, 0.5, 1], "class indices"),
])
def test_labels_the_loss_cannot_read_are_refused_before_training(loss, y, expects):
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    output = {"bce": "sigmoid", "hinge": "linear"}.get(loss, "softmax")
    model = nn.MLP(2, [3, 1 if loss in ("bce", "hinge") else 3], output=output, seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=expects):
        nn.fit(model, X, y, loss=loss, epochs=5)
    assert [p.data for p in model.parameters()] == before


def test_mismatched_lengths_are_refused_in_evaluate_and_validation():
    X, y = nn.data.xor()
    model = nn.MLP(2, [3, 1], output="sigmoid", seed=0)
    with pytest.raises(ValueError, match="4 samples but 1 targets"):
        nn.evaluate(model, X, y[:1], loss="bce")
    with pytest.raises(ValueError, match=r"fit \(validation\): 4 samples but 1 targets"):
        nn.fit(model, X, y, loss="bce", validation=(X, y[:1]), epochs=2)
    with pytest.raises(ValueError, match="l2 must be ≥ 0"):
        nn.fit(model, X, y, loss="bce", l2=-1.0, epochs=2)


def test_training_that_explodes_stops_with_fits_own_message_and_keeps_the_history():
    X, y = nn.data.line(8, slope=2.0, high=10.0)
    model = nn.MLP(1, [1], seed=0)
    with pytest.warns(RuntimeWarning, match="lower it"):
        history = nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=1e3), epochs=50)
    assert history.diverged and "diverged at epoch" in history.stopped and "lower it" in history.stopped
    assert 0 < history.epochs < 50 and all(math.isfinite(v) for v in history.loss)
    assert all(math.isfinite(p.data) for p in model.parameters())


def test_an_optimizer_step_never_writes_a_non_finite_parameter():
    from chainrule.engine import Value

    w = Value.parameter(1.0, "w")
    w.grad = 1e300
    opt = nn.SGD([w], lr=1e10, momentum=0.5)
    with pytest.raises(OverflowError, match=r"SGD.step: the update would make w .* non-finite.*lower the learning rate"):
        opt.step()
    assert w.data == 1.0 and opt.velocity.tolist() == [0.0] and opt.steps == 0
    w.grad = math.inf
    with pytest.raises(OverflowError, match="the gradient of w"):
        opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = nn.MLP(2, [2, 1], seed=0)
        adam = nn.Adam(model.parameters(), lr=1e308)
        for p in model.parameters():
            p.grad = 1.0
        model.parameters()[0].data = -1e308  # one Adam step moves it by −lr: to −2e308
        before = [p.data for p in model.parameters()]
        with pytest.raises(OverflowError):
            adam.step()
        assert [p.data for p in model.parameters()] == before and adam.m.tolist() == [0.0] * len(before)
