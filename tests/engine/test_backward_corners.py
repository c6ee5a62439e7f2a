"""Backward at its corners: gradients that are not plain floats before a pass, a root that is a leaf,
steppers in other threads, gradients kept as Values, and micrograd's `_backward` on a node with no
gradient yet. Each number is checked against the derivative written by hand."""
import math
import threading

import pytest

from chainrule import engine
from chainrule.engine import Value, no_grad


# -- what a leaf's .grad may hold before a pass ------------------------------------------------

def test_a_pass_after_create_graph_resets_the_computed_values_and_fills_the_leaf():
    """After backward(create_graph=True) every .grad is a Value. Emptying the leaf is enough for a plain
    pass: the computed values start from 0 again, whatever they held."""
    x = Value(0.5, label="x")
    y = x * x * x  # dy/dx = 3x² = 0.75
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and isinstance(y.grad, Value)
    x.grad = None
    y.backward()
    assert x.grad == 0.75 and y.grad == 1.0


def test_a_leaf_gradient_that_is_an_int_or_none_is_read_as_a_number():
    """None is "no gradient yet" (0); an int set by hand is its number: both add the pass's gradient."""
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    x.grad, w.grad = None, 2  # the int: leaves accumulate over passes
    (x * w).backward()
    assert x.grad == 3.0 and type(x.grad) is float  # ∂(xw)/∂x = w
    assert w.grad == 2.0 + 2.0 and type(w.grad) is float  # 2 held + ∂(xw)/∂w = x


def test_an_infinite_leaf_gradient_beside_a_missing_one_is_refused_as_an_overflow():
    """A leaf holding inf keeps it through the pass; the pass then refuses (as any overflow) and puts
    every gradient back as it was."""
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    x.grad, w.grad = math.inf, None
    with pytest.raises(OverflowError) as info:
        (x * w).backward()
    assert str(info.value) == ("backward: the gradient of x (Value, data=2.0) overflowed to inf; every .grad is left "
                               "as it was before this pass. Scale the loss or the inputs down (or lower the learning "
                               "rate).")
    assert x.grad == math.inf and w.grad is None


def test_a_leaf_holding_a_gradient_graph_is_refused_with_the_way_out():
    x = Value(0.5, label="x")
    y = x * x
    y.backward(create_graph=True)
    with pytest.raises(TypeError) as info:
        (x * 3.0).backward()
    assert str(info.value) == (
        "backward: the .grad of x (Value, data=0.5) holds a Value (a graph made by backward(create_graph=True)), and "
        "this pass would add numbers to it. Take it out first: `g = x.grad; x.grad = None` (for every leaf: "
        "root.zero_grad()), then `g.backward()` fills x.grad with ∂g/∂x; or use engine.grad(g, [x]).")


# -- a root that is a leaf -----------------------------------------------------------------------

def test_stepping_a_leaf_adds_the_seed_to_what_it_holds_as_backward_does():
    """∂x/∂x = 1 is added to a leaf's gradient (leaves accumulate), stepped or not."""
    x, y = Value(2.0, label="x"), Value(2.0, label="y")
    x.grad = y.grad = 0.5
    steps = list(x.backward_steps())
    y.backward()
    assert x.grad == y.grad == 1.5
    # the seed is ∂x/∂x = 1, added to the 0.5 the leaf held (the step said "= 1.5" before)
    assert str(steps[0]) == "step 1/1 at x: seed x.grad += ∂x/∂x = 1\nx is a leaf: ∂x/∂x = 1.5 is complete"
    assert steps[0].seed == 1.0


def test_stepping_uses_the_seed_one_by_default():
    x = Value(3.0, label="x")
    y = (x * x).named("y")  # dy/dx = 2x = 6
    steps = list(y.backward_steps())
    assert steps[0].seed == 1.0 and y.grad == 1.0 and x.grad == 6.0
    x.grad = 0.0
    steps = list(engine.backward_steps(y))  # the function form too
    assert steps[0].seed == 1.0 and y.grad == 1.0 and x.grad == 6.0


def test_a_step_that_passes_nothing_back_says_why():
    """Inside no_grad a result keeps its op but records no parents; a node whose parents are all
    constants passes nothing a learner would follow. Each step says which (both read "a node with no
    recorded parents" before, and the first was called "a leaf")."""
    x = Value(3.0, label="x")
    with no_grad():
        y = (x * 2.0).named("y")
    steps = list(y.backward_steps(2.0))
    assert [str(s) for s in steps] == [
        "step 1/1 at y: seed y.grad += ∂y/∂y = 2\n"
        "y is a leaf (made inside no_grad(), it recorded no parents): ∂y/∂y = 2 is complete"]
    assert x.grad == 0.0
    c = (Value.constant(2.0) * 3.0).named("c")
    assert [str(s) for s in c.backward_steps()] == [
        "step 1/1 at c: seed c.grad = ∂c/∂c = 1\nc is a node whose parents are all constants: ∂c/∂c = 1 is complete"]


