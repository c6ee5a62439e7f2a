"""`no_grad()`: compute values without recording a graph, in one thread only.

Operations ask `recording()` for every node they make, so the usual case must cost
nothing: the dict of paused threads is empty, and one truth test answers. Only while
some thread is inside `no_grad()` does an operation look up its thread's id.
"""
from __future__ import annotations

from contextlib import contextmanager
from threading import get_ident
from typing import Iterator

paused: dict[int, int] = {}  # thread id -> depth of nested no_grad() blocks


def recording() -> bool:
    """True unless this thread is inside `no_grad()`."""
    return not paused or get_ident() not in paused


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute values but record no graph (in this thread only).

    Results are leaves (no parents), so nothing can backpropagate through them.
    Use it for evaluation and for hand-written parameter updates. Also works as a decorator.
    """
    me = get_ident()
    paused[me] = paused.get(me, 0) + 1
    try:
        yield
    finally:
        if paused[me] == 1:
            del paused[me]
        else:
            paused[me] -= 1


def is_recording() -> bool:
    """True unless inside `no_grad()` (in this thread)."""
    return recording()
