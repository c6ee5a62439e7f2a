"""The edges of the table of derivatives, by hand: kinks at exactly 0, powers 0 and 1, the names of
operations with a setting, leaves made by Value.parameter and Value.constant, the functional forms'
defaults, and the seeds and accumulation of backward (also with create_graph)."""
import math

import pytest

from chainrule import engine
from chainrule.engine import Value


def derivative(f, x):
    a = Value(x)
    out = f(a)
    out.backward()
    return out.data, a.grad


@pytest.mark.parametrize("f,value,slope", [
    (lambda a: a.relu(), 0.0, 0.0),
    (lambda a: abs(a), 0.0, 0.0),
    (lambda a: a.leaky_relu(0.2), 0.0, 0.2),  # "1 if a > 0 else s": at 0, s
    (lambda a: a.leaky_relu(), 0.0, 0.01),
    (lambda a: a.elu(0.5), 0.0, 0.5),  # α·e⁰ = α
    (lambda a: a.elu(), 0.0, 1.0),
], ids=["relu", "abs", "leaky_relu(0.2)", "leaky_relu", "elu(0.5)", "elu"])
def test_kinks_at_exactly_zero_take_the_left_hand_derivative(f, value, slope):
    assert derivative(f, 0.0) == (value, slope)


def test_powers_zero_and_one():
    assert derivative(lambda a: a ** 0, 3.0) == (1.0, 0.0)  # a⁰ = 1, flat
    assert derivative(lambda a: a ** 0, 0.0) == (1.0, 0.0)  # 0⁰ = 1 as in Python and PyTorch
    assert derivative(lambda a: a ** 1, 0.0) == (0.0, 1.0)
    assert derivative(lambda a: a ** 1, -2.0) == (-2.0, 1.0)
    assert derivative(lambda a: a ** 2, -3.0) == (9.0, -6.0)
    assert derivative(lambda a: a ** -1, 2.0) == (0.5, -0.25)
    b = Value(1.0)
    out = Value(0.0) ** b  # 0ᵇ with b in the graph: ∂/∂a = b·0ᵇ⁻¹ = 1 at b = 1, ∂/∂b → 0
    out.backward()
    assert (out.data, out.local_grads) == (0.0, (1.0, 0.0))
    assert (Value(0.0) ** Value(2.0)).local_grads == (0.0, 0.0)
    a, b = Value(2.0), Value(3.0)
    out = a ** b
    out.backward()
    assert (out.data, a.grad, b.grad) == (8.0, 12.0, pytest.approx(8 * math.log(2), rel=1e-15))


def test_operations_with_a_setting_name_it_unless_it_is_the_default():
    a = Value(1.0)
    assert [a.leaky_relu(0.2).op, a.leaky_relu().op, a.leaky_relu(0.01).op] == ["leaky_relu(0.2)", "leaky_relu", "leaky_relu"]
    assert [a.elu(2.0).op, a.elu().op, a.elu(1.0).op, a.elu(0.5).op] == ["elu(2.0)", "elu", "elu", "elu(0.5)"]
    assert [(a ** 2).op, (a ** 0.5).op, (a ** 0.1).op, (a ** (1 / 3)).op] == ["**2", "**0.5", "**0.1", "**0.3333333333333333"]
    assert [(a * 2).op, (a + 2).op, (a - 2).op, (a / 2).op, (-a).op, abs(a).op] == ["*", "+", "-", "/", "neg", "abs"]


def test_parameter_and_constant_leaves():
    p = Value.parameter(1.5, "w")
    assert (p.op, p.label, p.data, p.grad, p.edges) == ("param", "w", 1.5, 0.0, ())
    assert Value.parameter(2).label == "" and type(Value.parameter(2).data) is float
    c = Value.constant(2.5)
    assert (c.op, c.label, c.data, c.is_leaf) == ("const", "2.5", 2.5, True)
    assert Value.constant(0.123456).label == "0.1235"
    assert Value.constant(p) is p
    lifted = (p * 3).parents[1]
    assert (lifted.op, lifted.label, lifted.data) == ("const", "3", 3.0)
    with pytest.raises(TypeError, match=r"^Value\.constant: expected a real number"):
        Value.constant(None)


