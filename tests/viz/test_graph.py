"""Graph rendering: structure, labels, gradient flow encoding, escaping, determinism, layout, budget, files."""
import xml.etree.ElementTree as ET

import pytest

from chainrule import engine
from chainrule import nn
from chainrule import viz
from chainrule.demos.two_neuron import build
from chainrule.engine import Value
from chainrule.viz import graph as G
from chainrule.viz import layout

from .dot_json import read_dot

SVG = "{http://www.w3.org/2000/svg}"


def labels(dot: str) -> dict[str, str]:
    """Node name -> label as Graphviz reads it."""
    return {name: n.get("label", "") for name, n in read_dot(dot)["nodes"].items()}


def value_edges(dot: str) -> dict[str, dict]:
    """Edge label node id (e{c}_{k}) -> the label node's and its two edges' attributes."""
    read = read_dot(dot)
    out = {}
    for name, node in read["nodes"].items():
        if name.startswith("e"):
            halves = {e["id"][-1]: e for _, _, e in read["edges"] if e.get("id", "").startswith(name + "_")}
            out[name] = {"label": node["label"], "tooltip": node.get("tooltip", ""), **halves}
    return out


def test_nodes_show_label_data_and_grad_not_computed_before_backward():
    net = build()
    shown = set(labels(viz.to_dot(net.E)).values())
    assert "w1\\ndata 0.15\\ngrad —" in shown
    net.E.backward()
    shown = set(labels(viz.to_dot(net.E)).values())
    assert "w1\\ndata 0.15\\ngrad 0.001021" in shown and "E\\ndata 0.1082\\ngrad 1" in shown


def test_small_values_use_scientific_notation_and_exact_zero_is_distinct():
    x = Value(3.2e-7, "tiny")
    y = (x * 1.0).relu() * 0.0 + x
    y.backward()
    assert "tiny\\ndata 3.2e-07\\ngrad 1" in labels(viz.to_dot(y)).values()
    dead = Value(-1.0, "dead")
    out = dead.relu() + 1.0
    out.backward()
    dot = viz.to_dot(out)
    assert "dead\\ndata -1\\ngrad 0" in labels(dot).values()  # a computed exact zero, not "—"
    relu = [e for e in value_edges(dot).values() if e["label"] == "0"]
    assert relu and all(e[h]["style"] == "dashed" and e[h]["color"] == G.ZERO for e in relu for h in "ab")


def test_roles_by_shape_and_border():
    net = build()
    nodes = read_dot(viz.to_dot(net.E))["nodes"]
    by_label = {n["label"].split("\\n")[0]: n for n in nodes.values() if n.get("shape") == "box"}
    assert by_label["w1"]["penwidth"] == "2" and "bold" in by_label["w1"]["style"]  # parameter
    assert "rounded" in by_label["x1"]["style"]  # input
    assert by_label["E"]["peripheries"] == "2"  # the output
    assert by_label["0.5"]["style"] == "dashed"  # a constant
    assert "grad" not in by_label["0.5"]["tooltip"]  # a constant has no gradient to show


def test_operations_are_circles_with_symbols():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    out = (a - b) / b * a + (-a) ** 2
    ops = {n["label"] for n in read_dot(viz.to_dot(out))["nodes"].values() if n.get("shape") == "circle"}
    assert {"−", "÷", "×", "+", "−x", "x^2"} <= ops


def test_edges_carry_local_derivatives_and_widths_follow_contributions():
    net = build()
    net.E.backward()
    edges = value_edges(viz.to_dot(net.E, contributions=True))
    w1 = next(e for e in edges.values() if "∂z1/∂w1" in e["tooltip"])
    w2 = next(e for e in edges.values() if "∂z2/∂w2" in e["tooltip"])
    assert w1["label"] == "0.1\\n→ 0.001021" and w2["label"] == "0.6023\\n→ 0.05707"
    assert float(w1["a"]["penwidth"]) < float(w2["a"]["penwidth"])  # the vanishing gradient looks thinner
    assert w1["a"]["penwidth"] == w1["b"]["penwidth"] and w1["b"]["color"] == G.POSITIVE
    widths = [G.edge_width(c) for c in [1e-9, 1e-6, 1e-4, 1e-2, 1, 100]]
    assert widths == sorted(widths) and widths[0] == widths[1] == G.MIN_WIDTH and widths[-1] == G.MAX_WIDTH
    assert G.edge_colour(0.5) != G.edge_colour(-0.5) and G.edge_colour(0.0) == G.ZERO


def test_two_graphs_built_the_same_way_draw_the_same():
    def unlabelled():
        a, b = Value(2.0), Value(-1.0)
        out = (a * b + a).tanh() * (b - 3.0)
        out.backward()
        return out

    assert viz.to_dot(build().E) == viz.to_dot(build().E)
    first, second = viz.to_dot(unlabelled()), viz.to_dot(unlabelled())
    assert first == second and "∂v" in first  # unlabelled Values are named per graph: v1, v2, …


