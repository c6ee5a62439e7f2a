"""Computation graphs as Graphviz pictures, with the gradients flowing.

A value node shows its label, data and grad ("—" until backward has reached it).
An operation is a small circle with its symbol. Each edge parent → operation is
labelled with the local derivative ∂out/∂parent the engine recorded; after
backward its colour is the sign of its contribution (local × out.grad: blue +,
vermillion −, grey dashed for exactly 0, as for a dead ReLU) and its width is
|contribution| on a fixed log scale (1e-6 … 1), so that a vanishing gradient
looks thin in every picture.
"""
from __future__ import annotations

import math
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import graphviz
import numpy as np

from chainrule.engine import Value, fmt, topological_order
from chainrule.engine.files import write_atomically

from .dot_program import GraphvizNotFound, configure

POSITIVE = "#0072B2"  # Okabe–Ito blue
NEGATIVE = "#D55E00"  # Okabe–Ito vermillion: the pair stays distinct for colour-blind readers
ZERO = "#999999"
PENDING = "#555555"
LOG_RANGE = (-6.0, 0.0)  # |contribution| from 1e-6 (thinnest) to 1 (thickest)
MIN_WIDTH, MAX_WIDTH = 0.5, 7.0
NOT_COMPUTED = "—"

SYMBOLS = {
    "+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "**": "xʸ", "exp": "exp", "log": "log",
    "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "leaky_relu": "LReLU", "softplus": "softplus",
    "sum": "Σ", "mean": "mean", "dot": "Σwx+b", "logsumexp": "LSE", "softmax": "softmax",
}

# role -> node attributes: shape and border carry the role as well as colour does
ROLE_STYLE = {
    "input": {"shape": "box", "style": "rounded,filled", "fillcolor": "#eeeeee"},
    "parameter": {"shape": "box", "style": "filled,bold", "fillcolor": "#fff2cc", "penwidth": "2"},
    "constant": {"shape": "box", "style": "dashed", "fontsize": "11"},
    "value": {"shape": "box", "style": "filled", "fillcolor": "#ffffff"},
    "output": {"shape": "box", "style": "filled,bold", "fillcolor": "#dbe9f6", "peripheries": "2"},
}


def op_symbol(op: str) -> str:
    """How an operation reads in a picture: `*` as ×, `**2` as x^2, sigmoid as σ."""
    if op.startswith("**") and len(op) > 2:
        return f"x^{op[2:]}"
    return SYMBOLS.get(op, op)


def role(value: Value, root: Value) -> str:
    """input, parameter, constant, value (intermediate) or output (the root, usually the loss)."""
    if value is root:
        return "output"
    if value.op == "param":
        return "parameter"
    if value.op == "const":
        return "constant"
    if not value.parents:
        return "input"
    return "value"


def edge_width(contribution: float) -> float:
    """Pen width for |contribution| on the fixed log scale, clamped to [MIN_WIDTH, MAX_WIDTH]."""
    if contribution == 0.0:
        return 1.0
    low, high = LOG_RANGE
    t = (math.log10(abs(contribution)) - low) / (high - low)
    t = min(1.0, max(0.0, t))
    return round(MIN_WIDTH + t * (MAX_WIDTH - MIN_WIDTH), 2)


def edge_colour(contribution: float) -> str:
    if contribution > 0:
        return POSITIVE
    if contribution < 0:
        return NEGATIVE
    return ZERO


