"""The data sets: shapes, labels, seeds, standardisation, splitting."""
import statistics

import pytest

from chainrule import nn
def test_xor_and_line():
    X, y = nn.data.xor()
    assert X == [[0, 0], [0, 1], [1, 0], [1, 1]] and y == [0, 1, 1, 0]
    X, z = nn.data.line(5)
    assert [x[0] for x in X] == pytest.approx([0, 0.25, 0.5, 0.75, 1]) and z == pytest.approx([0, 0.5, 1, 1.5, 2])


def test_moons_and_spirals_are_seeded():
    X, y = nn.data.moons(100, noise=0.1, seed=0)
    assert len(X) == 100 and all(len(x) == 2 for x in X) and sorted(set(y)) == [0.0, 1.0] and sum(y) == 50
    assert nn.data.moons(100, seed=0) == (X, y) and nn.data.moons(100, seed=1) != (X, y)
    assert set(nn.data.moons(10, labels="pm1")[1]) == {-1.0, 1.0}
    Xs, ys = nn.data.spirals(30, classes=3)
    assert len(Xs) == 90 and sorted(set(ys)) == [0, 1, 2]


def test_digits_from_scikit_learn():
    X, y = nn.data.digits()
    assert len(X) == 1797 and len(X[0]) == 64 and sorted(set(y)) == list(range(10))
    assert 0.0 <= min(map(min, X)) and max(map(max, X)) <= 1.0


def test_standardize_fits_on_training_data_only():
    train, test, s = nn.data.standardize([[1.0, 10.0], [3.0, 10.0]], [[5.0, 12.0]])
    assert train == [[-1.0, 0.0], [1.0, 0.0]] and test == [[3.0, 2.0]]
    assert s.mean == [2.0, 10.0] and s.std == [1.0, 1.0]  # a constant feature keeps std 1
    X, _ = nn.data.moons(200)
    Z = nn.data.standardize(X)[0]
    assert statistics.fmean(z[0] for z in Z) == pytest.approx(0, abs=1e-12)
    assert statistics.pstdev(z[1] for z in Z) == pytest.approx(1)


def test_split_sizes_and_disjointness():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    (a, ya), (b, yb), (c, yc) = nn.data.split(X, y, (0.6, 0.2, 0.2), seed=0)
    assert (len(a), len(b), len(c)) == (6, 2, 2) and sorted(ya + yb + yc) == y
    with pytest.raises(ValueError, match="sum to 1"):
        nn.data.split(X, y, (0.5, 0.2))


def test_bad_arguments():
    with pytest.raises(ValueError, match="positive int"):
        nn.data.moons(0)
    with pytest.raises(ValueError, match="labels"):
        nn.data.moons(10, labels="yes")


def test_digits_are_scikit_learns_read_without_importing_it():
    import subprocess
    import sys

    code = ("import sys; from chainrule import nn; X, y = nn.data.digits(); "
            "print(len(X), len(X[0]), 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1797", "64", "False"]
    load_digits = pytest.importorskip("sklearn.datasets").load_digits  # scikit-learn is no longer a dependency

    import numpy as np
    X, y = nn.data.digits()
    bunch = load_digits()
    assert np.array_equal(np.array(X), bunch.data / 16.0) and y == bunch.target.tolist()