def test_layout_direction_lr_tb_and_auto_closest_to_a_slide():
    assert read_dot(viz.to_dot(build().E, rankdir="TB"))["graph"]["rankdir"] == "TB"
    with pytest.raises(ValueError, match="rankdir must be 'auto', 'LR' or 'TB', got 'RL'"):
        viz.to_dot(build().E, rankdir="RL")

    def closeness(rankdir, root):
        return abs(__import__("math").log(layout.aspect(viz.to_dot(root, rankdir=rankdir)) / (16 / 9)))

    chain = Value(1.0, "x")
    for _ in range(12):
        chain = chain.tanh()
    wide = Value(0.0, "s")
    for i in range(12):
        wide = wide + Value(float(i), f"x{i}")
    for root in (build().E, chain, (chain * 1.0) + 2.0):
        best = min(("LR", "TB"), key=lambda r: closeness(r, root))
        assert viz.draw_graph(root).graph_attr["rankdir"] == best


@pytest.mark.parametrize("hostile", [
    '<x>; evil [label="INJECTED"]; z=<y>',
    '"]; evil [label="INJECTED"]; x=["',
    '\\"]; evil [label="INJECTED"]; x=[\\"',
    'a\\\\"; evil; "',
    "two\nlines } digraph { evil }",
])
def test_hostile_labels_titles_and_scopes_add_nothing_to_the_dot(hostile):
    x = Value(1.0, hostile)
    w = Value.parameter(0.5, hostile)
    out = (w * x).tanh().named(hostile)
    for v in engine.topological_order(out):
        v.scope = hostile  # as if built inside an nn module of that name
    out.backward()
    for detail in ("ops", "neurons"):
        dot = viz.to_dot(out, title=hostile, detail=detail)
        read = read_dot(dot)
        assert "evil" not in read["nodes"] and "INJECTED" not in str(read["nodes"].keys())
        expected = ({"v0", "v1", "v2", "o2", "v3", "o3", "e2_0", "e2_1", "e3_0", "legend"} if detail == "ops"
                    else {"s0", "legend"})
        assert set(read["nodes"]) == expected
        as_read = hostile.replace("\\", "\\\\").replace("\n", "\\n")  # Graphviz keeps DOT's escapes
        assert read["graph"]["label"] == as_read
        if detail == "ops":
            assert {c["label"] for n, c in read["clusters"].items() if n != "cluster_legend"} == {as_read}
            named = f"{hostile}.{hostile}".replace("\\", "\\\\").replace("\n", "\\n")  # scope.label: where it is
            assert all(read["nodes"][k]["label"].startswith(named + "\\ndata") for k in ("v0", "v1", "v3"))


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", '"a|b{c}"', "back\\slash \\N", "amp & co", "<b>"])
def test_labels_are_escaped_in_dot_and_svg(tmp_path, label):
    x = Value(1.0, label)
    out = (x * 2).named("out")
    path = viz.render(out, tmp_path / "g.svg", title=label)
    svg = path.read_text()
    root = ET.fromstring(svg[svg.index("<svg"):])  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert texts.count(label) == 2  # the node's first line and the title
    assert "<script>" not in svg and "<b>" not in svg


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_an_nn_graph_keeps_operand_order_and_neurons_in_their_clusters(rankdir):
    model = nn.MLP(3, [4, 1], seed=0)
    xs = [Value(v, f"x{i}") for i, v in enumerate([1.0, 2.0, 3.0])]
    out = model(xs)
    out.backward()
    read = read_dot(viz.to_dot(out, detail="ops", rankdir=rankdir))
    nodes = read["nodes"]
    first_line = {name: n["label"].split("\\n")[0] for name, n in nodes.items()}
    # reading order along a rank: left to right (TB), or top to bottom (LR; Graphviz's y grows upwards)
    along = 0 if rankdir == "TB" else 1
    sign = 1 if rankdir == "TB" else -1

    def place(pos: str) -> float:
        return sign * float(pos.split(",")[along])

    def box_start(c) -> float:
        x0, y0, x1, y1 = (float(v) for v in c["bb"].split(","))
        return x0 if rankdir == "TB" else -y1

    clusters = {c["label"]: c for n, c in read["clusters"].items() if n != "cluster_legend"}  # L1.N0, …
    order = engine.topological_order(out)
    for place_name, cluster in clusters.items():
        params = [m for m in cluster["members"] if nodes[m].get("penwidth") == "2"]  # parameters
        shown = [first_line[m] for m in sorted(params, key=lambda m: place(nodes[m]["pos"]))]
        assert all(name.startswith(place_name + ".") for name in shown)  # each named by where it is
        shown = [name.rsplit(".", 1)[1] for name in shown]
        assert shown == sorted(shown, key=lambda s: (s == "b", s)) and shown[-1] == "b"  # w0, w1, …, b
        scope = next(v.scope for v in order if v.scope and engine.formatting.short_scope(v.scope) == place_name)
        assert {f"v{i}" for i, v in enumerate(order) if v.scope == scope} <= cluster["members"]  # inside its box
    inputs = sorted((place(nodes[n]["pos"]), first_line[n]) for n in nodes
                    if first_line[n].startswith("x") and "rounded" in nodes[n].get("style", ""))
    assert [name for _, name in inputs] == ["x0", "x1", "x2"]
    layer0 = sorted((box_start(c), label) for label, c in clusters.items() if label.startswith("L1."))
    assert [label for _, label in layer0] == [f"L1.N{i}" for i in range(4)]  # in reading order
    # the inputs sit before the neurons' boxes (above, or to the left), so no input edge crosses a box to get there
    across = 1 if rankdir == "TB" else 0
    edge_of_boxes = [float(c["bb"].split(",")[3 if rankdir == "TB" else 0]) for c in clusters.values()]
    input_at = [float(nodes[n]["pos"].split(",")[across]) for n in nodes if first_line[n] in ("x0", "x1", "x2")]
    if rankdir == "TB":
        assert min(input_at) > max(edge_of_boxes)
    else:
        assert max(input_at) < min(edge_of_boxes)


