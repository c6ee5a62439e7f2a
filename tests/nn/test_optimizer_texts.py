"""What an optimizer shows a learner: each update written out with its numbers (step_steps), its printout,
and its errors word for word; the numbers of the second steps checked by hand."""
import math

import pytest

from chainrule import nn
from chainrule.engine import Value

TEXTS = {
    'sgd': (lambda ps: nn.SGD(ps, lr=0.1), [
        'step 1/2: w ← w − η·g = 0.5 − 0.1 × (-0.2) = 0.52',
        'step 2/2: θ1 ← θ1 − η·g = -1 − 0.1 × 0.4 = -1.04',
        'step 1/2: w ← w − η·g = 0.52 − 0.1 × (-0.2) = 0.54',
        'step 2/2: θ1 ← θ1 − η·g = -1.04 − 0.1 × 0.4 = -1.08',
    ], 'SGD(2 parameters, lr=0.1, weight_decay=0, momentum=0; 2 steps taken)'),
    'momentum': (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9), [
        'step 1/2: v ← μ·v + g = 0.9 × 0 + (-0.2) = -0.2;  w ← w − η·v = 0.5 − 0.1 × (-0.2) = 0.52',
        'step 2/2: v ← μ·v + g = 0.9 × 0 + 0.4 = 0.4;  θ1 ← θ1 − η·v = -1 − 0.1 × 0.4 = -1.04',
        'step 1/2: v ← μ·v + g = 0.9 × (-0.2) + (-0.2) = -0.38;  w ← w − η·v = 0.52 − 0.1 × (-0.38) = 0.558',
        'step 2/2: v ← μ·v + g = 0.9 × 0.4 + 0.4 = 0.76;  θ1 ← θ1 − η·v = -1.04 − 0.1 × 0.76 = -1.116',
    ], 'SGD(2 parameters, lr=0.1, weight_decay=0, momentum=0.9; 2 steps taken)'),
    'nesterov': (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True), [
        'step 1/2: v ← μ·v + g = 0.9 × 0 + (-0.2) = -0.2;  w ← w − η·(g + μ·v) = 0.5 − 0.1 × ((-0.2) + 0.9 × (-0.2)) = 0.538',
        'step 2/2: v ← μ·v + g = 0.9 × 0 + 0.4 = 0.4;  θ1 ← θ1 − η·(g + μ·v) = -1 − 0.1 × (0.4 + 0.9 × 0.4) = -1.076',
        'step 1/2: v ← μ·v + g = 0.9 × (-0.2) + (-0.2) = -0.38;  w ← w − η·(g + μ·v) = 0.538 − 0.1 × ((-0.2) + 0.9 × (-0.38)) = 0.5922',
        'step 2/2: v ← μ·v + g = 0.9 × 0.4 + 0.4 = 0.76;  θ1 ← θ1 − η·(g + μ·v) = -1.076 − 0.1 × (0.4 + 0.9 × 0.76) = -1.184',
    ], 'SGD(2 parameters, lr=0.1, weight_decay=0, momentum=0.9; 2 steps taken)'),
    'rmsprop': (lambda ps: nn.RMSProp(ps, lr=0.01), [
        'step 1/2: s ← ρ·s + (1 − ρ)·g² = 0.9 × 0 + 0.1 × (-0.2)² = 0.004;  w ← w − η·g/(√s + ε) = 0.5 − 0.01 × (-0.2) / 0.06325 = 0.5316',
        'step 2/2: s ← ρ·s + (1 − ρ)·g² = 0.9 × 0 + 0.1 × 0.4² = 0.016;  θ1 ← θ1 − η·g/(√s + ε) = -1 − 0.01 × 0.4 / 0.1265 = -1.032',
        'step 1/2: s ← ρ·s + (1 − ρ)·g² = 0.9 × 0.004 + 0.1 × (-0.2)² = 0.0076;  w ← w − η·g/(√s + ε) = 0.5316 − 0.01 × (-0.2) / 0.08718 = 0.5546',
        'step 2/2: s ← ρ·s + (1 − ρ)·g² = 0.9 × 0.016 + 0.1 × 0.4² = 0.0304;  θ1 ← θ1 − η·g/(√s + ε) = -1.032 − 0.01 × 0.4 / 0.1744 = -1.055',
    ], 'RMSProp(2 parameters, lr=0.01, weight_decay=0, rho=0.9, eps=1e-08; 2 steps taken)'),
    'adam': (lambda ps: nn.Adam(ps, lr=0.01), [
        'step 1/2: m ← β₁·m + (1 − β₁)·g = -0.02;  v ← β₂·v + (1 − β₂)·g² = 4e-05;  m̂ = m/(1 − β₁^1) = -0.2;  v̂ = v/(1 − β₂^1) = 0.04;  w ← w − η·m̂/(√v̂ + ε) = 0.5 − 0.01 × (-0.2) / 0.2 = 0.51',
        'step 2/2: m ← β₁·m + (1 − β₁)·g = 0.04;  v ← β₂·v + (1 − β₂)·g² = 0.00016;  m̂ = m/(1 − β₁^1) = 0.4;  v̂ = v/(1 − β₂^1) = 0.16;  θ1 ← θ1 − η·m̂/(√v̂ + ε) = -1 − 0.01 × 0.4 / 0.4 = -1.01',
        'step 1/2: m ← β₁·m + (1 − β₁)·g = -0.038;  v ← β₂·v + (1 − β₂)·g² = 7.996e-05;  m̂ = m/(1 − β₁^2) = -0.2;  v̂ = v/(1 − β₂^2) = 0.04;  w ← w − η·m̂/(√v̂ + ε) = 0.51 − 0.01 × (-0.2) / 0.2 = 0.52',
        'step 2/2: m ← β₁·m + (1 − β₁)·g = 0.076;  v ← β₂·v + (1 − β₂)·g² = 0.0003198;  m̂ = m/(1 − β₁^2) = 0.4;  v̂ = v/(1 − β₂^2) = 0.16;  θ1 ← θ1 − η·m̂/(√v̂ + ε) = -1.01 − 0.01 × 0.4 / 0.4 = -1.02',
    ], 'Adam(2 parameters, lr=0.01, weight_decay=0, beta1=0.9, beta2=0.999, eps=1e-08; 2 steps taken)'),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_two_updates_written_out_with_their_numbers(name):
    make, texts, printed = TEXTS[name]
    w, b = Value.parameter(0.5, "w"), Value.parameter(-1.0)  # b has no label: it is θ1, its index
    opt = make([w, b])
    shown = []
    for _ in range(2):
        w.grad, b.grad = -0.2, 0.4
        shown += [str(step) for step in opt.step_steps()]
    assert shown == texts
    assert repr(opt) == printed and opt.steps == 2