def test_a_leaf_met_later_in_a_stepped_pass_is_written_after_the_step_head():
    x = Value(3.0, label="x")
    y = (x * x).named("y")
    texts = [str(s) for s in y.backward_steps()]
    assert texts[-1] == "step 2/2 at x: x is a leaf: ∂y/∂x = 6 is complete"


# -- steppers are per thread ---------------------------------------------------------------------

def test_a_stepper_in_a_new_thread_is_undone_by_that_threads_next_pass():
    """A thread's first stepper is remembered in that thread (its list of open steppers is made there),
    and that thread's next backward puts back what the abandoned stepper did."""
    result = {}

    def work():
        x = Value(2.0, label="x")
        y = x * x * 5.0  # dy/dx = 10x = 20
        steps = y.backward_steps()
        next(steps)
        next(steps)  # half-way: some gradients are written
        (x * 1.0).backward()  # a new pass in this thread: the stepper is undone first
        result["x"] = x.grad
        result["stepper"] = list(steps)  # closed: nothing more to step

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert result == {"x": 1.0, "stepper": []}


# -- gradients kept as Values -------------------------------------------------------------------

def test_create_graph_gives_a_leaf_the_gradient_graph_itself_when_it_held_zero():
    """A leaf holding 0 (or None) gets the gradient's graph as engine.grad builds it, with no "0 +" in
    front; a leaf holding a number gets that number plus the graph."""
    x = Value(0.5, label="x")
    y = x.exp() * x  # dy/dx = eˣ(1 + x)
    y.backward(create_graph=True)
    (expected,) = engine.grad(y, [x], create_graph=True)
    assert [str(s) for s in x.grad.forward_steps()] == [str(s) for s in expected.forward_steps()]
    assert x.grad.data == pytest.approx(math.exp(0.5) * 1.5, rel=1e-15)

    z = Value(0.5, label="z")
    z.grad = 1.0
    (z.exp() * z).backward(create_graph=True)
    assert z.grad.data == pytest.approx(1.0 + math.exp(0.5) * 1.5, rel=1e-15)


def test_create_graph_that_fails_on_a_parameter_puts_every_gradient_back():
    """A model parameter's gradient is a number in its model's buffer: create_graph refuses it, and the
    gradients already replaced by Values in that pass are put back as they were."""
    from chainrule import nn

    neuron = nn.Neuron(1, activation="tanh", seed=0)
    x = Value(0.5, label="x")
    x.grad = 0.25
    out = neuron([x])
    with pytest.raises(TypeError, match="a model parameter's gradient lives in its model's buffer"):
        out.backward(create_graph=True)
    assert x.grad == 0.25 and neuron.w[0].grad == 0.0 and out.grad == 0.0


def test_create_graph_gives_zero_for_the_gradient_of_an_exponent_at_base_zero():
    """aᵇ at a = 0, b = 2: ∂/∂a = b·aᵇ⁻¹ = 0 and ∂/∂b = aᵇ·ln a → 0, as Values and as numbers."""
    a, b = Value(0.0, label="a"), Value(2.0, label="b")
    grads = engine.grad(a ** b, [a, b], create_graph=True)
    assert [g.data for g in grads] == [0.0, 0.0] == engine.grad(a ** b, [a, b])


# -- micrograd's _backward on gradients that are None ------------------------------------------

def test_micrograd_backward_reads_none_as_no_gradient_yet():
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    y = x * w
    y.grad = None
    y._backward()  # nothing flows from a node with no gradient
    assert x.grad == 0.0 and w.grad == 0.0
    y.grad, x.grad = 2.0, None
    y._backward()  # x: None is 0, plus ∂y/∂x · y.grad = w · 2
    assert x.grad == 6.0 and w.grad == 4.0


# -- the gradients put aside during a pass -------------------------------------------------------

def test_the_gradients_put_aside_cost_eight_bytes_each():
    """all_or_nothing keeps every .grad to put back on failure: packed as 8-byte doubles when all are numbers
    (a list would also keep each old float object alive, 24 bytes more apiece); as they are otherwise."""
    import sys
    from array import array

    from chainrule.engine.backward import _saved_grads

    nodes = [Value(float(i)) for i in range(1000)]
    for i, v in enumerate(nodes):
        v.grad = i / 7
    saved = _saved_grads(nodes)
    assert isinstance(saved, array) and saved.itemsize == 8 and list(saved) == [i / 7 for i in range(1000)]
    assert sys.getsizeof(saved) <= 8 * 1000 + 100
    nodes[3].grad = None
    assert _saved_grads(nodes)[3] is None and _saved_grads(nodes)[4] == 4 / 7


def test_a_parameter_met_in_a_stepped_pass_is_a_leaf():
    w = Value.parameter(3.0, "w")
    y = (w * w).named("y")
    assert [str(s) for s in y.backward_steps()][-1] == "step 2/2 at w: w is a leaf: ∂y/∂w = 6 is complete"
