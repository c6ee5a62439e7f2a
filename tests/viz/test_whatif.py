"""What if? The stepper page computes the graph again from a changed input or parameter with its own
table of operations; for graphs over every operation it agrees with the Python engine to 1e-12."""
import random

import pytest

from chainrule import engine, viz
from chainrule.engine import Value, topological_order

from ..engine.test_random_graphs import BINARY, NARY, UNARY, _build, run
from .test_stepper import open_page


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