def test_the_second_updates_by_hand():
    # RMSProp: s₂ = 0.9·0.004 + 0.1·0.04 = 0.0076;  Adam: m̂₂ = g and v̂₂ = g² for a constant g, so each step is η·sign(g)
    w = Value.parameter(0.5)
    rms = nn.RMSProp([w], lr=0.01)
    for _ in range(2):
        w.grad = -0.2
        rms.step()
    s1 = 0.1 * 0.04
    s2 = 0.9 * s1 + 0.1 * 0.04
    assert w.data == pytest.approx(0.5 + 0.01 * 0.2 / (math.sqrt(s1) + 1e-8) + 0.01 * 0.2 / (math.sqrt(s2) + 1e-8), rel=1e-12)
    assert rms.square_avg.tolist() == pytest.approx([s2], rel=1e-12)
    v = Value.parameter(0.5)
    adam = nn.Adam([v], lr=0.01, betas=(0.8, 0.99))
    for _ in range(2):
        v.grad = -0.2
        adam.step()
    m2, v2 = 0.8 * 0.2 * -0.2 + 0.2 * -0.2, 0.99 * 0.01 * 0.04 + 0.01 * 0.04
    assert (adam.m.tolist(), adam.v.tolist()) == (pytest.approx([m2], rel=1e-12), pytest.approx([v2], rel=1e-12))
    m_hat, v_hat = m2 / (1 - 0.8 ** 2), v2 / (1 - 0.99 ** 2)
    assert v.data == pytest.approx(0.5 + 0.01 * 0.2 / (0.2 + 1e-8) - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)


