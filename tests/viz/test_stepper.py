"""The backward stepper in a real browser: the engine's numbers, one update per frame, a page that
holds still and reads at 12 px on a laptop and a phone, pan and zoom, no network, no JavaScript."""
import importlib
import json
import re
import tracemalloc

import pytest

from chainrule.engine.formatting import in_partial

from chainrule import engine
from chainrule import nn
from chainrule import viz
from chainrule.demos import two_neuron
from chainrule.demos.two_neuron import build
from chainrule.engine import Value, fmt

from . import measure as M

SCREENS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def engine_updates(root):
    """(child, parent, EdgeUpdate) for each update backward makes, constants left out, with display names."""
    names = engine.names(root)
    return [(names[s.node], names[u.parent], u) for s in root.backward_steps()
            for u in s.updates if u.parent.op != "const" and s.node.op != "const"]


OPEN_CONTEXTS: list = []


def open_page(browser, path, screen="laptop", **context):
    """The page in a fresh browser context (closed after the test by conftest's `close_contexts`)."""
    ctx = browser.new_context(viewport=SCREENS[screen], has_touch=screen == "phone", **context)
    OPEN_CONTEXTS.append(ctx)
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, errors


def line_shown(page, label, line=-1):
    """A text line of the node whose first line is `label` (the last, the grad line, by default)."""
    return page.evaluate("""([label, line]) => {
        for (const g of document.querySelectorAll('g.node')) {
            const t = [...g.querySelectorAll('text')].map(x => x.textContent);
            if (t[0] === label) return t[t.length + line];
        }
        return null; }""", [label, line])


def grad_shown(page, label):
    """The grad line of the node whose first line is `label`."""
    return line_shown(page, label)


def frames_of(page):
    return int(page.get_attribute("#scrubber", "max"))


@pytest.fixture
def two_neuron_page(tmp_path):
    return viz.save_stepper(build().E, tmp_path / "backprop.html")


def test_each_frame_is_one_update_of_the_engine(browser, two_neuron_page):
    page, requests, errors = open_page(browser, two_neuron_page)
    updates = engine_updates(build().E)
    assert frames_of(page) == 1 + len(updates) + 1  # seed, one frame per update, the summary
    assert grad_shown(page, "w1") == "grad —" and page.inner_text("#counter") == "forward"
    page.keyboard.press("ArrowRight")
    assert "E.grad = ∂E/∂E = 1" in page.inner_text("#formula")
    for child, parent, u in updates:
        page.keyboard.press("ArrowRight")
        text = page.inner_text("#formula")
        c, p = in_partial(child), in_partial(parent)  # (T−a2), bracketed as the engine's step texts are
        assert f"{p}.grad += {c}.grad × ∂{c}/∂{p}" in text
        assert f"{fmt(u.upstream)} × {fmt(u.local)} = {fmt(u.contribution)}" in text
        assert f"{p}.grad: {fmt(u.before)} → {fmt(u.after)}" in text
        assert grad_shown(page, parent) == f"grad {fmt(u.before)} → {fmt(u.after)}"
    final = build()
    final.E.backward()
    page.keyboard.press("ArrowRight")
    for name in ("w1", "b1", "w2", "b2", "x1", "T", "z1", "a1", "z2", "a2", "E"):
        assert grad_shown(page, name) == f"grad {fmt(getattr(final, name).grad)}"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert f"{updates[-2][1]}.grad: " in page.inner_text("#formula")
    page.keyboard.press("Home")
    assert grad_shown(page, "w1") == "grad —"
    assert requests == [two_neuron_page.as_uri()] and errors == []  # nothing loaded from anywhere else


