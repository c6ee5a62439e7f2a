"""What a learner reads: the forward pass replayed, backward stepped, explain's paths, gradcheck's table,
a Value's printout. The texts are checked whole, and their numbers by hand."""
import math

import pytest

from chainrule import engine
from chainrule.engine import Value, explain, gradcheck


def single_step(out):
    (step,) = list(out.forward_steps())
    return str(step)


A, B = 2.0, -0.5
FORWARD = [  # (operation on a = 2 and b = −0.5, its forward step; the result checked by hand beside it)
    (lambda a, b: a + b, "v1 = a + b = 2 + (-0.5) = 1.5"),
    (lambda a, b: a - b, "v1 = a − b = 2 − (-0.5) = 2.5"),
    (lambda a, b: a * b, "v1 = a · b = 2 × (-0.5) = -1"),
    (lambda a, b: a / b, "v1 = a / b = 2 ÷ (-0.5) = -4"),
    (lambda a, b: a ** 2, "v1 = a^2 = 2^2 = 4"),
    (lambda a, b: a ** 0.5, "v1 = a^0.5 = 2^0.5 = 1.414"),
    (lambda a, b: a ** b, "v1 = a ^ b = 2 ^ (-0.5) = 0.7071"),
    (lambda a, b: 2 ** b, "v1 = 2 ^ b = 2 ^ (-0.5) = 0.7071"),
    (lambda a, b: -a, "v1 = −(a) = −(2) = -2"),
    (lambda a, b: a.exp(), "v1 = exp(a) = exp(2) = 7.389"),
    (lambda a, b: a.log(), "v1 = ln(a) = ln(2) = 0.6931"),
    (lambda a, b: b.tanh(), "v1 = tanh(b) = tanh(-0.5) = -0.4621"),
    (lambda a, b: b.sigmoid(), "v1 = σ(b) = σ(-0.5) = 0.3775"),
    (lambda a, b: b.softplus(), "v1 = softplus(b) = softplus(-0.5) = 0.4741"),
    (lambda a, b: b.relu(), "v1 = ReLU(b) = ReLU(-0.5) = 0"),
    (lambda a, b: b.leaky_relu(0.2), "v1 = leakyReLU(b) = leakyReLU(-0.5) = -0.1"),
    (lambda a, b: b.elu(0.5), "v1 = ELU(b) = ELU(-0.5) = -0.1967"),
    (lambda a, b: b.gelu(), "v1 = GELU(b) = GELU(-0.5) = -0.1543"),
    (lambda a, b: b.normal_cdf(), "v1 = Φ(b) = Φ(-0.5) = 0.3085"),
    (lambda a, b: engine.dot([a, b], [b, a], 1.0), "v1 = a · b + b · a + 1 = 2 × (-0.5) + (-0.5) × 2 + 1 = -1"),
    (lambda a, b: engine.dot([a, b], [b, a]), "v1 = a · b + b · a = 2 × (-0.5) + (-0.5) × 2 = -2"),
    (lambda a, b: engine.sum([a, b]), "v1 = a + b = 2 + (-0.5) = 1.5"),
    (lambda a, b: engine.mean([a, b]), "v1 = (a + b) / 2 = (2 + (-0.5)) / 2 = 0.75"),
    (lambda a, b: engine.logsumexp([a, b]), "v1 = ln Σ exp(a, b) = ln Σ exp(2, (-0.5)) = 2.079"),
    (lambda a, b: engine.softmax([a, b])[1], "v1 = softmax(a, b)ᵢ = softmax(2, (-0.5))ᵢ = 0.07586"),
]
BY_HAND = [1.5, 2.5, -1.0, -4.0, 4.0, math.sqrt(2), 2 ** -0.5, 2 ** -0.5, -2.0, math.exp(2), math.log(2),
           math.tanh(-0.5), 1 / (1 + math.exp(0.5)), math.log1p(math.exp(-0.5)), 0.0, -0.1, 0.5 * (math.exp(-0.5) - 1),
           -0.5 * 0.5 * math.erfc(0.5 / math.sqrt(2)), 0.5 * math.erfc(0.5 / math.sqrt(2)), -1.0, -2.0, 1.5, 0.75,
           math.log(math.exp(2) + math.exp(-0.5)), math.exp(-0.5) / (math.exp(2) + math.exp(-0.5))]


