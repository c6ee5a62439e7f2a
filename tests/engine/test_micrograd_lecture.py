"""What a learner brings from the micrograd lecture works on chainrule's Value: `_prev`, `_op`,
`_backward()`, the hand-written topological sort, a draw_dot written against them, the float
printout, sin for the exercises, and the lecture's training loop."""
import math

import graphviz
import pytest

from chainrule import Value, gradcheck, nn
from chainrule import engine


def lecture_expression():
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    L = d * f; L.label = "L"
    return a, b, c, f, e, d, L


def test_prev_is_the_set_of_parents_and_op_is_empty_for_every_leaf():
    a, b, c, f, e, d, L = lecture_expression()
    assert L._prev == {d, f} and d._prev == {e, c} and a._prev == set()
    assert (L._op, d._op, a._op) == ("*", "+", "")
    s = a + 1
    assert s._prev == {a, s.parents[1]} and s.parents[1]._op == "" and s.parents[1].op == "const"  # a lifted constant
    assert nn.MLP(1, [1], seed=0).parameters()[0]._op == ""  # a parameter
    with pytest.raises(AttributeError):
        L._prev = set()  # read-only: the graph is recorded once


def test_backward_by_hand_one_node_at_a_time_as_in_the_lecture():
    a, b, c, f, e, d, L = lecture_expression()
    L.grad = 1.0
    for node in (L, d, e):  # the lecture's manual walk, output to inputs
        node._backward()
    # dL/dd = f, dL/df = d = 4, dL/de = dL/dc = f = −2, dL/da = f·b = 6, dL/db = f·a = −4
    assert (d.grad, f.grad, e.grad, c.grad, a.grad, b.grad) == (-2.0, 4.0, -2.0, -2.0, 6.0, -4.0)
    L.grad = 1.0
    L._backward()  # once more at L only: d and f get another contribution, nothing else moves
    assert (d.grad, f.grad, e.grad) == (-4.0, 8.0, -2.0)


def test_the_lectures_own_topological_sort_gives_backwards_gradients():
    x1, x2, w1, w2 = Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    topo, visited = [], set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    o.grad = 1.0
    for node in reversed(topo):
        node._backward()
    by_hand = [v.grad for v in (x1, x2, w1, w2, b)]
    for leaf in (x1, x2, w1, w2, b):
        leaf.grad = 0.0  # leaves add up over passes, in micrograd as here
    o.backward()
    assert [v.grad for v in (x1, x2, w1, w2, b)] == pytest.approx(by_hand, rel=1e-15)
    # do/dn = 1 − tanh²(n) = 1/2 here: x1's gradient is w1/2, w1's is x1/2
    assert by_hand[0] == pytest.approx(-1.5, rel=1e-12) and by_hand[2] == pytest.approx(1.0, rel=1e-12)


def test_a_draw_dot_written_against_prev_and_op_draws_the_graph():
    *_, L = lecture_expression()
    nodes, edges = set(), set()

    def trace(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                trace(child)

    trace(L)
    dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
    for n in nodes:
        dot.node(str(id(n)), label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad), shape="record")
        if n._op:
            dot.node(str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    assert len(nodes) == 7 and len(edges) == 6
    assert "{ L | data -8.0000 | grad 0.0000 }" in dot.source
    from chainrule import viz

    viz.configure()  # the layout program chainrule found (pip's graphviz-pure without a system Graphviz)
    assert b"<svg" in dot.pipe(format="svg")


def test_the_printout_has_every_digit_as_python_prints_a_float():
    v = Value(0.1, label="v") + 0.2
    assert "data=0.30000000000000004" in repr(v)
    assert repr(Value(-8.0)) == "Value(data=-8.0, grad=0.0)"


def exercise(a, b, c):
    """The lecture's first exercise: f(a, b, c) = −a³ + sin(3b) − 1/c + b^2.5 − a^0.5."""
    return -a ** 3 + (3 * b).sin() - 1.0 / c + b ** 2.5 - a ** 0.5


def test_sin_and_cos_have_the_derivatives_of_the_exercise():
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    exercise(a, b, c).backward()
    assert a.grad == pytest.approx(-3 * 2.0 ** 2 - 0.5 * 2.0 ** -0.5, rel=1e-14)
    assert b.grad == pytest.approx(3 * math.cos(9.0) + 2.5 * 3.0 ** 1.5, rel=1e-14)
    assert c.grad == pytest.approx(1 / 16, rel=1e-14)
    assert gradcheck(exercise, [2.0, 3.0, 4.0]).ok
    x = Value(0.7)
    (x.sin() * x.cos()).backward()  # d(sin x cos x)/dx = cos 2x
    assert x.grad == pytest.approx(math.cos(1.4), rel=1e-14)


def test_sin_and_cos_second_derivatives_and_forward_mode():
    assert engine.hessian(lambda x: x.sin(), [0.7]) == [[pytest.approx(-math.sin(0.7), rel=1e-14)]]
    assert engine.hessian(lambda x: x.cos(), [0.7]) == [[pytest.approx(-math.cos(0.7), rel=1e-14)]]
    assert engine.jvp(lambda x: x.cos(), [0.7], [2.0]).derivative == pytest.approx(-2 * math.sin(0.7), rel=1e-15)
    step = list((Value(0.5, label="x").sin().named("y")).forward_steps())[0]
    assert str(step) == "step 1/1: y = sin(x) = sin(0.5) = 0.4794"


def test_the_lectures_training_loop_on_chainrules_mlp():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)  # the lecture's MLP: tanh everywhere but the output
    losses = []
    for _ in range(20):
        ypred = [model(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < losses[0] / 4
