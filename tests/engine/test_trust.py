"""Nothing silently wrong: second derivatives at the edges, ELU near 0, long explanations, threads,
gradients kept as Values, and the slips learners make when calling the engine's functions."""
import math
import threading
import time

import pytest

from chainrule import engine, gradcheck, viz
from chainrule.engine import Value, explain


# -- a ** b at a = 0: second derivatives -----------------------------------------------------

def test_hessian_of_a_power_at_zero_is_right_where_it_is_finite():
    # f = aᵇ: ∂²f/∂a² = b(b−1)aᵇ⁻², ∂²f/∂a∂b = aᵇ⁻¹(1 + b ln a), ∂²f/∂b² = aᵇ(ln a)²; at a = 0:
    assert engine.hessian(lambda a, b: a ** b, [0.0, 2.0]) == [[2.0, 0.0], [0.0, 0.0]]  # PyTorch: 2 too
    assert engine.hessian(lambda a, b: a ** b, [0.0, 3.0]) == [[0.0, 0.0], [0.0, 0.0]]
    # the same as a plain number exponent, and as the limit from a > 0 (central differences of the gradient)
    assert engine.hessian(lambda a: a ** 2.0, [0.0]) == [[2.0]]
    for a in (1e-3, 1e-6):  # the limit from a > 0: b(b−1)aᵇ⁻² → 2 at b = 2, → 0 at b = 3
        assert engine.hessian(lambda a, b: a ** b, [a, 2.0])[0][0] == pytest.approx(2.0, rel=1e-12)
        assert engine.hessian(lambda a, b: a ** b, [a, 3.0])[0][0] == pytest.approx(6 * a, rel=1e-12)


@pytest.mark.parametrize("b", [1.0, 1.5])
def test_hessian_of_a_power_at_zero_refuses_an_infinite_second_derivative(b):
    with pytest.raises(OverflowError, match=r"a \*\* b at a = 0.*infinite"):
        engine.hessian(lambda a, b: a ** b, [0.0, b])


# -- ELU near 0 ------------------------------------------------------------------------------

@pytest.mark.parametrize("a", [-1e-12, -3e-11, -1e-10, -7e-9, -1e-8])
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_is_exact_near_zero(a, alpha):
    v = Value(a).elu(alpha)
    assert v.data == alpha * math.expm1(a)  # exp(a) − 1 would lose most digits here
    assert v.local_grads[0] == alpha * math.exp(a)


def test_elu_derivative_carries_alpha():
    # d elu(x, 0.5)/dx at −1 = 0.5·e⁻¹ = 0.18394 (not e⁻¹ = 0.368), checked by central differences
    x = Value(-1.0)
    x.elu(0.5).backward()
    h = 1e-6
    numeric = (Value(-1.0 + h).elu(0.5).data - Value(-1.0 - h).elu(0.5).data) / (2 * h)
    assert x.grad == pytest.approx(0.5 * math.exp(-1.0), rel=1e-15) and x.grad == pytest.approx(numeric, rel=1e-8)
    # second derivative: d²/dx² elu(x, α) = α·eˣ, from the α the node stores
    assert engine.hessian(lambda a: a.elu(0.5), [-1.0]) == [[pytest.approx(0.5 * math.exp(-1.0), rel=1e-15)]]


# -- explain on a long chain -------------------------------------------------------------------

def test_explain_takes_time_linear_in_the_chain():
    x = Value(0.5, label="x")
    y = x
    for i in range(200_000):
        y = y * 1.0000001 if i % 2 else y + 0.1
    start = time.process_time()
    y.backward()
    backward = time.process_time() - start
    start = time.process_time()
    e = explain(y, x)
    explaining = time.process_time() - start
    assert e.path_count == 1 and len(e.paths[0]) == 200_000 and e.total == pytest.approx(x.grad, rel=1e-12)
    # quadratic (copying the path at each step) took minutes here; linear is a few times backward
    assert explaining < 20 * max(backward, 0.05)


def test_explain_lists_every_path_in_operand_order():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = (a * b).named("c")
    d = (c + a).named("d")
    e = explain(d, a)
    assert [[(ch.label, p.label) for ch, p, _ in path] for path in e.paths] == [[("d", "c"), ("c", "a")], [("d", "a")]]
    assert e.total == 4.0 == b.data + 1.0


# -- threads -----------------------------------------------------------------------------------

