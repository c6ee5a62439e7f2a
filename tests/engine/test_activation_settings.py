"""Operations with a setting (ELU's α, leaky ReLU's slope): first and second derivatives checked against
the formula by hand and against central differences of the forward values, never against the stored
local derivative itself (a wrong stored number would agree with itself)."""
import math

import pytest

from chainrule import engine
from chainrule.engine import Value


def slope(f, x, h=1e-6):
    """(f(x + h) − f(x − h)) / 2h on plain numbers."""
    return (f(x + h) - f(x - h)) / (2 * h)


def elu_by_hand(x, alpha):
    return x if x > 0 else alpha * (math.exp(x) - 1)


def first_derivative(x, alpha):
    a = Value(x)
    a.elu(alpha).backward()
    return a.grad


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("x", [-1.0, -0.3, -4.0, 0.7])
def test_elu_value_and_derivative_against_the_formula_and_central_differences(x, alpha):
    out = Value(x).elu(alpha)
    assert out.data == pytest.approx(elu_by_hand(x, alpha), rel=1e-12, abs=1e-15)
    by_hand = 1.0 if x > 0 else alpha * math.exp(x)  # d/dx α(eˣ − 1) = α·eˣ
    assert first_derivative(x, alpha) == pytest.approx(by_hand, rel=1e-12)
    assert first_derivative(x, alpha) == pytest.approx(slope(lambda t: elu_by_hand(t, alpha), x), rel=1e-6)
    assert first_derivative(x, alpha) == pytest.approx(slope(lambda t: Value(t).elu(alpha).data, x), rel=1e-6)


def test_elu_derivative_at_minus_one_with_alpha_one_half():
    # the numbers: d elu(x, 0.5)/dx at x = −1 is 0.5·e⁻¹ = 0.184, not e⁻¹ = 0.368
    assert first_derivative(-1.0, 0.5) == pytest.approx(0.5 / math.e, rel=1e-12)
    assert engine.elu(-1.0, 0.5).data == pytest.approx(0.5 * (1 / math.e - 1), rel=1e-12)
    assert engine.elu(-1.0).data == pytest.approx(1 / math.e - 1, rel=1e-12)  # α = 1 by default


@pytest.mark.parametrize("alpha", [0.5, 2.0])
@pytest.mark.parametrize("x", [-1.0, -2.5, 0.8])
def test_elu_second_derivative_against_central_differences_of_the_first(x, alpha):
    a = Value(x)
    (g,) = engine.grad(a.elu(alpha), [a], create_graph=True)
    assert g.data == pytest.approx(alpha * math.exp(x) if x < 0 else 1.0, rel=1e-12)
    (gg,) = engine.grad(g, [a])
    by_hand = alpha * math.exp(x) if x < 0 else 0.0  # d²/dx² α(eˣ − 1) = α·eˣ; 0 on the right
    assert gg == pytest.approx(by_hand, rel=1e-12, abs=1e-15)
    assert gg == pytest.approx(slope(lambda t: first_derivative(t, alpha), x), rel=1e-6, abs=1e-9)
    assert engine.hessian(lambda v: v.elu(alpha), [x])[0][0] == pytest.approx(by_hand, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("s", [0.01, 0.2, 3.0])
@pytest.mark.parametrize("x", [-1.5, 2.0])
def test_leaky_relu_value_and_slope_by_hand(x, s):
    a = Value(x)
    out = a.leaky_relu(s)
    out.backward()
    assert out.data == pytest.approx(x if x > 0 else s * x, rel=1e-15)
    assert a.grad == (1.0 if x > 0 else s)
    assert a.grad == pytest.approx(slope(lambda t: Value(t).leaky_relu(s).data, x), rel=1e-6)
    default = Value(x)
    default.leaky_relu().backward()
    assert default.grad == (1.0 if x > 0 else 0.01)  # the default slope
