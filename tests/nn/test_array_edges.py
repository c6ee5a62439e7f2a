"""The array path at its edges, against the scalar graphs (the textbook) and formulas by hand: sums that
are exactly 0 at a kink, margins exactly 1, rows of very different scales, hidden layers without an
activation, dropout per layer and never in evaluation mode, the activations' own settings."""
import math

import numpy as np
import pytest

from chainrule import nn
from chainrule.engine import Value
from chainrule.nn import arrays

from .test_array_path import _array_gradients, _scalar_gradients


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu"])
def test_a_weighted_sum_of_exactly_zero_takes_the_scalar_side_of_the_kink(activation):
    """z = 0 exactly: ReLU′ = 0, leaky ReLU′ = 0.01, ELU′ = α·e⁰ = 1, on both paths."""
    model = nn.MLP(1, [1, 1], activation=activation, seed=0)
    model.layers[0].W[:] = [[2.0]]
    model.layers[0].b[:] = [-1.0]  # z = 2·0.5 − 1 = 0
    model.layers[1].W[:] = [[1.5]]
    X, y = [[0.5], [1.0]], [0.3, 0.2]
    scalar_loss, scalar = _scalar_gradients(model, X, y, "mse", 0.0)
    array_loss, array = _array_gradients(model, X, y, "mse", 0.0)
    assert array_loss == scalar_loss and array.tolist() == pytest.approx(scalar.tolist(), rel=1e-15, abs=1e-300)


def test_a_hinge_margin_of_exactly_one_passes_no_gradient_on_both_paths():
    model = nn.MLP(1, [1], seed=0)
    model.layers[0].W[:] = [[1.0]]
    model.layers[0].b[:] = [0.0]
    X, y = [[1.0], [0.5]], [1.0, 1.0]  # y·s = 1: max(0, 1 − 1) has slope 0 there
    scalar_loss, scalar = _scalar_gradients(model, X, y, "hinge", 0.0)
    array_loss, array = _array_gradients(model, X, y, "hinge", 0.0)
    assert array_loss == scalar_loss == 0.25 and array.tolist() == scalar.tolist() == [-0.25, -0.5]


def test_softmax_rows_of_very_different_scales_and_huge_scores():
    Z = np.array([[1000.0, 999.0], [0.0, 1.0], [-1000.0, -1000.0]])
    P = arrays.softmax_rows(Z)
    e = math.exp(-1.0)
    assert P.ravel().tolist() == pytest.approx([1 / (1 + e), e / (1 + e), e / (1 + e), 1 / (1 + e), 0.5, 0.5], rel=1e-15)
    assert arrays.logsumexp_rows(Z).tolist() == pytest.approx([1000 + math.log1p(e), 1 + math.log1p(e),
                                                               -1000 + math.log(2)], rel=1e-15)


def test_hidden_layers_without_an_activation_are_computed_through():
    model = nn.MLP(2, [3, 2, 1], activation="linear", seed=0)
    X = [[0.5, -1.0], [2.0, 0.25]]
    assert nn.predict(model, X) == pytest.approx([model(x).data for x in X], rel=1e-14)
    W = [layer.W for layer in model.layers]
    b = [layer.b for layer in model.layers]
    by_hand = ((np.array(X) @ W[0].T + b[0]) @ W[1].T + b[1]) @ W[2].T + b[2]
    assert nn.predict(model, X) == pytest.approx(by_hand[:, 0].tolist(), rel=1e-14)


def test_each_hidden_layer_is_masked_by_its_own_dropout_and_none_in_evaluation_mode():
    model = nn.MLP(2, [3, 3, 1], activation="tanh", dropout=0.5, seed=4)
    model.dropout[1].p = 0.0  # the second hidden layer passes everything
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    tape = arrays.Tape()
    out = arrays.forward(model, X, tape)
    mask = nn.Dropout(0.5, seed=5).mask((2, 3))  # the first dropout's generator, drawn once
    L = model.layers
    h1 = np.tanh(X @ L[0].W.T + L[0].b) * mask
    h2 = np.tanh(h1 @ L[1].W.T + L[1].b)
    assert out.ravel().tolist() == pytest.approx((h2 @ L[2].W.T + L[2].b).ravel().tolist(), rel=1e-14)
    model.eval()
    clean = arrays.forward(model, X, arrays.Tape())
    h1 = np.tanh(X @ L[0].W.T + L[0].b)
    expected = np.tanh(h1 @ L[1].W.T + L[1].b) @ L[2].W.T + L[2].b
    assert clean.ravel().tolist() == pytest.approx(expected.ravel().tolist(), rel=1e-14)


def test_a_training_step_in_evaluation_mode_drops_nothing():
    model = nn.MLP(2, [3, 1], activation="tanh", dropout=0.5, seed=4)
    model.eval()
    X, y = [[0.5, -1.0], [2.0, 0.25]], [1.0, 0.0]
    scalar_loss, scalar = _scalar_gradients(model, X, y, "mse", 0.0)
    array_loss, array = _array_gradients(model, X, y, "mse", 0.0)
    assert array_loss == pytest.approx(scalar_loss, rel=1e-14) and array == pytest.approx(scalar, rel=1e-12)


@pytest.mark.parametrize("z", [-2.0, -1e-9, 0.0, 1.5])
def test_the_array_activations_take_their_settings_as_the_values_do(z):
    """Bit for bit, also for ELU near 0 (its value was exp(z) − 1 on arrays, 3e−8 off at z = −1e−9)."""
    Z = np.array([[z]])
    for pair, value in ((arrays._leaky_relu(Z, 0.2), Value(z).leaky_relu(0.2)), (arrays._elu(Z, 0.5), Value(z).elu(0.5))):
        assert pair[0].item() == value.data and pair[1].item() == value.local_grads[0]


def test_nll_on_arrays_refuses_a_true_class_of_probability_zero():
    with pytest.raises(ValueError) as info:
        arrays.nll(np.array([[0.0, 1.0]]), np.array([0]))
    assert str(info.value) == "nll: probability 0 for a true class gives an infinite loss; use cross_entropy on logits"