def test_constants_get_no_step_and_every_step_highlights_its_edge_and_nodes(browser, two_neuron_page):
    page, _, errors = open_page(browser, two_neuron_page)
    data = json.loads(page.inner_text("#frames") if False else page.evaluate(
        "document.getElementById('frames').textContent"))
    const = page.evaluate("""[...document.querySelectorAll('g.node')].filter(g =>
        g.querySelector('polygon[stroke-dasharray]')).map(g => g.id)""")
    assert const and not set(const) & {f"v{i}" for i in data["nodes"]}
    # the constant 0.5's edge into E = 0.5 · (T − a2)² waits with the others until E passes its gradient on
    constant_edges = [e for f in data["frames"] for e in f.get("q", [])]
    future = "(ids) => ids.map(id => document.getElementById(id + '_a').classList.contains('future'))"
    assert constant_edges and all(page.evaluate(future, constant_edges))
    page.keyboard.press("ArrowRight")
    assert page.evaluate(M.HIGHLIGHTS)["current"] == [f"v{data['frames'][0]['c']}"]  # the seed: the root
    assert all(page.evaluate(future, constant_edges))
    for frame in data["frames"][1:]:
        page.keyboard.press("ArrowRight")
        passed = [e for f in data["frames"][:data["frames"].index(frame) + 1] for e in f.get("q", [])]
        assert not any(page.evaluate(future, passed))
        assert "0.5.grad" not in page.inner_text("#formula")
        lit = page.evaluate(M.HIGHLIGHTS)
        assert lit["current"] == [f"v{frame['c']}"] and lit["changed"] == [f"v{frame['p']}"]
        assert lit["through"] == [f"o{frame['c']}"]
        assert sorted(lit["active"]) == [frame["e"] + "_a", frame["e"] + "_b"]
        assert not set(const) & set(lit["pending"])  # a constant is never waiting for a gradient
    assert errors == []


def test_the_end_sums_up_gradients_and_the_update_they_give(browser, tmp_path, two_neuron_page):
    page, _, _ = open_page(browser, two_neuron_page)
    page.keyboard.press("End")
    assert page.inner_text("#counter") == "done" and page.locator("#formula").is_hidden()
    rows = [r.split("\t") for r in page.inner_text("#summary tbody").splitlines()]
    stepped = build()
    two_neuron.gradients(stepped)
    two_neuron.sgd_step(stepped, lr=0.4)
    final = build()
    final.E.backward()
    assert [r[0] for r in rows] == ["b1", "b2", "w1", "w2", "T", "x1"]
    for name, grad, *update in rows:
        assert grad == fmt(getattr(final, name).grad)
        if name in two_neuron.PARAMETERS:
            p = getattr(final, name)
            assert update[0] == f"{fmt(p.data)} − 0.4 × {fmt(p.grad)} = {fmt(getattr(stepped, name).data)}"
    assert "η = 0.4" in page.inner_text("#summary")
    lit = page.evaluate(M.HIGHLIGHTS)
    assert len(lit["final"]) == 6 and not lit["current"]
    other = viz.save_stepper(build().E, tmp_path / "lr.html", lr=0.1)
    page, _, _ = open_page(browser, other)
    page.keyboard.press("End")
    summary = page.inner_text("#summary")
    assert "η = 0.1" in summary and "0.15 − 0.1 × 0.001021 = 0.1499" in summary
    with pytest.raises(ValueError, match="stepper: lr must be a positive number, got -1"):
        viz.stepper(build().E, lr=-1)


def small_network_loss():
    model = nn.MLP(2, [3, 1], seed=1)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    return ((out - 1.0) ** 2).named("L")


@pytest.mark.parametrize("graph", ["two-neuron", "network"])
@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_readable_still_and_clear_at_laptop_and_phone_size(browser, tmp_path, screen, graph):
    path = viz.save_stepper(build().E if graph == "two-neuron" else small_network_loss(), tmp_path / "s.html")
    page, requests, errors = open_page(browser, path, screen)
    area = page.locator("#graph").bounding_box()
    assert area["width"] == SCREENS[screen]["width"] and area["height"] > 0.5 * SCREENS[screen]["height"]
    drawn = page.locator("#graph svg g").first.bounding_box()
    assert drawn["width"] >= 0.9 * area["width"] or drawn["height"] >= 0.9 * area["height"]  # fills it
    still = page.evaluate(M.PANEL_POSITIONS)
    for k in range(frames_of(page) + 1):
        if k:
            page.keyboard.press("ArrowRight")
        text = page.evaluate(M.SMALLEST_NODE_TEXT)
        assert text["count"] >= 3 and text["smallest"] >= 12, (k, text)
        assert page.evaluate(M.EDGES_THROUGH_TEXT) == [], k
        assert page.evaluate(M.TEXT_OUTSIDE_NODES) == [], k
        out_of_view = page.evaluate(M.LIT_OUT_OF_VIEW)  # the view follows the step:
        lit = page.evaluate(M.HIGHLIGHTS)
        if graph == "two-neuron":
            assert out_of_view == [], k  # all of it
        else:
            assert not set(out_of_view) & set(lit["changed"]), k  # at least the grad it changes
        now = page.evaluate(M.PANEL_POSITIONS)
        assert {i: r for i, r in now.items() if i not in ("formula", "summary")} == \
               {i: r for i, r in still.items() if i not in ("formula", "summary")}, k
    page.screenshot(path=str(tmp_path / f"{screen}.png"))
    assert errors == [] and requests == [path.as_uri()]
    # and the measure sees an edge through text when there is one: move a node's text onto an edge
    page.evaluate("""() => {
      const path = document.querySelector('#graph g.edge path'), text = document.querySelector('#graph g.node text');
      const p = path.getPointAtLength(path.getTotalLength() / 2);
      text.setAttribute('x', p.x); text.setAttribute('y', p.y);
    }""")
    assert page.evaluate(M.EDGES_THROUGH_TEXT) != []


