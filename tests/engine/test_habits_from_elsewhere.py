"""What learners bring from PyTorch and micrograd to Value and backward: it works, or it says what to do.

Each case here did nothing, gave a wrong number or a misleading message before (an audit of learner habits).
"""
import pytest

from chainrule import engine, nn
from chainrule.engine import Value, no_grad


def trained_once():
    m = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    nn.mse([m(x) for x in ([0.0, 1.0], [1.0, 0.5])], [1.0, -1.0]).backward()
    return m


def test_pytorch_update_step_inside_no_grad_changes_the_parameters_in_place():
    m = trained_once()
    before = [(p.data, p.grad) for p in m.parameters()]
    with no_grad():
        for p in m.parameters():
            p -= 0.1 * p.grad
    assert [p.data for p in m.parameters()] == [d - 0.1 * g for d, g in before]
    assert any(g for _, g in before)  # the step moved something
    w = Value.parameter(2.0, "w")
    with no_grad():
        w += 0.5
    assert w.data == 2.5 and w.op == "param"
    with no_grad(), pytest.raises(OverflowError, match=r"w \(Value, data=1e\+308\) \+= 1e\+308 overflows a float"):
        w.data = 1e308
        w += 1e308
    assert w.data == 1e308  # as it was


def test_a_sum_that_starts_from_a_parameter_builds_a_node_and_leaves_it_alone():
    b, w = Value.parameter(0.5, "b"), Value.parameter(2.0, "w")
    for recording in (True, False):
        act = b
        with no_grad() if not recording else __import__("contextlib").nullcontext():
            act += w * 3.0  # a Value on the right: micrograd's sum, not an update
            act -= w
        assert act is not b and act.data == 4.5 and b.data == 0.5 and w.data == 2.0
    act = b
    act += w * 3.0
    act.backward()
    assert (b.grad, w.grad) == (1.0, 3.0)


def test_the_same_step_outside_no_grad_is_refused_not_silently_lost():
    m = trained_once()
    p = m.parameters()[0]
    before = p.data
    with pytest.raises(TypeError, match=r"-= a number: on a parameter this would make a new Value and leave the "
                                        r"parameter as it was .*p\.data -= …, or do the update inside `with no_grad\(\):`"):
        p -= 0.1 * p.grad
    assert m.parameters()[0].data == before
    with pytest.raises(TypeError, match=r"\+= a number: .*Update its number: p\.data \+= …"):
        p += 1.0


def test_plus_equals_on_other_values_still_builds_a_graph():
    x = Value(2.0, "x")
    total = Value(0.0)
    for k in (1.0, 2.0, 3.0):
        total += k * x  # a sum built in a loop, micrograd's way
    total.backward()
    assert total.data == 12.0 and x.grad == 6.0
    y = x
    y -= 1.0  # a new node named y; x is as it was
    assert y is not x and x.data == 2.0 and y.data == 1.0


def test_item_is_the_number():
    loss = (Value(3.0) - 1.0) ** 2
    assert loss.item() == 4.0 and type(loss.item()) is float


def test_backward_from_a_result_made_inside_no_grad_is_refused():
    x = Value(3.0, "x")
    with no_grad():
        y = (x * 2.0).named("y")
    with pytest.raises(RuntimeError, match=r"backward: y \(Value, data=6\.0\) was computed \(op '\*'\) without recording "
                                           r"its parents, inside no_grad\(\)"):
        y.backward()
    assert x.grad == 0.0 and y.grad == 0.0


def test_backward_through_constants_only_is_refused():
    m = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    X, y = [[0.0, 1.0], [1.0, 0.5]], [1.0, -1.0]
    loss = nn.mse(nn.predict(m, X), y)  # numbers, not the model's Values
    with pytest.raises(RuntimeError, match=r"every leaf of this graph is a constant .* give the loss the model's "
                                           r"Values instead, model\(x\)"):
        loss.backward()
    assert all(p.grad == 0.0 for p in m.parameters())
    Value(2.0).backward()  # a leaf of one's own is a variable: ∂v/∂v = 1
    (Value.constant(2.0) * Value(1.0, "x")).backward()  # one variable leaf is enough


def test_micrograds_children_tuple_in_the_label_place_explains_the_signature():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    with pytest.raises(TypeError, match=r"label must be a str, got .*\(tuple\)\. micrograd's Value\(data, _children, "
                                        r"_op\) has no match here: chainrule's is Value\(data, label, op, edges\)"):
        Value(6.0, (a, b), "*")
    with pytest.raises(TypeError, match=r"label must be a str, got 3 \(int\)$"):
        Value(6.0, 3)


def test_an_edge_holding_a_value_where_its_local_derivative_belongs_is_named():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    c = Value(6.0, "c", "*", (a, b))  # parents only, micrograd-style: b sits where ∂c/∂a belongs
    with pytest.raises(TypeError, match=r"the gradient of a \(Value, data=2\.0\) became a Value: an edge holds a Value "
                                        r"where its local derivative belongs"):
        c.backward()
    assert a.grad == 0.0 and c.grad == 0.0  # nothing kept from the failed pass


