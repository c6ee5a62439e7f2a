"""The playground page in Chromium: its trainer gives nn.fit's numbers (the parity grid, and the page's own
training with validation), one sample's graph gives the engine's numbers, points are added and removed by
click, tap, shift-click and long press, the network shows weights, gradients or updates, the model
downloads as a file nn.MLP.from_file loads, keys play and step; readable at laptop and phone size, no
console errors, nothing loaded. One page load serves many checks."""
import math

import pytest

from chainrule import nn, viz
from chainrule.engine import names, topological_order

from . import parity_cases as P
from .test_page_polish import EDGE_COLOURS, rgb
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
    page's own trainer (chainruleTrainer), in the page that was loaded once."""
    page = pages["laptop"]
    cases = [P.case(*case) for case in P.CASES]
    results = page("""([specs, epochs]) => specs.map(spec => { const t = chainruleTrainer.create(spec);
                        for (let e = 0; e < epochs; e++) t.epoch();
                        return {losses: t.losses, parameters: t.parameters()}; })""", [[c[0] for c in cases], P.EPOCHS])
    worst = []
    for case, (spec, losses, params), got in zip(P.CASES, cases, results):
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


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_the_model_downloads_as_a_file_nn_loads_and_the_data_as_csv(pages, screen, tmp_path):
    opened, page = pages[screen], pages[screen].page
    opened("window.playground.step(4)")
    with page.expect_download() as download:
        page.click("#download-model")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "playground-model.json"
    model = nn.MLP.from_file(path)
    assert [p.data for p in model.parameters()] == opened("window.playground.parameters()")  # every digit
    assert (model.sizes, model.activation, model.output) == ([8, 8, 1], "tanh", "sigmoid")
    assert nn.predict(model, [[0.2, 0.9]])[0] == pytest.approx(opened("window.playground.predict(0.2, 0.9)"), rel=1e-12)
    assert "nn.MLP.from_file" in page.inner_text("#status")
    with page.expect_download() as download:
        page.click("#download-data")
    csv = tmp_path / "data.csv"
    download.value.save_as(csv)
    rows = [line.split(",") for line in csv.read_text().splitlines()]
    assert rows[0] == ["x1", "x2", "label"]
    assert [[float(v) for v in r] for r in rows[1:]] == opened("window.playground.points()")
    assert opened.errors == []


def test_keys_play_pause_and_step(pages):
    opened, page = pages["laptop"], pages["laptop"].page
    page.locator("h1").click()  # focus on the page, not on a field
    steps = opened("window.playground.status().steps")
    page.keyboard.press("ArrowRight")
    assert opened("window.playground.status().steps") == steps + 1
    page.keyboard.press(" ")
    assert opened("window.playground.status().playing") is True
    page.wait_for_function(f"() => window.playground.status().steps > {steps + 3}")
    page.keyboard.press(" ")
    assert opened("window.playground.status().playing") is False
    assert page.inner_text("#play") == "▶ play"
    # in a field, the keys are the field's
    page.fill("#lr", "0.03")
    page.focus("#lr")
    steps = opened("window.playground.status().steps")
    page.keyboard.press("ArrowRight")
    assert opened("window.playground.status().steps") == steps
    page.locator("#lr").press("Enter")
    page.locator("h1").click()
    assert opened("window.playground.settings().lr") == 0.03
    opened("window.playground.set({lr: 0.02})")
    assert opened.errors == []


READABILITY = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                         return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const small = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('#graph-holder svg, template, script, style')) continue;
    const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (text && visible(e) && parseFloat(getComputedStyle(e).fontSize) < 12) small.push(e.tagName + ' ' + e.textContent.slice(0, 30));
  }
  const boxes = [...document.querySelectorAll('main > section')].map(s => [s.id, s.getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) overlaps.push(a + '/' + b);
  }
  for (const bar of document.querySelectorAll('.bar')) {
    const items = [...bar.children].filter(visible).map(e => [e.id || e.tagName, e.getBoundingClientRect()]);
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
      const [a, p] = items[i], [b, q] = items[j];
      if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) overlaps.push(a + '/' + b);
    }
  }
  const graphText = [...document.querySelectorAll('#graph-holder g.node text')].map(t =>
      parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return {small, overlaps, wide: document.documentElement.scrollWidth > window.innerWidth,
          sections: boxes.map(([id, r]) => [id, Math.round(r.left), Math.round(r.top), Math.round(r.width)]),
          graphText: Math.min(...graphText)};
}"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_readable_at_laptop_and_phone_size(pages, screen):
    opened = pages[screen]
    seen = opened(READABILITY)
    assert seen["small"] == [] and seen["overlaps"] == [] and not seen["wide"], seen
    assert seen["graphText"] >= 12  # the sample's graph reads at 12 px or more (pan and zoom for the rest)
    sections = {name: (left, top, width) for name, left, top, width in seen["sections"]}
    if screen == "phone":  # one panel under the other, each the page's width
        lefts = {left for left, _, _ in sections.values()}
        tops = [top for _, top, _ in sections.values()]
        assert len(lefts) == 1 and tops == sorted(tops) and all(w >= 360 for _, _, w in sections.values())
    else:  # side by side, all in the first screen
        assert sections["plane-panel"][0] < sections["curves-panel"][0] < sections["network-panel"][0]
        assert opened("document.getElementById('sample-panel').getBoundingClientRect().bottom") <= 800
    assert opened.requests == [pages["path"].as_uri()] and opened.errors == []