def test_zoom_buttons_keys_wheel_drag_and_pinch(browser, two_neuron_page):
    page, _, errors = open_page(browser, two_neuron_page)
    scale = lambda: page.evaluate(M.CAMERA)[0]  # noqa: E731
    start = scale()
    page.click("#zoom-in")
    assert scale() == pytest.approx(start * 1.25)
    page.click("#zoom-out")
    page.click("#zoom-out")
    assert scale() == pytest.approx(start * 0.8)
    page.click("#zoom-fit")
    assert scale() == pytest.approx(start)
    page.keyboard.press("+")
    assert scale() == pytest.approx(start * 1.25)
    page.keyboard.press("0")
    page.mouse.move(600, 400)
    page.mouse.wheel(0, -300)
    assert scale() > start
    before = page.evaluate(M.CAMERA)
    page.mouse.down()
    page.mouse.move(500, 350, steps=5)
    page.mouse.up()
    after = page.evaluate(M.CAMERA)
    assert after[1] == pytest.approx(before[1] - 100, abs=1) and after[2] == pytest.approx(before[2] - 50, abs=1)
    assert errors == []

    phone, _, errors = open_page(browser, two_neuron_page, "phone")
    start = phone.evaluate(M.CAMERA)[0]
    cdp = phone.context.new_cdp_session(phone)

    def touch(kind, points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

    touch("touchStart", [(150, 350), (240, 350)])
    for d in range(45, 100, 5):
        touch("touchMove", [(195 - d, 350), (195 + d, 350)])
    touch("touchEnd", [])
    assert phone.evaluate(M.CAMERA)[0] > 1.5 * start  # pinched open
    assert errors == []


def test_without_javascript_the_final_graph_and_summary_show(browser, two_neuron_page):
    page, requests, _ = open_page(browser, two_neuron_page, java_script_enabled=False)
    assert grad_shown(page, "w1") == "grad 0.001021"
    assert page.locator("#controls").is_hidden() and page.locator("#summary").is_visible()
    assert "0.15 − 0.4 × 0.001021 = 0.1496" in page.inner_text("#summary")
    assert requests == [two_neuron_page.as_uri()]


@pytest.mark.parametrize("label", ["__SVG__", "{{svg}}", "__DATA__", "{{data}}", "grad 99", "__TITLE__",
                                   "</script><b>bold</b>", "<img src=x onerror=alert(1)>", "</svg><i>x</i>"])
def test_no_label_or_title_changes_the_page(browser, tmp_path, label):
    x = Value(2.0, label)
    w = Value.parameter(-0.5, label)
    out = (x * w + x).named(label)
    path = viz.save_stepper(out, tmp_path / "s.html", title=label)
    page, requests, errors = open_page(browser, path)
    assert page.locator("svg").count() == 1 and page.locator("#frames").count() == 1
    assert page.inner_text("h1") == label and page.title() == label
    assert page.locator("img, b, i").count() == 0
    total = frames_of(page)
    assert total == 1 + len(engine_updates(out)) + 1
    for _ in range(total):
        page.keyboard.press("ArrowRight")
        lines = page.evaluate("[...document.querySelectorAll('#v0 text')].map(t => t.textContent)")
        assert lines[0] == label and lines[-1].startswith("grad ")  # the label line is never overwritten
    assert page.inner_text("#counter") == "done" and errors == [] and requests == [path.as_uri()]


def test_two_graphs_built_the_same_way_give_the_same_page():
    def unlabelled():
        a, b = Value(2.0), Value.parameter(-1.0)
        return (a * b + a).tanh() * (b - 3.0)

    assert viz.stepper_html(build().E) == viz.stepper_html(build().E)
    first = viz.stepper_html(unlabelled())
    assert first == viz.stepper_html(unlabelled()) and "v1.grad += " in first


def chain(n):
    x = Value(0.5, "x")
    for _ in range(n):
        x = x.tanh()
    return x


@pytest.mark.parametrize("n", [5_000, 50_000])
def test_a_graph_too_large_is_refused_before_any_replay(monkeypatch, tmp_path, n):
    root = chain(n)

    def no_replay(self, *args, **kwargs):
        raise AssertionError("replayed backward before checking the size")

    monkeypatch.setattr(Value, "backward_steps", no_replay)
    tracemalloc.start()
    with pytest.raises(viz.GraphTooLarge, match=r"save_stepper: this graph has \d+ nodes to draw, over max_nodes=300"):
        viz.save_stepper(root, tmp_path / "big.html")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000 * n  # the topological order only: no frames, no grads copied
    assert not list(tmp_path.iterdir())


def test_frames_hold_only_what_changed():
    small, large = [json.loads(re.search(r'<script id="frames" type="application/json">(.*?)</script>',
                                         viz.stepper_html(chain(n), max_nodes=1000), re.S).group(1))
                    for n in (20, 50)]  # 2.5× the nodes (the layout of 80 takes 12 s)
    for data in (small, large):
        assert all(set(f) - {"q"} == {"c", "p", "e", "b", "a", "t"} for f in data["frames"])
    per_frame = [len(json.dumps(d["frames"])) / len(d["frames"]) for d in (small, large)]
    assert per_frame[1] < 1.2 * per_frame[0]  # a frame's size does not grow with the graph


def test_a_stepper_says_what_it_is_in_a_repl():
    assert repr(viz.stepper(build().E)) == ("<Stepper 'Backward through E, step by step': 13 steps; "
                                            "shows itself in Jupyter, .save('page.html') writes it>")


def test_stepper_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match=".html"):
        viz.save_stepper(build().E, tmp_path / "s.svg")
    with pytest.raises(TypeError, match="must be a Value"):
        viz.save_stepper(1.0, tmp_path / "s.html")
    with pytest.raises(ValueError, match="stepper: rankdir must be 'auto', 'LR' or 'TB', got 'BT'"):
        viz.stepper(build().E, rankdir="BT")
    with pytest.raises(ValueError, match="Stepper.save: the file should end in .html, got 's.txt'"):
        viz.stepper(build().E).save(tmp_path / "s.txt")
    assert not list(tmp_path.iterdir())


