"""The notes' two-neuron example (003), number for number, and the demo that prints it."""
import io
import subprocess
import sys

import pytest

from chainrule.demos import two_neuron
from chainrule.demos.two_neuron import build, compare, gradients
from chainrule.engine import explain


@pytest.fixture
def net():
    n = build()
    gradients(n)
    return n


def test_forward_values_match_the_notes(net):
    assert round(net.z1.data, 3) == 0.415
    assert round(net.a1.data, 4) == 0.6023
    assert round(net.z2.data, 4) == 0.9210
    assert round(net.a2.data, 4) == 0.7153


def test_gradients_match_the_notes_at_their_precision(net):
    # the ½ convention, as every gradient the notes print
    assert round(net.b2.grad, 4) == 0.0948
    assert round(net.w1.grad, 6) == 0.001021
    assert round(net.b1.grad, 5) == 0.01021
    # the notes print 0.05706 from factors rounded first; exactly it is 0.057070
    assert net.w2.grad == pytest.approx(0.0570704, abs=1e-7)
    assert abs(net.w2.grad - 0.05706) < 1.5e-5


def test_gradients_equal_the_analytic_chain_rule(net):
    a1, a2 = net.a1.data, net.a2.data
    d2 = (a2 - 0.25) * a2 * (1 - a2)
    d1 = d2 * 0.45 * a1 * (1 - a1)
    assert net.w2.grad == pytest.approx(d2 * a1, rel=1e-12)
    assert net.b2.grad == pytest.approx(d2, rel=1e-12)
    assert net.w1.grad == pytest.approx(d1 * 0.1, rel=1e-12)
    assert net.b1.grad == pytest.approx(d1, rel=1e-12)


def test_updated_parameters_match_the_notes(net):
    two_neuron.sgd_step(net, 0.4)
    assert round(net.w1.data, 4) == 0.1496
    assert round(net.b1.data, 4) == 0.3959
    assert round(net.w2.data, 3) == 0.427
    assert round(net.b2.data, 3) == 0.612


def test_the_other_convention_doubles_every_gradient(net):
    full = build(half=False)
    gradients(full)
    for name in ("w1", "b1", "w2", "b2"):
        assert full.parameters[name].grad == pytest.approx(2 * net.parameters[name].grad, rel=1e-12)
    assert round(full.E.data, 4) == 0.2165  # the notes' 0.2176 is an arithmetic slip
    assert round(full.a2.grad, 4) == 0.9305


def test_explain_sums_the_path_to_the_same_gradient(net):
    e = explain(net.E, net.w1)
    assert e.path_count == 1 and e.total == pytest.approx(net.w1.grad, rel=1e-12)
    text = str(e)
    assert "∂z1/∂w1" in text and "0.001021" in text


def test_vanishing_gradient_ratio(net):
    assert net.w2.grad / net.w1.grad == pytest.approx(55.87, abs=0.01)


def test_stepper_line_reads_like_the_chain_rule():
    net = build()
    steps = [str(s) for s in net.E.backward_steps()]
    assert any("w2.grad += z2.grad × ∂z2/∂w2 = 0.09476 × 0.6023 = 0.05707" in s for s in steps)
    assert net.w1.grad == pytest.approx(0.0010213958814763399, rel=1e-12)


def test_compare_says_when_the_notes_differ():
    assert compare(0.60229, "0.6023").endswith("✓")
    assert "rounding" in compare(0.0570704, "0.05706")
    assert "DIFFERS" in compare(0.239538, "0.2397")


def test_training_brings_the_error_below_the_threshold():
    history = two_neuron.train(build(), epochs=1000)
    assert history[0] == pytest.approx(0.10823, abs=1e-5)
    assert history[-1] < 0.001 and all(b < a for a, b in zip(history, history[1:]))


def test_report_prints_the_numbers_and_the_inconsistencies():
    out = io.StringIO()
    numbers = two_neuron.report(out)
    text = out.getvalue()
    assert "notes 0.2176 ✗ DIFFERS" in text and "0.2165" in text
    assert "notes 0.001021 ✓" in text and "notes 0.1496 ✓" in text and "notes 0.427 ✓" in text
    assert "56× smaller" in text
    assert numbers["final E"] < 0.001


def test_step_mode_with_piped_input():
    result = subprocess.run([sys.executable, "-m", "demos", "two-neuron", "--step"], input="\n\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "step 1/" in result.stdout and "w1.grad = 0.001021" in result.stdout


def test_cli_lists_demos_and_rejects_unknown_names():
    listed = subprocess.run([sys.executable, "-m", "demos", "--list"], capture_output=True, text=True, timeout=60)
    assert "two-neuron" in listed.stdout and listed.returncode == 0
    bad = subprocess.run([sys.executable, "-m", "demos", "nope"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no demo named 'nope'" in bad.stderr


def test_build_rejects_unknown_names():
    with pytest.raises(TypeError, match="unknown names"):
        build(x2=1.0)


def test_demo_writes_its_graph_and_stepper(tmp_path):
    from chainrule.demos.two_neuron import main

    assert main(["--quiet", "--out", str(tmp_path), "--epochs", "5"]) == 0
    svg = (tmp_path / "graph.svg").read_text()
    page = (tmp_path / "backprop.html").read_text()
    assert "grad 0.001021" in svg and "0.1 → 0.001021" not in svg  # the ∂z1/∂w1 edge carries 0.1
    assert "→ 0.001021" in svg  # its contribution
    assert page.startswith("<!DOCTYPE html>") and "E.grad = ∂E/∂E = 1" in page
