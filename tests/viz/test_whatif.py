"""What if? The stepper page computes the graph again from a changed input or parameter with its own
table of operations; for graphs over every operation it agrees with the Python engine to 1e-12."""
import random
import re

import pytest

from chainrule import engine, viz
from chainrule.engine import Value, topological_order

from ..engine.test_random_graphs import BINARY, NARY, UNARY, _build
from .test_stepper import line_shown, open_page


def programs_over_every_operation(seed=7):
    """One small random program per operation, each using that operation at least once."""
    rng = random.Random(seed)

    def extra():
        kind = rng.choice(["unary", "binary", "nary"])
        if kind == "unary":
            return ("unary", rng.choice(sorted(UNARY)), [rng.randrange(50)], None, None)
        if kind == "binary":
            return ("binary", rng.choice(BINARY), [rng.randrange(50), rng.randrange(50)],
                    rng.choice([None, rng.uniform(0.5, 2.0)]), rng.choice(["left", "right"]))
        return ("nary", rng.choice(NARY), [rng.randrange(50) for _ in range(rng.randint(2, 4))], None, None)

    for attempt in range(4):  # a few tries each: some draws are undefined (log of a negative) or kinked
        for op in sorted(UNARY):
            yield [("unary", op, [attempt], None, None), extra(), extra()]
        for op in BINARY:
            yield [("binary", op, [rng.randrange(50), rng.randrange(50)], None, None), extra(), extra()]
        for op in NARY:
            yield [("nary", op, [0, 1, 2], None, None), extra(), extra()]


def relative(a, b):
    return abs(a - b) / max(1.0, abs(b))


@pytest.fixture(scope="module")
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx.new_page()
    ctx.close()


def _build_group(programs, points):
    """Several programs, each on its own three inputs, summed into one root: one page checks them all."""
    built = [_build(program, xs) for program, xs in zip(programs, points)]
    if any(b is None for b in built):
        return None
    return [leaf for leaves, _ in built for leaf in leaves], engine.sum([out for _, out in built])