def dot_text(text: str) -> str:
    """Text for a DOT label: backslashes kept literal (DOT reads \\N, \\G, ... specially), lines as \\n."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


@dataclass
class Group:
    """One drawn value node: a single Value, or (collapsed) all Values of one scope."""

    key: str
    members: list[Value] = field(default_factory=list)

    @property
    def output(self) -> Value:
        return self.members[-1]  # members arrive in topological order: the last is the group's result


class GraphTooLarge(ValueError):
    """The graph has more nodes than the drawing budget allows."""


def _group_key(value: Value, detail: str, index: int) -> str:
    scope = value.scope
    if detail == "ops" or not scope:
        return f"v{index}"
    if detail == "layers":
        scope = ".".join(scope.split(".")[:2])
    return "s_" + scope


def _groups(order: list[Value], detail: str) -> tuple[dict[Value, Group], list[Group]]:
    by_key: dict[str, Group] = {}
    of: dict[Value, Group] = {}
    for i, v in enumerate(order):
        key = _group_key(v, detail, i)
        g = by_key.get(key)
        if g is None:
            g = by_key[key] = Group(key)
        g.members.append(v)
        of[v] = g
    return of, list(by_key.values())


def _count_nodes(order: list[Value], detail: str) -> int:
    if detail == "ops":
        return len(order) + sum(1 for v in order if v.parents)
    of, groups = _groups(order, detail)
    ops = sum(1 for g in groups if len(g.members) == 1 and g.members[0].parents)
    return len(groups) + ops


def choose_detail(order: list[Value], detail: str, max_nodes: int) -> str:
    """The level of detail to draw: the one asked for, or for "auto" the finest that fits the budget."""
    if detail not in ("auto", "ops", "neurons", "layers"):
        raise ValueError(f"draw_graph: detail must be 'auto', 'ops', 'neurons' or 'layers', got {detail!r}")
    candidates = ["ops", "neurons", "layers"] if detail == "auto" else [detail]
    sizes = {}
    for level in candidates:
        sizes[level] = _count_nodes(order, level)
        if sizes[level] <= max_nodes:
            return level
    described = ", ".join(f"{n} nodes at detail={d!r}" for d, n in sizes.items())
    raise GraphTooLarge(
        f"draw_graph: this graph is too large to draw ({described}; the budget is max_nodes={max_nodes}). "
        "Draw the graph of one sample rather than a whole batch, use detail='layers' for a network built "
        "with nn, or raise max_nodes if you really want a huge picture."
    )


def draw_graph(root: Value, *, rankdir: str = "LR", detail: str = "auto", contributions: bool = False,
               legend: bool = True, max_nodes: int = 300, grads: str = "auto",
               title: Optional[str] = None) -> graphviz.Digraph:
    """A `graphviz.Digraph` of everything `root` depends on (shows inline in Jupyter).

    rankdir: "LR" (left to right) or "TB" (top to bottom).
    detail: "ops" (every operation), "neurons" or "layers" (Values created inside nn modules
        collapsed by scope, edges aggregated), or "auto" (the finest that fits max_nodes).
    contributions: also print each edge's contribution local × out.grad.
    grads: "auto" shows grads once backward has reached the root (root.grad ≠ 0),
        "show" always, "hide" never (shown as "—", not computed).
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"draw_graph: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if grads not in ("auto", "show", "hide"):
        raise ValueError(f"draw_graph: grads must be 'auto', 'show' or 'hide', got {grads!r}")
    try:
        configure()  # so that Jupyter's inline display finds a layout program
    except GraphvizNotFound:
        pass  # building DOT needs none; render() and display explain what is missing
    order = topological_order(root)
    level = choose_detail(order, detail, max_nodes)
    computed = grads == "show" or (grads == "auto" and bool(np.any(root.grad != 0.0)))
    of, groups = _groups(order, level)

    dot = graphviz.Digraph("chainrule", graph_attr={"rankdir": rankdir, "fontname": "Helvetica",
                                                     "nodesep": "0.25", "ranksep": "0.35"},
                           node_attr={"fontname": "Helvetica", "fontsize": "12"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "10", "arrowsize": "0.6"})
    if title:
        dot.attr(label=dot_text(title), labelloc="t", fontsize="14")

    clusters: dict[str, graphviz.Digraph] = {}

    def container(group: Group):
        scope = group.output.scope if level == "ops" else None
        if not scope:
            return dot
        if scope not in clusters:
            clusters[scope] = graphviz.Digraph(name=f"cluster_{len(clusters)}")
            clusters[scope].attr(label=dot_text(scope), style="rounded,dashed", color="#aaaaaa",
                                 fontcolor="#666666", fontsize="10")
        return clusters[scope]

    for group in groups:
        v = group.output
        collapsed = len(group.members) > 1
        r = role(v, root) if not collapsed else ("output" if v is root else "value")
        lines = _value_lines(group, computed, collapsed)
        attrs = dict(ROLE_STYLE[r])
        attrs["tooltip"] = dot_text(f"{r}: {(v.label or 'value')}  data={v.data!r}  grad={v.grad!r}" if computed
                                    else f"{r}: {(v.label or 'value')}  data={v.data!r}")
        if collapsed:
            attrs.update(style="rounded,filled", fillcolor="#e8e8f8")
        container(group).node(group.key, label=dot_text("\n".join(lines)), id=group.key, **attrs)
        if not collapsed and v.parents:
            op_id = "o" + group.key[1:]
            container(group).node(op_id, label=dot_text(op_symbol(v.op)), id=op_id, shape="circle",
                                  fontsize="10", width="0.3", margin="0.02")
            dot.edge(op_id, group.key, id=f"{op_id}_{group.key}", color="#777777")

    for sub in clusters.values():
        dot.subgraph(sub)

    # edges: parent -> op node of the child (ops), or aggregated group -> group (collapsed)
    aggregated: dict[tuple[str, str], list[float]] = {}
    for v in order:
        gv = of[v]
        for k, (parent, local) in enumerate(zip(v.parents, v.local_grads)):
            gp = of[parent]
            if gp is gv:
                continue
            contribution = local * v.grad
            if len(gv.members) == 1:  # the child is drawn with its operation node
                target = "o" + gv.key[1:]
                if len(gp.members) == 1:
                    _edge(dot, gp.key, target, v, parent, local, contribution, computed, contributions, k)
                else:
                    aggregated.setdefault((gp.key, target), []).append(contribution)
            else:
                aggregated.setdefault((gp.key, gv.key), []).append(contribution)
    for (tail, head), contribs in aggregated.items():
        total = math.fsum(contribs)
        size = math.fsum(abs(c) for c in contribs)
        attrs = {"color": edge_colour(total) if computed else PENDING,
                 "penwidth": str(edge_width(size) if computed else 1.0),
                 "label": f"{len(contribs)} edges" if len(contribs) > 1 else "",
                 "tooltip": f"{len(contribs)} edges, Σ contributions = {fmt(total)}" if computed
                 else f"{len(contribs)} edges"}
        if computed and size == 0.0:
            attrs["style"] = "dashed"
        dot.edge(tail, head, id=f"{tail}_{head}", **attrs)

    if legend:
        _legend(dot, computed)
    return dot