def test_neurons_and_layers_collapse_by_scope_and_the_budget_is_enforced():
    model = nn.MLP(2, [16, 16, 1])
    out = model([0.5, -0.5])
    out.backward()
    dot = viz.to_dot(out)  # auto: too many ops, so neurons
    assert 'label="L2.N7\\n' in dot and "cluster" not in dot  # a neuron's box says where it is, as names do
    layers = viz.to_dot(out, detail="layers")
    assert 'label="L1\\n' in layers and 'label="L1.N' not in layers
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


def test_sigma_and_sum_graphs_render_and_display_without_stderr_noise(tmp_path, capfd):
    xs = [Value(float(i), f"x{i}") for i in range(3)]
    out = engine.sum([x.sigmoid() for x in xs]).named("Σσ — ×")
    out.backward()
    dg = viz.draw_graph(out)
    assert {"σ", "Σ"} <= {n["label"] for n in read_dot(dg.source)["nodes"].values()}
    assert "<svg" in dg._repr_image_svg_xml()  # what Jupyter shows inline
    viz.render(out, tmp_path / "g.svg")
    viz.stepper_html(out)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_other_graphviz_messages_still_reach_stderr(capfd):
    layout.run_layout('digraph { a [label="σ", shape=nosuchshape] }', "svg")
    err = capfd.readouterr().err
    assert "nosuchshape" in err and "non-ASCII" not in err


def test_draw_graph_returns_a_digraph_that_renders_inline():
    dg = viz.draw_graph(build().E)
    assert "<svg" in dg._repr_image_svg_xml()


def test_a_graphs_repr_says_what_it_is_without_a_memory_address():
    # a notebook stores this text beside the picture: the same graph must give the same text
    first, second = repr(viz.draw_graph(build().E)), repr(viz.draw_graph(build().E))
    assert first == second == ("<Graph of E: 14 values, drawn left to right in 2 rows: Jupyter shows the picture; "
                               "viz.render(root, 'graph.svg') writes it>")
    assert "drawn top to bottom" in repr(viz.draw_graph(build().E, rankdir="TB"))


def test_drawing_changes_nothing():
    net = build()
    net.E.backward()
    before = [(v.data, v.grad) for v in engine.topological_order(net.E)]
    viz.to_dot(net.E)
    viz.stepper_html(net.E)
    assert [(v.data, v.grad) for v in engine.topological_order(net.E)] == before


def test_without_a_layout_program_dot_is_still_built_left_to_right(monkeypatch):
    def missing():
        raise viz.GraphvizNotFound("none here")

    monkeypatch.setattr(G, "configure", missing)
    assert viz.draw_graph(build().E).graph_attr["rankdir"] == "LR"


def test_tangents_are_drawn_beside_gradients():
    from chainrule import engine

    sweep = engine.jvp(lambda a, b: (a * b).tanh(), [0.5, -1.0], [1.0, 0.0])
    sweep.output.backward()
    source = viz.draw_graph(sweep.output, tangents=sweep.tangents).source
    assert "tangent 1" in source and "tangent 0" in source
    # forward and reverse agree: the output's tangent along x0 is x0's gradient
    assert f"tangent {engine.fmt(sweep.derivative)}" in source and engine.fmt(sweep.derivative) == engine.fmt(
        sweep.output.parents[0].parents[0].grad)


