"""Each array loss (fit's speed) against its formula by hand and against the scalar loss's gradient;
bce by hand on probabilities, and refused on a linear output (its logits form reads those as scores)."""
import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value

X3 = [[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]


def linear_model(weights):
    """A one-neuron model with a linear output and the given (w₀, w₁, b)."""
    model = nn.MLP(2, [1], output="linear", seed=0)
    for p, value in zip(model.parameters(), weights):
        p.data = value
    return model


def scalar_loss_gradient(loss, outputs, targets):
    """∂L/∂outputᵢ from the scalar loss's graph (one Value per output)."""
    ps = [Value(o) for o in outputs]
    value = loss(ps, targets)
    value.backward()
    return value.data, [p.grad for p in ps]


def test_bce_on_probabilities_by_hand():
    p, y = np.array([0.7, 0.3, 0.6]), np.array([1.0, 0.0, 1.0])
    value, grad = scalar_loss_gradient(nn.binary_cross_entropy, p.tolist(), y.tolist())
    n = len(p)
    assert value == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    # ∂L/∂p = (1/n)(−y/p + (1 − y)/(1 − p)): [−0.476, 0.476, −0.556]
    np.testing.assert_allclose(grad, (-y / p + (1 - y) / (1 - p)) / n, rtol=1e-12)


def test_bce_on_soft_targets_uses_both_terms():
    p, y = np.array([0.25, 0.8]), np.array([0.4, 0.9])
    value, grad = scalar_loss_gradient(nn.binary_cross_entropy, p.tolist(), y.tolist())
    assert value == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    np.testing.assert_allclose(grad, (-y / p + (1 - y) / (1 - p)) / 2, rtol=1e-12)


def test_bce_on_a_linear_output_is_refused_and_its_logits_form_trains_as_the_scalar_graph_says():
    y = [1.0, 0.0, 1.0]
    model = linear_model([0.2, -0.1, 0.5])  # outputs 0.7, 0.3, 0.6: in [0, 1] here, but no probabilities
    with pytest.raises(ValueError, match="bce.*probabilities.*'linear'"):
        nn.TrainingStep(model, X3, y, "bce", nn.SGD(model.parameters(), lr=0.01))
    # bce_logits reads them as scores z: ∂L/∂z = (σ(z) − y)/n, then ∂z/∂θ = (x, 1)
    graph = nn.loss_graph(model, X3, y, "bce_logits")
    graph.backward()
    scalar_grads = [p.grad for p in model.parameters()]
    z = np.array([0.7, 0.3, 0.6])
    dz = (1 / (1 + np.exp(-z)) - np.array(y)) / 3
    by_hand = [dz[0] + dz[2], 2 * dz[1] + dz[2], dz.sum()]
    assert scalar_grads == pytest.approx(by_hand, rel=1e-12)
    fresh = linear_model([0.2, -0.1, 0.5])
    step = nn.TrainingStep(fresh, X3, y, "bce_logits", nn.SGD(fresh.parameters(), lr=0.01))
    assert step() == pytest.approx(graph.data, rel=1e-12)
    moved = [(before - p.data) / 0.01 for before, p in zip([0.2, -0.1, 0.5], fresh.parameters())]
    assert moved == pytest.approx(scalar_grads, rel=1e-9)


@pytest.mark.parametrize("name,loss,outputs,targets", [
    ("mse", nn.mse, [0.5, -1.0, 2.0], [1.0, 0.0, 2.5]),
    ("hinge", nn.hinge, [0.5, -2.0, 0.2], [1.0, -1.0, -1.0]),
    ("bce_logits", nn.binary_cross_entropy_with_logits, [0.5, -2.0, 3.0], [1.0, 0.0, 0.0]),
])
def test_one_output_array_losses_equal_the_scalar_losses(name, loss, outputs, targets):
    value, grad = nn.arrays.LOSSES[name](np.array(outputs)[:, None], np.array(targets)[:, None])
    scalar_value, scalar_grad = scalar_loss_gradient(loss, outputs, targets)
    assert value == pytest.approx(scalar_value, rel=1e-12)
    np.testing.assert_allclose(grad[:, 0], scalar_grad, rtol=1e-12, atol=1e-15)
