"""The data sets as the notes draw them: the line z = 2x, two half circles, spiral arms, each point where
its formula puts it, the noise exactly the seed's Gaussian draws (the lessons' stored outputs depend on
those numbers), the defaults as documented, and the refusals word for word."""
import math

import numpy as np
import pytest

from chainrule import nn


def test_the_line_is_z_equals_slope_times_x_plus_the_seeds_noise():
    X, z = nn.data.line(4, slope=3.0, low=-1.0, high=2.0, noise=0.5, seed=7)
    x = np.array([row[0] for row in X])
    assert x.tolist() == [-1.0, 0.0, 1.0, 2.0]
    noise = np.random.default_rng(7).standard_normal(4)  # four different draws
    assert np.array(z) == pytest.approx(3.0 * x + 0.5 * noise, abs=1e-15)
    assert nn.data.line() == nn.data.line(5, 2.0, 0.0, 1.0, 0.0, 0)  # the defaults: the notes' five points on z = 2x
    assert nn.data.line(3, noise=1.0) == nn.data.line(3, noise=1.0, seed=0)


def test_two_moons_lie_on_their_half_circles():
    """Outer moon (label 0): (cos t, sin t); inner moon (label 1): (1 − cos t, ½ − sin t), t from 0 to π."""
    X, y = nn.data.moons(11, noise=0.0)
    outer = sorted(tuple(p) for p, label in zip(X, y) if label == 0.0)
    inner = sorted(tuple(p) for p, label in zip(X, y) if label == 1.0)
    assert (len(outer), len(inner)) == (5, 6)  # n // 2 outer, the rest inner
    expected_outer = sorted((math.cos(t), math.sin(t)) for t in np.linspace(0, math.pi, 5))
    expected_inner = sorted((1 - math.cos(t), 0.5 - math.sin(t)) for t in np.linspace(0, math.pi, 6))
    assert np.array(outer) == pytest.approx(np.array(expected_outer), abs=1e-15)
    assert np.array(inner) == pytest.approx(np.array(expected_inner), abs=1e-15)


def test_the_moons_noise_is_the_seeds_gaussian_draws():
    clean, y = nn.data.moons(20, noise=0.0, seed=3)
    noisy, y_noisy = nn.data.moons(20, noise=0.2, seed=3)
    rng = np.random.default_rng(3)
    draws = rng.standard_normal((20, 2))  # one per coordinate, in the unshuffled order
    order = rng.permutation(20)  # then the shuffle (the same for both)
    assert y_noisy == y
    assert np.array(noisy) - np.array(clean) == pytest.approx(0.2 * draws[order], abs=1e-15)
    t_out, t_in = np.linspace(0, math.pi, 10), np.linspace(0, math.pi, 10)  # the points in order, then shuffled
    unshuffled = [(math.cos(t), math.sin(t)) for t in t_out] + [(1 - math.cos(t), 0.5 - math.sin(t)) for t in t_in]
    assert np.array(clean) == pytest.approx(np.array(unshuffled)[order], abs=1e-15)
    assert y == [0.0 if i < 10 else 1.0 for i in order]
    assert nn.data.moons() == nn.data.moons(100, 0.1, 0, "01")  # the defaults
    X, labels = nn.data.moons(6, labels="pm1")
    assert labels == [2 * v - 1 for v in nn.data.moons(6)[1]]


def test_spiral_arms_turn_as_their_formula_says():
    """Arm c of K: radius r from 0.05 to 1, angle θ = 2π·turns·r + 2πc/K."""
    for classes, turns in ((2, 1.0), (3, 0.5)):
        X, y = nn.data.spirals(7, classes=classes, noise=0.0, turns=turns)
        assert sorted(y) == sorted(list(range(classes)) * 7)
        radii = np.linspace(0.05, 1.0, 7)
        for (px, py), c in zip(X, y):
            r = math.hypot(px, py)
            k = int(np.argmin(abs(radii - r)))
            assert r == pytest.approx(radii[k], abs=1e-12)
            theta = 2 * math.pi * turns * r + 2 * math.pi * c / classes
            assert (px, py) == pytest.approx((r * math.cos(theta), r * math.sin(theta)), abs=1e-12)


def test_the_spirals_noise_grows_with_the_radius_from_the_seeds_draws():
    clean, y = nn.data.spirals(5, classes=2, noise=0.0, seed=4)
    noisy, _ = nn.data.spirals(5, classes=2, noise=0.3, seed=4)
    rng = np.random.default_rng(4)
    draws = np.vstack([rng.standard_normal((5, 2)) for _ in range(2)])  # one block per arm
    order = rng.permutation(10)
    r = np.tile(np.linspace(0.05, 1.0, 5), 2)[:, None]
    assert np.array(noisy) - np.array(clean) == pytest.approx((0.3 * draws * r)[order], abs=1e-15)
    assert nn.data.spirals() == nn.data.spirals(50, 2, 0.1, 1.0, 0)  # the defaults


@pytest.mark.parametrize("call,message", [
    (lambda: nn.data.line(0), "line: the number of samples must be a positive int, got 0"),
    (lambda: nn.data.moons(True), "moons: the number of samples must be a positive int, got True"),
    (lambda: nn.data.spirals(2.5), "spirals: the number of samples must be a positive int, got 2.5"),
    (lambda: nn.data.spirals(5, classes=1), "spirals: classes must be an int ≥ 2, got 1"),
    (lambda: nn.data.spirals(5, classes=2.0), "spirals: classes must be an int ≥ 2, got 2.0"),
    (lambda: nn.data.Standardizer.fit([]), "Standardizer.fit: expected a non-empty list of samples (each a list of numbers)"),
    (lambda: nn.data.Standardizer.fit([[1.0]]).transform([1.0]),
     "Standardizer.transform: expected a non-empty list of samples (each a list of numbers)"),
    (lambda: nn.data.Standardizer.fit([[1.0]]).transform([[1.0, 2.0]]),
     "Standardizer.transform: fitted on 1 features, got 2"),
    (lambda: nn.data.split([[1.0]], [1, 2]), "split: 1 inputs but 2 labels"),
    (lambda: nn.data.split([[1.0]], [1], (0.5, 0.6)), "split: fractions must be positive and sum to 1, got (0.5, 0.6)"),
    (lambda: nn.data.moons(4, labels="+-"), "moons: labels must be '01' or 'pm1', got '+-'"),
])
def test_each_refusal_word_for_word(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message


def test_split_cuts_the_seeds_shuffle_into_the_fractions():
    X, y = [[float(i)] for i in range(10)], list(range(10))
    order = np.random.default_rng(0).permutation(10).tolist()
    (a, ya), (b, yb) = nn.data.split(X, y, (0.7, 0.3))
    assert ya == order[:7] and yb == order[7:] and a == [[float(i)] for i in order[:7]]
    assert nn.data.split(X, y) == nn.data.split(X, y, (0.6, 0.2, 0.2), seed=0)
    for fractions in ((1.5, -0.5), (1.0, 0.0), ()):
        with pytest.raises(ValueError, match="fractions must be positive and sum to 1"):
            nn.data.split(X, y, fractions)


def test_a_single_point_is_a_data_set():
    assert nn.data.line(1) == ([[0.0]], [0.0])
    assert len(nn.data.spirals(1, classes=2)[0]) == 2