def test_a_backward_in_another_thread_leaves_this_threads_stepper_alone():
    x = Value(3.0, label="x")
    y = (x * x).named("y")  # ∂y/∂x = 6
    steps = y.backward_steps()
    first = next(steps)
    assert first.index == 1

    def other():
        z = Value(1.0) * 2.0
        z.backward()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    rest = list(steps)
    assert len(rest) == first.total - 1 and x.grad == 6.0


def test_a_new_backward_in_the_same_thread_still_undoes_an_abandoned_stepper():
    x = Value(3.0, label="x")
    y = x * x
    steps = y.backward_steps()
    next(steps)
    next(steps)  # x.grad has half of its pass
    y.backward()
    assert x.grad == 6.0  # not 6 + what the stepper had added


# -- gradients kept as Values (create_graph) ---------------------------------------------------

def test_gradients_kept_as_values_can_be_shown_and_drawn():
    x = Value(0.5, label="x")
    y = x ** 3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 0.75
    html = x._repr_html_()
    assert "0.75" in html and "a graph" in html
    assert "grad 0.75" in viz.draw_graph(y).source  # the graph draws with each gradient's number
    assert "grad=Value(data=0.75)" in repr(x)


def test_backward_over_a_value_gradient_says_how_to_clear_it():
    x = Value(0.5, label="x")
    y = x ** 3
    y.backward(create_graph=True)
    with pytest.raises(TypeError, match=r"holds a Value.*x.grad = None.*g.backward\(\)") as caught:
        y.backward()
    assert "got a Value" not in str(caught.value)
    g = x.grad
    with pytest.raises(TypeError, match="holds a Value"):
        g.backward()  # x.grad is g itself: the same advice
    x.grad = None
    g.backward()
    assert x.grad == pytest.approx(6 * 0.5)  # ∂(3x²)/∂x = 6x


# -- slips calling the engine's functions -------------------------------------------------------

def returns_nothing(a):
    a * a  # noqa: B018 - the slip under test: no return


@pytest.mark.parametrize("call, words", [
    (lambda: gradcheck(lambda a: a * a, 0.5), r"gradcheck: inputs must be a list.*gradcheck\(f, \[0.5\]\)"),
    (lambda: engine.hessian(lambda a: a * a, 0.5), r"hessian: inputs must be a list"),
    (lambda: engine.jvp(lambda a: a * a, 0.5, 1.0), r"jvp: inputs must be a list.*jvp\(f, \[0.5\], \[1.0\]\)"),
    (lambda: engine.jvp(lambda a: a * a, [0.5], 1.0), r"jvp: tangents must be a list"),
    (lambda: engine.jvp(returns_nothing, [0.5], [1.0]), r"jvp: f returned None: did it forget `return`"),
    (lambda: gradcheck(returns_nothing, [0.5]), r"gradcheck: f returned None: did it forget `return`"),
    (lambda: engine.hessian(returns_nothing, [0.5]), r"hessian: f returned None"),
    (lambda: engine.grad((Value(2.0) * 3).data, [Value(1.0)]), r"grad: outputs must be a Value.*not its .data"),
    (lambda: engine.grad(Value(2.0) * 3, 1.0), r"grad: inputs must be a Value"),
])
def test_slips_get_a_message_that_says_what_was_expected(call, words):
    with pytest.raises(TypeError, match=words) as caught:
        call()
    assert "not iterable" not in str(caught.value) and "has no len" not in str(caught.value)


def test_explain_says_so_when_the_value_is_not_in_the_graph():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    y = (a * 3).named("y")
    assert str(explain(y, b)) == "y does not depend on b: no path leads from y to b, so ∂y/∂b = 0"
    assert "∂y/∂v0 = 0" in str(explain(y, Value(3.0)))


def test_a_forward_step_writes_a_negative_number_inside_a_function_once_bracketed():
    x = Value(-0.5, label="x")
    assert str(next(abs(x).named("y").forward_steps())) == "step 1/1: y = abs(x) = abs(-0.5) = 0.5"
    assert str(next((x * 2.0).named("z").forward_steps())) == "step 1/1: z = x · 2 = (-0.5) × 2 = -1"


def test_an_optimizer_names_a_gradient_that_is_not_finite_in_a_sentence():
    from chainrule import nn

    w = Value(1.0, label="w")
    w.grad = math.inf
    with pytest.raises(OverflowError, match=r"the gradient of w \(Value, data=1.0\) is non-finite \(inf\)"):
        nn.SGD([w], lr=0.1).step()