def test_the_functional_forms_and_their_defaults():
    assert engine.leaky_relu(-2.0).data == pytest.approx(-0.02, rel=1e-15)
    assert engine.leaky_relu(-2.0, 0.5).data == -1.0
    assert engine.elu(-1.0).data == pytest.approx(math.exp(-1) - 1, rel=1e-15)
    assert engine.elu(-1.0, 3.0).data == pytest.approx(3 * (math.exp(-1) - 1), rel=1e-15)
    assert engine.softplus(0.0).data == pytest.approx(math.log(2), rel=1e-15)
    assert engine.gelu(1.0).data == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)
    assert engine.sigmoid(0.0).data == 0.5 and engine.exp(0.0).data == 1.0 and engine.log(1.0).data == 0.0
    x = Value(0.3)
    assert engine.tanh(x).parents == (x,) and engine.softplus(x).parents == (x,) and engine.gelu(x).parents == (x,)
    assert engine.elu(x, 2.0).parents == (x,) and engine.elu(x, 2.0).op == "elu(2.0)"


def test_dot_with_numbers_and_values_by_hand():
    w1, x2 = Value(0.5), Value(-2.0)
    out = engine.dot([w1, 3.0], [4.0, x2], 1.0)  # 0.5·4 + 3·(−2) + 1 = −3
    out.backward()
    assert out.data == -3.0 and (w1.grad, x2.grad) == (4.0, 3.0)
    assert [p.op for p in out.parents] == ["", "const", "const", "", "const"]
    assert engine.dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]).data == 32.0  # no bias: every term, none skipped


def test_the_seed_of_backward_scales_every_gradient_and_leaves_add_up():
    a = Value(2.0)
    (a * a).backward()
    assert a.grad == 4.0  # the default seed is 1
    (a * a).backward(0.5)
    assert a.grad == 4.0 + 2.0  # leaves add over passes
    out = a * 3
    out.backward()
    out.backward()
    assert out.grad == 1.0  # a computed Value holds this pass's gradient only


def test_create_graph_gradients_are_values_that_add_up_on_leaves():
    a = Value(3.0)
    out = a * a * a
    out.backward(create_graph=True)
    assert isinstance(a.grad, Value) and a.grad.data == 27.0  # 3a²
    assert out.grad.data == 1.0 and (a * a).grad == 0.0  # a node outside out's graph is left alone
    first = a.grad
    out.backward(create_graph=True)
    assert a.grad.data == 54.0 and a.grad is not first  # 27 + 27: leaves add, as in every pass
    b = Value(1.0)
    b.grad = None
    (b * 5).backward(create_graph=True)
    assert b.grad.data == 5.0
    c = Value(1.0)
    c.grad = 0.0
    (c * c).backward(2.0, create_graph=True)
    assert c.grad.data == 4.0  # 2 · 2c
    unused = Value(7.0)
    out = unused * 0 + a
    out.backward(create_graph=True)
    assert unused.grad.data == 0.0


def test_grad_of_several_outputs_with_seeds():
    a, b = Value(2.0), Value(-1.0)
    y1, y2 = a * b, a + b
    assert engine.grad([y1, y2], [a, b]) == [-1.0 + 1.0, 2.0 + 1.0]
    assert engine.grad([y1, y2], [a, b], grad_outputs=[2.0, 0.5]) == [2 * -1.0 + 0.5, 2 * 2.0 + 0.5]
    assert engine.grad(y1, a) == [-1.0]
    assert engine.grad([y1, y1], [a]) == [-2.0]  # the same output twice: its seeds add
    (g,) = engine.grad(a * a * a, [a], create_graph=True)
    assert isinstance(g, Value) and g.data == 12.0
    assert engine.grad(g, [a]) == [12.0]  # d²(a³)/da² = 6a


def test_hessian_and_jvp_by_hand():
    # f(x, y) = x²y + y³: H = [[2y, 2x], [2x, 6y]]
    f = lambda x, y: x * x * y + y ** 3  # noqa: E731
    assert engine.hessian(f, [1.0, 2.0]) == [[4.0, 2.0], [2.0, 12.0]]
    assert engine.hessian(f, [Value(1.0, label="x"), Value(2.0)]) == [[4.0, 2.0], [2.0, 12.0]]
    value, derivative = engine.jvp(f, [1.0, 2.0], [1.0, -1.0])  # ∇f·t = (2xy, x² + 3y²)·(1, −1) = 4 − 13
    assert (value, derivative) == (10.0, -9.0)
    assert engine.jvp(f, [Value(1.0), 2.0], [0.0, 1.0]).derivative == 13.0
    pair = engine.jvp(lambda x, y: [x * y, x + y], [2.0, 3.0], [1.0, 0.0])
    assert (pair.value, pair.derivative) == ([6.0, 5.0], [3.0, 1.0])
