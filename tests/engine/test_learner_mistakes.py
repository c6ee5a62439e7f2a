"""The mistakes learners make get a message that teaches, never a silently wrong number."""
import math

import numpy as np
import pytest

from chainrule import engine
from chainrule.engine import Value, explain


def test_math_functions_and_float_refuse_a_value_and_name_the_method():
    x = Value(2.0, "x")
    for leave in (lambda: math.exp(x), lambda: math.sqrt(x), lambda: float(x) * 3, lambda: math.tanh(x)):
        with pytest.raises(TypeError, match=r"x \(Value, data=2.0\).*v\.exp\(\).*v \*\* 0\.5.*v\.data"):
            leave()
    # the right way stays in the graph: d(e^x · x)/dx = e^x (x + 1) = 22.17 at 2, not e^x = 7.39
    y = x.exp() * x
    y.backward()
    assert x.grad == pytest.approx(math.exp(2) * 3)


def test_if_v_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"truth value of a Value.*v\.data > 0"):
        if Value(0.0):
            pass
    with pytest.raises(TypeError, match="truth value"):
        bool(Value(1.0))


def test_comparisons_max_sorted_read_the_numbers():
    a, b, c = Value(3.0, "a"), Value(-1.0, "b"), Value(2.0, "c")
    assert a > 2 and b < 0 and c >= 2.0 and c <= 2 and not (a < b)
    assert max([a, b, c]) is a and sorted([a, b, c]) == [b, c, a]
    loss, steps = Value(1.0), 0
    while loss > 0.01:  # the learner's loop
        loss, steps = loss * 0.5, steps + 1
    assert steps == 7
    assert a != Value(3.0) and a == a  # equality stays identity: two nodes with equal numbers are two nodes
    assert len({a, Value(3.0)}) == 2
    with pytest.raises(TypeError, match=r"compare \(<\)"):
        a < "x"


def test_abs_is_a_graph_operation_with_the_sign_as_derivative():
    for x, sign in ((-2.5, -1.0), (3.0, 1.0), (0.0, 0.0)):
        v = Value(x)
        y = abs(v)
        y.backward()
        assert y.data == abs(x) and y.op == "abs" and v.grad == sign


def test_formatting_and_round():
    v = Value(0.123456, "v")
    assert f"{v:.4f}" == "0.1235" and f"{v:8.2e}" == "1.23e-01"
    assert f"{v}" == repr(v)
    with pytest.raises(TypeError, match=r"round\(v\.data\)"):
        round(v)


def test_grad_none_means_no_gradient_yet():
    w = Value(0.5, "w")
    w.grad = None  # the PyTorch habit
    assert "grad=None" in repr(w)
    (w * 3).backward()
    assert w.grad == 3.0
    w.grad = None
    (w * w).backward()
    assert w.grad == 1.0


def test_data_of_any_real_type_stays_a_float():
    p = Value(1.0, "p")
    p.data = 3  # an int
    assert (p.relu().data, (p ** 2).data, p.exp().data) == (3.0, 9.0, math.exp(3))
    assert all(type(v) is float for v in (p.relu().data, (p * 2).data, p.log().data))
    p.data = np.float64(2.0)  # `p.data -= lr * g` with a numpy g
    y = p * p + p.tanh()
    y.backward()
    assert type(y.data) is float and type(p.grad) is float
    assert p.grad == pytest.approx(4 + 1 - math.tanh(2) ** 2)
    p.data = math.nan  # a NaN put in by hand is caught by the next operation, even one that compares
    for op in (lambda v: v.relu(), lambda v: v * 2, lambda v: abs(v), lambda v: v.leaky_relu()):
        with pytest.raises((ValueError, OverflowError), match="p"):
            op(p)


