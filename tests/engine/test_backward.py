"""Backward's semantics: order, accumulation, reuse, zero_grad, scale, no_grad, memory."""
import gc
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule import engine
from chainrule.engine import Value, no_grad, topological_order


def test_reused_node_gets_both_contributions():
    a = Value(3.0, "a")
    b = a + a  # db/da = 2
    c = b * b  # dc/db = 2b = 12
    c.backward()
    assert b.grad == 12.0 and a.grad == 24.0
    x = Value(-4.0)
    y = x * x
    y.backward()
    assert x.grad == -8.0


def test_leaf_gradients_accumulate_and_intermediates_hold_the_latest_pass():
    x = Value(2.0, "x")
    y = x * x + x  # dy/dx = 2x + 1 = 5
    y.backward()
    y.backward()
    assert x.grad == 10.0  # accumulated, as in PyTorch
    assert y.grad == 1.0  # this pass's seed, not 2
    y.zero_grad()
    assert x.grad == 0.0 and y.grad == 0.0
    y.backward(grad=3.0)
    assert x.grad == 15.0


def test_backward_from_an_intermediate_then_the_loss():
    w = Value(0.5, "w")
    h = w * 4.0
    loss = h * h
    h.backward()  # dh/dw = 4
    loss.backward()  # dloss/dw = 2h·4 = 16
    assert w.grad == 20.0 and h.grad == 4.0


def test_order_is_deterministic_and_parents_come_first():
    def build():
        a, b = Value(1.0, "a"), Value(2.0, "b")
        c = (a * b).named("c")
        d = (c + a).named("d")
        e = (d * c + b.tanh()).named("e")
        return e

    orders = [[v.label or v.op for v in topological_order(build())] for _ in range(3)]
    assert orders[0] == orders[1] == orders[2]
    order = topological_order(build())
    position = {v: i for i, v in enumerate(order)}
    for v in order:
        assert all(position[p] < position[v] for p in v.parents)
    assert order[-1].label == "e"


def test_a_shared_graph_sorted_again_and_from_threads_lists_each_node_once():
    # Visited nodes are marked in the node (not kept in a set): a second sort, a sort of a
    # subgraph and sorts from several threads at once must each still see every node once.
    x = Value(0.5, "x")
    layer = [x]
    for _ in range(200):  # a lattice: every node feeds two of the next row, so most are reached twice
        layer = [layer[max(i - 1, 0)] * layer[min(i, len(layer) - 1)] for i in range(len(layer) + 1)][:4]
    root = engine.sum(layer)
    expected = topological_order(root)
    assert len(expected) == len(set(expected))
    assert topological_order(root) == expected
    assert topological_order(layer[0]) == [v for v in expected if v in set(topological_order(layer[0]))]
    results = []

    def sort_many():
        results.extend(topological_order(root) for _ in range(20))

    threads = [threading.Thread(target=sort_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 80 and all(order == expected for order in results)
    assert gc.isenabled()  # each sort pauses the cycle collector; the last one to finish turns it back on


def reference_order(root):
    """The textbook post-order with a set of visited nodes (recursive: small graphs only)."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for parent in node.edges[::2]:
                visit(parent)
            order.append(node)

    visit(root)
    return order


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from("+*t")), min_size=1, max_size=40),
       st.integers(0, 30))
def test_the_marking_sort_gives_the_textbook_order_on_random_graphs(steps, other):
    nodes = [Value(0.5, "a"), Value(-0.25, "b")]
    for i, j, op in steps:  # each new node reads two earlier ones (often the same ones again)
        p, q = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(p + q if op == "+" else p * q if op == "*" else p.tanh())
    root = nodes[-1]
    assert topological_order(nodes[other % len(nodes)]) == reference_order(nodes[other % len(nodes)])  # a part first
    assert topological_order(root) == reference_order(root)  # then the whole, over marks left by the first sort


def test_a_deep_chain_backpropagates_without_recursion():
    # 200 times Python's recursion limit; the benchmark times a chain of 1,000,000 (make bench)
    x = Value(1.0, "x")
    y = x
    for _ in range(200_000):
        y = -y  # one node per operation, a chain of depth 200,000
    assert len(topological_order(y)) == 200_001
    y.backward()
    assert x.grad == 1.0  # (-1) ** 200_000


def live_values() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Value)


def test_dropped_graph_is_freed_by_reference_counting():
    gc.collect()
    gc.disable()  # so that only reference counting can free it
    try:
        before = live_values()
        x = Value(0.5)
        out = x
        for _ in range(2000):
            out = (out * 1.01 + 0.1).tanh()
        out.backward()
        assert live_values() - before == 1 + 2000 * 5  # x, and per step two constants and three results
        del out, x
        assert live_values() == before  # all freed at once, with the cycle collector off
        assert gc.collect() == 0  # and nothing was left for it
    finally:
        gc.enable()


def test_no_grad_records_nothing_and_is_thread_local():
    x = Value(2.0)
    with no_grad():
        y = x * 3
        assert not engine.is_recording()
    assert y.parents == () and y.is_leaf and engine.is_recording()

    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def other_thread():
        inside.wait()
        seen["recording"] = engine.is_recording()
        seen["parents"] = len((x * 2).parents)
        release.set()

    t = threading.Thread(target=other_thread)
    t.start()
    with no_grad():
        inside.set()
        release.wait(5)
    t.join()
    assert seen == {"recording": True, "parents": 2}


def test_no_grad_as_decorator_restores_on_error():
    @no_grad()
    def fails():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fails()
    assert engine.is_recording()


def test_values_made_by_operations_have_no_scope():
    assert (Value(1.0) * 2).scope is None and Value(1.0).scope is None  # nn sets it on the nodes it makes


def _build():
    a = Value(1.0)
    b = a * 2
    c = (b + Value(3.0, "x")).tanh()
    return a, b, c


def test_unlabelled_values_are_named_per_graph_in_topological_order():
    a, b, c = _build()
    names = engine.names(c)
    assert [names[v] for v in engine.topological_order(c)] == ["v1", "2", "v2", "x", "v3", "v4"]
    assert names[a] == "v1" and names[b] == "v2" and names[c] == "v4"
    # the same graph built again gets the same names and prints the same steps, whatever came before
    texts = ["\n".join(map(str, g[2].backward_steps())) for g in (_build(), _build())]
    assert texts[0] == texts[1] and "v4" in texts[0]


def test_repr_is_readable():
    w = Value(0.15, "w1")
    assert repr(w) == "Value('w1', data=0.15, grad=0.0)"
    assert repr(w * 2) == "Value(data=0.3, grad=0.0, op='*')"
    # every digit, as Python prints a float (and micrograd's repr does): 0.1 + 0.2 is not 0.3
    assert repr(Value(0.1) + 0.2) == "Value(data=0.30000000000000004, grad=0.0, op='+')"
    w.grad = None
    assert repr(w) == "Value('w1', data=0.15, grad=None)"
