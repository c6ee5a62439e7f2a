"""The playground page in Chromium: its trainer gives nn.fit's numbers (the parity grid, and the page's own
training with validation), one sample's graph gives the engine's numbers, points are added and removed by
click, tap, shift-click and long press, the network shows weights, gradients or updates, the model
downloads as a file nn.MLP.from_file loads, keys play and step; readable at laptop and phone size, no
console errors, nothing loaded. One page load serves many checks."""
import json
import math

import pytest

from chainrule import nn, viz
from chainrule.engine import names, topological_order

from . import parity_cases as P
from .conftest import CHROMIUM_ARGS  # noqa: F401  (the browser fixture's flags)
from .test_stepper import SCREENS


def moons_page(tmp_path, **options):
    """A 2-8-8-1 network on 40 moons, Adam, mini-batches of 16, 10 validation points: small and quick."""
    X, y = nn.data.moons(50, noise=0.2, seed=1)
    model = nn.MLP(2, [8, 8, 1], activation="tanh", output="sigmoid", seed=2)
    optimizer = nn.Adam(model.parameters(), lr=0.02)
    settings = dict(loss="bce", optimizer=optimizer, batch_size=16, seed=5, l2=1e-3, validation=(X[40:], y[40:]))
    settings.update(options)
    path = viz.save_playground(model, X[:40], y[:40], tmp_path / "playground.html", **settings)
    return path, model, optimizer, (X, y), settings


class Opened:
    """A page in a browser context of its own, with what it requested and every console error."""

    def __init__(self, browser, path, screen="laptop"):
        self.context = browser.new_context(viewport=SCREENS[screen], has_touch=screen == "phone", accept_downloads=True)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.playground !== undefined")

    def __call__(self, script, arg=None):
        return self.page.evaluate(script, arg)


@pytest.fixture(scope="module")
def pages(browser, tmp_path_factory):
    """The moons page, opened once at laptop and once at phone size, for the whole module."""
    folder = tmp_path_factory.mktemp("playground")
    path, model, optimizer, data, settings = moons_page(folder)
    opened = {screen: Opened(browser, path, screen) for screen in SCREENS}
    yield {"path": path, "model": model, "data": data, "settings": settings, **opened}
    for o in opened.values():
        o.context.close()


def fit_like_the_page(pages, epochs):
    """nn.fit on a fresh copy of the page's model and settings (the page's own model was not changed)."""
    path, model, optimizer, (X, y), settings = moons_page(pages["path"].parent / "again")
    settings.pop("optimizer")
    history = nn.fit(model, X[:40], y[:40], optimizer=optimizer, epochs=epochs, **settings)
    return model, history


def test_the_grid_in_chromium_gives_fits_numbers(pages):
    """Every optimizer × relu/tanh/sigmoid × every loss that fits, full batch and mini-batches, through the
    page's own trainer (chainruleTrainer), one page.evaluate per case."""
    page = pages["laptop"]
    worst = []
    for case in P.CASES:
        spec, losses, params = P.case(*case)
        got = page("""([spec, epochs]) => { const t = chainruleTrainer.create(spec);
                        for (let e = 0; e < epochs; e++) t.epoch();
                        return {losses: t.losses, parameters: t.parameters()}; }""", [spec, P.EPOCHS])
        worst.append((max(P.worst_difference(got["losses"], losses), P.worst_difference(got["parameters"], params)), case))
    assert max(worst)[0] <= 1, sorted(worst, reverse=True)[:5]
    assert pages["laptop"].errors == []


