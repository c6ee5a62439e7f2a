"""Per-thread engine state: whether operations record a graph, and the current scope.

Both are thread-local so that `no_grad()` in one thread never changes what
another thread records.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class _State(threading.local):
    def __init__(self) -> None:
        self.recording = True
        self.scope: str | None = None


state = _State()


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute values but record no graph.

    Results are leaves (no parents), so nothing can backpropagate through them.
    Use it for evaluation and for parameter updates. Also works as a decorator.
    """
    previous = state.recording
    state.recording = False
    try:
        yield
    finally:
        state.recording = previous


def is_recording() -> bool:
    """True unless inside `no_grad()` (in this thread)."""
    return state.recording


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Tag every Value created inside this block with a dotted scope name.

    Scopes nest: `scope("layers.0")` then `scope("neurons.3")` gives
    "layers.0.neurons.3". nn modules use this so renderers can group a
    neuron's or a layer's nodes.
    """
    if not isinstance(name, str):
        raise TypeError(f"scope: name must be a str, got {name!r} ({type(name).__name__})")
    previous = state.scope
    state.scope = name if previous is None else f"{previous}.{name}"
    try:
        yield
    finally:
        state.scope = previous
