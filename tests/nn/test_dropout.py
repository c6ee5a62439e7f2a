"""Dropout: inverted, seeded, drawn as multiplication by constants, off in evaluation."""
import numpy as np
import pytest

from chainrule import engine, nn
from chainrule.nn import train


def test_dropout_in_the_graph_is_a_multiply_by_a_constant_mask():
    model = nn.MLP(3, [6, 1], activation="tanh", dropout=0.5, seed=0)
    out = model([0.1, -0.2, 0.3])
    masks = [v for v in engine.topological_order(out) if v.op == "*" and v.parents[1].op == "const"]
    assert len(masks) == 6 and {m.parents[1].data for m in masks} <= {0.0, 2.0}
    model.eval()
    assert not model.training and not model.dropout[0].training
    out = model([0.1, -0.2, 0.3])
    assert not any(v.op == "*" for v in engine.topological_order(out))
    model.train()
    assert model.dropout[0].training


def test_inverted_dropout_keeps_the_expected_value():
    d = nn.Dropout(0.25, seed=3)
    mask = d.mask((200_000,))
    assert set(np.unique(mask)) == {0.0, 4 / 3} and mask.mean() == pytest.approx(1.0, abs=0.01)
    assert nn.Dropout(0.25, seed=3).mask((5,)).tolist() == nn.Dropout(0.25, seed=3).mask((5,)).tolist()
    with pytest.raises(ValueError, match=r"must be in \[0, 1\)"):
        nn.Dropout(1.0)


def test_array_path_with_dropout_equals_the_scalar_graphs_with_the_same_mask(monkeypatch):
    row = np.array([2.0, 0.0, 2.0, 2.0, 0.0])
    monkeypatch.setattr(nn.Dropout, "mask", lambda self, shape: np.broadcast_to(row, shape).copy())
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 2)).tolist(), rng.integers(0, 2, 6).astype(float).tolist()
    model = nn.MLP(2, [5, 1], activation="relu", output="sigmoid", dropout=0.5, seed=1)
    model.zero_grad()
    scalar = nn.loss_graph(model, X, y, "bce")
    scalar.backward()
    expected = [p.grad for p in model.parameters()]
    obj = train.objective("bce", model)
    model.zero_grad()
    value, _ = train._batch_gradients(model, A := train._inputs(X, model, "t"), train._targets(y, A, obj, model, "t"), obj, 0.0)
    assert value == pytest.approx(scalar.data, rel=1e-12)
    np.testing.assert_allclose([p.grad for p in model.parameters()], expected, rtol=1e-10, atol=1e-14)


def test_evaluation_and_prediction_never_drop():
    model = nn.MLP(2, [16, 1], dropout=0.5, seed=0)
    X = [[0.3, -0.7], [1.0, 2.0]]
    assert nn.predict(model, X) == nn.predict(model, X)
    model.eval()
    assert nn.predict(model, X) == pytest.approx([model(x).data for x in X], rel=1e-12)
