"""engine.dots and engine.each on batches: one matrix operation per layer, the same graph and gradients."""
import numpy as np
import pytest

from chainrule import engine
from chainrule.engine import Value
from chainrule.engine.batched import LayerEdges


def layer(seed=0, nin=3, nout=4):
    rng = np.random.default_rng(seed)
    W = [[Value.parameter(float(w)) for w in row] for row in rng.normal(size=(nout, nin))]
    b = [Value.parameter(float(v)) for v in rng.normal(size=nout)]
    return W, b


def grads(params):
    return np.array([p.grad for p in params])


def reset(params):
    for p in params:
        p.grad = 0.0


def two_layers(W1, b1, W2, b2, x, one_at_a_time):
    if one_at_a_time:
        h = [engine.dot(row, x, b).tanh() for row, b in zip(W1, b1)]
        z = [engine.dot(row, h, b) for row, b in zip(W2, b2)]
    else:
        h = engine.each("tanh", engine.dots(W1, x, b1))
        z = engine.dots(W2, h, b2)
    return h, z


def test_fused_layers_give_the_gradients_of_one_node_at_a_time():
    W1, b1 = layer(0, 3, 4)
    W2, b2 = layer(1, 4, 2)
    params = [p for row in W1 + W2 for p in row] + b1 + b2
    rng = np.random.default_rng(2)
    x = [Value(rng.normal(size=7)), Value(rng.normal(size=7)), rng.normal(size=7)]  # two Values, one plain input
    results = []
    for one_at_a_time in (True, False):
        reset(params)
        for v in x[:2]:
            v.grad = 0.0
        h, z = two_layers(W1, b1, W2, b2, x, one_at_a_time)
        loss = ((z[0] * z[1]).sum() + (z[1] * z[1]).mean())
        loss.backward()
        results.append((loss.data, grads(params), x[0].grad.copy(), x[1].grad.copy()))
    assert all(type(n.edges) is LayerEdges for n in z)  # the second pass was the fused one
    (l1, g1, a1, c1), (l2, g2, a2, c2) = results
    assert l2 == pytest.approx(l1, rel=1e-13)
    np.testing.assert_allclose(g2, g1, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a2, a1, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c2, c1, rtol=1e-12, atol=1e-14)


