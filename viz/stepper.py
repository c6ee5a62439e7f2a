"""The backward stepper: a page that replays backward one chain-rule update at a time.

Frame 0 shows the forward values; frame 1 seeds the root's grad; each later
frame is one update the engine made (`Value.backward_steps()`, the order
`backward()` uses): the edge it runs along and the two nodes it joins are
highlighted, the changed grad shows old → new, and a panel writes the update
out. The last frame sums up every parameter's and input's gradient and the
gradient-descent step it gives. The layout is computed once.

`stepper(root)` shows inline in Jupyter (in an iframe of its own);
`save_stepper(root, path)` writes the same page as one standalone file.
"""
from __future__ import annotations

import html
import math
import os
import re
from pathlib import Path
from typing import Any, Callable, Optional

from chainrule.engine import Value, fmt, names, topological_order

from .frames import replay, replaying
from .graph import check_options, draw_graph
from .grouping import GraphTooLarge, count_nodes, natural
from .style import NOT_COMPUTED, role
from .layout import SLIDE, in_rows_forms, run_layout
from .page import STEPPER_SCRIPTS, TRAINING_STEP_SCRIPTS, Page, fill, html_path, summary_table

LEARNING_RATE = 0.4  # the notes' η in the two-neuron example


class Stepper(Page):
    """The stepper page for one graph; displays inline in Jupyter, `.save(path)` writes it."""

    def __init__(self, html_page: str, title: str, steps: int, height: int = 640):
        super().__init__(html_page, title, height)
        self.steps = steps

    def __repr__(self) -> str:
        return (f"<Stepper {self.title!r}: {self.steps} steps; shows itself in Jupyter, "
                ".save('page.html') writes it>")


def stepper(root: Value, *, title: Optional[str] = None, rankdir: str = "auto", max_nodes: int = 300,
            lr: float = LEARNING_RATE, height: int = 640) -> Stepper:
    """The backward stepper for `root` (shows inline in Jupyter; `.save(path)` writes the page).

    rankdir: "LR", "TB", or "auto": both layouts go in the page, which shows the one that suits
        the screen (without JavaScript: the one closest to 16:9).
    lr: the learning rate η of the gradient-descent step shown at the end (w ← w − η·grad).
    max_nodes: graphs with more drawn nodes are refused before anything is replayed.
    height: the height in px of the notebook's iframe.
    """
    return _build(root, "stepper", title, rankdir, max_nodes, lr, height)


def _build(root: Value, who: str, title: Optional[str], rankdir: str, max_nodes: int, lr: float,
           height: int = 640, around: Optional[Callable[[list[Value], list[dict]], dict]] = None) -> Stepper:
    """The page: backward's frames, laid out once per direction.

    around: for the training-step page, a function (order, backward frames) -> {"before": frames,
    "after": frames, "unknown": node indices, "summary": markup, "intro": text, "title": text, "step":
    what a what-if needs to take the step again}: the forward pass before backward and the update
    after it (viz/training_step.py)."""
    order = _checked(root, who, rankdir, max_nodes, lr)
    shown = names(root)
    with replaying(order):
        frames = replay(root, order)
        extra = around(order, frames.frames) if around is not None else None  # with this pass's grads
        layouts = _layouts(root, rankdir, max_nodes, frames.widest)
        final = {i: f"grad {fmt(v.grad)}" for i, v in enumerate(order) if v.op != "const"}
        leaves, rows = _leaves_and_rows(order, root, shown, lr)
    # without JavaScript: the final grads, in the layout closest to a slide's shape
    layouts = sorted((with_grad_lines(svg[svg.index("<svg"):], final) for svg in layouts),
                     key=lambda svg: abs(math.log(svg_aspect(svg) / SLIDE)))
    name = shown[root]
    data = {"frames": frames.frames, "nodes": sorted(final), "leaves": leaves,
            "program": program(order), "names": [shown[v] for v in order],
            "forward": f"Forward pass done: every value is computed.\nBackward has not started: every grad "
                       f"is {NOT_COMPUTED}.\nPress → (or ▶) to seed {name}.grad = ∂{name}/∂{name} = 1."}
    summary, default_title = summary_table(rows, lr, name), f"Backward through {name}, step by step"
    scripts = STEPPER_SCRIPTS
    if extra is not None:
        data.update(frames=extra["before"] + frames.frames + extra["after"], unknown=extra["unknown"],
                    forward=extra["intro"], step=extra.get("step"))
        summary, default_title = extra["summary"], extra["title"]
        scripts = TRAINING_STEP_SCRIPTS if extra.get("step") else STEPPER_SCRIPTS
    title = title or default_title
    page = fill(title=title, svg=layouts[0], others=layouts[1:], summary=summary, data=data, scripts=scripts)
    return Stepper(page, title, len(data["frames"]), height)