def test_the_page_trains_as_fit_does_validation_loss_included(pages):
    page = pages["laptop"]
    page("window.playground.weightsFromPython()")
    assert page("window.playground.parameters()") == [p.data for p in pages["model"].parameters()]  # untouched
    per_epoch = math.ceil(40 / 16)
    assert page(f"window.playground.step({50 * per_epoch})") is True
    model, history = fit_like_the_page(pages, 50)
    assert P.worst_difference(page("window.playground.losses()"), history.loss) <= 1
    assert P.worst_difference(page("window.playground.validationLosses()"), history.val_loss) <= 1
    assert P.worst_difference(page("window.playground.parameters()"), [p.data for p in model.parameters()]) <= 1
    status = page("window.playground.status()")
    assert status["steps"] == 50 * per_epoch and status["epochs"] == 50
    assert page.page.inner_text("#counter") == f"epoch 50 · step {50 * per_epoch} ({per_epoch} per epoch)"
    # predict is the model's output, as nn.predict
    for x in ([0.3, -0.2], [1.5, 0.7]):
        assert page("([a, b]) => window.playground.predict(a, b)", x) == pytest.approx(nn.predict(model, [x])[0], rel=1e-9)


def python_sample_graph(parameters, x, label, loss="bce", sizes=(8, 8, 1), activation="tanh", output="sigmoid"):
    """The engine's graph of one sample at these parameters: [(name, data, grad)] in topological order."""
    model = nn.MLP(2, list(sizes), activation=activation, output=output, seed=0)
    for p, value in zip(model.parameters(), parameters):
        p.data = value
    root = nn.loss_graph(model, [x], [label], loss)
    root.backward()
    order, shown = topological_order(root), names(root)
    return [(shown[v], v.data, v.grad) for v in order]


def test_one_samples_graph_is_the_engines_at_the_current_weights(pages):
    page = pages["laptop"]
    page("window.playground.step(7)")
    points = page("window.playground.points()")
    assert page("([a, b]) => window.playground.select(a, b)", points[5][:2]) == 5  # a point: chosen by position
    theta = page("window.playground.parameters()")
    shown = page("window.playground.sampleGraph()")
    expected = python_sample_graph(theta, points[5][:2], points[5][2])
    assert [n["label"] for n in shown] == [name for name, _, _ in expected]
    for node, (name, data, grad) in zip(shown, expected):
        assert node["data"] == pytest.approx(data, rel=1e-12, abs=1e-14), name
        assert node["grad"] == pytest.approx(grad, rel=1e-11, abs=1e-14), name
    # anywhere else on the plane: an input of your own, with the chosen class
    assert page("window.playground.select(0.123, 0.456)") is None
    page("window.playground.step(1)")  # recomputed at the new weights
    theta = page("window.playground.parameters()")
    expected = python_sample_graph(theta, [0.123, 0.456], 1.0)
    got = page("window.playground.sampleGraph()")
    assert [n["data"] for n in got] == pytest.approx([d for _, d, _ in expected], rel=1e-12, abs=1e-14)
    assert [n["grad"] for n in got] == pytest.approx([g for _, _, g in expected], rel=1e-11, abs=1e-14)
    # the drawing says so: the input nodes and the loss carry the numbers
    texts = page("[...document.querySelectorAll('#graph-holder g.node text')].map(t => t.textContent)")
    assert "data 0.123" in texts and "data 0.456" in texts
    assert f"data {viz.graph.fmt(expected[-1][1])}" in texts
    # another activation: the graph's operations follow (the same numbers as the engine's with it)
    page("window.playground.set({activation: 'sigmoid'})")
    got = page("window.playground.sampleGraph()")
    expected = python_sample_graph(theta, [0.123, 0.456], 1.0, activation="sigmoid")
    assert [n["data"] for n in got] == pytest.approx([d for _, d, _ in expected], rel=1e-12, abs=1e-14)
    page("window.playground.set({activation: 'tanh'})")
    assert pages["laptop"].errors == []