def _value_lines(group: Group, computed: bool, collapsed: bool) -> list[str]:
    v = group.output
    if collapsed:
        head = group.key[2:]
        return [head, f"{len(group.members)} values", f"out {fmt(v.data)}",
                f"grad {fmt(v.grad) if computed else NOT_COMPUTED}"]
    if v.op == "const":
        return [fmt(v.data)]
    lines = [v.label] if v.label else []
    lines.append(f"data {fmt(v.data)}")
    lines.append(f"grad {fmt(v.grad) if computed else NOT_COMPUTED}")
    return lines


def _edge(dot: graphviz.Digraph, tail: str, head: str, child: Value, parent: Value, local: float,
          contribution: float, computed: bool, show_contribution: bool, k: int) -> None:
    label = fmt(local)
    tip = f"∂{child.label or 'child'}/∂{parent.label or 'parent'} = {fmt(local)}"
    attrs = {"color": PENDING, "fontcolor": "#333333", "penwidth": "1"}
    if computed:
        colour = edge_colour(contribution)
        attrs.update(color=colour, fontcolor=colour if contribution else "#666666",
                     penwidth=str(edge_width(contribution)))
        if contribution == 0.0:
            attrs["style"] = "dashed"
        tip += f";  contribution {fmt(local)} × {fmt(child.grad)} = {fmt(contribution)}"
        if show_contribution:
            label += f"\n→ {fmt(contribution)}"
    dot.edge(tail, head, label=dot_text(label), tooltip=dot_text(tip), id=f"{tail}_{head}_{k}", **attrs)


def _legend(dot: graphviz.Digraph, computed: bool) -> None:
    lines = ["edge label: local derivative ∂out/∂in"]
    if computed:
        lines += ["blue: + contribution, vermillion: −", "grey dashed: exactly 0",
                  "width: |contribution|, log scale 1e-6 … 1"]
    else:
        lines += ["grad — : backward has not reached it yet"]
    lines += ["yellow bold: parameter, grey: input", "dashed: constant, double: output"]
    legend = graphviz.Digraph(name="cluster_legend")
    legend.attr(label="legend", style="rounded", color="#cccccc", fontsize="10", fontcolor="#666666")
    legend.node("legend", label=dot_text("\n".join(lines)), shape="plaintext", fontsize="10", id="legend")
    dot.subgraph(legend)


def to_dot(root: Value, **options) -> str:
    """The DOT text of `draw_graph(root, **options)`; the same graph always gives the same text."""
    return draw_graph(root, **options).source


FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot"}


def render(root: Value, path: str | os.PathLike, **options) -> Path:
    """Write the graph to `path`: SVG, PNG or DOT by its extension. Returns the path.

    The file is written whole or not at all: a failed render leaves no half-written file.
    """
    path = Path(path)
    fmt_name = FORMATS.get(path.suffix.lower())
    if fmt_name is None:
        raise ValueError(f"render: cannot tell the format from {path.name!r}; use .svg, .png or .dot")
    source = to_dot(root, **options)
    data = source.encode("utf-8") if fmt_name == "dot" else run_layout(source, fmt_name)
    write_atomically(path, data)
    return path


def run_layout(source: str, fmt_name: str) -> bytes:
    """Lay out DOT text with the Graphviz program and return the picture's bytes."""
    program = configure()
    try:
        result = subprocess.run([str(program), f"-T{fmt_name}"], input=source.encode("utf-8"),
                                capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"render: Graphviz ({program.name}) took over 120 s; draw a smaller graph") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"render: Graphviz ({program.name}) failed: {message}")
    return result.stdout