@pytest.mark.parametrize("k", range(len(FORWARD)), ids=[text.split(" = ")[1] for _, text in FORWARD])
def test_each_operation_replays_as_its_formula_with_its_numbers(k):
    f, text = FORWARD[k]
    a, b = Value(A, label="a"), Value(B, label="b")
    out = f(a, b)
    assert out.data == pytest.approx(BY_HAND[k], rel=1e-12, abs=1e-15)
    assert single_step(out) == "step 1/1: " + text


def test_forward_steps_come_in_the_order_they_were_computed_with_their_names():
    a, b = Value(A, label="a"), Value(B, label="b")
    d = (a - b).named("d")
    out = (d ** 2 * 0.5).named("E")
    assert [str(s) for s in out.forward_steps()] == [
        "step 1/3: d = a − b = 2 − (-0.5) = 2.5",
        "step 2/3: v1 = d^2 = 2.5^2 = 6.25",
        "step 3/3: E = v1 · 0.5 = 6.25 × 0.5 = 3.125",
    ]
    assert [s.node for s in out.forward_steps()][0] is d


def test_backward_steps_read_as_the_chain_rule_with_their_numbers():
    a, b = Value(A, label="a"), Value(B, label="b")
    out = (a * 3 + b * a).tanh().named("out")
    t = math.tanh(6 - 1)
    local = 1 - t * t  # ∂out/∂v3 = 1 − tanh²5 = 1.816e-4
    assert f"{local:.4g}" == "0.0001816"
    assert "\n".join(str(s) for s in out.backward_steps()) == """\
step 1/6 at out: seed out.grad = ∂out/∂out = 1
  v3.grad += out.grad × ∂out/∂v3 = 1 × 0.0001816 = 0.0001816   (v3.grad: 0 → 0.0001816)
step 2/6 at v3: v3.grad = ∂out/∂v3 = 0.0001816 is complete; pass it back
  v1.grad += v3.grad × ∂v3/∂v1 = 0.0001816 × 1 = 0.0001816   (v1.grad: 0 → 0.0001816)
  v2.grad += v3.grad × ∂v3/∂v2 = 0.0001816 × 1 = 0.0001816   (v2.grad: 0 → 0.0001816)
step 3/6 at v2: v2.grad = ∂out/∂v2 = 0.0001816 is complete; pass it back
  b.grad += v2.grad × ∂v2/∂b = 0.0001816 × 2 = 0.0003632   (b.grad: 0 → 0.0003632)
  a.grad += v2.grad × ∂v2/∂a = 0.0001816 × (-0.5) = -9.079e-05   (a.grad: 0 → -9.079e-05)
step 4/6 at b: b is a leaf: ∂out/∂b = 0.0003632 is complete
step 5/6 at v1: v1.grad = ∂out/∂v1 = 0.0001816 is complete; pass it back
  a.grad += v1.grad × ∂v1/∂a = 0.0001816 × 3 = 0.0005447   (a.grad: -9.079e-05 → 0.000454)
step 6/6 at a: a is a leaf: ∂out/∂a = 0.000454 is complete"""
    assert a.grad == pytest.approx(local * (3 + B), rel=1e-12) and b.grad == pytest.approx(local * A, rel=1e-12)


def test_a_contribution_is_local_times_upstream():
    a = Value(A, label="a")
    out = (a * a).named("sq")
    steps = list(out.backward_steps())
    (u1, u2) = steps[0].updates
    assert (u1.local, u1.upstream, u1.contribution) == (2.0, 1.0, 2.0)
    assert (u1.child, u1.edge, u2.edge) == (out, 0, 1)
    assert steps[0].seed == 1.0 and steps[1].seed is None and steps[0].root is out


def test_explain_writes_each_path_and_their_sum():
    a, b = Value(A, label="a"), Value(B, label="b")
    out = (a * 3 + b * a).tanh().named("out")
    local = 1 - math.tanh(5.0) ** 2
    e = explain(out, a)
    assert (e.path_count, e.total) == (2, pytest.approx(local * (3 + B), rel=1e-12))
    assert str(e) == """\
∂out/∂a by the chain rule: multiply the local derivatives along each path from out to a, then add the paths.
path 1: ∂out/∂v3 · ∂v3/∂v1 · ∂v1/∂a
      = 0.0001816 × 1 × 3 = 0.0005447
path 2: ∂out/∂v3 · ∂v3/∂v2 · ∂v2/∂a
      = 0.0001816 × 1 × (-0.5) = -9.079e-05
∂out/∂a = 0.000454   (sum over 2 paths)"""
    assert str(explain(out, b)).endswith("∂out/∂b = 0.0003632   (sum over 1 path)")
    assert str(explain(out, out)) == "∂out/∂out = 1 (the seed of backward)"