@pytest.mark.parametrize("op", ["relu", "sin", "cos", "abs"])
def test_an_infinity_put_into_data_by_hand_is_named(op):
    v = Value(1.0, "v")
    v.data = -float("inf")
    with pytest.raises(ValueError, match=rf"{op}: v \(Value, data=-inf\) is infinite; a Value must hold a finite number"):
        abs(v) if op == "abs" else getattr(v, op)()


def test_nan_by_hand_keeps_its_message():
    v = Value(1.0, "v")
    v.data = float("nan")
    with pytest.raises(ValueError, match=r"relu: v \(Value, data=nan\) is not a number"):
        v.relu()
    assert engine.exp(Value(0.0)).data == 1.0


def test_forward_steps_after_an_update_say_the_operands_changed_instead_of_false_arithmetic():
    from chainrule.demos.two_neuron import build

    net = build()
    assert str(next(net.E.forward_steps())) == "step 1/7: z1 = w1 · x1 + b1 = 0.15 × 0.1 + 0.4 = 0.415"
    net.E.backward()
    nn.SGD([net.w1, net.b1, net.w2, net.b2], lr=0.4).step()
    steps = [str(s) for s in net.E.forward_steps()]
    assert steps[0] == ("step 1/7: z1 = w1 · x1 + b1 = 0.415, computed before its operands changed; with their numbers "
                        "now, 0.1496 × 0.1 + 0.3959 = 0.4109. Run the forward pass again to see the graph as it is now")
    assert steps[1] == "step 2/7: a1 = σ(z1) = σ(0.415) = 0.6023"  # its operand z1 is as it was
    v = Value(3.0, "v")
    w = (v * v).named("w")
    v.data = 2.0
    assert "= 9, computed before its operands changed; with their numbers now, 2 × 2 = 4." in str(next(w.forward_steps()))


def _every_op():
    x, y = Value(0.7, "x"), Value(-1.3, "y")
    return [x + y, x - y, x * y, x / y, -x, x ** 2, x ** 0.5, abs(y), x.exp(), x.log(), x.tanh(), x.sigmoid(),
            x.softplus(), y.relu(), x.relu(), y.leaky_relu(0.2), y.elu(0.5), x.gelu(), x.sin(), x.cos(),
            engine.dot([x, y], [y, x], x), engine.dot([x], [y]), engine.sum([x, y]), engine.mean([x, y, x]),
            x.normal_cdf()]


@pytest.mark.parametrize("k", range(len(_every_op())))
def test_each_operation_replays_to_its_own_number_when_nothing_changed(k):
    from chainrule.engine.forward import computed_now

    node = _every_op()[k]
    assert computed_now(node) == pytest.approx(node.data, rel=1e-14, abs=1e-300)
    node.parents[0].data += 2.0  # and to another number once its first operand moved
    assert computed_now(node) != pytest.approx(node.data, rel=1e-9)


def test_deep_copying_a_computed_value_is_refused_and_a_leaf_or_a_model_is_copied():
    import copy
    import pickle

    x = Value(1.0, "x")
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit: copying it whole used to raise RecursionError
        y = y * 1.0001
    with pytest.raises(TypeError, match=r"copy\.deepcopy of a Value with data=1\.349.* would copy its whole graph; as in "
                                        r"PyTorch, only leaves are deep-copied"):
        copy.deepcopy(y)
    small = x * 2.0
    shallow = copy.copy(small)  # as PyTorch: a shallow copy and a pickle of a computed value are fine
    assert shallow is not small and shallow.data == 2.0 and shallow.edges == small.edges
    assert pickle.loads(pickle.dumps(small)).data == 2.0
    leaf = copy.deepcopy(x)
    assert leaf is not x and (leaf.data, leaf.label, leaf.op, leaf.edges) == (1.0, "x", "", ())
    m = nn.MLP(2, [3, 1], seed=0)
    for twin in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert [p.data for p in twin.parameters()] == [p.data for p in m.parameters()]
        twin.parameters()[0].data += 1.0
        assert twin.parameters()[0].data != m.parameters()[0].data  # buffers of its own


def test_forward_steps_of_operands_that_now_rule_the_operation_out_say_so():
    p, q = Value.parameter(0.5, "p"), Value(2.0, "q")
    y, r = p.log(), q / p
    p.data = 0.0
    assert str(next(y.forward_steps())) == (
        "step 1/1: v1 = ln(p) = -0.6931, computed before its operands changed; with their numbers now, ln(0) cannot be "
        "computed (log: needs a positive number, got a Value with data=0.0). Run the forward pass again to see the graph "
        "as it is now")
    assert "2 ÷ 0 cannot be computed (divide (/):" in str(next(r.forward_steps()))


