"""The labs learners ask for: topological order, gradient accumulation, second derivatives, forward mode."""
import pytest

from chainrule.demos import forward_mode, gradient_accumulation, second_derivatives, topological_order
from chainrule.demos.common import Narrator


def test_topological_order_naive_recursion_is_wrong_on_a_reused_node(tmp_path):
    result = topological_order.run(tmp_path, say=Narrator(quiet=True))
    doubled, reused = result.values()
    assert doubled["naive"] == doubled["engine"] == 4.0  # b = a + a; c = b + b: no node feeds two others
    assert reused["naive"] == 10.0 and reused["engine"] == 8.0  # ∂(b + 3b)/∂a with b = 2a is 8
    assert reused["order"] == ["d", "c", "b", "a"]  # c before b: b's gradient is complete when it is used
    assert (tmp_path / "reused_node.svg").read_text().lstrip().startswith(("<?xml", "<svg"))


def test_gradients_accumulate_and_forgetting_zero_grad_hurts(tmp_path):
    assert gradient_accumulation.grads_after_calls(3) == [-3.0, -6.0, -9.0]
    result = gradient_accumulation.run(tmp_path, say=Narrator(quiet=True))
    right, forgot = result["with_zero_grad"], result["without_zero_grad"]
    assert right == sorted(right, reverse=True)  # with zero_grad: the loss only falls
    assert forgot[-1] > right[-1] and any(b > a for a, b in zip(forgot, forgot[1:]))  # without: it swings


def test_forgotten_zero_grad_is_told_from_the_start_with_its_swings(tmp_path, capsys):
    from chainrule import nn

    result = gradient_accumulation.run(tmp_path, say=Narrator())
    text = capsys.readouterr().out
    start = nn.evaluate(nn.MLP(1, [1], seed=0), *gradient_accumulation.DATA, "mse")[0]  # before any step
    right, forgot = result["with_zero_grad"], result["without_zero_grad"]
    assert result["start"] == start and right[0] < start  # the first recorded loss is after step 1, not the start
    assert f"with zero_grad():    loss {start:.4g} before training → {right[-1]:.4g} after 40 steps, falling at every step" \
        in text
    ups = sum(b > a for a, b in zip([start, *forgot], forgot))
    top = max(range(len(forgot)), key=forgot.__getitem__)
    assert ups > 0 and forgot[top] > start  # it swings up, once above where it started
    assert (f"zero_grad forgotten: loss {start:.4g} before training → {forgot[-1]:.4g} after 40 steps, but {ups} of the 40 "
            f"steps raised it:") in text
    assert (f"on the way it swung between {min(forgot):.4g} and {forgot[top]:.4g} (step {top + 1}, above where it "
            "started)") in text


def test_the_notes_learning_rate_sits_exactly_on_the_stability_limit():
    assert second_derivatives.descend(0.4, steps=6) == [0.0, 4.0, 0.0, 4.0, 0.0, 4.0, 0.0]
    assert second_derivatives.newton(3) == [0.0, 2.0, 2.0, 2.0]
    assert abs(second_derivatives.descend(0.1, steps=40)[-1] - 2.0) < 1e-3
    assert abs(second_derivatives.descend(0.45, steps=20)[-1]) > 100
    H = second_derivatives.two_neuron_hessian()
    assert all(H[i][j] == pytest.approx(H[j][i], rel=1e-12, abs=1e-15) for i in range(4) for j in range(4))


def test_second_derivatives_demo_computes_the_limit(tmp_path):
    result = second_derivatives.run(tmp_path, say=Narrator(quiet=True))
    assert result["curvature"] == pytest.approx(5.0) and result["limit"] == pytest.approx(0.4)
    assert (tmp_path / "learning_rate_limit.png").stat().st_size > 1000


def test_forward_and_reverse_mode_agree_and_count_their_sweeps():
    r = forward_mode.sweeps(forward_mode.neuron, [0.5, -1.0, 2.0])
    assert r["forward_sweeps"] == 3 and r["reverse_sweeps"] == 1
    for f_row, r_row in zip(r["jacobian_forward"], r["jacobian_reverse"]):
        assert f_row == pytest.approx(r_row, rel=1e-12)
    fan = forward_mode.sweeps(forward_mode.fan_out, [0.4])
    assert fan["forward_sweeps"] == 1 and fan["reverse_sweeps"] == 6
    assert fan["forward_edge_visits"] < fan["reverse_edge_visits"]


def test_the_two_neuron_start_is_no_minimum_and_the_reading_says_so():
    import numpy as np
    eig = np.linalg.eigvalsh(np.array(second_derivatives.two_neuron_hessian()))
    assert eig[0] == pytest.approx(-0.023815, abs=1e-6) and eig[-1] == pytest.approx(0.021965, abs=1e-6)
    assert abs(eig[1]) < 1e-15  # E reads w1 and b1 only through z1 = 0.1·w1 + b1: one flat direction
    text = second_derivatives.curvature_reading(eig)
    assert "negative (-0.0238, the steepest in size): this point is no minimum" in text
    assert "η < 2/λ_max = 91.1" in text
    bowl = second_derivatives.curvature_reading(np.array([0.5, 2.0]))
    assert "negative" not in bowl and "λ_max = 2: along it gradient descent is stable for η < 2/λ_max = 1" in bowl
    tilted = second_derivatives.curvature_reading(np.array([-0.5, 2.0]))
    assert "negative (-0.5): this point" in tilted  # not the steepest: no claim that it is
