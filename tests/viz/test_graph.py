"""Graph rendering: structure, labels, gradient flow encoding, escaping, determinism, budget, files."""
import re
import xml.etree.ElementTree as ET

import pytest

from chainrule import engine
from chainrule import nn
from chainrule import viz
from chainrule.demos.two_neuron import build
from chainrule.engine import Value
from chainrule.viz import graph as G


def edge_attrs(dot: str):
    """(tail, head, attributes) for each edge line of a DOT text."""
    out = []
    for tail, head, attrs in re.findall(r"^\s*(\w+) -> (\w+) \[(.*)\]$", dot, flags=re.M):
        out.append((tail, head, dict(re.findall(r'(\w+)=("[^"]*"|\S+)', attrs))))
    return out


def test_nodes_show_label_data_and_grad_not_computed_before_backward():
    net = build()
    dot = viz.to_dot(net.E)
    assert 'label="w1\\ndata 0.15\\ngrad —"' in dot
    net.E.backward()
    dot = viz.to_dot(net.E)
    assert 'label="w1\\ndata 0.15\\ngrad 0.001021"' in dot
    assert 'label="E\\ndata 0.1082\\ngrad 1"' in dot


def test_small_values_use_scientific_notation_and_exact_zero_is_distinct():
    x = Value(3.2e-7, "tiny")
    y = (x * 1.0).relu() * 0.0 + x
    y.backward()
    dot = viz.to_dot(y)
    assert "data 3.2e-07" in dot and "0.0000" not in dot
    dead = Value(-1.0, "dead")
    out = dead.relu() + 1.0
    out.backward()
    dot = viz.to_dot(out)
    assert 'label="dead\\ndata -1\\ngrad 0"' in dot  # a computed exact zero, not "—"
    relu_edges = [a for t, h, a in edge_attrs(dot) if a.get("label") == "0"]
    assert relu_edges and all(a["style"] == "dashed" and a["color"] == '"#999999"' for a in relu_edges)


def test_roles_by_shape_and_border():
    net = build()
    dot = viz.to_dot(net.E)
    line = lambda name: next(l for l in dot.splitlines() if f'label="{name}\\n' in l)  # noqa: E731
    assert "penwidth=2" in line("w1") and "bold" in line("w1")  # parameter
    assert "rounded" in line("x1")  # input
    assert "peripheries=2" in line("E")  # the output
    assert "style=dashed" in next(l for l in dot.splitlines() if "label=0.5" in l)  # a constant


def test_operations_read_as_written():
    a, b = Value(6.0, "a"), Value(3.0, "b")
    out = (a - b) / b * a + (-a) ** 2
    symbols = set(re.findall(r'shape=circle', viz.to_dot(out)))
    dot = viz.to_dot(out)
    for symbol in ["−", "÷", "×", "+", "−x", "x^2"]:
        assert f'label="{symbol}"' in dot or f"label={symbol} " in dot
    assert symbols


def test_edges_carry_local_derivatives_and_widths_follow_contributions():
    net = build()
    net.E.backward()
    dot = viz.to_dot(net.E, contributions=True)
    edges = {a["tooltip"]: a for _, _, a in edge_attrs(dot) if "tooltip" in a and "∂" in a["tooltip"]}
    w1 = next(a for t, a in edges.items() if "∂z1/∂w1" in t)
    w2 = next(a for t, a in edges.items() if "∂z2/∂w2" in t)
    assert w1["label"] == '"0.1\\n→ 0.001021"' and w2["label"] == '"0.6023\\n→ 0.05707"'
    assert float(w1["penwidth"]) < float(w2["penwidth"])  # the vanishing gradient looks thinner
    widths = [G.edge_width(c) for c in [1e-9, 1e-6, 1e-4, 1e-2, 1, 100]]
    assert widths == sorted(widths) and widths[0] == widths[1] == G.MIN_WIDTH and widths[-1] == G.MAX_WIDTH
    assert G.edge_colour(0.5) != G.edge_colour(-0.5) and G.edge_colour(0.0) == G.ZERO


def test_dot_is_deterministic_and_layout_direction_is_an_option():
    assert viz.to_dot(build().E) == viz.to_dot(build().E)
    assert "rankdir=TB" in viz.to_dot(build().E, rankdir="TB")
    with pytest.raises(ValueError, match="rankdir"):
        viz.to_dot(build().E, rankdir="RL")


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", '"a|b{c}"', "back\\slash \\N", "amp & co"])
def test_labels_are_escaped_in_dot_and_svg(tmp_path, label):
    x = Value(1.0, label)
    out = (x * 2).named("out")
    path = viz.render(out, tmp_path / "g.svg")
    svg = path.read_text()
    root = ET.fromstring(svg[svg.index("<svg"):])  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert label in texts
    assert "<script>" not in svg


def test_neurons_and_layers_collapse_by_scope_and_the_budget_is_enforced():
    model = nn.MLP(2, [16, 16, 1])
    out = model([0.5, -0.5])
    out.backward()
    dot = viz.to_dot(out)  # auto: too many ops, so neurons
    assert "layers.1.neurons.7" in dot and "cluster" not in dot.replace("cluster_legend", "")
    layers = viz.to_dot(out, detail="layers")
    assert 'label="layers.0\\n' in layers and "layers.0.neurons" not in layers
    with pytest.raises(viz.GraphTooLarge, match="detail='ops'.*max_nodes=300"):
        viz.to_dot(out, detail="ops")
    X, _ = nn.data.moons(40)
    batch = nn.hinge([model(x) for x in X], [1.0] * 40)
    with pytest.raises(viz.GraphTooLarge, match="one sample rather than a whole batch"):
        viz.to_dot(batch)
    small = nn.MLP(2, [2, 1])([1.0, 2.0])
    assert "cluster_0" in viz.to_dot(small, detail="ops")  # neurons drawn as clusters


def test_render_writes_svg_png_dot_and_fails_without_leaving_a_file(tmp_path, monkeypatch):
    out = build().E
    assert viz.render(out, tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    assert viz.render(out, tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert viz.render(out, tmp_path / "g.dot").read_text() == viz.to_dot(out)
    with pytest.raises(ValueError, match="use .svg, .png or .dot"):
        viz.render(out, tmp_path / "g.jpg")

    def broken(source, fmt):
        raise RuntimeError("render: Graphviz failed: boom")

    monkeypatch.setattr(G, "run_layout", broken)
    with pytest.raises(RuntimeError, match="boom"):
        viz.render(out, tmp_path / "new.svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot", "g.png", "g.svg"]


def test_draw_graph_returns_a_digraph_that_renders_inline():
    dg = viz.draw_graph(build().E)
    assert "<svg" in dg._repr_image_svg_xml()


def test_drawing_changes_nothing():
    net = build()
    net.E.backward()
    before = [(v.data, v.grad) for v in engine.topological_order(net.E)]
    viz.to_dot(net.E)
    viz.stepper_html(net.E)
    assert [(v.data, v.grad) for v in engine.topological_order(net.E)] == before