def test_plan_shows_the_next_update_without_applying_it():
    w, b = Value.parameter(0.5, "w"), Value.parameter(-1.0)
    opt = nn.Adam([w, b], lr=0.01)
    w.grad, b.grad = -0.2, 0.4
    plan = opt.plan()
    assert [(s.index, s.total, s.parameter, s.before, s.grad, s.after) for s in plan] == [
        (1, 2, w, 0.5, -0.2, pytest.approx(0.51, rel=1e-9)), (2, 2, b, -1.0, 0.4, pytest.approx(-1.01, rel=1e-9))]
    assert str(plan[0]).startswith("step 1/2: m ← β₁·m + (1 − β₁)·g = -0.02;")
    assert (w.data, b.data, opt.steps, opt.m.tolist()) == (0.5, -1.0, 0, [0.0, 0.0])


def test_an_update_abandoned_half_way_puts_back_exactly_what_moved():
    ps = [Value.parameter(x) for x in (1.0, 2.0, 3.0)]
    opt = nn.SGD(ps, lr=0.5, momentum=0.5)
    for p in ps:
        p.grad = 1.0
    steps = opt.step_steps()
    first = next(steps)
    assert (first.before, first.after, ps[0].data) == (1.0, 0.5, 0.5)
    next(steps)
    assert [p.data for p in ps] == [0.5, 1.5, 3.0]
    steps.close()
    assert [p.data for p in ps] == [1.0, 2.0, 3.0] and opt.steps == 0 and opt.velocity.tolist() == [0.0] * 3
    list(opt.step_steps())
    assert [p.data for p in ps] == [0.5, 1.5, 2.5] and opt.velocity.tolist() == [1.0] * 3


def test_weight_decay_reaches_every_optimizer():
    # g + λθ: with g = 0, θ = 2 and λ = 0.1 the gradient the rule sees is 0.2
    for make, moved in [(lambda ps: nn.SGD(ps, lr=0.5, weight_decay=0.1), 0.5 * 0.2),
                        (lambda ps: nn.RMSProp(ps, lr=0.01, weight_decay=0.1), 0.01 * 0.2 / (math.sqrt(0.1 * 0.04) + 1e-8)),
                        (lambda ps: nn.Adam(ps, lr=0.01, weight_decay=0.1), 0.01 * 0.2 / (0.2 + 1e-8))]:
        p = Value.parameter(2.0)
        opt = make([p])
        p.grad = 0.0
        opt.step()
        assert 2.0 - p.data == pytest.approx(moved, rel=1e-9)


def test_a_missing_gradient_counts_as_zero():
    p, q = Value.parameter(1.0), Value.parameter(1.0)
    p.grad, q.grad = None, 2.0
    nn.SGD([p, q], lr=0.5).step()
    assert (p.data, q.data) == (1.0, 0.0)
    p.grad, q.grad = None, 3.0
    assert nn.clip_grad_norm([p, q], 1.0) == 3.0 and (p.grad, q.grad) == (0.0, 1.0)
    p.grad = None
    nn.clip_grad_value([p, q], 0.5)
    assert (p.grad, q.grad) == (0.0, 0.5)
    assert nn.clip_grad_norm([], 1.0) == 0.0


def test_default_learning_rates():
    assert [nn.SGD([Value.parameter(0.0)]).lr, nn.RMSProp([Value.parameter(0.0)]).lr, nn.Adam([Value.parameter(0.0)]).lr] == [0.01, 0.001, 3e-4]
    rms, adam = nn.RMSProp([Value.parameter(0.0)]), nn.Adam([Value.parameter(0.0)])
    assert (rms.rho, rms.eps, adam.beta1, adam.beta2, adam.eps) == (0.9, 1e-8, 0.9, 0.999, 1e-8)


