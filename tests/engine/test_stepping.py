"""backward_steps, the teaching tool: the same numbers as backward(), by hand and by central differences,
on graphs that reuse a node (a gradient is a sum over paths) and graphs whose order matters."""
import math

import pytest

from chainrule.engine import Value


def central_difference(f, xs, i, h=1e-6):
    """∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h, from the forward values alone."""
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*[Value(x) for x in up]).data - f(*[Value(x) for x in down]).data) / (2 * h)


def stepped_grads(f, xs):
    vs = [Value(x) for x in xs]
    steps = list(f(*vs).backward_steps())
    return [v.grad for v in vs], steps


def test_stepping_a_reused_node_adds_both_contributions():
    # a·a at a = 3: two edges from the product to a, each with local derivative a = 3; ∂/∂a = 3 + 3 = 6 = 2a.
    a = Value(3.0, label="a")
    square = (a * a).named("square")
    steps = list(square.backward_steps())
    assert a.grad == 6.0
    at_square = next(step for step in steps if step.node is square)
    assert [(u.parent, u.local, u.before, u.after) for u in at_square.updates] == [(a, 3.0, 0.0, 3.0), (a, 3.0, 3.0, 6.0)]


@pytest.mark.parametrize("f,xs", [
    (lambda a: a * a, [3.0]),
    (lambda a, b: (a * b + a).tanh() * b, [0.7, -1.3]),  # a and b each reach the root along two paths
    (lambda a, b: (a * a + a * b + b / a).sigmoid(), [1.5, 0.4]),
    (lambda a: (a.exp() + a.exp() * a) ** 2, [0.3]),
], ids=["a*a", "two paths each", "three uses of a", "a reused through exp"])
def test_stepping_graphs_that_reuse_nodes_gives_backwards_gradients_and_central_differences(f, xs):
    stepped, _ = stepped_grads(f, xs)
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    assert stepped == pytest.approx([v.grad for v in vs], rel=1e-12, abs=1e-15)
    for i, g in enumerate(stepped):
        assert g == pytest.approx(central_difference(f, xs, i), rel=1e-6, abs=1e-9)


def test_stepping_walks_from_the_root_to_the_inputs():
    # tanh(2a) at a = 3: ∂/∂a = 2(1 − tanh²6) ≈ 4.9e-5, which needs tanh's node stepped before 2a's and 2a's before a's.
    a = Value(3.0, label="a")
    doubled = (2 * a).named("2a")
    out = doubled.tanh().named("out")
    steps = list(out.backward_steps())
    by_hand = 2 * (1 - math.tanh(6.0) ** 2)
    assert a.grad == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(4.9e-5, rel=1e-2)
    assert a.grad == pytest.approx(central_difference(lambda v: (2 * v).tanh(), [3.0], 0), rel=1e-5)
    assert [step.node for step in steps] == [out, doubled, a]
    assert [step.index for step in steps] == [1, 2, 3] and {step.total for step in steps} == {3}


def test_each_node_is_stepped_after_every_node_that_uses_it():
    # A node's gradient is complete only when every node that uses it has passed its gradient back.
    x, y = Value(0.5, label="x"), Value(-2.0, label="y")
    u = (x * y).named("u")
    v = (u + x).named("v")
    w = (u * v).tanh().named("w")
    steps = list(w.backward_steps())
    position = {step.node: k for k, step in enumerate(steps)}
    assert steps[0].node is w
    for step in steps:
        for parent in step.node.parents:
            if parent in position:
                assert position[parent] > position[step.node], (parent, step.node)
    # and every gradient shown at the moment its node is stepped is the final one, as backward() gives it
    x.grad = y.grad = 0.0  # leaves add up over passes: start backward() from 0
    w.backward()
    finals = {node: node.grad for node in position}
    x.grad = y.grad = 0.0
    for step in w.backward_steps():
        assert step.node.grad == pytest.approx(finals[step.node], rel=1e-12)
    assert finals[x] == pytest.approx(central_difference(lambda a: ((a * -2.0) * (a * -2.0 + a)).tanh(), [0.5], 0))


def test_the_seed_scales_every_stepped_gradient():
    # backward_steps(grad=g) gives g·∂root/∂x, like backward(grad=g).
    a = Value(1.2)
    out = (a * a).exp()
    list(out.backward_steps(2.5))
    assert a.grad == pytest.approx(2.5 * 2 * 1.2 * math.exp(1.44), rel=1e-12)
