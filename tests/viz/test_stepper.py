"""The backward stepper in a real browser: frames, keys, buttons, no network, no JavaScript."""
import pytest

from chainrule import engine
from chainrule import viz
from chainrule.demos.two_neuron import build


@pytest.fixture
def stepper(tmp_path):
    net = build()
    path = viz.save_stepper(net.E, tmp_path / "backprop.html")
    engine_steps = [str(s) for s in build().E.backward_steps()]
    return net, path, engine_steps


def open_page(browser, path, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, requests


def grad_shown(page, label):
    """The grad line of the node whose first line is `label`."""
    return page.evaluate("""(label) => {
        for (const g of document.querySelectorAll('g.node')) {
            const t = [...g.querySelectorAll('text')].map(x => x.textContent);
            if (t[0] === label) return t.find(s => s.startsWith('grad '));
        }
        return null; }""", label)


def test_stepping_shows_the_engines_numbers(browser, stepper):
    net, path, engine_steps = stepper
    page, requests = open_page(browser, path)
    assert grad_shown(page, "w1") == "grad —" and "forward pass" in page.inner_text("#counter")
    box0 = page.locator("#v0").bounding_box()
    formulas = []
    for _ in engine_steps:
        page.keyboard.press("ArrowRight")
        formulas.append(page.inner_text("#formula"))
    assert [f.strip() for f in formulas] == [s.strip() for s in engine_steps]
    final = build()
    final.E.backward()
    for name in ("w1", "b1", "w2", "b2", "x1", "T", "z1", "a1", "z2", "a2", "E"):
        value = getattr(final, name)
        assert grad_shown(page, name) == f"grad {engine.fmt(value.grad)}"
    assert page.locator("#v0").bounding_box() == box0  # the layout does not move
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#formula").strip() == engine_steps[-2].strip()
    page.keyboard.press("Home")
    assert grad_shown(page, "w1") == "grad —"
    assert requests == [path.as_uri()]  # nothing loaded from anywhere else


def test_changed_grads_show_old_and_new(browser, stepper):
    _, path, engine_steps = stepper
    page, _ = open_page(browser, path)
    index = next(i for i, s in enumerate(engine_steps) if "w2.grad +=" in s)
    for _ in range(index + 1):
        page.keyboard.press("ArrowRight")
    assert grad_shown(page, "w2") == "grad 0 → 0.05707"
    assert page.locator("g.node.current").count() == 1
    assert page.locator("g.edge.active").count() >= 1


def test_buttons_and_scrubber(browser, stepper):
    _, path, engine_steps = stepper
    page, _ = open_page(browser, path)
    page.click("#next")
    page.click("#next")
    assert page.inner_text("#counter") == f"step 2 of {len(engine_steps)}"
    page.click("#prev")
    assert page.inner_text("#counter") == f"step 1 of {len(engine_steps)}"
    page.locator("#scrubber").fill(str(len(engine_steps)))
    assert page.inner_text("#counter") == f"step {len(engine_steps)} of {len(engine_steps)}"
    assert grad_shown(page, "w1") == "grad 0.001021"


def test_without_javascript_the_final_graph_shows(browser, stepper):
    _, path, _ = stepper
    page, _ = open_page(browser, path, java_script_enabled=False)
    assert grad_shown(page, "w1") == "grad 0.001021"
    assert page.locator("#controls").is_hidden()


def test_labels_cannot_inject_markup(browser, tmp_path):
    x = engine.Value(2.0, "<img src=x onerror=alert(1)>")
    out = (x * x).named("</script><b>bold</b>")
    path = viz.save_stepper(out, tmp_path / "s.html")
    page, requests = open_page(browser, path)
    page.keyboard.press("ArrowRight")
    assert "</script><b>bold</b>" in page.inner_text("#formula")
    assert page.locator("img").count() == 0 and page.locator("b").count() == 0
    assert requests == [path.as_uri()]


def test_save_stepper_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match=".html"):
        viz.save_stepper(build().E, tmp_path / "s.svg")
    with pytest.raises(TypeError, match="must be a Value"):
        viz.save_stepper(1.0, tmp_path / "s.html")
