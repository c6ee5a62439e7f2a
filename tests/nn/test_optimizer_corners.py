"""Optimizers at their corners: an optimizer of one's own with the base class's defaults and text, an
abandoned stepped update, an infinite gradient refused without a numpy warning, the denominators a
learner reads when the gradient is tiny (where ε matters), and the settings' refusals word for word."""
import math
import warnings

import pytest

from chainrule import nn
from chainrule.engine import Value, fmt


class HalfStep(nn.Optimizer):
    """θ ← θ − η·g/2, with the base class's defaults (no weight decay) and its text."""

    def rule(self, theta, g, state, t):
        return theta - self.lr * g / 2, {}


def test_an_optimizer_of_ones_own_gets_the_base_classes_defaults_and_text():
    w = Value.parameter(1.0, "w")
    w.grad = 0.5
    opt = HalfStep([w], lr=0.2)
    assert opt.weight_decay == 0.0 and opt.settings() == {"lr": 0.2, "weight_decay": 0.0}
    assert [str(s) for s in opt.step_steps()] == ["step 1/1: θ ← 0.95"]  # 1 − 0.2·0.5/2
    assert w.data == 0.95 and opt.steps == 1


def test_an_abandoned_stepped_update_puts_every_parameter_back():
    params = [Value.parameter(float(i), f"w{i}") for i in range(3)]
    for p in params:
        p.grad = 1.0
    opt = nn.SGD(params, lr=0.5, momentum=0.9)
    steps = opt.step_steps()
    next(steps)
    next(steps)
    assert [p.data for p in params] == [-0.5, 0.5, 2.0]  # two moved, one not yet
    steps.close()
    assert [p.data for p in params] == [0.0, 1.0, 2.0] and opt.steps == 0 and opt.velocity.tolist() == [0.0] * 3


@pytest.mark.parametrize("make", [lambda ps: nn.Adam(ps, lr=0.1), lambda ps: nn.RMSProp(ps, lr=0.1),
                                  lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1)])
def test_an_infinite_gradient_is_refused_by_name_without_a_numpy_warning(make):
    w, b = Value.parameter(0.5, "w"), Value.parameter(0.25, "b")
    w.grad, b.grad = 1.0, math.inf
    opt = make([w, b])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # inf/inf and inf − inf inside the rule stay silent: the refusal says it
        with pytest.raises(OverflowError) as info:
            opt.step()
    name = type(opt).__name__
    assert str(info.value) == (f"{name}.step: the gradient of b (Value, data=0.25) is non-finite (inf); call backward() "
                               "on a finite loss first")
    assert (w.data, b.data, opt.steps) == (0.5, 0.25, 0)


def test_an_update_that_overflows_names_the_parameter():
    w = Value.parameter(1e308, "w")
    w.grad = -1e308
    with pytest.raises(OverflowError) as info:
        nn.SGD([w], lr=10.0).step()
    assert str(info.value) == ("SGD.step: the update would make w (Value, data=1e+308) non-finite (inf); lower the "
                               "learning rate (lr=10) or clip the gradients; nothing was changed")


def test_the_denominator_a_learner_reads_includes_epsilon():
    """g = 1e−8: √s is of the order of ε, so √s + ε and √s − ε read differently."""
    w = Value.parameter(1.0, "w")
    w.grad = 1e-8
    rms = nn.RMSProp([w], lr=0.01)
    (step,) = rms.plan()
    s = 0.1 * 1e-16
    assert step.text.endswith(f"/ {fmt(math.sqrt(s) + 1e-8)} = {fmt(step.after)}") and fmt(math.sqrt(s) + 1e-8) == "1.316e-08"
    adam = nn.Adam([w], lr=0.01)
    (step,) = adam.plan()
    v_hat = 0.001 * 1e-16 / (1 - 0.999)
    assert step.text.endswith(f"/ {fmt(math.sqrt(v_hat) + 1e-8)} = {fmt(step.after)}") and fmt(math.sqrt(v_hat) + 1e-8) == "2e-08"


@pytest.mark.parametrize("make,message", [
    (lambda ps: nn.SGD(ps, lr=0.1, weight_decay="a"),
     "SGD: weight_decay: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda ps: nn.SGD(ps, lr=0.1, weight_decay=-1), "SGD: weight_decay must be ≥ 0, got -1.0"),
    (lambda ps: nn.SGD(ps, lr=0.1, momentum="a"), "SGD: momentum: expected a real number (int or float) or a Value, got 'a' (str)"),
    (lambda ps: nn.Adam(ps, betas=(0.9, "b")), "Adam: betas[1]: expected a real number (int or float) or a Value, got 'b' (str)"),
    (lambda ps: nn.RMSProp(ps, rho=1.0), "RMSProp: rho must be in [0, 1), got 1.0"),
])
def test_each_setting_refused_word_for_word(make, message):
    with pytest.raises((TypeError, ValueError)) as info:
        make([Value.parameter(0.5, "w")])
    assert str(info.value) == message


def test_clipping_no_parameters_does_nothing_and_reports_zero():
    assert nn.clip_grad_norm([], 1.0) == 0.0
    assert nn.clip_grad_value([], 1.0) is None
    w = Value.parameter(0.0)
    w.grad = 3.0
    assert nn.clip_grad_norm([w], 3.0) == 3.0 and w.grad == 3.0  # at the limit: unchanged
    nn.clip_grad_value([w], 2.0)
    assert w.grad == 2.0


def test_parameters_from_two_places_are_gathered_and_written_back():
    """A model's parameter beside a Value of one's own: the numbers are gathered from both (not the model's
    buffer, which holds only one of them) and both move."""
    neuron = nn.Neuron(1, seed=0)
    mine = Value.parameter(0.5, "mine")
    w = neuron.w[0]
    w.grad, mine.grad = 1.0, 2.0
    start = w.data
    opt = nn.SGD([w, mine], lr=0.1)
    assert opt.numbers.store is None
    opt.step()
    assert (w.data, mine.data) == (start - 0.1, 0.5 - 0.2)


def test_a_gradient_set_by_hand_as_a_large_int_is_a_number():
    w = Value.parameter(0.5, "w")
    w.grad = 10 ** 20  # no int64 could hold it
    nn.SGD([w], lr=1e-20).step()
    assert w.data == 0.5 - 1.0
