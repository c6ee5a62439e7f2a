"""Weight initialisation, as in the notes: N(0, 0.01), Xavier (Glorot), He (Kaiming), U(−1, 1).

An initialiser is a function (rng, fan_in, fan_out) -> one weight. Biases start at 0.

Where the numbers come from: a module built with `seed=n` draws from its own
`random.Random(n)` (the same seed, the same weights); without a seed it draws from the
library-wide generator, which is Python's own `random` module: `nn.manual_seed(n)` (or
`random.seed(n)`) makes everything after it reproducible, and two modules built one after
the other get different weights, as they must for symmetry to break.
"""
from __future__ import annotations

import math
import random
from typing import Callable, Union

Initializer = Callable[[random.Random, int, int], float]


def manual_seed(seed: int) -> None:
    """Seed the library-wide generator (Python's `random`): every model built without `seed=`
    after this call, every shuffle and every dropout mask without a seed, is reproducible."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"manual_seed: seed must be an int, got {seed!r}")
    random.seed(seed)


def generator(seed: int | None) -> random.Random:
    """`random.Random(seed)` for a given seed; the library-wide generator for None."""
    if seed is None:
        return random._inst  # the generator behind random.random(), random.seed(), …
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    return random.Random(seed)


def normal(std: float = 0.01) -> Initializer:
    """W ~ N(0, std²). The notes' "N(0, 0.01)" is read as std 0.01 (Keras RandomNormal(stddev=0.01),
    the classic `randn * 0.01`); pass std=0.1 for the variance reading."""
    return lambda rng, fan_in, fan_out: rng.gauss(0.0, std)


def uniform(low: float = -1.0, high: float = 1.0) -> Initializer:
    """W ~ U(low, high); U(−1, 1) is micrograd's choice."""
    return lambda rng, fan_in, fan_out: rng.uniform(low, high)


def xavier_uniform(rng: random.Random, fan_in: int, fan_out: int) -> float:
    """Glorot: W ~ U(−a, a), a = √(6 / (fan_in + fan_out)); keeps activation variance for tanh/sigmoid."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a)


def xavier_normal(rng: random.Random, fan_in: int, fan_out: int) -> float:
    """Glorot: W ~ N(0, 2 / (fan_in + fan_out))."""
    return rng.gauss(0.0, math.sqrt(2.0 / (fan_in + fan_out)))


def he_normal(rng: random.Random, fan_in: int, fan_out: int) -> float:
    """He/Kaiming: W ~ N(0, 2 / fan_in); keeps activation variance for ReLU (which zeroes half)."""
    return rng.gauss(0.0, math.sqrt(2.0 / fan_in))


def he_uniform(rng: random.Random, fan_in: int, fan_out: int) -> float:
    """He/Kaiming: W ~ U(−a, a), a = √(6 / fan_in)."""
    a = math.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a)


def constant(value: float) -> Initializer:
    """Every weight the same: shows why symmetric weights cannot learn different features."""
    return lambda rng, fan_in, fan_out: float(value)


NAMED: dict[str, Initializer] = {
    "normal": normal(0.01),
    "uniform": uniform(-1.0, 1.0),
    "xavier": xavier_uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he": he_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}


def resolve(init: Union[str, Initializer], activation: str) -> Initializer:
    """An initialiser from a name or a function; "auto" is He for ReLU-like activations, Xavier otherwise."""
    if init == "auto":
        return he_normal if activation in ("relu", "leaky_relu") else xavier_uniform
    if callable(init):
        return init
    if init not in NAMED:
        raise ValueError(f"init: unknown initialiser {init!r}; choose one of auto, {', '.join(NAMED)} or pass a function")
    return NAMED[init]
