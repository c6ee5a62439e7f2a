"""Second derivatives and forward mode: grad, hessian, backward(create_graph=True), jvp."""
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings

from chainrule import engine
from chainrule.engine import Value, grad, hessian, jvp
from chainrule.engine.derivatives import local_values

from .test_random_graphs import _build, central_difference, points, programs

EVERY_OP = [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b, lambda a, b: a ** b,
    lambda a, b: -a, lambda a, b: a ** 3, lambda a, b: a ** 0.5, lambda a, b: a.exp(), lambda a, b: a.log(),
    lambda a, b: a.tanh(), lambda a, b: a.sigmoid(), lambda a, b: a.softplus(), lambda a, b: a.relu(),
    lambda a, b: a.leaky_relu(0.2), lambda a, b: a.elu(0.5), lambda a, b: (a - 2).elu(0.5), lambda a, b: a.gelu(),
    lambda a, b: a.normal_cdf(), lambda a, b: abs(a - 3), lambda a, b: engine.sum([a, b, a]),
    lambda a, b: engine.mean([a, b]), lambda a, b: engine.dot([a, b], [b, 2.0], a),
    lambda a, b: engine.logsumexp([a, b, 1.0]), lambda a, b: engine.softmax([a, b, 0.5])[1],
    lambda a, b: engine.softmax([a, b, 0.5])[0], lambda a, b: engine.dot([a, b], [b, 2.0]),
    lambda a, b: a ** 1, lambda a, b: a ** 0,
]


