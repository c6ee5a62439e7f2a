"""A long picture wrapped into rows: every edge keeps Graphviz's own route, and an edge from one row
to the next goes round through the gap between them, through no node (viz/splines.py, layout.in_rows)."""
import pytest

from chainrule import viz
from chainrule.demos.two_neuron import build
from chainrule.engine import Value
from chainrule.viz import layout, splines

from .dot_json import read_dot


def chain(steps: int) -> Value:
    y = Value(0.5, "x")
    for i in range(steps):
        y = (y * 1.01).tanh() if i % 2 else y + 1.0
    y.backward()
    return y


def reused(times: int) -> Value:
    """x read by every operation of a chain: many edges run the whole width and go round."""
    x = Value(0.7, "x")
    y = x
    for i in range(times):
        y = (y * x).tanh() if i % 3 == 0 else y + x
    y.backward()
    return y


def cubic_at(piece, t):
    return splines._at(piece, t)


def samples(points, per_piece=24):
    """Points along a route (its Bézier pieces at even steps of t)."""
    return [cubic_at(points[i:i + 4], k / per_piece) for i in range(0, len(points) - 3, 3) for k in range(per_piece + 1)]


# -- the geometry ---------------------------------------------------------------------------

def test_a_piece_cut_where_it_reaches_x_is_the_same_curve_in_two_parts():
    piece = [(0.0, 0.0), (30.0, 40.0), (70.0, -20.0), (100.0, 10.0)]
    left, right = splines.split_at_x(piece, 55.0)
    assert left[0] == piece[0] and right[-1] == piece[-1] and left[-1] == right[0]
    assert left[-1][0] == pytest.approx(55.0, abs=1e-9)
    t = next(k / 10**5 for k in range(10**5) if cubic_at(piece, k / 10**5)[0] >= left[-1][0])  # where the cut is
    for s in (0.1, 0.5, 0.9):  # each part, at any of its own t, is a point of the whole curve
        assert cubic_at(left, s) == pytest.approx(cubic_at(piece, s * t), abs=1e-3)
        assert cubic_at(right, s) == pytest.approx(cubic_at(piece, t + s * (1 - t)), abs=1e-3)


def test_a_route_is_cut_into_one_part_per_row_it_crosses():
    line = [(0.0, 0.0), (100.0, 0.0), (200.0, 0.0), (300.0, 0.0)]  # one straight piece over three rows
    parts = splines.cut_at(line, [100.5, 200.5])
    assert [row for row, _ in parts] == [0, 1, 2]
    assert [len(points) % 3 for _, points in parts] == [1, 1, 1]  # each a B-spline: 3m + 1 points
    assert parts[0][1][-1][0] == pytest.approx(100.5) and parts[1][1][0] == parts[0][1][-1]
    assert parts[2][1][0][0] == pytest.approx(200.5) and parts[2][1][-1] == line[-1]
    assert splines.cut_at(line, [400.0]) == [(0, line)]  # within one row: as it was


def test_the_way_round_leaves_right_runs_back_through_the_gap_and_enters_from_the_left():
    start, end = (200.0, 100.0), (0.0, -50.0)
    points = splines.around(start, end, right=210.0, gap=20.0, left=-10.0)
    assert len(points) % 3 == 0 and points[-1] == end  # Bézier pieces after the start
    path = samples([start, *points])
    assert max(x for x, _ in path) <= 210.0 + 1e-9 and min(x for x, _ in path) >= -10.0 - 1e-9
    low = [p for p in path if 15.0 < p[1] < 25.0]  # along the gap it runs from the right to the left
    assert min(x for x, _ in low) < 0 and max(x for x, _ in low) > 200
    assert splines.parse(splines.written((5.0, 6.0), [start, *points]))[1][-1] == end


# -- the pictures ---------------------------------------------------------------------------

def shown(read) -> list:
    """The edges drawn (not the invisible ones that keep a rank in order)."""
    return [(t, h, e) for t, h, e in read["edges"] if e.get("style") != "invis"]


def boxes(read) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for name, node in read["nodes"].items():
        x, y = map(float, node["pos"].split(","))
        w, h = 72 * float(node["width"]), 72 * float(node["height"])
        out[name] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return out