def test_the_page_recomputes_every_operation_as_the_engine_does(page):
    xs = [0.7, -1.3, 1.9]
    programs = [p for p in programs_over_every_operation() if _build(p, xs) is not None]
    checked = set()
    for start in range(0, len(programs), 10):  # ten programs to a page: loading a page is the slow part
        group = programs[start:start + 10]
        points = [list(xs) for _ in group]
        leaves, out = _build_group(group, points)
        page.set_content(viz.stepper_html(out, max_nodes=600))
        order = topological_order(out)
        for i, leaf in enumerate(leaves):
            if leaf not in order:  # this program does not use that input
                continue
            moved = [list(p) for p in points]
            moved[i // 3][i % 3] += 0.37
            again = _build_group(group, moved)
            if again is None:
                continue
            _, new_out = again
            new_out.backward()
            state = page.evaluate("([i, x]) => window.chainrule.whatIf(i, x)", [order.index(leaf), moved[i // 3][i % 3]])
            new_order = topological_order(new_out)
            assert state["finite"] and len(state["data"]) == len(new_order)
            for k, v in enumerate(new_order):
                assert relative(state["data"][k], v.data) < 1e-12, (group[i // 3], v.op)
                assert relative(state["grad"][k], v.grad) < 1e-12, (group[i // 3], v.op)
            checked |= {v.op.partition("(")[0] for v in new_order if v.edges}
    expected = {"+", "-", "*", "/", "**", "neg", "exp", "log", "tanh", "sigmoid", "softplus", "relu", "leaky_relu",
                "elu", "gelu", "abs", "sum", "mean", "dot", "logsumexp", "softmax"}
    assert expected <= checked, f"not exercised: {sorted(expected - checked)}"
    assert any(op.startswith("**") and len(op) > 2 for op in checked)  # aⁿ with a number n


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_a_learner_clicks_a_parameter_types_a_number_and_sees_backprop_beside_the_nudge(browser, tmp_path, screen):
    from chainrule.demos.two_neuron import build, forward

    path = viz.save_stepper(build().E, tmp_path / "page.html")
    pg, requests, errors = open_page(browser, path, screen)
    pg.click("#zoom-fit")  # the whole graph in view, w1 included
    box = pg.evaluate("""() => { const g = [...document.querySelectorAll('g.node')]
        .find(g => g.querySelector('text').textContent === 'w1'); const r = g.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; }""")
    pg.mouse.click(*box)
    assert pg.is_visible("#whatif") and pg.inner_text("#whatif-name") == "w1"
    pg.fill("#whatif-value", "2")
    net = build()
    net.w1.data = 2.0
    E = forward(net.x1, net.w1, net.b1, net.w2, net.b2, net.T).E
    E.backward()
    fmt = lambda x: pg.evaluate("(x) => window.chainrule.fmt(x)", x)  # noqa: E731
    text = pg.inner_text("#whatif-text")
    assert f"E = {fmt(E.data)}" in text and f"∂E/∂w1 = {fmt(net.w1.grad)} by backprop, {fmt(net.w1.grad)} by the nudge" in text
    pg.click("#whatif-back")
    assert not pg.is_visible("#whatif")
    assert not errors


def _whatif_state(page):
    """What the what-if panel shows: the field, the note beside it, its aria-invalid, the text below."""
    return page.evaluate("""() => { const input = document.getElementById('whatif-value'),
        note = document.getElementById('whatif-status');
        return {value: input.value, invalid: input.getAttribute('aria-invalid'),
                note: note ? note.innerText : null, noteShown: !!note && note.offsetWidth > 0,
                text: document.getElementById('whatif-text').innerText}; }""")


def _enter(page, label):
    page.evaluate("""(label) => { const d = JSON.parse(document.getElementById('frames').textContent);
        window.chainrule.enterWhatIf(d.names.indexOf(label)); }""", label)


@pytest.mark.parametrize("case", ["x ** n at x = 0, n = -1", "log at -1", "exp at 710"])
def test_where_the_engine_refuses_the_page_says_which_operation_and_keeps_the_graph(browser, tmp_path, case):
    """Issue 19, item 10: 0 ** -1 showed 0 as a finite result. Every input Python's engine refuses is refused."""
    x, n = Value(0.5, "x"), Value(-1.0, "n")
    build, typed, title, error = {
        "x ** n at x = 0, n = -1": (lambda x: x ** n, "0", "power (**)", ZeroDivisionError),
        "log at -1": (lambda x: x.log(), "-1", "log", ValueError),
        "exp at 710": (lambda x: x.exp(), "710", "exp", OverflowError)}[case]
    y = build(x).named("y")
    with pytest.raises(error, match=f"^{re.escape(title)}:"):  # Python refuses this input: the page must too
        build(Value(float(typed), "x"))
    path = viz.save_stepper(y, tmp_path / "page.html")
    page, _, errors = open_page(browser, path)
    _enter(page, "x")
    before = line_shown(page, "y", -2)
    assert before == f"data {engine.fmt(y.data)}"
    page.fill("#whatif-value", typed)
    shown = _whatif_state(page)
    assert f"{title} at y " in shown["text"] and f"({error.__name__})" in shown["text"]
    assert ("cannot be computed" if error is OverflowError else "is undefined") in shown["text"]
    assert "The graph still shows x = 0.5" in shown["text"]
    assert shown["noteShown"] and "the graph shows x = 0.5" in shown["note"] and shown["invalid"] == "true"
    assert line_shown(page, "y", -2) == before  # the graph as it was, no number made up
    state = page.evaluate("""(x) => { const d = JSON.parse(document.getElementById('frames').textContent);
        return window.chainrule.whatIf(d.names.indexOf('x'), x); }""", float(typed))
    assert state["finite"] is False and state["problem"]["kind"] == error.__name__
    page.fill("#whatif-value", "0.25")  # a number the engine takes: the graph moves, the note goes
    assert line_shown(page, "y", -2) == f"data {engine.fmt(build(Value(0.25)).data)}"
    shown = _whatif_state(page)
    assert shown["invalid"] is None and not shown["noteShown"] and "still shows" not in shown["text"]
    assert not errors


def test_a_number_typed_beyond_a_float_is_marked_and_the_graph_says_which_number_it_shows(browser, tmp_path):
    """Issue 19, item 11: typing 1e400 key by key left the graph at 1e40 while the field said 1e400."""
    from chainrule.demos.two_neuron import build, forward

    path = viz.save_stepper(build().E, tmp_path / "page.html")
    page, _, errors = open_page(browser, path)
    _enter(page, "w1")
    page.fill("#whatif-value", "")
    page.type("#whatif-value", "1e400")  # 1, 1e (unfinished), 1e4, 1e40, 1e400 (beyond a float)
    net = build()
    net.w1.data = 1e40
    E = forward(net.x1, net.w1, net.b1, net.w2, net.b2, net.T).E
    shown = _whatif_state(page)
    assert shown["invalid"] == "true" and shown["noteShown"]
    assert "not a finite number" in shown["note"] and "the graph shows w1 = 1e+40" in shown["note"]
    assert "The graph still shows w1 = 1e+40" in shown["text"] and f"E = {engine.fmt(E.data)}" in shown["text"]
    assert line_shown(page, "E", -2) == f"data {engine.fmt(E.data)}" and line_shown(page, "w1", -2) == "data 1e+40"
    page.keyboard.press("Backspace")  # 1e40 again: a number, shown, the mark gone
    shown = _whatif_state(page)
    assert shown["invalid"] is None and not shown["noteShown"] and "still shows" not in shown["text"]
    page.fill("#whatif-value", "")
    shown = _whatif_state(page)
    assert shown["invalid"] == "true" and "no number" in shown["note"] and "The field is empty" in shown["text"]
    assert not errors


def test_a_softmax_output_whose_derivatives_are_all_zero_is_recomputed_as_itself(page):
    """2·softmax([a, b])[1] at a = 0, b = 1000: every stored ∂p/∂x underflows to ±0, so the index of
    the output cannot be read from them; the node keeps it. The page gives L = 2, as Python does."""
    a, b = Value(0.0, label="a"), Value(1000.0, label="b")
    L = (2 * engine.softmax([a, b])[1]).named("L")
    L.backward()
    page.set_content(viz.stepper_html(L))
    order = topological_order(L)
    for leaf, x in ((a, 0.0), (b, 1000.0), (b, 999.0)):
        state = page.evaluate("([i, x]) => window.chainrule.whatIf(i, x)", [order.index(leaf), x])
        a2, b2 = Value(0.0 if leaf is b else x), Value(x if leaf is b else 1000.0)
        expected = 2 * engine.softmax([a2, b2])[1]
        assert state["data"][-1] == pytest.approx(expected.data, rel=1e-12)
    assert state["data"][-1] == pytest.approx(2.0, rel=1e-12)