w_ = Value.parameter(0.5, "w")
ERRORS = [
    ("not a list", lambda: nn.SGD(w_), TypeError, 'SGD: expected a list of parameters (model.parameters()), got w (Value, data=0.5)'),
    ("not iterable", lambda: nn.SGD(3), TypeError, 'SGD: expected a list of parameters (model.parameters()), got 3 (int)'),
    ("empty", lambda: nn.Adam([]), ValueError, "Adam: got no parameters to optimise. A module's parameters are the "
     "Values made with Value.parameter(x) and those of nn's layers; a Value(x) of one's own is an input, not trained"),
    ("not values", lambda: nn.RMSProp([w_, 2.0]), TypeError, 'RMSProp: parameters must be Values, got 2.0 (float)'),
    ("lr", lambda: nn.SGD([w_], lr=0), ValueError, 'SGD: lr must be > 0, got 0.0'),
    ("lr str", lambda: nn.SGD([w_], lr="a"), TypeError, "SGD: lr: expected a real number (int or float) or a Value, got 'a' (str)"),
    ("weight_decay", lambda: nn.SGD([w_], weight_decay=-1), ValueError, 'SGD: weight_decay must be ≥ 0, got -1.0'),
    ("momentum", lambda: nn.SGD([w_], momentum=1.0), ValueError, 'SGD: momentum must be in [0, 1), got 1.0'),
    ("nesterov", lambda: nn.SGD([w_], nesterov=True), ValueError, 'SGD: nesterov=True needs a momentum > 0'),
    ("rho", lambda: nn.RMSProp([w_], rho=1.5), ValueError, 'RMSProp: rho must be in [0, 1), got 1.5'),
    ("rmsprop eps", lambda: nn.RMSProp([w_], eps=0), ValueError, 'RMSProp: eps must be > 0, got 0.0'),
    ("betas", lambda: nn.Adam([w_], betas=(0.9,)), ValueError, 'Adam: betas must be a pair (β₁, β₂), got (0.9,)'),
    ("betas not a pair", lambda: nn.Adam([w_], betas=0.9), ValueError, 'Adam: betas must be a pair (β₁, β₂), got 0.9'),
    ("betas[0]", lambda: nn.Adam([w_], betas=(1.0, 0.9)), ValueError, 'Adam: betas[0] must be in [0, 1), got 1.0'),
    ("betas[1]", lambda: nn.Adam([w_], betas=(0.9, -0.1)), ValueError, 'Adam: betas[1] must be in [0, 1), got -0.1'),
    ("adam eps", lambda: nn.Adam([w_], eps=-1), ValueError, 'Adam: eps must be > 0, got -1.0'),
    ("clip norm", lambda: nn.clip_grad_norm([w_], 0), ValueError, 'clip_grad_norm: max_norm must be > 0, got 0.0'),
    ("clip value", lambda: nn.clip_grad_value([w_], -1), ValueError, 'clip_grad_value: clip_value must be > 0, got -1.0'),
]


@pytest.mark.parametrize("name,call,error,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_optimizer_errors_word_for_word(name, call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


@pytest.mark.parametrize("where", ["step", "step_steps", "plan"])
def test_a_non_finite_update_is_refused_by_name_and_changes_nothing(where):
    w = Value.parameter(0.5, "w")
    opt = nn.SGD([w], lr=1e10)
    w.grad = 1e308
    with pytest.raises(OverflowError) as info:
        result = getattr(opt, where)()
        if where == "step_steps":
            list(result)
    assert str(info.value) == (f"SGD.{where}: the update would make w (Value, data=0.5) non-finite (-inf); lower the "
                               "learning rate (lr=1e+10) or clip the gradients; nothing was changed")
    assert w.data == 0.5 and opt.steps == 0
    w.grad = math.inf
    with pytest.raises(OverflowError) as info:
        nn.SGD([w]).step()
    assert str(info.value) == ("SGD.step: the gradient of w (Value, data=0.5) is non-finite (inf); call backward() on a "
                               "finite loss first")