@pytest.mark.parametrize("op", EVERY_OP)
def test_every_local_derivative_as_a_value_equals_the_stored_number(op):
    a, b = Value(1.3, "a"), Value(0.6, "b")
    out = op(a, b)
    as_values = local_values(out)
    stored = out.local_grads
    assert len(as_values) == len(stored)
    for v, number in zip(as_values, stored):
        assert (v.data if isinstance(v, Value) else v) == pytest.approx(number, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("op", EVERY_OP)
def test_every_second_derivative_equals_central_differences_of_the_gradient(op):
    def gradient(x, y):
        a, b = Value(x), Value(y)
        return grad(op(a, b), [a, b])

    H = hessian(lambda a, b: op(a, b), [1.3, 0.6])
    h = 1e-5
    for j, (dx, dy) in enumerate(((h, 0), (0, h))):
        plus, minus = gradient(1.3 + dx, 0.6 + dy), gradient(1.3 - dx, 0.6 - dy)
        for i in range(2):
            assert H[i][j] == pytest.approx((plus[i] - minus[i]) / (2 * h), rel=1e-5, abs=1e-6)


def test_grad_leaves_grads_untouched_and_create_graph_draws_a_new_graph():
    x = Value(0.5, "x")
    x.grad = 42.0
    y = x * x * x
    (g,) = grad(y, [x], create_graph=True)
    assert x.grad == 42.0 and isinstance(g, Value) and g.data == pytest.approx(0.75)  # 3x²
    (g2,) = grad(g, [x])
    assert g2 == pytest.approx(3.0)  # 6x
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == pytest.approx(42.75)  # leaves still add up


def test_create_graph_on_model_parameters_points_to_engine_grad():
    from chainrule import nn

    model = nn.MLP(2, [2, 1], seed=0)
    loss = model([1.0, 2.0])
    with pytest.raises(TypeError, match=r"engine.grad\(loss, model.parameters\(\), create_graph=True\)"):
        loss.backward(create_graph=True)
    first = grad(loss, model.parameters(), create_graph=True)
    assert all(isinstance(g, Value) for g in first)


def test_the_notes_two_neuron_loss_has_a_symmetric_hessian():
    def E(w1, b1, w2, b2):
        a1 = (w1 * 0.1 + b1).sigmoid()
        a2 = (a1 * w2 + b2).sigmoid()
        return 0.5 * (0.25 - a2) ** 2

    H = hessian(E, [0.15, 0.4, 0.45, 0.65])
    for i in range(4):
        for j in range(4):
            assert H[i][j] == pytest.approx(H[j][i], rel=1e-10, abs=1e-14)
    assert H[2][2] > 0  # curved upwards in w2


def test_jvp_is_the_directional_derivative():
    result = jvp(lambda a, b: (a * b).tanh() + a.exp(), [0.5, -1.0], [2.0, 3.0])
    value, derivative = result
    t = math.tanh(-0.5)
    expected = 2.0 * ((1 - t * t) * -1.0 + math.exp(0.5)) + 3.0 * ((1 - t * t) * 0.5)
    assert value == pytest.approx(t + math.exp(0.5)) and derivative == pytest.approx(expected, rel=1e-12)
    many = jvp(lambda a, b: [a * b, a + b], [2.0, 3.0], [1.0, 0.0])
    assert many.value == [6.0, 5.0] and many.derivative == [3.0, 1.0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(programs, points)
def test_random_graphs_second_derivatives_and_jvp(program, xs):
    built = _build(program, xs)
    assume(built is not None)
    leaves, out = built

    def f(*values):
        from .test_random_graphs import run

        return run(program, values)[0]

    grads = grad(out, leaves)
    tangent = [0.3, -1.2, 0.7]
    assert jvp(f, xs, tangent).derivative == pytest.approx(sum(g * t for g, t in zip(grads, tangent)), rel=1e-9, abs=1e-9)
    H = hessian(f, xs)
    for j in range(3):
        column = central_difference(program, xs, j, 1e-5, lambda leaves, out: grad(out, leaves))
        for i in range(3):
            assert H[i][j] == pytest.approx(column[i], rel=1e-3, abs=1e-4)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(programs, points)
def test_random_graphs_against_pytorch_double_backward(program, xs):
    torch = pytest.importorskip("torch")
    from .test_random_graphs import run

    built = _build(program, xs)
    assume(built is not None)
    H = hessian(lambda *v: run(program, v)[0], xs)

    def f(t):
        return run(program, list(t), lib="torch")[0]

    expected = torch.autograd.functional.hessian(f, torch.tensor(xs, dtype=torch.float64))
    for i in range(3):
        for j in range(3):
            assert H[i][j] == pytest.approx(expected[i][j].item(), rel=1e-8, abs=1e-9)


def test_jvp_equals_pytorch_func_jvp():
    torch = pytest.importorskip("torch")
    xs, v = [0.5, -1.0, 2.0], [0.3, 1.0, -0.7]

    def f(a, b, c):
        return (a * b).tanh() + (c * a).exp() / (1 + b * b)

    ours = jvp(f, xs, v)
    value, derivative = torch.func.jvp(f, tuple(torch.tensor(x, dtype=torch.float64) for x in xs),
                                       tuple(torch.tensor(t, dtype=torch.float64) for t in v))
    assert ours.value == pytest.approx(value.item(), rel=1e-12)
    assert ours.derivative == pytest.approx(derivative.item(), rel=1e-12)


def test_powers_one_and_zero_and_elu_at_zero_differentiate_twice_as_their_forward_pass_does():
    """x¹: d/dx = 1, d²/dx² = 0 and x⁰: 0 and 0, also at x = 0 where n·xⁿ⁻¹ would divide by zero; ELU at
    x = 0 takes the side x ≤ 0 in the forward pass (α·eˣ = α), and so does its second derivative."""
    for x0 in (0.0, 2.0):
        x = Value(x0)
        assert [g.data for g in grad(x ** 1, [x], create_graph=True)] == [1.0]
        assert [g.data for g in grad(x ** 0, [x], create_graph=True)] == [0.0]
        assert hessian(lambda a: a ** 1, [x0]) == [[0.0]] and hessian(lambda a: a ** 0, [x0]) == [[0.0]]
    x = Value(0.0)
    (g,) = grad(x.elu(0.5), [x], create_graph=True)
    assert g.data == 0.5 == x.elu(0.5).local_grads[0]
    assert hessian(lambda a: a.elu(0.5), [0.0]) == [[0.5]]  # d/dx α·eˣ at 0


def test_a_node_the_engine_did_not_make_has_no_second_derivative_rule():
    """A node made by hand carries no setting and maybe no known operation: the table says which."""
    x = Value(2.0, label="x")
    square = Value(4.0, "", "**2", (x, 4.0))  # looks like x ** 2, but without its exponent stored
    with pytest.raises(ValueError) as info:
        grad(square, [x], create_graph=True)
    assert str(info.value) == "**2: this node keeps no setting; it was not made by the engine's operation"
    odd = Value(4.0, "", "twice", (x, 2.0))
    with pytest.raises(NotImplementedError) as info:
        grad(odd, [x], create_graph=True)
    assert str(info.value) == "no second-derivative rule for the operation 'twice'"
    assert grad(odd, [x]) == [2.0]  # first derivatives need only the stored number


def test_the_derivative_of_x_to_the_one_is_a_constant_whose_graph_holds_no_x():
    x = Value(2.0, label="x")
    (g,) = grad(x ** 1, [x], create_graph=True)
    assert g.data == 1.0 and x not in engine.topological_order(g)
    (g3,) = grad(x ** 3, [x], create_graph=True)
    assert g3.data == 12.0 and x in engine.topological_order(g3)  # 3x² does hold x
