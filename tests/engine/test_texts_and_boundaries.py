"""What a learner reads at the edges: comparisons of equal numbers, a zero written in a product of
local derivatives, the notebook display of a gradient that is None or a number, and the errors of
second derivatives at a power's base 0 and of a value that is not a number."""
import math

import numpy as np
import pytest

from chainrule import engine
from chainrule.engine import Value, explain


def test_comparisons_of_equal_numbers_are_strict_or_not_as_written():
    one = Value(1.0, label="one")
    assert not one < 1 and one <= 1 and not one > 1 and one >= 1
    assert not one < Value(1.0) and not one > Value(1.0)
    assert one < 1.5 and one > 0.5 and not one <= 0.5 and not one >= 1.5
    assert sorted([Value(2.0), one, Value(-1.0)], key=lambda v: v.data)[0].data == -1.0


@pytest.mark.parametrize("compare,symbol", [(lambda v: v < "a", "<"), (lambda v: v <= "a", "<="),
                                            (lambda v: v > "a", ">"), (lambda v: v >= "a", ">=")])
def test_each_comparison_names_itself_when_the_other_side_is_no_number(compare, symbol):
    with pytest.raises(TypeError) as info:
        compare(Value(1.0))
    assert str(info.value) == f"compare ({symbol}): expected a real number (int or float) or a Value, got 'a' (str)"


def test_a_zero_local_derivative_is_written_without_brackets():
    """Only negative numbers are bracketed in a product: × 0 ×, × (-1) ×."""
    x = Value(-2.0, label="x")
    y = (x.relu() + x * -1.0).named("y")  # ∂relu/∂x = 0 at x < 0
    assert str(explain(y, x)) == """\
∂y/∂x by the chain rule: multiply the local derivatives along each path from y to x, then add the paths.
path 1: ∂y/∂v1 · ∂v1/∂x
      = 1 × 0 = 0
path 2: ∂y/∂v2 · ∂v2/∂x
      = 1 × (-1) = -1
∂y/∂x = -1   (sum over 2 paths)"""
    steps = [str(s) for s in y.backward_steps()]
    assert steps[1].endswith("\n  x.grad += v2.grad × ∂v2/∂x = 1 × (-1) = -1   (x.grad: 0 → -1)")
    assert steps[2].endswith("\n  x.grad += v1.grad × ∂v1/∂x = 1 × 0 = 0   (x.grad: -1 → -1)")


def test_the_notebook_display_shows_a_gradient_that_is_none_or_a_number():
    x = Value(0.5, label="x")
    x.grad = None
    assert "<th style='text-align:left'>grad</th><td style='text-align:left'>None</td>" in x._repr_html_()
    x.grad = 0.125
    assert "<th style='text-align:left'>grad</th><td style='text-align:left'>0.125</td>" in x._repr_html_()


@pytest.mark.parametrize("b,which", [(1.0, "∂²/∂a∂b = aᵇ⁻¹(1 + b·ln a)"), (1.5, "∂²/∂a² = b(b−1)·aᵇ⁻²")])
def test_a_second_derivative_of_a_power_at_base_zero_says_which_one_is_infinite(b, which):
    """At a = 0: ∂²(aᵇ)/∂a∂b = aᵇ⁻¹(1 + b ln a) is infinite for b = 1; ∂²/∂a² = b(b − 1)aᵇ⁻² for 1 < b < 2."""
    with pytest.raises(OverflowError) as info:
        engine.hessian(lambda a, e: a ** e, [Value(0.0, label="base"), b])
    assert str(info.value) == (f"second derivative of a ** b at a = 0, b = {b:g}: {which} is infinite there "
                               "(a is base (Value, data=0.0)); differentiate at a point with a > 0")


def test_only_an_array_gets_the_hint_about_batches():
    """The hint about batches is for arrays (a shape and a dtype); bytes seen through a memoryview have a
    shape and no dtype, and are refused without it."""
    with pytest.raises(TypeError) as info:
        Value(np.zeros(2))
    assert str(info.value).endswith("; a Value holds one number: for a batch of samples use nn.fit / nn.predict, "
                                    "or build a list of Values")
    with pytest.raises(TypeError) as info:
        Value(memoryview(b"ab"))
    assert str(info.value).startswith("Value: expected a real number (int or float) or a Value, got <memory at")
    assert str(info.value).endswith("(memoryview)")


def test_a_power_of_values_at_base_zero_has_the_first_derivatives_of_the_limit():
    """0ᵇ for b ≥ 1: ∂/∂a = b·0ᵇ⁻¹ (1 at b = 1, 0 beyond), ∂/∂b = 0 (the limit of aᵇ ln a)."""
    for b, d_a in ((1.0, 1.0), (2.5, 0.0)):
        a, e = Value(0.0), Value(b)
        (a ** e).backward()
        assert (a.grad, e.grad) == (d_a, 0.0)
        assert not math.isnan(a.grad)


@pytest.mark.parametrize("call,symbol,name", [(lambda w: "a" + w, "+", "add"), (lambda w: "a" - w, "-", "subtract"),
                                              (lambda w: "a" * w, "*", "multiply"), (lambda w: "a" / w, "/", "divide")])
def test_a_number_on_the_left_that_is_no_number_names_the_value_on_the_right(call, symbol, name):
    with pytest.raises(TypeError) as info:
        call(Value(0.15, label="w1"))
    assert str(info.value) == (f"{name} ({symbol}): expected a real number (int or float) or a Value, got 'a' (str) "
                               "(the other operand is w1 (Value, data=0.15))")


