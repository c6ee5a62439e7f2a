"""Every operation against its analytic derivative and against central differences."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule import engine
from chainrule.engine import Value, gradcheck

finite = st.floats(min_value=-5, max_value=5, allow_nan=False)
positive = st.floats(min_value=0.1, max_value=5)
away_from_zero = finite.filter(lambda x: abs(x) > 0.1)


def grad_of(f, *xs):
    """Gradients of f at xs computed by backward."""
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


# (name, f on Values, forward on floats, analytic derivative(s), input strategy)
UNARY = [
    ("exp", lambda a: a.exp(), math.exp, lambda x: math.exp(x), finite),
    ("log", lambda a: a.log(), math.log, lambda x: 1 / x, positive),
    ("tanh", lambda a: a.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2, finite),
    ("sigmoid", lambda a: a.sigmoid(), lambda x: 1 / (1 + math.exp(-x)),
     lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, finite),
    ("softplus", lambda a: a.softplus(), lambda x: math.log1p(math.exp(x)),
     lambda x: 1 / (1 + math.exp(-x)), finite),
    ("relu", lambda a: a.relu(), lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0, away_from_zero),
    ("leaky_relu", lambda a: a.leaky_relu(0.1), lambda x: x if x > 0 else 0.1 * x,
     lambda x: 1.0 if x > 0 else 0.1, away_from_zero),
    ("neg", lambda a: -a, lambda x: -x, lambda x: -1.0, finite),
    ("square", lambda a: a**2, lambda x: x * x, lambda x: 2 * x, finite),
    ("cube", lambda a: a**3, lambda x: x**3, lambda x: 3 * x * x, finite),
    ("reciprocal", lambda a: a**-1, lambda x: 1 / x, lambda x: -1 / x**2, away_from_zero),
    ("sqrt", lambda a: a**0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), positive),
    ("two to the a", lambda a: 2**a, lambda x: 2**x, lambda x: 2**x * math.log(2), finite),
    ("1 - a", lambda a: 1 - a, lambda x: 1 - x, lambda x: -1.0, finite),
    ("2 / a", lambda a: 2 / a, lambda x: 2 / x, lambda x: -2 / x**2, away_from_zero),
    ("3 * a + 1", lambda a: 3 * a + 1, lambda x: 3 * x + 1, lambda x: 3.0, finite),
    ("a / 4 - 2", lambda a: a / 4 - 2, lambda x: x / 4 - 2, lambda x: 0.25, finite),
]


@pytest.mark.parametrize("name,f,forward,deriv,xs", UNARY, ids=[u[0] for u in UNARY])
def test_unary_forward_and_derivative(name, f, forward, deriv, xs):
    @settings(max_examples=60, deadline=None)
    @given(xs)
    def check(x):
        value, (g,) = grad_of(f, x)
        assert value == pytest.approx(forward(x), rel=1e-12, abs=1e-12)
        assert g == pytest.approx(deriv(x), rel=1e-9, abs=1e-12)
        assert gradcheck(f, [x]).ok

    check()


BINARY = [
    ("add", lambda a, b: a + b, lambda x, y: (1.0, 1.0), finite, finite),
    ("sub", lambda a, b: a - b, lambda x, y: (1.0, -1.0), finite, finite),
    ("mul", lambda a, b: a * b, lambda x, y: (y, x), finite, finite),
    ("div", lambda a, b: a / b, lambda x, y: (1 / y, -x / y**2), finite, away_from_zero),
    ("pow", lambda a, b: a**b, lambda x, y: (y * x ** (y - 1), x**y * math.log(x)), positive, finite),
]


@pytest.mark.parametrize("name,f,deriv,xs,ys", BINARY, ids=[b[0] for b in BINARY])
def test_binary_derivatives(name, f, deriv, xs, ys):
    @settings(max_examples=60, deadline=None)
    @given(xs, ys)
    def check(x, y):
        _, grads = grad_of(f, x, y)
        assert grads == pytest.approx(deriv(x, y), rel=1e-9, abs=1e-12)
        assert gradcheck(f, [x, y]).ok

    check()


def test_numbers_on_either_side_are_constants_in_the_graph():
    x = Value(3.0, label="x")
    for expr, expected, dx in [(2 * x, 6.0, 2.0), (x * 2, 6.0, 2.0), (1 - x, -2.0, -1.0), (x - 1, 2.0, 1.0),
                               (6 / x, 2.0, -6 / 9), (x / 2, 1.5, 0.5), (2**x, 8.0, 8 * math.log(2)),
                               (x**2, 9.0, 6.0), (1 + x, 4.0, 1.0)]:
        x.grad = 0.0
        expr.backward()
        assert expr.data == pytest.approx(expected)
        assert x.grad == pytest.approx(dx)
    c = (2 * x).parents[0]
    assert c.op == "const" and c.data == 2.0 and c.is_leaf


NARY_INPUTS = st.lists(finite, min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(NARY_INPUTS)
def test_sum_mean_logsumexp(xs):
    for f, deriv in [
        (lambda *v: engine.sum(v), lambda: [1.0] * len(xs)),
        (lambda *v: engine.mean(v), lambda: [1 / len(xs)] * len(xs)),
        (lambda *v: engine.logsumexp(v), lambda: [math.exp(x) / sum(math.exp(y) for y in xs) for x in xs]),
    ]:
        _, grads = grad_of(f, *xs)
        assert grads == pytest.approx(deriv(), rel=1e-9, abs=1e-12)
        assert gradcheck(f, xs).ok


@settings(max_examples=60, deadline=None)
@given(NARY_INPUTS, st.data())
def test_softmax_jacobian(xs, data):
    i = data.draw(st.integers(0, len(xs) - 1))
    probs = [math.exp(x) / sum(math.exp(y) for y in xs) for x in xs]
    vs = [Value(x) for x in xs]
    out = engine.softmax(vs)
    assert math.fsum(p.data for p in out) == pytest.approx(1.0, abs=1e-12)
    out[i].backward()
    expected = [probs[i] * ((1.0 if i == j else 0.0) - probs[j]) for j in range(len(xs))]
    assert [v.grad for v in vs] == pytest.approx(expected, abs=1e-12)
    assert gradcheck(lambda *v: engine.softmax(v)[i], xs).ok


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=5), finite)
def test_dot_is_a_weighted_sum(pairs, b):
    ws = [w for w, _ in pairs]
    xs = [x for _, x in pairs]
    n = len(pairs)
    f = lambda *v: engine.dot(v[:n], v[n:2 * n], v[2 * n])  # noqa: E731
    value, grads = grad_of(f, *ws, *xs, b)
    assert value == pytest.approx(sum(w * x for w, x in pairs) + b, abs=1e-9)
    assert grads == pytest.approx(xs + ws + [1.0], abs=1e-12)


def test_dot_lifts_plain_inputs_as_constants_and_pairs_every_term():
    w = [Value(0.5, "w0"), Value(-2.0, "w1")]
    b = Value(0.25, "b")
    z = engine.dot(w, [3.0, 1.0], b)
    assert z.data == pytest.approx(-0.25)
    x0, x1 = z.parents[1], z.parents[3]
    assert (x0.op, x0.data, x1.op, x1.data) == ("const", 3.0, "const", 1.0)
    # (w₁, x₁, x₁, w₁, w₂, x₂, x₂, w₂, b, 1): ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1
    assert z.parents == (w[0], x0, w[1], x1, b) and z.local_grads == (3.0, 0.5, 1.0, -2.0, 1.0)


def test_dot_of_values_with_themselves_is_a_sum_of_squares():
    ws = [Value(0.5, "w0"), Value(-2.0, "w1"), Value(3.0, "w2")]
    for squares in (engine.dot(ws, ws), engine.dot(ws, list(ws), 0.0)):
        assert squares.data == pytest.approx(13.25)
        for w in ws:
            w.grad = 0.0
        squares.backward()
        assert [w.grad for w in ws] == [1.0, -4.0, 6.0]  # ∂(Σw²)/∂w = 2w: each term's two edges add up


# random compositions: trees of smooth operations over three inputs
SMOOTH = [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b,
    lambda a, b: a.tanh() * b, lambda a, b: a.sigmoid() + b, lambda a, b: (a * 0.3).exp() - b,
    lambda a, b: a / (1 + b * b), lambda a, b: (1 + a * a).log() * b, lambda a, b: engine.logsumexp([a, b]),
    lambda a, b: engine.softmax([a, b, a * b])[0],
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SMOOTH) - 1), st.integers(0, 9), st.integers(0, 9)),
                min_size=1, max_size=8),
       st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_compositions_match_central_differences(program, xs):
    def f(*inputs):
        pool = list(inputs)
        for op, i, j in program:
            pool.append(SMOOTH[op](pool[i % len(pool)], pool[j % len(pool)]))
        return pool[-1] if len(pool) > 3 else pool[0] * 1.0

    result = gradcheck(f, xs, eps=1e-5, atol=1e-5, rtol=1e-3)
    assert result.ok, str(result)


def test_stable_formulas_at_extremes():
    for x, s, ds in [(1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0), (0.0, 0.5, 0.25)]:
        v = Value(x)
        out = v.sigmoid()
        out.backward()
        assert out.data == s and v.grad == ds
    for x, sp, dsp in [(1000.0, 1000.0, 1.0), (-1000.0, 0.0, 0.0)]:
        v = Value(x)
        out = v.softplus()
        out.backward()
        assert out.data == sp and v.grad == dsp
    for x, t in [(1000.0, 1.0), (-1000.0, -1.0)]:
        v = Value(x)
        out = v.tanh()
        out.backward()
        assert out.data == t and v.grad == 0.0
    a, b = Value(1000.0), Value(1000.0)
    lse = engine.logsumexp([a, b])
    lse.backward()
    assert lse.data == pytest.approx(1000.0 + math.log(2))
    assert (a.grad, b.grad) == (0.5, 0.5)
    scores = [Value(1000.0), Value(999.0), Value(-1000.0)]
    probs = engine.softmax(scores)
    probs[0].backward()
    assert [p.data for p in probs] == pytest.approx([1 / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1)), 0.0])
    assert all(math.isfinite(s.grad) for s in scores)


def test_relu_derivative_is_zero_at_zero_and_leaky_slope():
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0
    z = Value(-2.0)
    out = z.leaky_relu()
    out.backward()
    assert out.data == pytest.approx(-0.02) and z.grad == 0.01


def test_function_forms_accept_numbers():
    assert engine.sigmoid(0.0).data == 0.5
    assert engine.exp(0).data == 1.0
    assert engine.log(Value(math.e)).data == pytest.approx(1.0)
    assert engine.relu(-3).data == 0.0 and engine.tanh(0).data == 0.0
    assert engine.leaky_relu(-1, 0.2).data == pytest.approx(-0.2)
    assert engine.sum([]).data == 0.0


# every branch of every operation, with its op name: a result starts without a label (a learner names it;
# the pictures call it v1, v2, …), so that a label never claims what the learner did not write
RESULTS = [
    (lambda a, b: a + b, 2.0, "+"), (lambda a, b: a - b, 2.0, "-"), (lambda a, b: a * b, 2.0, "*"),
    (lambda a, b: a / b, 2.0, "/"), (lambda a, b: -a, 2.0, "neg"), (lambda a, b: a ** 2, 2.0, "**2"),
    (lambda a, b: abs(a), 2.0, "abs"), (lambda a, b: abs(a), -2.0, "abs"), (lambda a, b: a.exp(), 2.0, "exp"),
    (lambda a, b: a.log(), 2.0, "log"), (lambda a, b: a.tanh(), 2.0, "tanh"), (lambda a, b: a.sigmoid(), 2.0, "sigmoid"),
    (lambda a, b: a.softplus(), 2.0, "softplus"), (lambda a, b: a.relu(), 2.0, "relu"),
    (lambda a, b: a.relu(), -2.0, "relu"), (lambda a, b: a.leaky_relu(), 2.0, "leaky_relu"),
    (lambda a, b: a.leaky_relu(), -2.0, "leaky_relu"), (lambda a, b: a.elu(), 2.0, "elu"),
    (lambda a, b: a.elu(), -2.0, "elu"), (lambda a, b: a.gelu(), 2.0, "gelu"), (lambda a, b: a.sin(), 2.0, "sin"),
    (lambda a, b: a.cos(), 2.0, "cos"), (lambda a, b: a ** b, 2.0, "**"), (lambda a, b: a ** b, 0.0, "**"),
    (lambda a, b: engine.sum([a, b]), 2.0, "sum"), (lambda a, b: engine.mean([a, b]), 2.0, "mean"),
    (lambda a, b: engine.dot([a], [b], 1.0), 2.0, "dot"), (lambda a, b: engine.logsumexp([a, b]), 2.0, "logsumexp"),
    (lambda a, b: engine.softmax([a, b])[1], 2.0, "softmax"),
]


@pytest.mark.parametrize("f,x,op", RESULTS, ids=[f"{op} at {x}" for _, x, op in RESULTS])
def test_every_result_starts_unlabelled_with_its_op(f, x, op):
    out = f(Value(x, label="a"), Value(1.5, label="b"))
    assert (out.label, out.op, out.grad, out.scope) == ("", op, 0.0, None)
    assert out.edges[0].label == "a"
