"""Batched mode: one graph whose Values hold a whole batch gives the per-sample graphs' gradients."""
import numpy as np
import pytest

from chainrule import engine
from chainrule import nn
from chainrule.engine import Value
from chainrule.nn import batch as B
from chainrule.nn.train import objective


def gradients(model, loss):
    model.zero_grad()
    loss.backward()
    return np.array([p.grad for p in model.parameters()])


@pytest.mark.parametrize("name,output,data", [
    ("hinge", "linear", "pm1"), ("bce", "sigmoid", "01"), ("mse", "linear", "01"), ("mse_half", "sigmoid", "01"),
    ("bce", "linear", "prob"), ("cross_entropy", "softmax", "classes"), ("nll", "softmax", "classes"),
])
def test_batched_gradients_equal_scalar_mode(name, output, data):
    if data == "classes":
        X, y = nn.data.spirals(10, classes=3, seed=0)
        model = nn.MLP(2, [8, 3], activation="tanh", output=output, seed=0)
    else:
        X, y = nn.data.moons(40, seed=0, labels="pm1" if data == "pm1" else "01")
        if data == "prob":
            model = nn.MLP(2, [8, 8, 1], activation="relu", output="sigmoid", seed=0)
        else:
            model = nn.MLP(2, [8, 8, 1], activation="relu", output=output, seed=0)
    obj = objective(name, model)
    scalar = obj.function([model.logits(x) if obj.use_logits else model(x) for x in X], y)
    g_scalar = gradients(model, scalar)
    cols = B.columns(X)
    batched = obj.batch_function(model.logits(cols) if obj.use_logits else model(cols), y)
    g_batched = gradients(model, batched)
    assert batched.data == pytest.approx(scalar.data, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(g_batched, g_scalar, rtol=1e-12, atol=1e-12)


def test_a_batch_graph_is_the_size_of_one_sample_graph():
    model = nn.MLP(2, [16, 16, 1])
    X, y = nn.data.moons(100, labels="pm1")
    loss = B.hinge(model(B.columns(X)), y)
    nodes = engine.topological_order(loss)
    one = engine.topological_order(B.hinge(model(B.columns(X[:1])), y[:1]))
    assert len(nodes) == len(one) < 420 and sum(v.is_batch for v in nodes) < 80
    assert all(not p.is_batch for p in model.parameters())


def test_scalar_parents_receive_the_sum_over_the_batch():
    w = Value.parameter(2.0, "w")
    x = Value(np.array([1.0, 2.0, 3.0]), "x")
    (w * x).sum().backward()
    assert w.grad == 6.0 and list(x.grad) == [2.0, 2.0, 2.0]
    w.grad = 0.0
    (w * x).mean().backward()
    assert w.grad == pytest.approx(2.0)


def test_batch_operations_match_their_scalar_forms():
    data = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    for op in ["exp", "tanh", "sigmoid", "softplus", "relu"]:
        v = Value(data)
        out = getattr(v, op)()
        out.sum().backward()
        for i, d in enumerate(data):
            s = Value(float(d))
            o = getattr(s, op)()
            o.backward()
            assert out.data[i] == pytest.approx(o.data, rel=1e-14, abs=1e-300) and v.grad[i] == pytest.approx(s.grad)
    v = Value(np.array([1.0, 4.0]))
    out = (v ** 0.5 + v.log() + 1 / v + v.leaky_relu(0.1)).sum()
    out.backward()
    np.testing.assert_allclose(v.grad, 0.5 / np.sqrt([1.0, 4.0]) + 1 / np.array([1.0, 4.0]) - 1 / np.array([1.0, 16.0]) + 1)


def test_batch_errors_are_clear():
    with pytest.raises(ValueError, match="positive numbers"):
        Value(np.array([1.0, -1.0]), "x").log()
    with pytest.raises(ValueError, match="NaN"):
        Value(np.array([1.0, np.nan]))
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        Value(1.0) / Value(np.array([1.0, 0.0]))
    with pytest.raises(OverflowError, match="overflows"):
        Value(np.array([1.0, 800.0])).exp()


def test_fit_batched_and_per_sample_train_the_same_model():
    X, y = nn.data.moons(60, seed=1)
    runs = []
    for batched in (True, False):
        model = nn.MLP(2, [8, 1], output="sigmoid", seed=2)
        h = nn.fit(model, X, y, loss="bce", optimizer=nn.SGD(model.parameters(), lr=0.5), epochs=5, batch_size=20,
                   seed=3, batched=batched)
        runs.append((h.loss, [p.data for p in model.parameters()]))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-10)
    np.testing.assert_allclose(runs[0][1], runs[1][1], rtol=1e-10, atol=1e-12)


def test_batch_graphs_print_render_and_refuse_what_needs_one_sample(tmp_path):
    from chainrule import viz
    w = Value.parameter(2.0, "w")
    loss = (w * Value(np.array([1.0, 2.0, 3.0]), "x")).named("y").mean().named("L")
    steps = [str(s) for s in loss.backward_steps()]
    assert "w.grad += y.grad × ∂y/∂w = ⟨0.3333, 0.3333, … 3 samples⟩ × Σ⟨1, 2, … 3 samples⟩ = 2" in steps[1]
    dot = viz.to_dot(loss)
    assert "a batch of 3" in dot and 'label="x\\ndata 1\\ngrad 0.6667"' in dot  # sample 1
    with pytest.raises(ValueError, match="one sample"):
        engine.explain(loss, w)
    with pytest.raises(ValueError, match="one sample"):
        viz.save_stepper(loss, tmp_path / "s.html")