def test_forward_steps_replay_softmax_logsumexp_and_powers_of_values():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    nodes = [engine.logsumexp([x, y]), engine.softmax([x, y])[1], x ** y]
    assert [str(next(n.forward_steps())).endswith(("= 2.313", "= 0.7311", "= 1")) for n in nodes] == [True] * 3
    x.data = 3.0
    shown = [str(list(n.forward_steps())[-1]) for n in nodes]
    assert "with their numbers now, ln Σ exp(3, 2) = 3.313." in shown[0]
    assert "with their numbers now, softmax(3, 2)ᵢ = 0.2689." in shown[1]
    assert "with their numbers now, 3 ^ 2 = 9." in shown[2]
    w1, w2, b = Value(0.1, "w1"), Value(0.2, "w2"), Value(-0.3, "b")
    d = engine.dot([w1, w2], [1.0, 1.0], b)  # a sum that cancels: the replay adds up as dot does
    assert str(next(d.forward_steps())) == "step 1/1: v1 = w1 · 1 + w2 · 1 + b = 0.1 × 1 + 0.2 × 1 + (-0.3) = 2.776e-17"


def test_gradcheck_of_a_function_that_ignores_its_input_agrees_at_zero():
    result = engine.gradcheck(lambda a: Value.constant(2.0) * 3.0, [1.0])
    assert result.ok and [(r.analytic, r.numeric) for r in result.rows] == [(0.0, 0.0)]


def test_the_refusals_word_for_word():
    x = Value(3.0, "x")
    with no_grad():
        y = (x * 2.0).named("y")
    with pytest.raises(RuntimeError) as info:
        y.backward()
    assert str(info.value) == (
        "backward: y (Value, data=6.0) was computed (op '*') without recording its parents, inside no_grad(), so no "
        "gradient can reach anything from it. Compute it outside no_grad() to backpropagate (as PyTorch, which "
        "refuses this too).")
    with pytest.raises(RuntimeError) as info:
        Value.constant(2.0).backward()  # a constant root: refused as a graph of constants, not as no_grad's
    assert str(info.value) == (
        "backward: every leaf of this graph is a constant (a plain number lifted into the graph): nothing in it "
        "depends on a variable, so no gradient would reach one. A loss of plain numbers (nn.predict's, or .data) "
        "gives such a graph: give the loss the model's Values instead, model(x).")
    with pytest.raises(RuntimeError, match="every leaf of this graph is a constant"):
        (Value.constant(2.0) * 3.0).backward(create_graph=True)  # the same with create_graph
    with pytest.raises(RuntimeError, match="without recording its parents"):
        y.backward(create_graph=True)
    p = Value.parameter(1.5, "p")
    p.backward()  # a parameter as root: ∂p/∂p = 1
    assert p.grad == 1.0
    a, b = Value(2.0, "a"), Value(3.0, "b")
    with pytest.raises(TypeError) as info:
        Value(6.0, "c", "*", (a, b)).backward()
    assert str(info.value) == (
        "backward: the gradient of a (Value, data=2.0) became a Value: an edge holds a Value where its local derivative "
        "belongs. Edges are (parent₁, ∂out/∂parent₁, parent₂, …), each local derivative a number.")
    with pytest.raises(TypeError) as info:
        Value(6.0, (a, b), "*")
    assert str(info.value).endswith(
        "(tuple). micrograd's Value(data, _children, _op) has no match here: chainrule's is Value(data, label, op, "
        "edges) with edges = (parent₁, ∂out/∂parent₁, parent₂, ∂out/∂parent₂, …), each parent beside its local "
        "derivative. Usually the operators build nodes for you: a + b, a * b, a.tanh()")
    with pytest.raises(TypeError) as info:
        __import__("copy").deepcopy(a * b)
    assert str(info.value) == (
        "copy.deepcopy of a Value with data=6.0 would copy its whole graph; as in PyTorch, only leaves are "
        "deep-copied. Copy its number instead, Value(v.data); a module that keeps a computed Value in an attribute "
        "can keep its .data there")


def test_in_place_refusals_name_the_parameter_and_the_number():
    p = Value.parameter(1.0, "w")
    with pytest.raises(TypeError, match=r"^w \(Value, data=1\.0\) -= a number: on a parameter"):
        p -= 0.5
    with no_grad():
        with pytest.raises(TypeError, match=r"^parameter -=: expected a real number"):
            p -= "a"
        with pytest.raises(TypeError, match=r"^parameter \+=: expected a real number"):
            p += "a"
    assert p.data == 1.0


def test_positive_and_count_word_for_word():
    from chainrule.engine.checks import count, positive

    assert positive(2, "lr") == 2.0 and type(positive(2, "lr")) is float
    for bad, shown in ((0, "0.0"), (-1.5, "-1.5")):
        with pytest.raises(ValueError) as info:
            positive(bad, "SGD: lr")
        assert str(info.value) == f"SGD: lr must be > 0, got {shown}"
    with pytest.raises(TypeError, match=r"^SGD: lr: expected a real number"):
        positive("a", "SGD: lr")
    assert count(3, "epochs", 1) == 3 and count(1, "epochs", 1) == 1
    for bad in (0, True, 2.0, "3"):
        with pytest.raises(ValueError) as info:
            count(bad, "fit: epochs", 1)
        assert str(info.value) == f"fit: epochs must be an int ≥ 1, got {bad!r}"
    with pytest.raises(ValueError) as info:
        count(-1, "batch_size", 0, "0: none")
    assert str(info.value) == "batch_size must be an int ≥ 0 (0: none), got -1"
