"""Optimizers and clipping where their formulas' small parts decide the number: ε beside a tiny
gradient, a model's own buffer (not a list of Values), each checked by hand."""
import math

import pytest

from chainrule import nn
from chainrule.engine import Value


def one_step(make, g, theta=1.0, **settings):
    p = Value.parameter(theta)
    opt = make([p], **settings)
    p.grad = g
    opt.step()
    return p.data


def test_rmsprop_adds_eps_after_the_square_root():
    # g = 1e-6: s = (1 − ρ) g² = 1e-13, √s = 3.16e-7; the step is η·g/(√s + ε) = 0.01 × 3.07 = 0.0307
    # (ε inside the root, η·g/√(s + ε), would move it 0.0001)
    lr, rho, eps, g = 0.01, 0.9, 1e-8, 1e-6
    s = (1 - rho) * g * g
    by_hand = lr * g / (math.sqrt(s) + eps)
    assert by_hand == pytest.approx(0.0307, rel=1e-2)
    assert 1.0 - one_step(nn.RMSProp, g, lr=lr, rho=rho, eps=eps) == pytest.approx(by_hand, rel=1e-9)


def test_adam_adds_eps_after_the_square_root():
    # first step: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε); with g = 1e-7 and ε = 1e-6 that is η/11
    lr, eps, g = 0.1, 1e-6, 1e-7
    assert 1.0 - one_step(nn.Adam, g, lr=lr, eps=eps) == pytest.approx(lr * g / (g + eps), rel=1e-9)


def model_with_two_parameters():
    model = nn.MLP(1, [1], seed=0)  # w and b: two numbers in one buffer
    assert len(model.parameters()) == 2
    return model


def test_clip_grad_norm_on_a_models_buffer_scales_down_to_max_norm():
    model = model_with_two_parameters()
    w, b = model.parameters()
    w.grad, b.grad = 3.0, 4.0
    assert nn.clip_grad_norm(model.parameters(), 1.0) == 5.0  # the norm before clipping
    assert [w.grad, b.grad] == pytest.approx([0.6, 0.8], rel=1e-12)  # (3, 4) · 1/5
    w.grad, b.grad = 3.0, 4.0
    assert nn.clip_grad_norm(model.parameters(), 10.0) == 5.0
    assert [w.grad, b.grad] == [3.0, 4.0]  # below max_norm: unchanged


def test_clip_grad_norm_gives_the_same_numbers_on_a_buffer_and_on_a_list():
    model = model_with_two_parameters()
    loose = [Value.parameter(0.0), Value.parameter(0.0)]
    for grads in ([0.3, -0.4], [-6.0, 8.0], [1e-3, 2e-3]):
        for params in (model.parameters(), loose):
            params[0].grad, params[1].grad = grads
        norms = [nn.clip_grad_norm(params, 0.5) for params in (model.parameters(), loose)]
        assert norms == pytest.approx([math.hypot(*grads)] * 2, rel=1e-12)
        scale = min(1.0, 0.5 / math.hypot(*grads))
        for params in (model.parameters(), loose):
            assert [p.grad for p in params] == pytest.approx([g * scale for g in grads], rel=1e-12)


def test_clip_grad_value_on_a_models_buffer():
    model = model_with_two_parameters()
    w, b = model.parameters()
    w.grad, b.grad = -3.0, 0.25
    nn.clip_grad_value(model.parameters(), 1.0)
    assert [w.grad, b.grad] == [-1.0, 0.25]
