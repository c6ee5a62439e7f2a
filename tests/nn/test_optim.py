"""Each optimizer's update against a hand computation of its formula; schedules; clipping."""
import math

import pytest

from chainrule import nn
from chainrule.engine import Value


def run(optimizer_cls, grads_per_step, start=1.0, **kwargs):
    """Apply an optimizer to one parameter with the given gradient at each step; return its values."""
    p = Value.parameter(start, "p")
    opt = optimizer_cls([p], **kwargs)
    values = []
    for g in grads_per_step:
        p.grad = g
        opt.step()
        values.append(p.data)
    return values


GRADS = [0.5, -0.2, 0.8]


def test_sgd():
    assert run(nn.SGD, GRADS, lr=0.1) == pytest.approx([1 - 0.05, 0.95 + 0.02, 0.97 - 0.08])


def test_sgd_with_momentum_by_hand():
    lr, mu, p, v, expected = 0.1, 0.9, 1.0, 0.0, []
    for g in GRADS:
        v = mu * v + g
        p -= lr * v
        expected.append(p)
    assert run(nn.SGD, GRADS, lr=lr, momentum=mu) == pytest.approx(expected)
    # the notes' form v_t = γ v_{t−1} + η ∇L, θ ← θ − v_t gives the same path
    p, v_notes, notes_path = 1.0, 0.0, []
    for g in GRADS:
        v_notes = mu * v_notes + lr * g
        p -= v_notes
        notes_path.append(p)
    assert notes_path == pytest.approx(expected)


def test_nesterov_by_hand():
    lr, mu, p, v, expected = 0.1, 0.9, 1.0, 0.0, []
    for g in GRADS:
        v = mu * v + g
        p -= lr * (g + mu * v)
        expected.append(p)
    assert run(nn.SGD, GRADS, lr=lr, momentum=mu, nesterov=True) == pytest.approx(expected)


def test_rmsprop_by_hand():
    lr, rho, eps, p, s, expected = 0.01, 0.9, 1e-8, 1.0, 0.0, []
    for g in GRADS:
        s = rho * s + (1 - rho) * g * g
        p -= lr * g / (math.sqrt(s) + eps)
        expected.append(p)
    assert run(nn.RMSProp, GRADS, lr=lr) == pytest.approx(expected)


def test_adam_by_hand_and_its_default_lr():
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 3e-4
    p, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
        expected.append(p)
    assert run(nn.Adam, GRADS) == pytest.approx(expected, rel=1e-12)
    assert nn.Adam([Value.parameter(0.0)]).lr == 3e-4  # the notes' "good default"
    # Adam's first step moves every parameter by about lr, whatever the gradient's size
    assert run(nn.Adam, [1e-6])[0] == pytest.approx(1 - 3e-4, rel=1e-4)


def test_weight_decay_adds_lambda_theta_to_the_gradient():
    assert run(nn.SGD, [0.5], start=2.0, lr=0.1, weight_decay=0.01) == pytest.approx([2.0 - 0.1 * (0.5 + 0.02)])


def test_optimizer_argument_errors():
    with pytest.raises(ValueError, match="lr must be > 0"):
        nn.SGD([Value.parameter(0.0)], lr=0)
    with pytest.raises(ValueError, match="no parameters"):
        nn.Adam([])
    with pytest.raises(ValueError, match="nesterov"):
        nn.SGD([Value.parameter(0.0)], nesterov=True)
    with pytest.raises(TypeError, match="must be Values"):
        nn.SGD([1.0])


def test_reduce_lr_on_plateau():
    opt = nn.SGD([Value.parameter(0.0)], lr=1.0)
    sched = nn.ReduceLROnPlateau(opt, factor=0.5, patience=2, min_lr=0.2)
    lrs = []
    for loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]:
        sched.step(loss)
        lrs.append(opt.lr)
    # improvements at epochs 1, 2, 6; the 3rd epoch without improvement triggers a cut
    assert lrs == [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2]
    assert sched.reductions == [5, 9, 12]


def test_step_and_linear_decay():
    opt = nn.SGD([Value.parameter(0.0)], lr=1.0)
    step = nn.StepLR(opt, step_size=2, gamma=0.5)
    seen = []
    for _ in range(5):
        step.step()
        seen.append(opt.lr)
    assert seen == [1.0, 0.5, 0.5, 0.25, 0.25]
    opt = nn.SGD([Value.parameter(0.0)], lr=1.0)
    linear = nn.LinearLR(opt, epochs=100, end_factor=0.1)
    linear.step()
    assert opt.lr == pytest.approx(1 - 0.9 * 1 / 100)  # micrograd's moons schedule
    for _ in range(200):
        linear.step()
    assert opt.lr == pytest.approx(0.1)


def test_gradient_clipping():
    ps = [Value.parameter(0.0), Value.parameter(0.0)]
    ps[0].grad, ps[1].grad = 3.0, 4.0
    norm = nn.clip_grad_norm(ps, 1.0)
    assert norm == 5.0 and [p.grad for p in ps] == pytest.approx([0.6, 0.8])
    ps[0].grad, ps[1].grad = 3.0, -0.5
    nn.clip_grad_value(ps, 1.0)
    assert [p.grad for p in ps] == [1.0, -0.5]
