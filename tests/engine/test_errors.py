"""Bad input gets a clear error that names the operation and the operands."""
import math

import pytest

from chainrule import engine
from chainrule.engine import Value, gradcheck


@pytest.fixture
def w():
    return Value(0.15, label="w1")


@pytest.mark.parametrize("bad", ["abc", None, 1j, True, [1, 2]], ids=["str", "None", "complex", "bool", "list"])
@pytest.mark.parametrize("op,symbol", [
    (lambda a, b: a + b, "add"), (lambda a, b: a - b, "subtract"), (lambda a, b: a * b, "multiply"),
    (lambda a, b: a / b, "divide"), (lambda a, b: a ** b, "power"),
])
def test_non_numbers_are_type_errors_naming_both_operands(w, bad, op, symbol):
    with pytest.raises(TypeError) as info:
        op(w, bad)
    message = str(info.value)
    assert symbol in message and repr(bad) in message and "w1" in message and "0.15" in message


@pytest.mark.parametrize("bad", ["abc", None, 1j, True, [1.0]])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="Value: expected a real number"):
        Value(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_data_is_a_value_error(w, bad):
    with pytest.raises(ValueError, match="not finite"):
        Value(bad)
    with pytest.raises(ValueError, match="not finite.*w1"):
        w * bad


def test_log_of_non_positive(w):
    for x in [0.0, -2.5]:
        with pytest.raises(ValueError, match=rf"log: needs a positive number, got x \(Value, data={x}\)"):
            Value(x, "x").log()


def test_negative_base_non_integer_exponent():
    with pytest.raises(ValueError, match=r"power \(\*\*\): b \(Value, data=-8.0\) \*\* 0.5 .*not a real number"):
        Value(-8.0, "b") ** 0.5
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0, "b") ** Value(2.0, "e")
    assert (Value(-2.0) ** 3).data == -8.0  # integer exponents are fine


def test_division_by_zero_and_zero_to_a_negative_power(w):
    with pytest.raises(ZeroDivisionError, match=r"divide \(/\): w1 \(Value, data=0.15\) / the constant 0.0"):
        w / 0
    with pytest.raises(ZeroDivisionError, match="divide"):
        1 / Value(0.0, "z")
    with pytest.raises(ZeroDivisionError, match=r"z \(Value, data=0.0\) \*\* -2 raises zero to a negative power"):
        Value(0.0, "z") ** -2


def test_overflow_is_reported_not_stored():
    with pytest.raises(OverflowError, match=r"exp: e \*\* big \(Value, data=1000.0\) overflows"):
        Value(1000.0, "big").exp()
    with pytest.raises(OverflowError, match=r"multiply \(\*\): the result is inf"):
        Value(1e308, "h") * 10
    with pytest.raises(OverflowError, match="power"):
        Value(10.0) ** 400
    with pytest.raises(OverflowError, match="local derivative 1/a is not finite"):
        Value(1e-310).log()
    with pytest.raises(OverflowError, match="not finite"):
        Value(0.0) ** 0.5


def test_backward_overflow_is_reported():
    x = Value(1e200, "x")
    y = x * Value(1e100, "c")  # 1e300 is finite; ∂y/∂c = x = 1e200
    with pytest.raises(OverflowError, match=r"backward: the gradient of c \(Value, data=1e\+100\) overflowed to inf"):
        y.backward(grad=1e200)


def test_bad_labels_and_arguments():
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)
    with pytest.raises(TypeError, match="negative_slope"):
        Value(1.0).leaky_relu("x")
    with pytest.raises(TypeError, match="backward: grad"):
        Value(1.0).backward("x")
    with pytest.raises(TypeError, match="list of Values"):
        engine.softmax(Value(1.0))
    with pytest.raises(ValueError, match="empty"):
        engine.logsumexp([])
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        engine.dot([1, 2], [1, 2, 3])
    with pytest.raises(TypeError, match="f must return a Value"):
        gradcheck(lambda a: 3.0, [1.0])
    with pytest.raises(TypeError, match="explain"):
        engine.explain(1.0, Value(1.0))