def test_fused_gradients_match_central_differences():
    W, b = layer(3, 2, 3)
    x = [np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, -0.5])]

    def loss_of(values):
        for p, v in zip([p for row in W for p in row] + b, values):
            p.data = v
        return sum(z.sum().data for z in engine.each("sigmoid", engine.dots(W, x, b)))

    params = [p for row in W for p in row] + b
    theta = [p.data for p in params]
    zs = engine.each("sigmoid", engine.dots(W, x, b))
    engine.sum([z.sum() for z in zs]).backward()
    analytic = grads(params)
    numeric = []
    for i in range(len(theta)):
        up, down = list(theta), list(theta)
        up[i] += 1e-6
        down[i] -= 1e-6
        numeric.append((loss_of(up) - loss_of(down)) / 2e-6)
    loss_of(theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_a_layer_used_in_part_still_backpropagates_what_is_used():
    W, b = layer(4, 2, 3)
    x = [Value(np.array([1.0, 2.0])), Value(np.array([-1.0, 0.5]))]
    zs = engine.dots(W, x, b)
    zs[1].sum().backward()  # neurons 0 and 2 are not in this graph
    assert [w.grad for w in W[1]] == pytest.approx([3.0, -0.5])
    assert b[1].grad == 2.0 and all(w.grad == 0.0 for w in W[0] + W[2]) and b[0].grad == b[2].grad == 0.0
    np.testing.assert_allclose(x[0].grad, [W[1][0].data] * 2)


def test_leaves_accumulate_over_two_backward_passes():
    W, b = layer(5, 2, 2)
    x = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    loss = engine.sum([z.sum() for z in engine.dots(W, x, b)])
    loss.backward()
    once = grads(W[0] + b)
    loss.backward()
    np.testing.assert_allclose(grads(W[0] + b), 2 * once)
    np.testing.assert_allclose(once, [3.0, 7.0, 2.0, 2.0])


def test_stepping_through_a_fused_layer_gives_backwards_gradients():
    W, b = layer(6, 2, 3)
    x = [Value(np.array([1.0, -2.0])), Value(np.array([0.5, 3.0]))]
    params = [p for row in W for p in row] + b
    loss = engine.sum([z.mean() for z in engine.each("relu", engine.dots(W, x, b))])
    loss.backward()
    expected = grads(params), x[0].grad.copy()
    reset(params + x)
    for step in loss.backward_steps():  # edge by edge: a weight's local derivative sums over the batch
        pass
    np.testing.assert_allclose(grads(params), expected[0], rtol=1e-12)
    np.testing.assert_allclose(x[0].grad, expected[1], rtol=1e-12)


def test_the_graph_is_the_one_of_dot_nodes():
    W, b = layer(7, 2, 2)
    x = [Value(np.array([1.0, 2.0]), "x0"), np.array([3.0, 4.0])]
    z = engine.dots(W, x, b)[1]
    assert z.op == "dot" and z.parents == (W[1][0], x[0], W[1][1], b[1])
    locals_ = z.local_grads
    np.testing.assert_array_equal(locals_[0], [1.0, 2.0])  # ∂z/∂w = x (per sample)
    assert locals_[1] == W[1][0].data and locals_[3] == 1.0
    np.testing.assert_allclose(z.data, [W[1][0].data * 1 + W[1][1].data * 3 + b[1].data,
                                        W[1][0].data * 2 + W[1][1].data * 4 + b[1].data], rtol=1e-15)


def test_computed_weights_or_scalar_inputs_fall_back_to_one_dot_at_a_time():
    w = Value.parameter(2.0)
    shared = w * 1.5  # not a leaf: its gradient is read during backward
    x = [Value(np.array([1.0, 2.0]))]
    zs = engine.dots([[shared], [w]], x)
    assert all(type(z.edges) is tuple for z in zs)
    engine.sum([z.sum() for z in zs]).backward()
    assert w.grad == pytest.approx(1.5 * 3.0 + 3.0)
    scalar = engine.dots([[w]], [Value(3.0)], [Value.parameter(1.0)])
    assert scalar[0].data == 7.0 and type(scalar[0].edges) is tuple


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_dots_and_each_check_their_arguments():
    W, b = layer(8, 2, 2)
    with pytest.raises(ValueError, match="2 rows of weights but 1 biases"):
        engine.dots(W, [1.0, 2.0], b[:1])
    with pytest.raises(ValueError, match="a row of 2 weights but 3 inputs"):
        engine.dots(W, [1.0, 2.0, 3.0], b)
    with pytest.raises(ValueError, match=r"batches of different sizes \[2, 3\]"):
        engine.dots(W, [np.ones(2), np.ones(3)], b)
    with pytest.raises(ValueError, match="unknown operation 'backward'"):
        engine.each("backward", [Value(1.0)])
    with pytest.raises(OverflowError, match="dots: the weighted sums hold inf"):
        engine.dots([[Value.parameter(1e308)]], [np.array([10.0])])


def test_each_equals_one_at_a_time_and_respects_no_grad():
    zs = [Value(np.array([-1.0, 0.5, 2.0])), Value(np.array([3.0, -0.2, 0.0]))]
    for op, args in [("relu", ()), ("tanh", ()), ("sigmoid", ()), ("softplus", ()), ("leaky_relu", (0.1,)), ("exp", ())]:
        together = engine.each(op, zs, *args)
        alone = [getattr(z, op)(*args) for z in zs]
        for a, b_ in zip(together, alone):
            np.testing.assert_array_equal(a.data, b_.data)
            np.testing.assert_array_equal(a.local_grads[0], b_.local_grads[0])
            assert a.op == b_.op and a.parents == b_.parents
    with engine.no_grad():
        assert all(v.is_leaf for v in engine.each("relu", zs) + engine.dots([[Value.parameter(1.0)]], zs[:1]))


def test_a_dropped_fused_graph_leaves_nothing_for_the_cycle_collector():
    import gc

    W1, b1 = layer(9, 3, 5)
    W2, b2 = layer(10, 5, 1)
    gc.collect()
    gc.disable()  # so that only reference counting can free it
    try:
        x = [Value(np.linspace(-1, 1, 50)) for _ in range(3)]
        _, z = two_layers(W1, b1, W2, b2, x, one_at_a_time=False)
        z[0].mean().backward()
        del x, z
        assert gc.collect() == 0
    finally:
        gc.enable()
