"""The stepper and training-step pages as a teacher puts them on a projector and a learner on a phone:
edges drawn as lines, names that say where a value is, the whole graph in view, forward numbers at
full contrast, a legend and a highlight no edge shares, nodes reachable by the keyboard, a summary
that says when it scrolls (issue 20, items 1–7)."""
import pytest

from chainrule import nn, viz
from chainrule.demos.two_neuron import build

from .test_stepper import SCREENS, open_page
from .test_rich_displays import contrast

EDGE_COLOURS = {(0, 114, 178), (213, 94, 0), (153, 153, 153), (85, 85, 85), (119, 119, 119)}  # blue, vermillion, greys


def rgb(text):
    return tuple(int(float(v)) for v in text[text.index("(") + 1:text.index(")")].split(",")[:3])


@pytest.fixture
def pages(tmp_path):
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    return {"two-neuron": viz.save_stepper(build().E, tmp_path / "two.html"),
            "network": viz.save_stepper(nn.loss_graph(model, [[0.5, -1.0]], [1.0], "mse"), tmp_path / "mlp.html")}


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_edges_not_reached_are_lines_and_forward_numbers_keep_their_contrast(browser, pages, screen):
    page, _, errors = open_page(browser, pages["network"], screen)
    page.keyboard.press("ArrowRight")  # the seed: every other edge is still to come
    fills = page.evaluate("() => [...document.querySelectorAll('#graph g.edge.future path')].map(p => getComputedStyle(p).fill)")
    assert fills and set(fills) == {"none"}  # a curved edge is never a grey wedge over the nodes
    texts = page.evaluate("""() => [...document.querySelectorAll('#graph g.node')].map(g => {
        const t = [...g.querySelectorAll('text')];
        return t.map(e => [e.textContent, getComputedStyle(e).fill, getComputedStyle(g).opacity]); })""")
    for lines in texts:
        for text, fill, opacity in lines:
            assert float(opacity) == 1.0  # no node is faded as a whole
            assert contrast(rgb(fill), (255, 255, 255)) >= 4.5, text  # the numbers read, "grad —" too
    label_fill = page.evaluate("() => getComputedStyle(document.querySelector('#graph g.node.label-future text')).fill")
    assert contrast(rgb(label_fill), (255, 255, 255)) >= 4.5
    assert errors == []


def test_the_highlight_is_a_colour_no_edge_has_and_the_page_has_a_legend(browser, pages):
    page, _, errors = open_page(browser, pages["two-neuron"])
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    stroke = page.evaluate("() => getComputedStyle(document.querySelector('#graph g.node.current polygon, "
                           "#graph g.node.current path')).stroke")
    edges = page.evaluate("() => [...document.querySelectorAll('#graph g.edge path')].map(p => getComputedStyle(p).stroke)")
    assert rgb(stroke) not in {rgb(e) for e in edges} | EDGE_COLOURS
    legend = page.inner_text("#legend")
    assert "the sign of the contribution" in legend and "width its size" in legend and "passes its grad back" in legend
    assert errors == []


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_the_whole_graph_fits_clear_of_the_zoom_buttons(browser, pages, screen):
    page, _, _ = open_page(browser, pages["two-neuron"], screen)
    if screen == "laptop":  # the two-neuron graph in two rows: all of it readable on the first screen
        assert page.evaluate("""() => { const a = document.getElementById('graph').getBoundingClientRect(),
            b = document.querySelector('#graph svg g').getBoundingClientRect();
            return b.left >= a.left && b.right <= a.right && b.top >= a.top && b.bottom <= a.bottom; }""")
    page.click("#zoom-fit")
    inside = page.evaluate("""() => {
        const a = document.getElementById('graph').getBoundingClientRect(), z = document.getElementById('zoom').getBoundingClientRect();
        return [...document.querySelectorAll('#graph g.node')].map(g => g.getBoundingClientRect()).every(r =>
          r.left >= a.left - 1 && r.right <= a.right + 1 && r.top >= a.top - 1 && r.bottom <= a.bottom + 1 &&
          (r.right <= z.left || r.left >= z.right || r.bottom <= z.top || r.top >= z.bottom)); }""")
    assert inside  # every node in view, none under the buttons


def test_on_a_phone_the_hint_says_what_a_tap_does_and_the_graph_gets_the_room(browser, pages):
    page, _, _ = open_page(browser, pages["two-neuron"], "phone")
    assert page.is_visible("#hint") and "tap an input or a parameter" in page.inner_text("#hint")
    assert not page.is_visible("#hint .keys") and page.is_visible("#legend")
    panel = page.locator("#panel").bounding_box()["height"]
    graph = page.locator("#graph").bounding_box()["height"]
    assert panel <= 0.22 * SCREENS["phone"]["height"] and graph >= 2.5 * panel


def test_a_node_takes_the_keyboard_and_a_framed_page_asks_for_a_click(browser, pages, tmp_path):
    page, _, errors = open_page(browser, pages["two-neuron"])
    assert page.evaluate("() => document.querySelectorAll('#graph g.node[tabindex=\"0\"]').length") == 6  # inputs, params
    page.focus("#graph g.node.leaf-editable")
    page.keyboard.press("Enter")
    assert page.is_visible("#whatif") and page.inner_text("#whatif-name") in {"w1", "x1", "b1", "w2", "b2", "T"}
    assert page.is_hidden("#focus-note")  # a page of its own has the keys
    holder = tmp_path / "notebook.html"
    holder.write_text(f'<p>a notebook cell</p><iframe src="{pages["two-neuron"].name}" width="900" height="600"></iframe>')
    outer, _, _ = open_page(browser, holder)
    frame = outer.frames[1]
    frame.wait_for_selector("#hint")
    assert frame.is_visible("#focus-note") and "Click the page to use its keys" in frame.inner_text("#hint")
    assert errors == []


def test_a_summary_taller_than_its_panel_says_so(browser, pages):
    page, _, _ = open_page(browser, pages["network"])
    page.keyboard.press("End")
    assert page.is_visible("#more") and page.inner_text("#more") == "↓ scroll for all 15 rows"
    page.evaluate("() => { const p = document.getElementById('panel'); p.scrollTop = p.scrollHeight; "
                  "p.dispatchEvent(new Event('scroll')); }")
    assert page.is_hidden("#more")
    small, _, _ = open_page(browser, pages["two-neuron"])
    small.keyboard.press("End")
    assert small.is_hidden("#more") or small.evaluate(
        "() => { const p = document.getElementById('panel'); return p.scrollHeight > p.clientHeight + 2; }")
