"""The whole training step, stepped: forward node by node, backward edge by edge, update parameter by parameter."""
import pytest

from chainrule import nn
from chainrule.demos.two_neuron import build


def _params(net):
    ps = [net.w1, net.b1, net.w2, net.b2]
    return ps


def test_forward_steps_replay_the_notes_numbers():
    net = build()
    texts = [str(s) for s in net.E.forward_steps()]
    assert texts[0] == "step 1/7: z1 = w1 · x1 + b1 = 0.15 × 0.1 + 0.4 = 0.415"
    assert texts[1] == "step 2/7: a1 = σ(z1) = σ(0.415) = 0.6023"
    assert texts[3].endswith("= 0.7153") and "σ(z2)" in texts[3]
    assert texts[-1].startswith("step 7/7: E =")


def test_sgd_step_steps_give_the_notes_updates_and_equal_step():
    net = build()
    net.E.backward()
    stepped = nn.SGD(_params(net), lr=0.4)
    texts = [str(s) for s in stepped.step_steps()]
    assert texts[0] == "step 1/4: w1 ← w1 − η·g = 0.15 − 0.4 × 0.001021 = 0.1496"  # the notes' update
    assert "0.3959" in texts[1] and "0.4272" in texts[2] and "0.6121" in texts[3]
    other = build()
    other.E.backward()
    nn.SGD(_params(other), lr=0.4).step()
    assert [p.data for p in _params(net)] == [p.data for p in _params(other)]
    assert stepped.steps == 1


@pytest.mark.parametrize("make", [lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
                                  lambda ps: nn.RMSProp(ps, lr=0.01), lambda ps: nn.Adam(ps, lr=0.01)])
def test_every_optimizer_steps_parameter_by_parameter_as_its_step(make):
    a, b = build(), build()
    a.E.backward()
    b.E.backward()
    opt_a, opt_b = make(_params(a)), make(_params(b))
    steps = list(opt_a.step_steps())
    opt_b.step()
    assert [p.data for p in _params(a)] == [p.data for p in _params(b)]
    assert all(s.before != s.after for s in steps) and all("←" in str(s) for s in steps)


def test_an_abandoned_update_puts_the_parameters_back():
    net = build()
    net.E.backward()
    before = [p.data for p in _params(net)]
    opt = nn.Adam(_params(net), lr=0.1)
    steps = opt.step_steps()
    next(steps)
    next(steps)
    steps.close()
    assert [p.data for p in _params(net)] == before and opt.steps == 0 and opt.m.tolist() == [0.0] * 4