def _checked(root: Any, who: str, rankdir: str, max_nodes: int, lr: Any) -> list[Value]:
    """The graph in topological order, once every argument is checked; a graph too big is refused
    before anything is replayed (a huge graph costs nothing to refuse)."""
    if not isinstance(root, Value):
        raise TypeError(f"{who}: root must be a Value, got {type(root).__name__}")
    check_options(who, rankdir)
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not lr > 0:
        raise ValueError(f"{who}: lr must be a positive number, got {lr!r}")
    order = topological_order(root)
    size = count_nodes(order, "ops")
    if size > max_nodes:
        raise GraphTooLarge(f"{who}: this graph has {size} nodes to draw, over max_nodes={max_nodes}; "
                            "step through a smaller graph (one sample, a small network) or raise max_nodes")
    return order


def _layouts(root: Value, rankdir: str, max_nodes: int, widest: dict) -> list[str]:
    """The graph's SVG laid out once per direction, with room for the widest grad line each node will show."""
    graphs = [draw_graph(root, rankdir=direction, detail="ops", legend=False, max_nodes=max_nodes, grads="show",
                         grad_text=widest) for direction in (("LR", "TB") if rankdir == "auto" else (rankdir,))]
    if rankdir == "auto":  # a long chain also in two rows, as text wraps, for a laptop's screen
        graphs += in_rows_forms(graphs[0], rows=(2,))  # (three would beat top-to-bottom on a phone held upright)
    return [run_layout(g.source, "svg").decode("utf-8") for g in graphs]


def _leaves_and_rows(order: list[Value], root: Value, shown: dict, lr: float) -> tuple[list[int], list]:
    """The inputs and parameters (parameters first, in natural order), and the summary's row for each:
    (role, name, grad, the SGD step w − η·grad for a parameter)."""
    leaves = sorted(((i, v) for i, v in enumerate(order) if role(v, root) in ("parameter", "input")),
                    key=lambda item: (item[1].op != "param", natural(shown[item[1]])))
    rows = [(role(v, root), shown[v], fmt(v.grad),
             f"{fmt(v.data)} − {lr:g} × {fmt(v.grad)} = {fmt(v.data - lr * v.grad)}" if v.op == "param" else "")
            for _, v in leaves]
    return [i for i, _ in leaves], rows


def program(order: list[Value]) -> list[dict]:
    """The graph as the page's what-if recomputes it: each node's op "o", its parents "p" (indices
    into `order`), its number "d", and its setting "s" when it has one (a power's exponent, a slope,
    an α, which output of a softmax it is)."""
    index = {v: i for i, v in enumerate(order)}
    nodes = []
    for v in order:
        node = {"o": v.op, "p": [index[p] for p in v.parents], "d": v.data}
        if v.setting is not None:
            node["s"] = v.setting
        nodes.append(node)
    return nodes


def svg_aspect(svg: str) -> float:
    """Width / height of a Graphviz SVG, from its viewBox."""
    x, y, w, h = (float(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    return w / h


def with_grad_lines(svg: str, lines: dict[int, str]) -> str:
    """The SVG with the grad line (the last text) of node v{i} set to lines[i].

    Nodes are found by their id, each up to where the next node or edge begins; Graphviz escapes
    every label, so no label can look like markup here.
    """
    starts = [m.start() for m in re.finditer(r'<g id="[^"]*" class="(?:node|edge|cluster)">', svg)]
    pieces, done = [], 0
    for start, end in zip(starts, starts[1:] + [len(svg)]):
        node = re.match(r'<g id="v(\d+)" class="node">', svg[start:end])
        if not node or int(node.group(1)) not in lines:
            continue
        text = svg.rfind("<text", start, end)
        opening = svg.index(">", text) + 1
        closing = svg.index("</text>", opening)
        pieces += [svg[done:opening], html.escape(lines[int(node.group(1))], quote=False)]
        done = closing
    return "".join(pieces) + svg[done:]


def stepper_html(root: Value, title: Optional[str] = None, rankdir: str = "auto", max_nodes: int = 300,
                 lr: float = LEARNING_RATE) -> str:
    """The stepper page as a string (see `save_stepper`)."""
    return _build(root, "stepper_html", title, rankdir, max_nodes, lr).html


def save_stepper(root: Value, path: str | os.PathLike, title: Optional[str] = None, rankdir: str = "auto",
                 max_nodes: int = 300, lr: float = LEARNING_RATE) -> Path:
    """Write the backward stepper for `root` to one self-contained HTML file (atomically); returns the path."""
    path = html_path(path, "save_stepper")  # before the work: a wrong name costs nothing
    return _build(root, "save_stepper", title, rankdir, max_nodes, lr).save(path)