def test_a_fifty_fold_gap_in_contributions_is_plainly_wider():
    from chainrule.demos.two_neuron import build

    net = build()
    net.E.backward()
    w1, b2 = G.edge_width(0.1 * net.z1.grad), G.edge_width(net.z2.grad)  # contributions into w1 and b2 (93× apart)
    assert b2 / w1 >= 5 and b2 - w1 >= 3  # points of stroke: the vanishing gradient is seen
    assert G.edge_width(0.05) - G.edge_width(0.001) >= 3 and G.edge_width(1.0) - G.edge_width(0.02) >= 3  # any 50× gap


def test_the_legend_explains_both_numbers_on_an_edge():
    x = Value(0.5, label="x")
    y = (x * 3.0).named("y")
    y.backward()
    with_contributions = viz.draw_graph(y, contributions=True).source
    assert "local derivative" in with_contributions and "contribution = local × out.grad" in with_contributions
    assert "contribution = local" not in viz.draw_graph(y).source  # only when the second number is drawn


def test_a_long_chain_wraps_into_rows_for_a_slide_and_keeps_its_numbers():
    net = build()
    net.E.backward()
    graph = viz.draw_graph(net.E)
    assert graph.rows == 2 and 4 / 3 * 0.9 <= layout.aspect(graph.source) <= 16 / 9 * 1.1  # the LR strip is 5.7:1
    across = viz.draw_graph(net.E, rankdir="LR")
    assert layout.aspect(across.source) > 4  # what it would be in one row
    laid, flat = read_dot(graph.source), read_dot(across.source)
    assert set(laid["nodes"]) == set(flat["nodes"])  # every node, edge label and line of text kept
    assert all(laid["nodes"][n]["label"] == flat["nodes"][n]["label"] for n in flat["nodes"])
    height = {laid["nodes"][n]["label"].split("\\n")[0]: float(laid["nodes"][n]["pos"].split(",")[1]) for n in laid["nodes"]}
    assert min(height[n] for n in ("w1", "x1", "b1", "z1")) > max(height[n] for n in ("E", "a2", "T"))  # w1 above, E below
    svg = graph._repr_image_svg_xml()
    assert 'style="max-width: 100%; height: auto"' in svg  # a notebook column scales it down, never cuts it


def test_a_graph_with_module_boxes_is_not_cut_into_rows():
    model = nn.MLP(2, [6, 6, 1], seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    out.backward()
    assert viz.draw_graph(out, detail="ops", max_nodes=1000).rows == 1


def test_a_constant_you_named_shows_its_name_and_a_lifted_number_only_itself():
    w, x = Value(0.8415, "w0", "const"), Value(0.5, "x0")
    labels = {n["label"] for n in read_dot(viz.to_dot(engine.dot([w], [x], 0.1)))["nodes"].values()}
    assert "w0 = 0.8415" in labels and "0.1" in labels  # 0.1 was lifted: its label is its number


def _incoming_labels(root):
    """For each operation node: [(tail's y, label node's y, label text)] of its labelled incoming edges."""
    laid = read_dot(viz.to_dot(root))
    y = {name: float(n["pos"].split(",")[1]) for name, n in laid["nodes"].items() if "pos" in n}
    tails = {head: tail for tail, head, _ in laid["edges"]}  # each label node has one edge in
    into: dict = {}
    for tail, head, _ in laid["edges"]:
        node = laid["nodes"][tail]
        if node.get("shape") == "none" and tail in tails:  # tail is a label node on the edge tails[tail] → head
            into.setdefault(laid["nodes"][head]["label"] + " " + head, []).append((y[tails[tail]], y[tail], node["label"]))
    return into


def test_the_demo_pictures_read_each_number_with_its_own_edge():
    from chainrule.demos.forward_mode import neuron
    from chainrule.demos.topological_order import reused

    xs = [Value(v, f"x{i}") for i, v in enumerate([0.5, -1.0, 2.0])]
    labels = {n["label"] for n in read_dot(viz.to_dot(neuron(*xs)))["nodes"].values()}
    assert {"w0 = 0.8415", "w1 = 0.9093", "w2 = 0.1411", "b = 0.1"} <= labels  # ∂z/∂w0 = x0 beside ∂z/∂x0 = w0
    _, d = reused()
    d.backward()
    for op, edges in _incoming_labels(d).items():
        if op.startswith("×"):  # a product's two numbers are each the other's value: they must not look alike
            assert len({text for _, _, text in edges}) == len(edges)
        label_ys = [label_y for _, label_y, _ in sorted(edges)]  # in the order of the edges' tails
        assert label_ys == sorted(label_ys)  # the labels lie in that order too: no two edges cross
