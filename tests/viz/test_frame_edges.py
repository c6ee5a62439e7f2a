"""Every stepper frame names the drawn edge that joins its two nodes, constants or not among the operands."""
from chainrule.demos.two_neuron import build
from chainrule.engine import Value, topological_order
from chainrule.viz.frames import replay, replaying


def test_each_frame_lights_the_edge_between_its_child_and_parent():
    x = Value(1.5, "x")
    y = (2.0 * x + 3.0 * x.tanh()).named("y")  # constants sit before x among the operands
    for root in (build().E, y):
        order = topological_order(root)
        with replaying(order):
            frames = replay(root, order).frames
        for frame in frames[1:]:
            c, k = frame["e"][1:].split("_")
            assert int(c) == frame["c"]
            assert order[frame["c"]].edges[2 * int(k)] is order[frame["p"]]


def test_names_of_more_than_one_symbol_are_bracketed_in_the_step_texts():
    from chainrule.demos.two_neuron import build
    from chainrule.viz.frames import replay, replaying

    net = build()
    order = topological_order(net.E)
    with replaying(order):
        texts = [f["t"] for f in replay(net.E, order).frames]
    assert any("(T−a2).grad += (T−a2)².grad × ∂(T−a2)²/∂(T−a2)" in t for t in texts)
    assert not any("∂T−a2" in t or "/∂T−a2" in t for t in texts)
