"""One whole training step as a page: forward node by node, backward edge by edge, then the update.

The same page as the backward stepper (viz/stepper.py), with frames before and after backward's:

    forward   one frame per computed Value, its formula with the numbers (`root.forward_steps()`);
              every computed value shows "data —" until its frame
    backward  one frame per chain-rule update (as the stepper)
    update    one frame per parameter, the optimizer's rule with its state and numbers
              (`optimizer.plan()`: worked out, not applied — making the page changes nothing)

and a closing summary: each parameter's gradient and move, and, when the loss is given as a
function that rebuilds it, the loss after the update (or, for a step too large, the operation that
overflows or is undefined with the new numbers: the page shows bad steps too).
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Callable, Optional, Union

from chainrule.engine import Value, fmt, names

from .page import html_path
from .stepper import LEARNING_RATE, Stepper, _build

Loss = Union[Value, Callable[[], Value]]


def training_step(loss: Loss, optimizer: Any, *, title: Optional[str] = None, rankdir: str = "auto",
                  max_nodes: int = 300, height: int = 640) -> Stepper:
    """The training-step page for `loss` and `optimizer` (shows inline in Jupyter; `.save(path)` writes it).

    loss: the loss Value of one sample or a small batch, or a function of no arguments that builds it
        (then the page also shows the loss after the update, computed by building it again with the
        updated parameters, which are put back afterwards).
    optimizer: any chainrule optimizer over the parameters to update (its state is shown, not changed).
    """
    rebuild = loss if callable(loss) and not isinstance(loss, Value) else None
    root = rebuild() if rebuild is not None else loss
    if not isinstance(root, Value):
        raise TypeError(f"training_step: loss must be a Value or a function returning one, got {type(root).__name__}")
    if not hasattr(optimizer, "plan"):
        raise TypeError(f"training_step: optimizer must be a chainrule optimizer, got {type(optimizer).__name__}")

    def around(order: list[Value], backward_frames: list[dict]) -> dict:
        index = {v: i for i, v in enumerate(order)}
        shown = names(root)
        before = [{"k": "f", "n": index[s.node], "d": fmt(s.node.data), "t": f"Forward: {str(s).split(': ', 1)[1]}"}
                  for s in root.forward_steps()]
        # backward's frames have run (inside the replay), so every parameter holds this step's gradient
        plan = optimizer.plan()
        after = [{"k": "u", "n": index[u.parameter], "d": fmt(u.after),
                  "t": f"Update {u.index}/{u.total}: {u.text}"} for u in plan if u.parameter in index]
        new_loss = _loss_after(rebuild, plan) if rebuild is not None else None
        return {"before": before, "after": after, "unknown": [index[v] for v in order if v.edges],
                "step": _what_if_step(optimizer, index),
                "summary": _summary(shown, root, plan, optimizer, new_loss),
                "intro": "Nothing is computed yet: every value and every grad is —.\n"
                         "Press → (or ▶) to run the forward pass one value at a time.",
                "title": f"One training step of {shown[root]}: forward, backward, update"}

    return _build(root, "training_step", title, rankdir, max_nodes, LEARNING_RATE, height, around=around)


# What the engine raises where it refuses numbers (an overflow, a log of a negative, a division by zero)
_REFUSALS = (OverflowError, ValueError, ZeroDivisionError)
LossAfter = Union[float, OverflowError, ValueError, ZeroDivisionError]


def _what_if_step(optimizer: Any, index: dict) -> Optional[dict]:
    """What a what-if needs to take the whole step again in the page: the optimizer's kind, settings and
    state (playground.optimizer_spec) for the parameters drawn, and where each of them is in the graph.
    None for an optimizer the page's trainer does not know."""
    from .playground import optimizer_spec

    try:
        spec = optimizer_spec(optimizer)
    except TypeError:
        return None
    drawn = [i for i, p in enumerate(optimizer.params) if p in index]
    spec["state"] = {key: [values[i] for i in drawn] for key, values in spec["state"].items()}
    return {"optimizer": spec, "parameters": [index[optimizer.params[i]] for i in drawn]}


def _loss_after(rebuild: Callable[[], Value], plan: list) -> LossAfter:
    """The loss built again with every parameter moved as planned; the parameters are put back.

    Where the engine refuses the new numbers (a step so large that exp overflows, say), its error
    instead of a number: the page exists to show bad steps too, so the step is shown and the summary
    says what went wrong. (The function already built the loss once with the old parameters, so an
    error here comes from the new numbers, not from how the function is written.)
    """
    try:
        for u in plan:
            u.parameter.data = u.after
        return rebuild().data
    except _REFUSALS as error:
        return error
    finally:
        for u in plan:
            u.parameter.data = u.before


def _after_the_update(r: str, new_loss: LossAfter, old_loss: float) -> str:
    """The summary's sentence on the loss after the update (r: its name, HTML-escaped)."""
    if not isinstance(new_loss, BaseException):
        return f" After the update, {r} = {html.escape(fmt(new_loss))} (it was {html.escape(fmt(old_loss))})."
    operation, _, why = str(new_loss).partition(": ")  # the engine's messages start with the operation's name
    overflow = isinstance(new_loss, OverflowError)
    return (f" After the update, {r} {'overflows' if overflow else 'is undefined'}: built again with the "
            f"parameters after the update (the table below), its operation {html.escape(operation)} "
            f"{'overflows a float' if overflow else 'is undefined there'} (the engine's words: "
            f"“{html.escape(why)}”, {type(new_loss).__name__}). The step was too large for this loss: "
            "a smaller learning rate takes a smaller one.")


def _summary(shown: dict, root: Value, plan: list, optimizer: Any, new_loss: Optional[LossAfter]) -> str:
    rows = "".join(f'<tr class="parameter"><th scope="row">{html.escape(shown.get(u.parameter, u.parameter.label))}</th>'
                   f"<td>{html.escape(fmt(u.grad))}</td><td>{html.escape(fmt(u.before))} → "
                   f"{html.escape(fmt(u.after))}</td></tr>" for u in plan)
    r = html.escape(shown[root])
    after = _after_the_update(r, new_loss, root.data) if new_loss is not None else ""
    settings = ", ".join(f"{k}={v:g}" for k, v in optimizer.settings().items() if v or k == "lr")
    return (f'<p class="done">One training step done with {html.escape(type(optimizer).__name__)} '
            f'({html.escape(settings)}).{after}</p>'
            f'<table><thead><tr><th scope="col">parameter</th><th scope="col">grad</th>'
            f'<th scope="col">value: before → after</th></tr></thead><tbody>{rows}</tbody></table>')


def save_training_step(loss: Loss, optimizer: Any, path: str | os.PathLike, title: Optional[str] = None,
                       rankdir: str = "auto", max_nodes: int = 300) -> Path:
    """Write the training-step page (see `training_step`) to one self-contained HTML file; returns the path."""
    path = html_path(path, "save_training_step")
    return training_step(loss, optimizer, title=title, rankdir=rankdir, max_nodes=max_nodes).save(path)
