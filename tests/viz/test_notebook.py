"""What viz makes shows in a notebook: graphs inline as SVG, the stepper in an iframe of its own.

The kernel test runs real cells (nbclient + ipykernel from the dev extras); the iframe test
puts the stepper's notebook HTML in a host page in Chromium.
"""
import pytest

from chainrule import viz
from chainrule.demos.two_neuron import build

from .test_stepper import SCREENS

CELLS = [
    "from chainrule import engine, viz\nfrom chainrule.demos.two_neuron import build\n"
    "net = build()\nnet.E.backward()",
    "viz.draw_graph(net.E)",
    "xs = [engine.Value(float(i), f'x{i}') for i in range(3)]\n"
    "out = engine.sum([x.sigmoid() for x in xs]).named('Σσ')\nout.backward()\nviz.draw_graph(out)",
    "viz.stepper(net.E)",
]


def test_graphs_and_the_stepper_display_in_a_real_kernel():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [cell.outputs for cell in nb.cells]
    assert all(o.output_type != "error" for cell in outputs for o in cell)
    assert not [o for cell in outputs for o in cell if o.output_type == "stream"]  # nothing on stdout/stderr
    for graph in (outputs[1], outputs[2]):
        assert "<svg" in graph[0].data["image/svg+xml"]
    assert "Σ" in outputs[2][0].data["image/svg+xml"] and "σ" in outputs[2][0].data["image/svg+xml"]
    assert outputs[3][0].data["text/html"].startswith('<iframe srcdoc="')


def test_the_notebook_stepper_is_isolated_and_takes_keys_only_with_focus(browser):
    html = viz.stepper(build().E)._repr_html_()
    ctx = browser.new_context(viewport=SCREENS["laptop"])
    host = ctx.new_page()
    requests, errors = [], []
    host.on("request", lambda r: requests.append(r.url))
    host.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    host.set_content('<style>button { color: red }</style><h1 id="graph">notebook</h1>'
                     f'<input id="cell">{html}<p id="after">after</p>')
    frame = host.frame_locator("iframe")
    assert frame.locator("#counter").inner_text() == "forward"
    assert host.locator("#graph").inner_text() == "notebook"  # the page's ids stay inside the iframe
    assert host.locator("#counter").count() == 0
    assert frame.locator("#next").evaluate("b => getComputedStyle(b).color") != "rgb(255, 0, 0)"
    host.focus("#cell")
    host.keyboard.press("ArrowRight")
    assert frame.locator("#counter").inner_text() == "forward"  # keys typed in the notebook stay there
    frame.locator("#panel").click()
    host.keyboard.press("ArrowRight")
    host.keyboard.press("ArrowRight")
    assert frame.locator("#counter").inner_text().startswith("2 / ")
    box = host.locator("iframe").bounding_box()
    assert box["height"] == 640 and box["width"] > 1000
    assert requests == [] and errors == []
