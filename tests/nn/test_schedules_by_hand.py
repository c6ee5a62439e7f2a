"""Schedules epoch by epoch against the rules worked out by hand (Keras's ReduceLROnPlateau: a relative
threshold, patience, cooldown, a floor), their defaults, and their refusals word for word."""
import pytest

from chainrule import nn
from chainrule.engine import Value


def sgd(lr=1.0):
    return nn.SGD([Value.parameter(0.0)], lr=lr)


def test_reduce_on_plateau_epoch_by_epoch():
    """factor ½, patience 1, an improvement is a drop below best·(1 − 0.1), one epoch of cooldown, floor 0.1."""
    opt = sgd()
    plateau = nn.ReduceLROnPlateau(opt, factor=0.5, patience=1, min_lr=0.1, threshold=0.1, cooldown=1)
    assert (plateau.bad_epochs, plateau.cooldown_left, plateau.reductions, plateau.epoch) == (0, 0, [], 0)
    losses = [10, 9.5, 9.2, 9.1, 9.05, 8.5, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0]
    lrs = []
    for loss in losses:
        plateau.step(loss)
        lrs.append(opt.lr)
    # epoch 2: 9.5 is not below 10 − 1 = 9; epoch 3: a second bad epoch > patience: halve; epoch 4 cools down;
    # epoch 6: 8.5 < 9 is a new best; then bad epochs from 8.0 (not below 7.65): halved at 8, 11, 14 (to the floor)
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.1, 0.1, 0.1, 0.1]
    assert plateau.reductions == [3, 8, 11, 14] and plateau.best == 8.5 and plateau.epoch == 17


def test_reduce_on_plateau_threshold_is_relative_to_the_best_loss():
    opt = sgd()
    plateau = nn.ReduceLROnPlateau(opt, factor=0.5, patience=0, threshold=0.5)
    plateau.step(4.0)
    plateau.step(1.9)  # below 4 − 0.5·4 = 2: an improvement
    assert opt.lr == 1.0 and plateau.best == 1.9
    plateau.step(0.95)  # exactly 1.9 − 0.95: not below it
    assert opt.lr == 0.5 and plateau.best == 1.9


def test_reduce_on_plateau_defaults_are_keras():
    plateau = nn.ReduceLROnPlateau(sgd())
    assert (plateau.factor, plateau.patience, plateau.min_lr, plateau.threshold, plateau.cooldown) == \
        (0.1, 10, 0.0, 1e-4, 0)
    opt = sgd()
    plateau = nn.ReduceLROnPlateau(opt)
    for _ in range(12):  # the first sets the best; ten more bad epochs are within patience, the eleventh is not
        plateau.step(1.0)
    assert opt.lr == pytest.approx(0.1) and plateau.reductions == [12]


def test_cooldown_counts_down_one_epoch_at_a_time():
    opt = sgd()
    plateau = nn.ReduceLROnPlateau(opt, factor=0.5, patience=0, cooldown=2)
    for _ in range(8):
        plateau.step(1.0)
    # reduced at 2; epochs 3 and 4 cool down; reduced at 5; 6 and 7 cool down; reduced at 8
    assert plateau.reductions == [2, 5, 8] and opt.lr == 0.125


def test_step_and_linear_schedules_by_hand():
    opt = sgd()
    step = nn.StepLR(opt, step_size=2)  # gamma 0.1 by default
    lrs = []
    for _ in range(5):
        step.step()
        lrs.append(opt.lr)
    assert lrs == [1.0, pytest.approx(0.1), pytest.approx(0.1), pytest.approx(0.01), pytest.approx(0.01)]
    opt = sgd(2.0)
    linear = nn.LinearLR(opt, epochs=4)  # to 2 · 0.1 over four epochs, then stays
    lrs = []
    for _ in range(6):
        linear.step()
        lrs.append(opt.lr)
    assert lrs == pytest.approx([2.0 * (1 - k / 4 + k / 4 * 0.1) for k in (1, 2, 3, 4, 4, 4)], rel=1e-15)


@pytest.mark.parametrize("make,message", [
    (lambda o: nn.ReduceLROnPlateau(o, factor=0), "ReduceLROnPlateau: factor must be a number in (0, 1), got 0"),
    (lambda o: nn.ReduceLROnPlateau(o, patience=-1),
     "ReduceLROnPlateau: patience must be an int ≥ 0 (epochs without improvement before a reduction), got -1"),
    (lambda o: nn.ReduceLROnPlateau(o, min_lr=-1),
     "ReduceLROnPlateau: min_lr must be a number ≥ 0 (the floor of lr), got -1"),
    (lambda o: nn.ReduceLROnPlateau(o, threshold=1.0),
     "ReduceLROnPlateau: threshold must be a number in [0, 1) (the relative drop that counts as an improvement), "
     "got 1.0"),
    (lambda o: nn.ReduceLROnPlateau(o, cooldown=-2),
     "ReduceLROnPlateau: cooldown must be an int ≥ 0 (epochs to wait after a reduction), got -2"),
    (lambda o: nn.StepLR(o, step_size=0), "StepLR: step_size must be an int ≥ 1 (epochs between reductions), got 0"),
    (lambda o: nn.StepLR(o, 1, gamma=True), "StepLR: gamma must be a number in (0, 1] (the factor lr is multiplied by), "
                                            "got True"),
    (lambda o: nn.LinearLR(o, epochs=0), "LinearLR: epochs must be an int ≥ 1 (epochs the fall takes), got 0"),
    (lambda o: nn.LinearLR(o, 3, end_factor=2),
     "LinearLR: end_factor must be a number in (0, 1] (the final lr over the first), got 2"),
    (lambda o: nn.ReduceLROnPlateau(0.5), "ReduceLROnPlateau: expected an Optimizer, got float"),
])
def test_each_refusal_word_for_word(make, message):
    with pytest.raises((ValueError, TypeError)) as info:
        make(sgd())
    assert str(info.value) == message


def test_settings_at_the_edges_of_what_is_allowed():
    plateau = nn.ReduceLROnPlateau(sgd(), threshold=0.0, patience=0, cooldown=0, min_lr=0.0)
    assert (plateau.threshold, plateau.patience) == (0.0, 0)
    assert nn.StepLR(sgd(), 1, gamma=1.0).gamma == 1.0 and nn.LinearLR(sgd(), 1, end_factor=1.0).end_factor == 1.0


def test_schedules_count_their_epochs():
    step, linear = nn.StepLR(sgd(), 2), nn.LinearLR(sgd(), 3)
    for _ in range(5):
        step.step()
        linear.step()
    assert (step.epoch, linear.epoch) == (5, 3)  # LinearLR stops counting where its fall ends
