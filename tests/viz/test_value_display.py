"""A Value shows itself in a notebook: its numbers, and its graph while the graph is small."""
from chainrule import viz  # noqa: F401  (importing viz lets Values draw their graphs)
from chainrule.engine import Value


def test_a_small_graph_is_drawn_under_the_numbers():
    x = Value(0.5, "x")
    y = (x * 2.0).tanh().named("y")
    page = y._repr_html_()
    assert "<b>Value</b>" in page and "tanh" in page and "<svg" in page and ">y<" in page


def test_a_big_graph_and_a_leaf_show_the_numbers_only():
    x = Value(0.5, "x")
    y = x
    for _ in range(30):
        y = y * 1.01
    assert "<svg" not in y._repr_html_() and "<svg" not in x._repr_html_()
    assert "0.5" in x._repr_html_()