def test_explain_counts_paths_it_does_not_print():
    # y = x(x + 1)⁶ built by six steps y ← y·x + y: 2⁷ − 1 = 127 paths; dy/dx at 1 = 2⁶ + 6·2⁵ = 256
    x = Value(1.0, label="x")
    y = x
    for _ in range(6):
        y = y * x + y
    e = explain(y, x, max_paths=10)
    assert (e.path_count, e.paths, e.total) == (127, [], 256.0)
    assert str(e) == ("There are 127 paths from v12 to x: too many to print (the limit is max_paths=10). Summed over "
                      "all of them, ∂v12/∂x = 256. Try explain() on a smaller graph or a nearer node.")
    assert len(explain(y, x, max_paths=127).paths) == 127
    y.backward()
    assert x.grad == 256.0


def test_explain_refuses_what_is_not_a_value_and_an_overflow():
    with pytest.raises(TypeError, match=r"^explain: root and wrt must be Values, got float and Value$"):
        explain(1.0, Value(1.0))
    with pytest.raises(TypeError, match=r"got Value and int$"):
        explain(Value(1.0), 1)
    x = Value(1e-200, label="x")
    y = x * 1e200 * 1e200  # each value and each local derivative (1e200) is finite, their product is not
    with pytest.raises(OverflowError, match=r"^explain: ∂root/∂wrt overflows a float along the paths from"):
        explain(y, x)


def test_gradcheck_table_and_its_verdicts():
    result = gradcheck(lambda u, v: u.relu() * v, [0.0, Value(2.0, label="w")])
    # at u = 0, ReLU's kink: backward says 0, central differences (2·h − 0)/2h = 1 for the product with v = 2
    assert str(result) == """\
     input       value    backward     numeric     error
        x0           0           0           1         1   <-- disagrees
         w           2           0           0         0
1 of 2 gradients disagree"""
    assert not result.ok and not bool(result) and [r.name for r in result.failures] == ["x0"]
    assert str(gradcheck(lambda u: u * u, [3.0])).endswith("\nall gradients agree")
    undefined = gradcheck(lambda u: u.log(), [1e-7])  # log is undefined at 1e-7 − 1e-6
    assert math.isnan(undefined.rows[0].numeric) and undefined.rows[0].error == math.inf and not undefined.ok


def test_gradcheck_tolerances():
    # f = x³ at 1: the central difference is 3 + h², exactly an error of h² next to backward's 3
    wrong_by = 1e-4
    f = lambda u: u ** 3  # noqa: E731
    assert gradcheck(f, [1.0], eps=1e-2, atol=wrong_by * 1.01, rtol=0.0).ok
    assert not gradcheck(f, [1.0], eps=1e-2, atol=wrong_by * 0.99, rtol=0.0).ok
    assert gradcheck(f, [1.0], eps=1e-2, atol=0.0, rtol=wrong_by / 3 * 1.01).ok
    assert not gradcheck(f, [1.0], eps=1e-2, atol=0.0, rtol=wrong_by / 3 * 0.99).ok
    row = gradcheck(f, [1.0], eps=1e-2).rows[0]
    assert (row.value, row.analytic) == (1.0, 3.0) and row.numeric == pytest.approx(3.0001, rel=1e-12)
    with pytest.raises(TypeError, match=r"^gradcheck: f must be callable, got"):
        gradcheck(3.0, [1.0])
    with pytest.raises(TypeError, match=r"^gradcheck: f must return a Value, it returned"):
        gradcheck(lambda u: 1.0, [1.0])


def test_a_value_prints_its_numbers():
    a, b = Value(A, label="a"), Value(B, label="b")
    assert repr(a) == "Value('a', data=2.0, grad=0.0)"
    assert repr(a * b) == "Value(data=-1.0, grad=0.0, op='*')"
    g = Value(1.0)
    g.grad = None
    assert repr(g) == "Value(data=1.0, grad=None)"
    assert f"{a:.3f}" == "2.000" and f"{a}" == repr(a)
    html = (a * b)._repr_html_()
    for row in ("<th style='text-align:left'>data</th><td style='text-align:left'>-1</td>",
                "<th style='text-align:left'>op</th><td style='text-align:left'>*</td>",
                "<th style='text-align:left'>parents</th><td style='text-align:left'>a, b</td>",
                "<th style='text-align:left'>label</th><td style='text-align:left'>—</td>"):
        assert row in html
    assert "<td style='text-align:left'>input</td>" in a._repr_html_() and "parents" not in a._repr_html_()
