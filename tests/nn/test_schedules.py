"""Learning-rate schedules refuse settings that would make lr ≤ 0 or mean nothing, and never set lr ≤ 0."""
import math

import pytest

from chainrule import nn
from chainrule.engine import Value


def sgd(lr=1.0):
    return nn.SGD([Value.parameter(0.0)], lr=lr)


@pytest.mark.parametrize("make,match", [
    (lambda o: nn.StepLR(o, step_size=1, gamma=-1), r"StepLR: gamma must be a number in \(0, 1\].*got -1"),
    (lambda o: nn.StepLR(o, step_size=1, gamma=0), r"StepLR: gamma must be a number in \(0, 1\].*got 0"),
    (lambda o: nn.StepLR(o, step_size=1, gamma=2.0), r"StepLR: gamma must be a number in \(0, 1\].*got 2.0"),
    (lambda o: nn.StepLR(o, step_size=1, gamma=math.nan), r"StepLR: gamma .*got nan"),
    (lambda o: nn.StepLR(o, step_size=0), r"StepLR: step_size must be an int ≥ 1.*got 0"),
    (lambda o: nn.StepLR(o, step_size=True), r"StepLR: step_size must be an int ≥ 1.*got True"),
    (lambda o: nn.StepLR(o, step_size=2.5), r"StepLR: step_size must be an int ≥ 1.*got 2.5"),
    (lambda o: nn.LinearLR(o, epochs=10, end_factor=-3), r"LinearLR: end_factor must be a number in \(0, 1\].*got -3"),
    (lambda o: nn.LinearLR(o, epochs=10, end_factor=0), r"LinearLR: end_factor must be a number in \(0, 1\].*got 0"),
    (lambda o: nn.LinearLR(o, epochs=10, end_factor=1.5), r"LinearLR: end_factor .*got 1.5"),
    (lambda o: nn.LinearLR(o, epochs=10, end_factor="0.1"), r"LinearLR: end_factor .*got '0.1'"),
    (lambda o: nn.LinearLR(o, epochs=0), r"LinearLR: epochs must be an int ≥ 1.*got 0"),
    (lambda o: nn.ReduceLROnPlateau(o, cooldown=-1), r"ReduceLROnPlateau: cooldown must be an int ≥ 0.*got -1"),
    (lambda o: nn.ReduceLROnPlateau(o, cooldown=0.5), r"ReduceLROnPlateau: cooldown must be an int ≥ 0.*got 0.5"),
    (lambda o: nn.ReduceLROnPlateau(o, patience=2.5), r"ReduceLROnPlateau: patience must be an int ≥ 0.*got 2.5"),
    (lambda o: nn.ReduceLROnPlateau(o, patience=True), r"ReduceLROnPlateau: patience must be an int ≥ 0.*got True"),
    (lambda o: nn.ReduceLROnPlateau(o, min_lr=-0.1), r"ReduceLROnPlateau: min_lr must be a number ≥ 0.*got -0.1"),
    (lambda o: nn.ReduceLROnPlateau(o, min_lr=math.inf), r"ReduceLROnPlateau: min_lr must be a number ≥ 0.*got inf"),
    (lambda o: nn.ReduceLROnPlateau(o, threshold=-1e-4), r"ReduceLROnPlateau: threshold must be a number in \[0, 1\)"),
    (lambda o: nn.ReduceLROnPlateau(o, threshold=1), r"ReduceLROnPlateau: threshold must be a number in \[0, 1\)"),
    (lambda o: nn.ReduceLROnPlateau(o, factor=1), r"ReduceLROnPlateau: factor must be a number in \(0, 1\).*got 1"),
    (lambda o: nn.ReduceLROnPlateau(o, factor=-0.5), r"ReduceLROnPlateau: factor must be a number in \(0, 1\)"),
])
def test_settings_that_make_lr_non_positive_or_mean_nothing_are_refused(make, match):
    optimizer = sgd()
    with pytest.raises(ValueError, match=match):
        make(optimizer)
    assert optimizer.lr == 1.0


@pytest.mark.parametrize("schedule", [nn.StepLR, nn.LinearLR])
def test_a_schedule_needs_an_optimizer(schedule):
    with pytest.raises(TypeError, match=rf"{schedule.__name__}: expected an Optimizer, got float"):
        schedule(0.1, 10)


@pytest.mark.parametrize("make", [
    lambda o: nn.StepLR(o, step_size=1, gamma=0.1),
    lambda o: nn.ReduceLROnPlateau(o, factor=0.1, patience=0, min_lr=0.0),
    lambda o: nn.LinearLR(o, epochs=3, end_factor=1e-300),
])
def test_many_reductions_never_make_lr_zero(make):
    optimizer = sgd(lr=1e-10)
    schedule = make(optimizer)
    seen = []
    for _ in range(400):  # 1e-10 · 0.1^400 underflows to 0.0
        schedule.step(1.0)
        seen.append(optimizer.lr)
    assert all(0 < lr < math.inf for lr in seen)
    assert seen[-1] < 1e-300  # it did keep falling as far as a float goes
