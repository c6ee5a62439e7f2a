"""The order `fit` shuffles samples in: one small generator, written the same in Python and JavaScript.

Mini-batch training visits the samples in a new random order each epoch. The playground page
(viz/pages/random.js) trains in the browser and must visit them in exactly the order `fit` does,
so both use this generator, mulberry32 (Tommy Ettinger, 2017), whose every step is 32-bit integer
arithmetic that both languages do exactly (JavaScript: Math.imul and >>> 0; Python: & 0xFFFFFFFF).
With a state s of 32 bits, each call gives a number of 32 bits (all sums and products mod 2³²):

    s ← s + 0x6D2B79F5
    t ← (s ⊕ (s ≫ 15)) · (s | 1)
    t ← (t + (t ⊕ (t ≫ 7)) · (t | 61)) ⊕ t
    out = t ⊕ (t ≫ 14)

A shuffle is Fisher–Yates as `random.shuffle` runs it: for i = n − 1 down to 1, swap item i with
item j = ⌊out · (i + 1) / 2³²⌋, a j in 0 … i. (That j is uniform up to a bias below n / 2³², nothing
next to the sampling noise of a training run; n is at most 2²¹ so the product stays exact in a
JavaScript number.) `fit(seed=s)` starts the state at s; with seed=None it draws s from the
library-wide generator (`random.getrandbits(32)`), so `nn.manual_seed(n)` still makes fit
reproducible.
"""
from __future__ import annotations

from typing import Any, MutableSequence, Optional

from .init import generator

MASK = 0xFFFFFFFF
SEEDS = 2**32
MOST_ITEMS = 2**21  # out · (i + 1) < 2⁵³: exact in a JavaScript number


def _imul(a: int, b: int) -> int:
    """a · b mod 2³² (JavaScript's Math.imul, read as unsigned)."""
    return (a * b) & MASK


class Mulberry32:
    """The generator: `next_uint32()` (0 … 2³² − 1), `below(n)` (0 … n − 1), `random()` ([0, 1)), `shuffle(items)`."""

    def __init__(self, seed: Optional[int], where: str = "Mulberry32") -> None:
        # None: drawn from the library-wide generator at the first number asked for, not before
        # (a full-batch fit, which never shuffles, leaves that generator as it was)
        self.state = None if seed is None else check_seed(seed, where)

    def next_uint32(self) -> int:
        if self.state is None:
            self.state = generator(None).getrandbits(32)
        self.state = s = (self.state + 0x6D2B79F5) & MASK
        t = _imul(s ^ (s >> 15), s | 1)
        t = ((t + _imul(t ^ (t >> 7), t | 61)) & MASK) ^ t
        return t ^ (t >> 14)

    def below(self, n: int) -> int:
        """A number in 0 … n − 1: ⌊out · n / 2³²⌋."""
        return (self.next_uint32() * n) >> 32

    def random(self) -> float:
        """A number in [0, 1): out / 2³²."""
        return self.next_uint32() / SEEDS

    def shuffle(self, items: MutableSequence[Any]) -> None:
        """Shuffle `items` in place (Fisher–Yates from the end, as random.shuffle)."""
        if len(items) > MOST_ITEMS:
            raise ValueError(f"shuffle: at most {MOST_ITEMS:,} items (the page's arithmetic stays exact below that), "
                             f"got {len(items):,}")
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def check_seed(seed: Any, where: str) -> int:
    """`seed` if it is an int in 0 … 2³² − 1; else a clear error."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{where}: seed must be an int from 0 to {SEEDS - 1} (or None), got {seed!r}")
    if not 0 <= seed < SEEDS:
        raise ValueError(f"{where}: seed must be an int from 0 to {SEEDS - 1} (32 bits: the shuffling generator's "
                         f"state), got {seed}")
    return seed


def shuffler(seed: Optional[int], where: str = "fit") -> Mulberry32:
    """The generator `fit` shuffles with: started at `seed` (checked now), or for None at 32 bits
    drawn from the library-wide generator when the first shuffle needs them (so `nn.manual_seed`
    makes fit reproducible)."""
    return Mulberry32(seed, where)