@pytest.mark.parametrize("a", [2.0, -2.0])
def test_leaky_relu_and_elu_keep_their_setting_on_both_sides_of_zero(a):
    """The slope and α live on the node (the pages and the second-derivative table read them there)."""
    assert Value(a).leaky_relu(0.2).setting == 0.2 and Value(a).leaky_relu().setting == 0.01
    assert Value(a).elu(0.5).setting == 0.5 and Value(a).elu().setting == 1.0


def test_the_notebook_display_of_a_value_row_by_row():
    """A table of label, data, grad, op and parents (a parent without a label by its number), then the
    graph drawn by the function viz installs, for a computed Value only."""
    a = Value(2.0, label="a")
    out = a * 0.5
    out.grad = 0.25
    row = "<tr><th style='text-align:left'>{}</th><td style='text-align:left'>{}</td></tr>"
    table = "".join(row.format(k, v) for k, v in (("label", "—"), ("data", "1"), ("grad", "0.25"), ("op", "*"),
                                                    ("parents", "a, 0.5")))
    caption = "<table><caption style='text-align:left'><b>Value</b></caption>"
    saved = Value.graph_svg
    try:
        Value.graph_svg = None  # chainrule.viz not imported: no picture
        assert out._repr_html_() == f"{caption}{table}</table>"
        Value.graph_svg = lambda root: f"<svg>{root.op}</svg>"
        assert out._repr_html_() == (f"{caption}{table}</table>"
                                     "<div style='max-width:100%;overflow:auto'><svg>*</svg></div>")
        assert "<svg>" not in a._repr_html_()  # a leaf: nothing to draw
        Value.graph_svg = lambda root: None  # a graph too big to show
        assert out._repr_html_() == f"{caption}{table}</table>"
    finally:
        Value.graph_svg = saved


class _Printer:
    """What IPython hands to _repr_pretty_: text is collected."""

    def __init__(self):
        self.written = []

    def text(self, s):
        self.written.append(s)


def test_ipython_and_jupyter_show_the_same_text_print_shows():
    from chainrule import gradcheck

    x = Value(0.5, label="x")
    y = (x * x).named("y")
    shown = [next(iter(y.backward_steps())), next(iter(y.forward_steps())), explain(y, x),
             gradcheck(lambda u: u * u, [0.5])]
    for obj in shown:
        printer = _Printer()
        obj._repr_pretty_(printer, False)
        assert printer.written == [str(obj)] and str(obj).startswith(("step 1/", "∂y/∂x", "     input"))
    x._repr_pretty_(printer := _Printer(), False)
    assert printer.written == ["Value('x', data=0.5, grad=0.0)"]  # the abandoned stepper was undone
    e, g = explain(y, x), gradcheck(lambda u: u * u, [0.5])
    assert e._repr_html_() == "<pre>" + str(e).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>"
    assert g._repr_html_() == "<pre>" + str(g).replace("<", "&lt;").replace(">", "&gt;") + "</pre>"
    assert "<-- disagrees" not in str(g) and g._repr_html_().startswith("<pre>     input       value")


def test_a_power_of_values_refuses_an_infinite_local_derivative_by_name():
    """(10³⁰⁰)^1.02 = 10³⁰⁶ is finite, its ∂/∂b = aᵇ·ln a ≈ 6.9e308 is not; 0^b has a vertical slope for b < 1."""
    with pytest.raises(OverflowError) as info:
        Value(1e300, label="a") ** Value(1.02, label="b")
    assert str(info.value) == ("power (**): the local derivative b·a^(b−1) and aᵇ·ln a is not finite at "
                               "a (Value, data=1e+300), b (Value, data=1.02)")
    for b in (0.5, 0.999):
        with pytest.raises(OverflowError) as info:
            Value(0.0, label="a") ** Value(b, label="b")
        assert str(info.value) == (f"power (**): the local derivative b·a^(b−1) is not finite at a (Value, data=0.0), "
                                   f"b (Value, data={b!r})")
    for b in (1.0, 1.5):  # finite slopes: 1 at b = 1, 0 beyond
        assert (Value(0.0) ** Value(b)).local_grads == ((1.0 if b == 1.0 else 0.0), 0.0)


def test_explain_prints_up_to_32_paths_by_default():
    """Σ of n copies of x has n paths to x (one per edge), each of local derivative 1."""
    x = Value(1.0, label="x")
    printed, counted = explain(engine.sum([x] * 32), x), explain(engine.sum([x] * 33), x)
    assert len(printed.paths) == 32 and printed.total == 32.0
    assert counted.paths == [] and counted.path_count == 33 and str(counted).startswith("There are 33 paths")


def test_explain_of_a_value_that_does_not_depend_on_wrt_totals_zero():
    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    e = explain((x * 3.0).named("y"), z)
    assert (e.path_count, e.paths, e.total) == (0, [], 0.0)
    assert str(e) == "y does not depend on z: no path leads from y to z, so ∂y/∂z = 0"


def test_explain_refuses_an_overflow_also_when_it_prints_no_path():
    x = Value(1e-200, label="x")
    y = (x * 1e200 * 1e200).named("y")  # one path, whose product 1e400 overflows
    for max_paths in (32, 0):  # printed, or only counted
        with pytest.raises(OverflowError) as info:
            explain(y, x, max_paths=max_paths)
        assert str(info.value) == ("explain: ∂root/∂wrt overflows a float along the paths from y (Value, data=1e+200) "
                                   "to x (Value, data=1e-200); backward would refuse this too. Scale the graph's "
                                   "numbers down.")


def test_a_parent_without_a_label_is_shown_by_its_number():
    a = Value(2.0, label="a")
    assert "<th style='text-align:left'>parents</th><td style='text-align:left'>0.25, a</td>" in \
        (Value(0.25) * a)._repr_html_()
