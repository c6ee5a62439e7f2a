"""The digits ship with chainrule (no scikit-learn): the same arrays as when they were read from
scikit-learn's copy, and the file's origin and licence beside it."""
import hashlib
import subprocess
import sys

import numpy as np

from chainrule.nn import data

# Taken from nn.data.digits() as it was when it read scikit-learn 1.9.1's file (commit 0f02aef):
# SHA-256 of the pixels as float64 bytes, row by row, and of repr((X, y)).
PIXELS_SHA256 = "23a53393488b04f92efc45ebc92767e2dcfdf206ba37a928f497d261e42267d2"
REPR_SHA256 = "b9e3c8079c2d3c3ff34545f12cde0d1d066c29b5afe0667c2254c428567b594a"
FILE_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_the_same_arrays_as_scikit_learns_copy_gave():
    X, y = data.digits()
    assert (len(X), len(X[0]), len(y)) == (1797, 64, 1797)
    assert all(type(v) is float for v in X[0]) and all(type(v) is int for v in y)
    assert hashlib.sha256(np.asarray(X, dtype=np.float64).tobytes()).hexdigest() == PIXELS_SHA256
    assert hashlib.sha256(repr((X, y)).encode()).hexdigest() == REPR_SHA256
    assert y[:10] == list(range(10)) and sum(y) == 8070
    assert X[0][:6] == [0.0, 0.0, 5 / 16, 13 / 16, 9 / 16, 1 / 16]


def test_the_file_is_scikit_learns_byte_for_byte_with_its_origin_and_licence_beside_it():
    assert hashlib.sha256(data.DIGITS_FILE.read_bytes()).hexdigest() == FILE_SHA256
    folder = data.DIGITS_FILE.parent
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for words in ("Optical Recognition of Handwritten Digits", "UCI", "Alpaydin", "Kaynak", "scikit-learn",
                  "BSD 3-Clause", FILE_SHA256):
        assert words in readme
    assert "BSD 3-Clause License" in (folder / "LICENSE-scikit-learn.txt").read_text(encoding="utf-8")


def test_read_without_scikit_learn_or_scipy():
    code = ("import sys; from chainrule import nn; X, y = nn.data.digits(); "
            "nn.arrays.ACTIVATIONS['gelu'](__import__('numpy').zeros((2, 2))); "
            "print(len(X), [m for m in ('sklearn', 'scipy') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1797", "[]"]