PLANE_XY = """([px, py]) => { const r = document.getElementById('plane').getBoundingClientRect();
    return [r.left + px * r.width, r.top + py * r.height]; }"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_points_are_added_and_removed_by_click_tap_shift_click_and_long_press(pages, screen):
    opened, page = pages[screen], pages[screen].page
    opened("window.playground.weightsFromPython()")
    before = opened("window.playground.points()")
    page.locator("#classes input").first.check()  # the first class
    x, y = opened(PLANE_XY, [0.93, 0.07])  # a corner, away from the data
    if screen == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    after = opened("window.playground.points()")
    assert len(after) == len(before) + 1 and after[:-1] == before
    assert after[-1][2] == 0.0  # the chosen class
    assert opened("window.playground.status().sample.point") == len(before)  # and it is the sample now
    steps = opened("window.playground.status().steps")
    opened("window.playground.step(3)")  # training goes on with it
    assert opened("window.playground.status().steps") == steps + 3
    if screen == "phone":  # a long press removes it
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_function(f"() => window.playground.points().length === {len(before)}")
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    else:
        page.keyboard.down("Shift")
        page.mouse.click(x, y)
        page.keyboard.up("Shift")
    assert opened("window.playground.points()") == before
    # by the API, and its refusals
    assert opened("window.playground.addPoint(0.5, 0.5, 1)") is True
    assert opened("window.playground.removePoint(window.playground.points().length - 1)") is True
    with pytest.raises(Exception, match="the label must be one of 0, 1"):
        opened("window.playground.addPoint(0, 0, 7)")
    assert opened.errors == []


def edge_order(sizes):
    """The diagram's edges in drawing order, as indices into parameters(): layer, neuron j, input i."""
    order, offset = [], 0
    for nin, nout in zip(sizes, sizes[1:]):
        order += [offset + j * (nin + 1) + i for j in range(nout) for i in range(nin)]
        offset += (nin + 1) * nout
    return order


def test_the_network_shows_weights_gradients_or_last_updates_and_a_tip_tells_the_numbers(pages):
    opened, page = pages["laptop"], pages["laptop"].page
    opened("window.playground.step(2)")
    before = opened("window.playground.parameters()")
    opened("window.playground.step(1)")
    after = opened("window.playground.parameters()")
    assert opened("window.playground.updates()") == [b - a for a, b in zip(before, after)]  # the last update: new − old
    edges = edge_order([2, 8, 8, 1])
    drawn = """() => [...document.querySelectorAll('#network line')].map(l => [parseFloat(l.getAttribute('stroke-width')),
                                                                              l.getAttribute('stroke')])"""
    for view, numbers in (("weights", "parameters"), ("gradients", "gradients"), ("updates", "updates")):
        page.check(f"#view input[value={view}]")
        shown, values = opened(drawn), opened(f"window.playground.{numbers}()")
        assert len(shown) == len(edges) == 2 * 8 + 8 * 8 + 8
        on_edges = [values[i] for i in edges]
        largest = max(abs(v) for v in on_edges)
        for (width, colour), v in zip(shown, on_edges):
            assert colour == ("#0072B2" if v > 0 else "#D55E00" if v < 0 else "#999999"), view
            if abs(v) == largest:
                assert width == 5.5, view  # the largest is the thickest
            elif 0 < abs(v) < largest / 1e4:
                assert width == 0.4, view  # four decades below it: the thinnest
            else:
                assert 0.4 <= width <= 5.5
        assert shown != [], view
    # hover an edge: its name, value, gradient and last update
    mid = opened("""() => { const l = document.querySelectorAll('#network line')[3], svg = document.getElementById('network');
        const p = svg.createSVGPoint(); p.x = (l.x1.baseVal.value + l.x2.baseVal.value) / 2;
        p.y = (l.y1.baseVal.value + l.y2.baseVal.value) / 2;
        const q = p.matrixTransform(svg.getScreenCTM()); return [q.x, q.y]; }""")
    page.mouse.move(*mid)
    tip = page.inner_text("#tip")
    i = edges[3]  # neuron 1 of layer 0, its input 1
    fmt = viz.graph.fmt
    theta, grads, updates = (opened(f"window.playground.{f}()")[i] for f in ("parameters", "gradients", "updates"))
    assert tip.splitlines() == ["layers.0.neurons.1.w.1", f"value        {fmt(theta)}", f"gradient     {fmt(grads)}",
                                f"last update  {fmt(updates)}"]
    page.check("#view input[value=weights]")
    assert opened.errors == []
