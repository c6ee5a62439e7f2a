"""Every error a learner meets in the engine, word for word: each names the operation, the operands and
what to do (a test with `match=` on a fragment would not notice a message that lost its advice)."""
import math

import numpy as np
import pytest

from chainrule import engine
from chainrule.engine import Value

w = Value(0.15, label="w1")
z = Value(0.0, label="z")
n = Value(-2.0, label="n")
big = Value(800.0, label="big")
nanv = Value(1.0, label="q")
nanv.data = math.nan  # a NaN put into .data by hand

MESSAGES = [
    ('label not str', lambda: Value(1.0, label=3), TypeError,
     'Value: label must be a str, got 3 (int)'),
    ('named not str', lambda: w.named(3), TypeError,
     'named: label must be a str, got 3 (int)'),
    ('constant not number', lambda: Value.constant("a"), TypeError,
     "Value.constant: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('constant where', lambda: Value.constant(math.inf, "somewhere"), ValueError,
     'somewhere: inf (float) is not finite; a Value must hold a finite number'),
    ('div tiny', lambda: Value(1.0, label="a") / Value(1e-320, label="t"), OverflowError,
     'divide (/): the local derivative 1/b and −a/b² is not finite at a (Value, data=1.0), t (Value, data=1e-320)'),
    ('pow zero neg', lambda: z ** -2, ZeroDivisionError,
     'power (**): z (Value, data=0.0) ** -2 raises zero to a negative power'),
    ('pow str', lambda: w ** "x", TypeError,
     "power (**): expected a real number (int or float) or a Value, got 'x' (str) (the other operand is w1 (Value, data=0.15))"),
    ('pow neg frac', lambda: n ** 0.5, ValueError,
     'power (**): n (Value, data=-2.0) ** 0.5 has a negative base and a non-integer exponent; the result is not a real number'),
    ('pow overflow', lambda: Value(10.0, label="ten") ** 400, OverflowError,
     'power (**): ten (Value, data=10.0) ** 400 overflows a float'),
    ('pow vertical', lambda: z ** 0.5, OverflowError,
     'power (**): the local derivative 0.5·a^-0.5 is not finite at z (Value, data=0.0)'),
    ('abs nan', lambda: abs(nanv), ValueError,
     'abs: q (Value, data=nan) is not a number; a Value must hold a finite number'),
    ('relu nan', lambda: nanv.relu(), ValueError,
     'relu: q (Value, data=nan) is not a number; a Value must hold a finite number'),
    ('leaky nan', lambda: nanv.leaky_relu(), ValueError,
     'leaky_relu: q (Value, data=nan) is not a number; a Value must hold a finite number'),
    ('elu nan', lambda: nanv.elu(), ValueError,
     'elu: q (Value, data=nan) is not a number; a Value must hold a finite number'),
    ('leaky slope', lambda: w.leaky_relu("s"), TypeError,
     "leaky_relu: negative_slope: expected a real number (int or float) or a Value, got 's' (str)"),
    ('elu alpha', lambda: w.elu("a"), TypeError,
     "elu: alpha: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('exp overflow', lambda: big.exp(), OverflowError,
     'exp: e ** big (Value, data=800.0) overflows a float (the largest finite exp is at a ≈ 709.78)'),
    ('log tiny', lambda: Value(1e-320, label="t").log(), OverflowError,
     'log: the local derivative 1/a is not finite at t (Value, data=1e-320)'),
    ('log zero', lambda: z.log(), ValueError,
     'log: needs a positive number, got z (Value, data=0.0)'),
    ('values pow zero', lambda: z ** Value(0.0, label="e"), ZeroDivisionError,
     'power (**): z (Value, data=0.0) ** e (Value, data=0.0) raises zero to a non-positive power'),
    ('values pow zero frac', lambda: z ** Value(0.5, label="e"), OverflowError,
     'power (**): the local derivative b·a^(b−1) is not finite at z (Value, data=0.0), e (Value, data=0.5)'),
    ('values pow neg', lambda: n ** Value(2.0, label="e"), ValueError,
     'power (**): n (Value, data=-2.0) ** e (Value, data=2.0) has a negative base; with the exponent in the graph, ∂/∂b = aᵇ·ln a is not real (use a plain number as exponent)'),
    ('values pow overflow', lambda: Value(10.0, label="ten") ** Value(400.0, label="e"), OverflowError,
     'power (**): ten (Value, data=10.0) ** e (Value, data=400.0) overflows a float'),
    ('rpow', lambda: "a" ** w, TypeError,
     "power (**): expected a real number (int or float) or a Value, got 'a' (str) (the other operand is w1 (Value, data=0.15))"),
    ('bool', lambda: bool(w), TypeError,
     'the truth value of a Value is not defined (w1 (Value, data=0.15)): `if v:` would not say whether its number is non-zero. Compare the number instead: `if v.data > 0:` or `if v > 0:`'),
    ('float', lambda: float(w), TypeError,
     "float(), math functions and numpy turn w1 (Value, data=0.15) into a plain float: the result would leave the graph, and backward would never see that step (a wrong gradient, silently). Stay in the graph with the Value's own operations: v.exp(), v.log(), v.tanh(), v.sigmoid(), v.relu(), v ** 0.5 for a square root, abs(v). For the plain number, use v.data."),
    ('int', lambda: int(w), TypeError,
     "int() turns w1 (Value, data=0.15) into a plain int: the result would leave the graph, and backward would never see that step (a wrong gradient, silently). Stay in the graph with the Value's own operations: v.exp(), v.log(), v.tanh(), v.sigmoid(), v.relu(), v ** 0.5 for a square root, abs(v). For the plain number, use v.data."),
    ('round', lambda: round(w), TypeError,
     'round() of a Value would leave the graph (w1 (Value, data=0.15)); round its number with round(v.data) or show it with f"{v:.4f}"'),
    ('lt', lambda: w < "a", TypeError,
     "compare (<): expected a real number (int or float) or a Value, got 'a' (str)"),
    ('array', lambda: w * np.array([1.0, 2.0]), TypeError,
     'multiply (*): expected a real number (int or float) or a Value, got array([1., 2.]) (ndarray) (the other operand is w1 (Value, data=0.15)); a Value holds one number: for a batch of samples use nn.fit / nn.predict, or build a list of Values'),
    ('node overflow', lambda: Value(1e308, label="h") * 10, OverflowError,
     'multiply (*): the result is inf for h (Value, data=1e+308), the constant 10.0; a Value must hold a finite number'),
    ('backward grad', lambda: w.backward("g"), TypeError,
     "backward: grad: expected a real number (int or float) or a Value, got 'g' (str)"),
    ('backward cg grad', lambda: w.backward("g", create_graph=True), TypeError,
     "backward: grad: expected a real number (int or float) or a Value, got 'g' (str)"),
    ('backward not value', lambda: engine.backward_steps(3.0).__next__(), TypeError,
     'backward: expected a Value, got 3.0 (float)'),
    ('mean empty', lambda: engine.mean([]), ValueError,
     'mean: needs at least one value, got an empty list'),
    ('logsumexp empty', lambda: engine.logsumexp([]), ValueError,
     'logsumexp: needs at least one value, got an empty list'),
    ('softmax empty', lambda: engine.softmax([]), ValueError,
     'softmax: needs at least one value, got an empty list'),
    ('sum bad', lambda: engine.sum([w, "a"]), TypeError,
     "sum: element: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('sum not list', lambda: engine.sum(3.0), TypeError,
     'sum: expected a list of Values or numbers, got 3.0 (float)'),
    ('dot lengths', lambda: engine.dot([w], [w, w]), ValueError,
     'dot: 1 weights but 2 inputs; they must match'),
    ('dot weight', lambda: engine.dot(["a"], [w]), TypeError,
     "dot: weight: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('dot input', lambda: engine.dot([w], ["a"]), TypeError,
     "dot: input: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('dot bias', lambda: engine.dot([w], [w], "b"), TypeError,
     "dot: bias: expected a real number (int or float) or a Value, got 'b' (str)"),
    ('dot overflow', lambda: engine.dot([Value(1e308), Value(1e308)], [2.0, 2.0]), OverflowError,
     'dot: the result is inf for a Value with data=1e+308, the constant 2.0, a Value with data=1e+308, the constant 2.0; a Value must hold a finite number'),
    ('dot sum overflow', lambda: engine.dot([Value(1e308), Value(1e308)], [1.0, 1.0]), OverflowError,
     'dot: the sum of a Value with data=1e+308, the constant 1.0, a Value with data=1e+308, the constant 1.0 '
     'overflows a float; a Value must hold a finite number'),
    ('sum overflow', lambda: engine.sum([Value(1e308), Value(1e308)]), OverflowError,
     'sum: the sum of a Value with data=1e+308, a Value with data=1e+308 overflows a float; a Value must hold a finite number'),
    ('unary', lambda: engine.exp("a"), TypeError,
     "exp: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('unary elu', lambda: engine.elu("a"), TypeError,
     "elu: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('grad inputs', lambda: engine.grad(w * 2, ["a"]), TypeError,
     "grad: inputs must be Values, got 'a' (str)"),
    ('grad seeds', lambda: engine.grad([w * 2], [w], grad_outputs=[1.0, 2.0]), ValueError,
     'grad: 1 outputs but 2 grad_outputs'),
    ('grad seed bad', lambda: engine.grad([w * 2], [w], grad_outputs=["a"]), TypeError,
     "grad: grad_outputs: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('hessian f', lambda: engine.hessian(3.0, [1.0]), TypeError,
     'hessian: f must be callable, got 3.0 (float)'),
    ('hessian input', lambda: engine.hessian(lambda a: a * a, ["a"]), TypeError,
     "hessian: input: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('hessian returns', lambda: engine.hessian(lambda a: 1.0, [1.0]), TypeError,
     'hessian: f must return a Value, it returned 1.0 (float)'),
    ('jvp lengths', lambda: engine.jvp(lambda a: a * a, [1.0], [1.0, 2.0]), ValueError,
     'jvp: 1 inputs but 2 tangents'),
    ('jvp input', lambda: engine.jvp(lambda a: a * a, ["a"], [1.0]), TypeError,
     "jvp: input: expected a real number (int or float) or a Value, got 'a' (str)"),
    ('jvp tangent', lambda: engine.jvp(lambda a: a * a, [1.0], ["t"]), TypeError,
     "jvp: tangent: expected a real number (int or float) or a Value, got 't' (str)"),
]


@pytest.mark.parametrize("name,call,error,message", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_each_error_says_what_went_wrong_and_what_to_do(name, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_an_int_too_large_for_a_float_is_named_with_its_partner():
    with pytest.raises(OverflowError) as info:
        w + 10**400
    assert str(info.value).startswith("add (+): 1000")
    assert str(info.value).endswith(" is too large for a float (the largest is about 1.8e308) "
                                    "(the other operand is w1 (Value, data=0.15))")
