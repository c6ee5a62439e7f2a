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
