"""GELU on arrays needs no scipy: math.erfc entry by entry, the scalar engine's function, bit for bit."""
import math

import numpy as np

from chainrule import Value
from chainrule.nn.arrays import ACTIVATIONS

GELU = ACTIVATIONS["gelu"]
# both tails, around 0 (where Φ = ½ and the slope is ½), subnormal and huge inputs
Z = np.array([[-40.0, -12.0, -5.5, -3.0, -1.0, -0.3, -1e-300, 0.0],
              [5e-324, 1e-8, 0.3, 1.0, 2.5, 6.0, 12.0, 40.0]])
Z = np.concatenate([Z, np.linspace(-8, 8, 800).reshape(-1, 8)])


def phi(z: float) -> float:
    """The standard normal CDF from math.erf (Φ(z) = ½(1 + erf(z/√2))), written independently."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def test_gelu_and_its_slope_against_math_erf():
    A, slope = GELU(Z)
    assert A.shape == slope.shape == Z.shape
    for z, a, d in zip(Z.ravel().tolist(), A.ravel().tolist(), slope.ravel().tolist()):
        density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        assert abs(a - z * phi(z)) <= 1e-15 * max(1.0, abs(z)), z
        assert abs(d - (phi(z) + z * density)) <= 1e-15 * max(1.0, abs(z)), z
    assert A[0, 7] == 0.0 and slope[0, 7] == 0.5  # GELU(0) = 0, GELU′(0) = Φ(0) = ½


def test_the_left_tail_keeps_its_relative_accuracy():
    # where 1 + erf(z/√2) cancels to nothing, erfc still gives Φ(z) to full precision: Φ(−12) ≈ 1.776e-33
    A, _ = GELU(np.array([[-12.0]]))
    assert math.isclose(A[0, 0], -12.0 * 0.5 * math.erfc(12.0 / math.sqrt(2.0)), rel_tol=1e-15)
    assert math.isclose(A[0, 0], -12.0 * 1.7764821120776e-33, rel_tol=1e-12)


def test_the_array_path_equals_the_scalar_engine_bit_for_bit():
    A, slope = GELU(Z)
    for z, a, d in zip(Z.ravel().tolist(), A.ravel().tolist(), slope.ravel().tolist()):
        scalar = Value(z).gelu()
        assert (a, d) == (scalar.data, scalar.local_grads[0]), z
