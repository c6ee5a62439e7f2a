"""Each array loss (fit's speed) against its formula by hand and against the scalar loss's gradient,
on outputs the array path really receives (a linear output that holds probabilities, for bce)."""
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


def test_bce_on_probabilities_by_hand_and_against_the_scalar_loss():
    p, y = np.array([0.7, 0.3, 0.6]), np.array([1.0, 0.0, 1.0])
    value, grad = nn.arrays.binary_cross_entropy(p[:, None], y[:, None])
    n = len(p)
    assert value == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    # ∂L/∂p = (1/n)(−y/p + (1 − y)/(1 − p)): [−0.476, 0.476, −0.556]
    np.testing.assert_allclose(grad[:, 0], (-y / p + (1 - y) / (1 - p)) / n, rtol=1e-12)
    scalar_value, scalar_grad = scalar_loss_gradient(nn.binary_cross_entropy, p.tolist(), y.tolist())
    assert value == pytest.approx(scalar_value, rel=1e-12)
    np.testing.assert_allclose(grad[:, 0], scalar_grad, rtol=1e-12)


def test_bce_on_soft_targets_uses_both_terms():
    p, y = np.array([0.25, 0.8]), np.array([0.4, 0.9])
    value, grad = nn.arrays.binary_cross_entropy(p[:, None], y[:, None])
    scalar_value, scalar_grad = scalar_loss_gradient(nn.binary_cross_entropy, p.tolist(), y.tolist())
    assert value == pytest.approx(scalar_value, rel=1e-12)
    np.testing.assert_allclose(grad[:, 0], (-y / p + (1 - y) / (1 - p)) / 2, rtol=1e-12)
    np.testing.assert_allclose(grad[:, 0], scalar_grad, rtol=1e-12)


def test_bce_training_step_on_a_linear_output_moves_the_weights_as_the_scalar_graph_says():
    # outputs 0.7, 0.3, 0.6 straight from a linear layer: fit's array path takes the bce-on-probabilities branch
    y = [1.0, 0.0, 1.0]
    reference = linear_model([0.2, -0.1, 0.5])
    assert nn.predict(reference, X3) == pytest.approx([0.7, 0.3, 0.6])
    graph = nn.loss_graph(reference, X3, y, "bce")
    graph.backward()
    scalar_grads = [p.grad for p in reference.parameters()]
    # by hand: ∂L/∂θ = Σᵢ ∂L/∂pᵢ · ∂pᵢ/∂θ with ∂L/∂p = [−1/2.1, 1/2.1, −1/1.8], p = w·x + b
    dp = [-1 / 2.1, 1 / 2.1, -1 / 1.8]
    by_hand = [dp[0] + dp[2], 2 * dp[1] + dp[2], sum(dp)]
    assert scalar_grads == pytest.approx(by_hand, rel=1e-12)

    model = linear_model([0.2, -0.1, 0.5])
    step = nn.TrainingStep(model, X3, y, "bce", nn.SGD(model.parameters(), lr=0.01))
    value = step()
    assert value == pytest.approx(graph.data, rel=1e-12)
    moved = [(before - p.data) / 0.01 for before, p in zip([0.2, -0.1, 0.5], model.parameters())]
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