def test_the_page_is_written_atomically(tmp_path, monkeypatch):
    S = importlib.import_module("chainrule.viz.page")  # where every page is written
    written = []
    monkeypatch.setattr(S, "write_atomically", lambda path, data: written.append(path) or path)
    viz.save_stepper(build().E, tmp_path / "s.html")
    assert written == [tmp_path / "s.html"]


def test_the_layout_suits_the_screen_and_follows_a_turned_phone(browser, two_neuron_page, tmp_path):
    shape = "() => { const b = document.querySelector('#graph svg g').getBBox(); return b.width > b.height; }"
    laptop, _, _ = open_page(browser, two_neuron_page)
    phone, _, errors = open_page(browser, two_neuron_page, "phone")
    assert laptop.evaluate(shape) is True and phone.evaluate(shape) is False  # LR on a laptop, TB upright
    assert phone.locator("svg").count() == 1  # the other layout is inert until needed: ids stay unique
    for _ in range(4):
        phone.keyboard.press("ArrowRight")
    lit = phone.evaluate(M.HIGHLIGHTS)
    phone.set_viewport_size({"width": 844, "height": 390})
    phone.wait_for_function(shape)
    assert phone.evaluate(M.HIGHLIGHTS) == lit and phone.inner_text("#counter").startswith("4 / ")
    assert grad_shown(phone, "E") == "grad 1" and errors == []
    one = viz.save_stepper(build().E, tmp_path / "tb.html", rankdir="TB")
    page, _, _ = open_page(browser, one)
    assert page.evaluate(shape) is False and page.locator("template").count() == 0


def test_an_mlp_page_names_every_value_by_where_it_is():
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = nn.loss_graph(model, [[0.5, -1.0]], [1.0], "mse")
    page = viz.stepper_html(loss)
    data = json.loads(re.search(r'<script id="frames" type="application/json">(.*?)</script>', page, re.S).group(1))
    names = data["names"]
    assert "Backward through loss" in page and names[-1] == "loss"
    shown = [n for n, node in zip(names, data["program"]) if node["o"] != "const"]
    assert len(shown) == len(set(shown))  # three neurons' w0 are three names
    assert {"L1.N0.w0", "L1.N2.b", "L1.N1.z", "L1.N1.a", "L2.N0.w2", "x0"} <= set(shown)
    summary = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert len(summary) == len(set(summary)) and "L1.N0.w0" in summary
