"""grad, hessian, jvp and gradcheck as a learner calls them: inputs named x0, x1, … (or by their labels)
in the errors of f, the errors of the functions themselves word for word, an output that does not
depend on the inputs, and the exact edge of gradcheck's tolerance."""
import math

import pytest

from chainrule import engine, gradcheck
from chainrule.engine import Value


def error_of(call, kind):
    with pytest.raises(kind) as info:
        call()
    return str(info.value)


def test_the_inputs_f_receives_carry_their_names_into_its_errors():
    """hessian, jvp and gradcheck call f on Values named after the inputs: x0, x1, … or the label given."""
    for who in (engine.hessian, gradcheck):
        assert error_of(lambda: who(lambda a: a.log(), [-1.0]), ValueError) == \
            "log: needs a positive number, got x0 (Value, data=-1.0)"
        assert error_of(lambda: who(lambda a, b: b.log(), [1.0, Value(-2.0, label="w")]), ValueError) == \
            "log: needs a positive number, got w (Value, data=-2.0)"
    assert error_of(lambda: engine.jvp(lambda a, b: b.log(), [1.0, -3.0], [1.0, 0.0]), ValueError) == \
        "log: needs a positive number, got x1 (Value, data=-3.0)"
    assert error_of(lambda: engine.jvp(lambda a: a.log(), [Value(-3.0, label="w")], [1.0]), ValueError) == \
        "log: needs a positive number, got w (Value, data=-3.0)"


def test_jvp_gives_its_output_and_every_nodes_tangent():
    """f(a, b) = a·b + a at (3, 4) along (1, 2): ḟ = (b + 1)·1 + a·2 = 11; the tangent of the product is 10."""
    result = engine.jvp(lambda a, b: a * b + a, [3.0, 4.0], [1.0, 2.0])
    out = result.output
    assert isinstance(out, Value) and out.data == 15.0 == result.value and result.derivative == 11.0
    product = out.parents[0]
    assert result.tangents[product] == 10.0 and result.tangents[out] == 11.0


def test_jvp_of_an_output_that_does_not_depend_on_the_inputs_is_zero():
    constant = Value(2.0, label="c")
    assert engine.jvp(lambda a: constant, [1.0], [1.0]).derivative == 0.0
    assert engine.jvp(lambda a: [a * 2.0, constant], [1.0], [1.0]).derivative == [2.0, 0.0]


def test_the_errors_of_grad_jvp_and_gradcheck_word_for_word():
    x = Value(0.5, label="x")
    assert error_of(lambda: engine.grad(3.0, [x]), TypeError) == (
        "grad: outputs must be a Value or a list of Values, got 3.0 (float): a plain number has no graph to "
        "differentiate (pass the Value itself, not its .data)")
    assert error_of(lambda: engine.grad(x * 2.0, "x"), TypeError) == \
        "grad: inputs must be a Value or a list of Values, got 'x' (str)"
    assert error_of(lambda: engine.jvp(lambda a: 1.0, [1.0], [1.0]), TypeError) == (
        "jvp: f's outputs must be a Value or a list of Values, got 1.0 (float): a plain number has no graph to "
        "differentiate (pass the Value itself, not its .data)")
    assert error_of(lambda: engine.jvp(3.0, [1.0], [1.0]), TypeError) == "jvp: f must be callable, got 3.0 (float)"
    assert error_of(lambda: gradcheck(3.0, [1.0]), TypeError) == "gradcheck: f must be callable, got 3.0 (float)"
    assert error_of(lambda: gradcheck(lambda u: 1.0, [1.0]), TypeError) == \
        "gradcheck: f must return a Value, it returned 1.0 (float)"
    assert error_of(lambda: gradcheck(lambda u: u, 0.5), TypeError) == (
        "gradcheck: inputs must be a list with one entry per argument of f, e.g. gradcheck(f, [0.5]) for f(x); "
        "got 0.5 (float)")
    assert error_of(lambda: engine.jvp(lambda u: u, [1.0], x), TypeError) == (
        "jvp: tangents must be a list with one entry per argument of f, e.g. jvp(f, [0.5], [1.0]) for f(x); "
        "got x (Value, data=0.5)")


def test_a_gradient_or_a_direction_that_overflows_is_refused_by_name():
    """Every value and local derivative is finite (1e-200 · 1e200 · 1e200 = 1e200), their product is not."""
    x = Value(1e-200, label="x")
    y = x * 1e200 * 1e200
    assert error_of(lambda: engine.grad(y, [x]), OverflowError) == (
        "grad: the gradient with respect to x (Value, data=1e-200) overflowed to inf; scale the outputs or the "
        "inputs down")
    assert error_of(lambda: engine.jvp(lambda a: (a * 1e200 * 1e200).named("y"), [1e-200], [1.0]),
                    OverflowError) == "jvp: the directional derivative of y (Value, data=1e+200) overflowed to inf"


def test_gradcheck_passes_an_exact_agreement_with_no_tolerance_at_all():
    """(x + h)² − (x − h)² = 4xh exactly for x = 3, h = 0.5: the central difference is 6, backward's 6."""
    result = gradcheck(lambda u: u * u, [3.0], eps=0.5, atol=0.0, rtol=0.0)
    assert result.rows[0].numeric == 6.0 == result.rows[0].analytic and result.rows[0].error == 0.0
    assert result.ok


def test_grad_number_reads_none_as_zero_and_a_gradient_graph_by_its_number():
    x = Value(0.5, label="x")
    x.grad = None
    assert engine.grad_number(x) == 0.0
    (x * x * x).backward(create_graph=True)  # 3x²
    assert isinstance(x.grad, Value) and engine.grad_number(x) == 0.75
    x.grad = 0.25
    assert engine.grad_number(x) == 0.25


def test_hessian_entries_are_plain_floats():
    h = engine.hessian(lambda a, b: a * a * b + b, [1.0, 2.0])
    assert h == [[4.0, 2.0], [2.0, 0.0]] and all(type(d) is float for row in h for d in row)
    assert not math.isnan(h[1][1])