def every_third(steps: int) -> Value:
    """A chain that reads x again every third step: edges from the first row to the third cross the second."""
    x = Value(0.7, "x")
    y = x
    for i in range(steps):
        y = (y * 1.01).tanh() if i % 2 else y + 1.0
        if i % 3 == 0:
            y = y * x
    y.backward()
    return y


def two_neurons() -> Value:
    net = build()
    net.E.backward()
    return net.E


WRAPPED = {  # how each picture is made: as draw_graph chooses, or cut into a number of rows
    "chain": lambda: viz.draw_graph(chain(20)),
    "one input read 14 times": lambda: viz.draw_graph(reused(14)),
    "the same in three rows": lambda: layout.in_rows(viz.draw_graph(reused(14), rankdir="LR"), 3),
    "an input read every third step": lambda: viz.draw_graph(every_third(20)),
    "two neurons": lambda: viz.draw_graph(two_neurons()),
}


@pytest.mark.parametrize("make", WRAPPED.values(), ids=WRAPPED.keys())
def test_no_edge_of_a_wrapped_picture_runs_through_a_node(make):
    graph = make()
    assert graph.rows > 1 and graph.graph_attr["layout"] == "nop2"  # placed by chainrule: Graphviz only draws
    read = read_dot(graph.source)
    box = boxes(read)
    for tail, head, edge in shown(read):
        _, points = splines.parse(edge["pos"])
        for x, y in samples(points):
            inside = [n for n, (x0, y0, x1, y1) in box.items()
                      if n not in (tail, head) and x0 + 2 < x < x1 - 2 and y0 + 2 < y < y1 - 2]
            assert not inside, f"{tail} -> {head} runs through {inside} at ({x:.0f}, {y:.0f})"


def test_an_edge_within_a_row_keeps_the_route_graphviz_gave_it_in_one_row():
    root = chain(20)
    wrapped, across = read_dot(viz.draw_graph(root).source), read_dot(viz.draw_graph(root, rankdir="LR").source)
    moved = {n: tuple(float(a) - float(b) for a, b in zip(wrapped["nodes"][n]["pos"].split(","),
                                                       across["nodes"][n]["pos"].split(",")))
             for n in across["nodes"]}
    own = {e["id"]: e["pos"] for _, _, e in shown(across)}
    kept = 0
    for tail, head, edge in shown(wrapped):
        if moved[tail] == pytest.approx(moved[head], abs=0.05):  # both ends in one row
            dx, dy = moved[tail]
            before, after = splines.parse(own[edge["id"]])[1], splines.parse(edge["pos"])[1]
            assert [c for p in after for c in p] == pytest.approx([c for x, y in before for c in (x + dx, y + dy)], abs=0.05)
            kept += 1
    assert kept >= len(shown(wrapped)) - 4  # all but the few that go round (two cuts)


def test_edges_going_round_the_same_gap_each_take_a_lane_of_their_own():
    read = read_dot(viz.draw_graph(reused(14)).source)
    levels = []
    width = float(read["graph"]["bb"].split(",")[2])
    for _, _, edge in shown(read):
        path = samples(splines.parse(edge["pos"])[1])
        runs: dict[float, float] = {}  # y of each horizontal stretch -> how far it runs
        for (x, y), (x2, y2) in zip(path, path[1:]):
            if abs(y - y2) < 1e-6:
                runs[round(y, 2)] = runs.get(round(y, 2), 0.0) + abs(x2 - x)
        longest = max(runs, key=runs.get, default=None)
        if longest is not None and runs[longest] > width * 0.9:  # back along the gap, the whole width
            levels.append(longest)
    assert len(levels) >= 8  # x's edges into the second row
    levels.sort()
    assert all(b - a >= layout.LANE - 0.05 for a, b in zip(levels, levels[1:]))  # apart, none on another


def test_a_title_that_reads_like_an_edge_is_left_as_it_is():
    graph = viz.draw_graph(chain(20), title="x -> y [id=o2_v2]")
    assert graph.rows > 1 and 'label="x -> y [id=o2_v2]"' in graph.source
    assert read_dot(graph.source)["graph"]["label"] == "x -> y [id=o2_v2]"  # Graphviz reads the title, whole