def test_an_abandoned_stepper_never_leaks_into_the_next_pass():
    x = Value(1.0, "x")
    y = x * 5
    steps = y.backward_steps()
    next(steps)
    next(steps)  # x.grad is 5 now, half way through the learner's stepping
    assert x.grad == 5.0
    y.backward()  # the next pass undoes the unfinished one first: 5, not 10
    assert x.grad == 5.0
    x.grad = 0.0
    steps = y.backward_steps()
    next(steps)
    next(steps)
    steps.close()  # closing puts everything back
    assert x.grad == 0.0
    for _ in y.backward_steps():  # a finished stepper is a whole pass
        pass
    assert x.grad == 5.0


def test_a_failed_backward_leaves_every_grad_as_it_was():
    x, w = Value(1e200, "x"), Value(2.0, "w")
    z = (x * 1e100) + w * w
    z.backward()  # a good pass: x.grad = 1e100, w.grad = 4
    before = [(v, v.grad) for v in engine.topological_order(z)]
    assert x.grad == 1e100 and w.grad == 4.0
    with pytest.raises(OverflowError, match="every .grad is left as it was"):
        z.backward(1e300)  # ∂z/∂x · 1e300 = 1e400 overflows; w's 4·1e300 alone would have been fine
    assert [(v, v.grad) for v in engine.topological_order(z)] == before
    z.backward()  # and the next pass adds to the numbers of the last good one, not to inf
    assert x.grad == 2e100 and w.grad == 8.0


def test_a_failed_backward_keeps_no_gradient_yet_and_numpy_gradients():
    x, w = Value(1e200, "x"), Value(2.0, "w")
    z = (x * 1e100) + w * w
    w.grad = None  # the PyTorch habit: "no gradient yet"
    with pytest.raises(OverflowError):
        z.backward(1e300)  # ∂z/∂x · 1e300 overflows
    assert w.grad is None and x.grad == 0.0
    w.grad = np.float64(3.0)
    with pytest.raises(OverflowError):
        z.backward(1e300)  # ∂z/∂x · 1e300 overflows
    assert w.grad == 3.0 and x.grad == 0.0


def test_no_stored_local_derivative_is_ever_infinite():
    with pytest.raises(OverflowError, match=r"power \(\*\*\).*not finite"):
        Value(1e308) ** Value(1.0)  # ∂/∂b = aᵇ·ln a = 7e310
    with pytest.raises(OverflowError, match=r"divide \(/\).*not finite"):
        Value(1.0) / Value(1e-310)  # ∂/∂a = 1/b = 1e310
    x = Value(1e-300, "x")
    with pytest.raises(OverflowError, match="explain"):
        explain((x * 1e200) * 1e200, x)  # 1e400 along the only path, where backward raises too


def test_sums_and_huge_numbers_name_the_operation():
    with pytest.raises(OverflowError, match=r"sum: the sum of the constant 1e\+308"):
        engine.sum([1e308, 1e308])
    assert engine.mean([1e308, 1e308]).data == 1e308  # the mean of huge numbers is still a number
    with pytest.raises(OverflowError, match=r"add \(\+\): 1000000000000.* is too large for a float.*x"):
        Value(1.0, "x") + 10**400


def test_numpy_arrays_are_refused_with_a_clear_error():
    with pytest.raises(TypeError, match=r"multiply \(\*\).*ndarray.*a Value holds one number"):
        np.array([1.0, 2.0]) * Value(3.0)
    with pytest.raises(TypeError, match="ndarray"):
        Value(3.0) + np.array([1.0, 2.0])
    assert (np.float64(2.0) * Value(3.0)).data == 6.0  # a numpy number is a number


def test_a_pass_refused_at_its_start_changes_nothing():
    x, w = Value(1.0, "x"), Value(2.0, "w")
    y = (x * w).tanh()
    y.backward()
    before = [(v, v.grad) for v in engine.topological_order(y)]
    w.grad = "not a number"
    with pytest.raises(TypeError, match="the .grad of w"):
        y.backward()
    assert [(v, v.grad) for v in engine.topological_order(y) if v is not w] == [p for p in before if p[0] is not w]
    assert w.grad == "not a number"  # left as it was, to be seen and fixed