def test_three_classes_are_one_click_away_with_fits_numbers(pages):
    from chainrule.viz.playground import optimizer_spec, three_classes

    opened, page = pages["laptop"], pages["laptop"].page
    page.click("#problem")
    assert opened("window.playground.status().problem") == "three"
    assert page.inner_text("#problem") == "the data from Python"
    assert page.locator("#classes input").count() == 3
    per_epoch = math.ceil(180 / 16)
    opened(f"window.playground.step({4 * per_epoch})")
    _, model, optimizer, _, settings = moons_page(pages["path"].parent / "three")
    three, X, y, opt = three_classes(model, optimizer_spec(optimizer), settings["seed"])
    history = nn.fit(three, X, y, loss="cross_entropy", optimizer=opt, epochs=4, l2=settings["l2"],
                     batch_size=settings["batch_size"], seed=settings["seed"])
    assert P.worst_difference(opened("window.playground.losses()"), history.loss) <= 1
    assert P.worst_difference(opened("window.playground.parameters()"), [p.data for p in three.parameters()]) <= 1
    # the sample's graph is the engine's for the class of the chosen point
    point = opened("window.playground.points()")[7]
    opened("([a, b]) => window.playground.select(a, b)", point[:2])
    expected = python_sample_graph(opened("window.playground.parameters()"), point[:2], int(point[2]), "cross_entropy",
                                   (8, 8, 3), "tanh", "softmax")
    got = opened("window.playground.sampleGraph()")
    assert [n["label"] for n in got] == [name for name, _, _ in expected]
    assert [n["grad"] for n in got] == pytest.approx([g for _, _, g in expected], rel=1e-11, abs=1e-14)
    page.click("#problem")
    assert opened("window.playground.status().problem") == "given" and opened.errors == []


def test_other_hidden_sizes_reinitialise_and_back_to_python(pages):
    opened, page = pages["laptop"], pages["laptop"].page
    opened("window.playground.set({hidden: [5]})")
    assert opened("window.playground.status().sizes") == [2, 5, 1]
    assert page.locator("#network line").count() == 2 * 5 + 5
    assert "laid out in Python for the 2-8-8-1 network" in page.inner_text("#graph-holder")
    assert opened("window.playground.sampleGraph()") is None
    opened("window.playground.step(3)")  # the other panels follow any shape
    assert len(opened("window.playground.losses()")) == 1
    first = opened("window.playground.parameters()")
    opened("window.playground.reinitialise()")
    assert opened("window.playground.parameters()") != first and len(first) == 21
    with pytest.raises(Exception, match="make 10,?\\d* parameters; the page animates at most 10000"):
        opened("window.playground.set({hidden: [100, 100]})")
    opened("window.playground.weightsFromPython()")
    assert opened("window.playground.status().sizes") == [2, 8, 8, 1]
    assert opened("window.playground.parameters()") == [p.data for p in pages["model"].parameters()]
    assert page.locator("#graph-holder svg").count() == 1 and opened("window.playground.sampleGraph()") is not None
    assert opened.errors == []


def test_a_step_too_large_stops_training_and_says_what_to_do(pages):
    opened, page = pages["laptop"], pages["laptop"].page
    opened("window.playground.set({optimizer: 'sgd', lr: 1e300})")
    for _ in range(5):  # steps until one would overflow
        before = opened("window.playground.parameters()")
        if opened("window.playground.step(1)") is False:
            break
    else:
        pytest.fail("five steps at η = 1e300 and no overflow")
    assert opened("window.playground.parameters()") == before  # the update that would overflow is not made
    assert all(math.isfinite(v) for v in before)
    assert "Lower the learning rate (try 1e+299)" in page.inner_text("#status")
    opened("window.playground.weightsFromPython()")
    assert opened("window.playground.settings()")["optimizer"] == "adam" and opened.errors == []


