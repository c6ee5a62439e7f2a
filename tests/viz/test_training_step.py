"""One whole training step as a page: forward value by value, backward edge by edge, the update, the new loss."""
import pytest

from chainrule import engine, nn, viz
from chainrule.demos.two_neuron import build, forward

from .test_stepper import frames_of, line_shown, open_page


def _notes_step():
    net = build()
    params = [net.w1, net.b1, net.w2, net.b2]
    return (lambda: forward(net.x1, *params, net.T).E), nn.SGD(params, lr=0.4), params


def data_shown(page, label):
    return line_shown(page, label, -2)  # the data line sits above the grad line


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_the_page_steps_forward_backward_and_the_update_and_changes_nothing(browser, tmp_path, screen):
    rebuild, optimizer, params = _notes_step()
    path = viz.save_training_step(rebuild, optimizer, tmp_path / "step.html")
    assert [p.data for p in params] == [0.15, 0.4, 0.45, 0.65] and all(p.grad == 0.0 for p in params)
    assert optimizer.steps == 0
    page, requests, errors = open_page(browser, path, screen)
    forward_frames = len(list(rebuild().forward_steps()))
    backward_frames = viz.stepper(rebuild()).steps
    assert frames_of(page) == forward_frames + backward_frames + 4 + 1  # + one update per parameter, + the end
    assert data_shown(page, "z1") == "data —" and data_shown(page, "w1") == "data 0.15"
    page.keyboard.press("ArrowRight")  # the first forward frame computes z1
    assert data_shown(page, "z1") == "data 0.415" and "z1 = w1 · x1 + b1" in page.inner_text("#formula")
    assert data_shown(page, "a1") == "data —"
    for _ in range(forward_frames + backward_frames):
        page.keyboard.press("ArrowRight")
    assert "w1 ← w1 − η·g = 0.15 − 0.4 × 0.001021 = 0.1496" in page.inner_text("#formula")  # the notes' update
    assert data_shown(page, "w1") == "data 0.1496"
    page.keyboard.press("End")
    summary = page.inner_text("#summary")
    new_loss = engine.fmt(_loss_after_notes_update())
    assert f"E = {new_loss}" in summary and "0.15 → 0.1496" in summary
    assert not errors and all(r.startswith("file:") for r in requests)


def _loss_after_notes_update():
    net = build()
    net.E.backward()
    nn.SGD([net.w1, net.b1, net.w2, net.b2], lr=0.4).step()
    return forward(net.x1, net.w1, net.b1, net.w2, net.b2, net.T).E.data


def test_a_loss_value_works_too_and_bad_arguments_are_refused(tmp_path):
    net = build()
    page = viz.training_step(net.E, nn.Adam([net.w1, net.b1], lr=0.01))
    assert "m̂ = m/(1 − β₁^1)" in page.html and "After the update" not in page.html
    with pytest.raises(TypeError, match="loss must be a Value"):
        viz.training_step(3.0, nn.SGD([net.w1], lr=0.1))
    with pytest.raises(TypeError, match="chainrule optimizer"):
        viz.training_step(net.E, object())
    with pytest.raises(ValueError, match="should end in .html"):
        viz.save_training_step(net.E, nn.SGD([net.w1], lr=0.1), tmp_path / "step.txt")


def test_a_step_that_makes_the_loss_overflow_is_shown_and_the_summary_names_the_operation(tmp_path):
    """Issue 19, item 12: the page was refused whole when only the loss after the update overflowed."""
    from chainrule.engine import Value

    w = Value.parameter(2.0, "w")
    rebuild = lambda: (w * w).exp().named("L")  # noqa: E731   ∂L/∂w = 2w·e^(w²) = 218.4 at w = 2
    optimizer = nn.SGD([w], lr=10)
    page = viz.training_step(rebuild, optimizer)  # w → 2 − 10 × 218.4 = −2182: e^(w²) overflows
    assert w.data == 2.0 and w.grad == 0.0 and optimizer.steps == 0  # nothing changed, as for any step
    with pytest.raises(OverflowError, match="^exp: "):  # what Python says when the loss is built again
        w.data = 2.0 - 10 * 4 * engine.exp(4.0).data
        rebuild()
    w.data = 2.0
    assert page.steps == len(list(rebuild().forward_steps())) + viz.stepper(rebuild()).steps + 1  # + the update
    assert "After the update, L overflows" in page.html and "its operation exp overflows a float" in page.html
    assert "OverflowError" in page.html and "2 → -2182" in page.html
    # and undefined rather than infinite: a log of a negative
    v = Value.parameter(2.0, "v")
    page = viz.training_step(lambda: (v * 1.0).log().named("L"), nn.SGD([v], lr=10))  # v → 2 − 10 × ½ = −3
    assert "After the update, L is undefined" in page.html and "its operation log is undefined there" in page.html
    assert "ValueError" in page.html and v.data == 2.0
    assert viz.save_training_step(rebuild, optimizer, tmp_path / "step.html").exists()


def test_the_bad_step_page_steps_to_its_summary_in_the_browser(browser, tmp_path):
    from chainrule.engine import Value

    w = Value.parameter(2.0, "w")
    path = viz.save_training_step(lambda: (w * w).exp().named("L"), nn.SGD([w], lr=10), tmp_path / "bad.html")
    page, requests, errors = open_page(browser, path)
    for _ in range(frames_of(page) - 1):
        page.keyboard.press("ArrowRight")
    assert "w ← w − η·g = 2 − 10 × 218.4 = -2182" in page.inner_text("#formula")  # the update, shown
    assert data_shown(page, "w") == "data -2182"
    page.keyboard.press("End")
    assert "After the update, L overflows" in page.inner_text("#summary")
    assert not errors and all(r.startswith("file:") for r in requests)


@pytest.mark.parametrize("make", [lambda ps: nn.SGD(ps, lr=0.4), lambda ps: nn.Adam(ps, lr=0.1)], ids=["sgd", "adam"])
def test_a_what_if_at_the_end_takes_the_whole_step_again_from_the_edited_number(browser, tmp_path, make):
    net = build()
    params = [net.w1, net.b1, net.w2, net.b2]
    path = viz.save_training_step(lambda: forward(net.x1, *params, net.T).E, make(params), tmp_path / "step.html")
    page, _, errors = open_page(browser, path)
    page.keyboard.press("End")
    assert page.inner_text("#counter") == "done"
    names = page.evaluate("() => JSON.parse(document.getElementById('frames').textContent).names")
    page.evaluate("(i) => window.chainrule.enterWhatIf(i)", names.index("w2"))
    page.fill("#whatif-value", "2")
    text = page.inner_text("#whatif-text")
    # Python: w2 = 2 from the step's start, forward, backward, the optimizer's update, the loss after it
    again = build()
    again.w2.data = 2.0
    ps = [again.w1, again.b1, again.w2, again.b2]
    loss = forward(again.x1, *ps, again.T).E
    loss.backward()
    optimizer = make(ps)
    before = [p.data for p in ps]
    optimizer.step()
    after = forward(again.x1, *ps, again.T).E.data
    fmt = lambda x: page.evaluate("(x) => window.chainrule.fmt(x)", x)  # noqa: E731
    assert text.startswith("From the step's start") and f"E = {fmt(loss.data)}" in text
    for name, old, p in zip(["w1", "b1", "w2", "b2"], before, ps):
        assert f"{name} {fmt(old)} → {fmt(p.data)}" in text
    assert text.rstrip().endswith(f"and after it, E = {fmt(after)}") and errors == []