def test_reduced_motion_draws_seldom_while_it_trains(browser, pages):
    context = browser.new_context(viewport=SCREENS["laptop"], reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(pages["path"].as_uri())
        page.evaluate("window.playground.play()")
        page.wait_for_function("() => window.playground.status().steps >= 40")  # 60 steps/s: about 2/3 s
        status = page.evaluate("window.playground.pause(), window.playground.status()")
        assert status["frames"] <= 4  # the first drawing and one every half second, not one per step
    finally:
        context.close()


def test_step_into_shows_this_samples_training_step_as_the_engine_and_optimizer_compute_it(browser, tmp_path):
    from chainrule.viz.frames import replay, replaying

    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", output="sigmoid", seed=1)
    path = viz.save_playground(model, X, y, tmp_path / "xor.html", loss="bce", optimizer=nn.Adam(model.parameters(), lr=0.1))
    opened = Opened(browser, path)
    try:
        page = opened.page
        opened("window.playground.step(3)")
        opened("window.playground.weightsFromPython()")  # the optimizer's state as Python's: fresh
        assert opened("window.playground.select(1, 0)") == 2
        frames = opened("window.playground.stepInto()")
        root = nn.loss_graph(model, [[1.0, 0.0]], [1.0], "bce")
        order = topological_order(root)
        forward = [f for f in frames if f["kind"] == "f"]
        assert len(forward) == len(list(root.forward_steps()))
        with replaying(order):
            expected = replay(root, order).frames
        backward = [f for f in frames if f["kind"] == "b"]
        fmt = viz.graph.fmt
        assert [(f["node"], f["parent"], f["edge"], fmt(f["before"]), fmt(f["after"])) for f in backward] == \
            [(e["c"], e["p"], e["e"], e["b"], e["a"]) for e in expected]
        root.backward()
        plan = nn.Adam(model.parameters(), lr=0.1).plan()  # the update this sample alone would make, now
        updates = [f for f in frames if f["kind"] == "u"]
        assert len(updates) == len(plan) == 17
        for mine, theirs in zip(updates, plan):
            assert mine["text"].endswith(": " + theirs.text) and mine["after"] == pytest.approx(theirs.after, rel=1e-12)
        assert updates[0]["text"].startswith("Update 1/17, layers.0.neurons.0.w.0: m ← β₁·m")
        # the drawing follows the frames: the edge of a backward frame is lit, its parent's grad changes
        k = frames.index(backward[3])
        opened(f"window.playground.frame({k})")
        lit = opened("[...document.querySelectorAll('#graph-holder .active')].map(e => e.id)")
        assert sorted(lit) == [backward[3]["edge"] + "_a", backward[3]["edge"] + "_b"]
        # the highlight is the stepper's, a colour no edge has (orange read as the vermillion of a negative edge)
        stroke = opened("getComputedStyle(document.querySelector('#graph-holder g.node.current polygon, "
                        "#graph-holder g.node.current path, #graph-holder g.node.current ellipse')).stroke")
        edges = opened("[...document.querySelectorAll('#graph-holder g.edge path')].map(p => getComputedStyle(p).stroke)")
        assert rgb(stroke) == (204, 121, 167) and rgb(stroke) not in {rgb(e) for e in edges} | EDGE_COLOURS
        grad_line = opened(f"[...document.querySelectorAll('#v{backward[3]['parent']} text')].pop().textContent")
        assert grad_line == f"grad {fmt(backward[3]['before'])} → {fmt(backward[3]['after'])}"
        assert page.inner_text("#frame-text") == backward[3]["text"]
        page.locator("h1").click()
        page.keyboard.press("ArrowRight")
        assert opened("window.playground.frame(-1)") == 0 and opened("window.playground.status().steps") == 0  # keys step frames
        page.keyboard.press("Escape")
        assert page.locator("#stepping").is_hidden() and opened("window.playground.frame(0)") is None
        assert opened.errors == []
    finally:
        opened.context.close()


def test_step_into_a_graph_drawn_per_neuron_says_what_to_do_instead(pages):
    opened = pages["laptop"]  # 2-8-8-1: 397 nodes to draw one by one, so one node per neuron
    assert opened("window.playground.stepInto()") is None
    assert "viz.training_step(nn.loss_graph(model, [x], [y], loss), optimizer)" in opened.page.inner_text("#status")
    assert opened.page.locator("#stepping").is_hidden() and opened.errors == []


def test_a_graph_with_settings_on_its_nodes_is_the_engines(browser, tmp_path):
    """Softmax outputs (each knows its index) under nll, elu hidden units (their α): the settings travel with
    the sample's graph, so its numbers are the engine's; after a switch to leaky ReLU, the table's slope."""
    X, y = nn.data.spirals(8, classes=3, seed=0)
    model = nn.MLP(2, [3, 3], activation="elu", output="softmax", seed=0)
    path = viz.save_playground(model, X, y, tmp_path / "nll.html", loss="nll", optimizer=nn.SGD(model.parameters()))
    opened = Opened(browser, path)
    try:
        opened("window.playground.step(2)")
        point = opened("window.playground.points()")[4]
        opened("([a, b]) => window.playground.select(a, b)", point[:2])
        theta = opened("window.playground.parameters()")
        for activation in ("elu", "leaky_relu"):
            opened(f"window.playground.set({{activation: '{activation}'}})")
            expected = python_sample_graph(theta, point[:2], int(point[2]), "nll", (3, 3), activation, "softmax")
            got = opened("window.playground.sampleGraph()")
            assert [n["data"] for n in got] == pytest.approx([d for _, d, _ in expected], rel=1e-12, abs=1e-14)
            assert [n["grad"] for n in got] == pytest.approx([g for _, _, g in expected], rel=1e-11, abs=1e-14)
        assert opened.errors == []
    finally:
        opened.context.close()
