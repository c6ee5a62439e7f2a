"""Computation graphs as Graphviz pictures, with the gradients flowing.

A value node shows its label, data and grad ("—" until backward has reached it).
An operation is a small circle with its symbol. Each edge parent → operation
carries the local derivative ∂out/∂parent the engine recorded, written in a
small label node on the edge itself, so that no edge is ever drawn through a
label. After backward an edge's colour is the sign of its contribution
(local × out.grad: blue +, vermillion −, grey dashed for exactly 0, as for a
dead ReLU) and its width is |contribution| on a fixed log scale (1e-6 … 1), so
that a vanishing gradient looks thin in every picture.

Every user string (labels, title, scope names, tooltips) reaches DOT through
`dot_text`, quoted and escaped: no label can add nodes, edges or attributes.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import graphviz

from chainrule.engine import Value, fmt, names, topological_order
from chainrule.engine.formatting import short_scope
from chainrule.engine.graph import grad_number
from chainrule.engine.files import write_atomically

from .dot_program import GraphvizNotFound, configure
from .grouping import Group, GraphTooLarge, choose_detail, count_nodes, groups_of, natural
from .layout import choose_rankdir, run_layout
from .style import (FONT, LABEL_FONT_SIZE, LOG_RANGE, MAX_WIDTH, MIN_WIDTH, NEGATIVE, NODE_FONT_SIZE, NOT_COMPUTED, PENDING,
                    POSITIVE, ROLE_STYLE, ZERO, dot_text, edge_colour, edge_width, op_symbol, role)

__all__ = ["Graph", "GraphTooLarge", "draw_graph", "to_dot", "render", "role", "count_nodes", "natural",
           "edge_width", "edge_colour", "POSITIVE", "NEGATIVE", "ZERO", "MIN_WIDTH", "MAX_WIDTH"]

class Graph(graphviz.Digraph):
    """A `graphviz.Digraph` whose notebook display runs our layout program quietly
    (the warnings graphviz-pure prints for every non-ASCII character are dropped)."""

    described = "a computation graph"  # set by draw_graph: what the graph is of

    rows = 1  # a left-to-right layout wrapped into rows (viz/layout.py in_rows) has more

    def _repr_image_svg_xml(self) -> str:
        return fitting_its_column(run_layout(self.source, "svg").decode("utf-8"))

    def __repr__(self) -> str:
        """What a REPL shows (Jupyter shows the picture): the same text for the same graph, no memory address."""
        direction = {"LR": "left to right", "TB": "top to bottom"}.get(self.graph_attr.get("rankdir", ""), "")
        if self.rows > 1:
            direction += f" in {self.rows} rows"
        return (f"<Graph of {self.described}, drawn {direction}: Jupyter shows the picture; "
                f"viz.render(root, 'graph.svg') writes it>")


def small_graph_svg(root: Value, max_nodes: int = 40) -> Optional[str]:
    """The SVG of root's graph for a notebook's display of a Value, or None when it has more than
    `max_nodes` nodes (a big graph is drawn on request, with draw_graph) or nothing lays it out."""
    if len(topological_order(root)) > max_nodes:
        return None
    try:
        svg = run_layout(draw_graph(root, legend=False).source, "svg").decode("utf-8")
    except Exception:  # a display must never raise: without a picture the table still shows
        return None
    return fitting_its_column(svg[svg.index("<svg"):])


def fitting_its_column(svg: str) -> str:
    """The SVG as wide as a notebook's column at most: it scales down, not off."""
    return svg.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)


def check_options(who: str, rankdir: str, grads: str = "auto") -> None:
    if rankdir not in ("auto", "LR", "TB"):
        raise ValueError(f"{who}: rankdir must be 'auto', 'LR' or 'TB', got {rankdir!r}")
    if grads not in ("auto", "show", "hide"):
        raise ValueError(f"{who}: grads must be 'auto', 'show' or 'hide', got {grads!r}")


def draw_graph(root: Value, *, rankdir: str = "auto", detail: str = "auto", contributions: bool = False,
               legend: bool = True, max_nodes: int = 300, grads: str = "auto",
               title: Optional[str] = None, grad_text: Optional[dict[Value, str]] = None,
               tangents: Optional[dict[Value, float]] = None) -> Graph:
    """A `graphviz.Digraph` of everything `root` depends on (shows inline in Jupyter).

    rankdir: "LR" (left to right), "TB" (top to bottom), or "auto": whichever of the two
        lays out closest to 16:9, the shape of a slide (LR when no layout program is found).
    detail: "ops" (every operation), "neurons" or "layers" (Values created inside nn modules
        collapsed by scope, edges aggregated), or "auto" (the finest that fits max_nodes).
    contributions: also print each edge's contribution local × out.grad.
    grads: "auto" shows grads once backward has reached the root (root.grad ≠ 0),
        "show" always, "hide" never (shown as "—", not computed).
    grad_text: the grad line to lay a node out with (the stepper reserves room for its longest text).
    tangents: forward mode beside reverse mode: {Value: tangent} (`engine.jvp(...).tangents`) adds a
        line "tangent ṫ" to each node, the derivative along the jvp's direction.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    check_options("draw_graph", rankdir, grads)
    try:
        configure()  # so that Jupyter's inline display finds a layout program
    except GraphvizNotFound:
        if rankdir == "auto":
            rankdir = "LR"  # choosing needs a layout; building DOT does not
    order = topological_order(root)
    level = choose_detail(order, detail, max_nodes)
    computed = grads == "show" or (grads == "auto" and grad_number(root) != 0.0)
    build = _Builder(root, order, level, computed, contributions, legend, title, grad_text or {}, tangents or {})
    graph = build(rankdir) if rankdir != "auto" else choose_rankdir(build)
    graph.described = f"{names(root)[root]}: {len(order)} values"
    return graph


@dataclass
class _Builder:
    """Builds the DOT of one graph for a given direction (draw_graph may try both)."""

    root: Value
    order: list[Value]
    level: str
    computed: bool
    contributions: bool
    legend: bool
    title: Optional[str]
    grad_text: dict[Value, str]
    tangents: dict[Value, float]

    def __call__(self, rankdir: str) -> Graph:
        self.shown = names(self.root)
        self.grad = {v: grad_number(v) for v in self.order}  # numbers, also when a .grad is a Value
        self.dot = Graph("chainrule", graph_attr={
            "rankdir": rankdir, "fontname": FONT, "nodesep": "0.3", "ranksep": "0.3",
            "ordering": "in"},  # operands in order: w0, w1, w2, b top to bottom, as written
            node_attr={"fontname": FONT, "fontsize": NODE_FONT_SIZE, "margin": "0.12,0.05"},
            edge_attr={"fontname": FONT, "fontsize": LABEL_FONT_SIZE, "arrowsize": "0.7"})
        if self.title:
            self.dot.attr(label=dot_text(self.title), labelloc="t", fontsize="16")
        self.clusters: dict[str, graphviz.Digraph] = {}
        self.of, groups = groups_of(self.order, self.level)
        for group in groups:
            self._node(group)
        self._edges()
        self._keep_operand_order(rankdir)
        for scope in sorted(self.clusters, key=natural):  # neurons 0, 1, 2 … 10 from left to right
            self.dot.subgraph(self.clusters[scope])
        if self.clusters:
            # fewer crossing-minimisation passes keep that order (Graphviz would shuffle the neurons)
            self.dot.graph_attr["mclimit"] = "0.3"
        if self.legend:
            _legend(self.dot, self.computed, self.contributions)
        return self.dot

    def _keep_operand_order(self, rankdir: str) -> None:
        """Leaf operands of one operation side by side in operand order (w0, w1, w2, b).

        `ordering=in` alone is not always honoured inside clusters; an invisible chain in one rank is.
        """
        if self.level != "ops":
            return
        chained: set[Value] = set()
        for v in self.order:
            leaves = [p for p in dict.fromkeys(v.parents) if not p.parents and p not in chained]
            for scope in dict.fromkeys(p.scope for p in leaves):
                row = [p for p in leaves if p.scope == scope]
                if len(row) < 2:
                    continue
                chained.update(row)
                ids = [self.of[p].id for p in row]
                if rankdir == "LR" and scope:  # found by test: inside a cluster, dot turns the chain over
                    ids.reverse()
                self._container(scope).body.append(
                    "{rank=same; " + " -> ".join(ids) + " [style=invis]}")

    def _container(self, scope: Optional[str]):
        """A neuron's nodes sit in its cluster (ops detail), so edges do not cross its box."""
        if self.level != "ops" or not scope:
            return self.dot
        if scope not in self.clusters:
            self.clusters[scope] = graphviz.Digraph(name=f"cluster_{len(self.clusters)}")
            self.clusters[scope].attr(label=dot_text(short_scope(scope)), style="rounded,dashed", color="#aaaaaa",
                                      fontcolor="#666666", fontsize=LABEL_FONT_SIZE)
        return self.clusters[scope]

    def _node(self, group: Group) -> None:
        v = group.output
        collapsed = len(group.members) > 1
        r = role(v, self.root) if not collapsed else ("output" if v is self.root else "value")
        attrs = dict(ROLE_STYLE[r])
        name = self.shown[v]
        tip = f"{r}: {name}  data={v.data!r}" + (f"  grad={self.grad[v]!r}" if self.computed and r != "constant" else "")
        if collapsed:
            attrs.update(style="rounded,filled", fillcolor="#e8e8f8")
        where = self._container(v.scope)
        where.node(group.id, label=dot_text("\n".join(self._lines(group, collapsed))), id=group.id,
                   tooltip=dot_text(tip), **attrs)
        if not collapsed and v.parents:
            op_id = "o" + group.id[1:]
            where.node(op_id, label=dot_text(op_symbol(v.op)), id=op_id, shape="circle",
                       fontsize=LABEL_FONT_SIZE, width="0.4", margin="0.02", tooltip=dot_text(v.op))
            self.dot.edge(op_id, group.id, id=f"{op_id}_{group.id}", color="#777777")

    def _lines(self, group: Group, collapsed: bool) -> list[str]:
        v = group.output
        if collapsed:
            return [short_scope(group.key[2:]), f"{len(group.members)} values", f"out {fmt(v.data)}",
                    self._grad_line(v)]
        if v.op == "const":  # a plain number lifted into the graph shows just that; one you named, its name too
            return [fmt(v.data) if v.label in ("", fmt(v.data)) else f"{v.label} = {fmt(v.data)}"]
        lines = [self.shown[v]]  # the label, or the v1, v2, … that step texts use for it
        lines.append(f"data {fmt(v.data)}")
        lines.append(self._grad_line(v))
        if v in self.tangents:
            lines.append(f"tangent {fmt(self.tangents[v])}")
        return lines

    def _grad_line(self, v: Value) -> str:
        """The node's grad line: the text a page asked for (room for the widest it will show), else its grad."""
        return self.grad_text.get(v) or f"grad {fmt(self.grad[v]) if self.computed else NOT_COMPUTED}"

    def _edges(self) -> None:
        """parent -> op node of the child (ops), or aggregated group -> group (collapsed)."""
        aggregated: dict[tuple[str, str], list[float]] = {}
        for c, v in enumerate(self.order):
            gv = self.of[v]
            for k, (parent, local) in enumerate(zip(v.parents, v.local_grads)):
                gp = self.of[parent]
                if gp is gv:
                    continue
                contribution = local * self.grad[v]
                if len(gv.members) == 1 and len(gp.members) == 1:
                    self._value_edge(gp.id, c, k, v, parent, local, contribution)
                else:
                    head = "o" + gv.id[1:] if len(gv.members) == 1 else gv.id
                    aggregated.setdefault((gp.id, head), []).append(contribution)
        for (tail, head), contribs in aggregated.items():
            total = math.fsum(contribs)
            size = math.fsum(abs(c) for c in contribs)
            tip = f"{len(contribs)} edges" + (f", Σ contributions = {fmt(total)}" if self.computed else "")
            attrs = {"color": edge_colour(total) if self.computed else PENDING,
                     "penwidth": str(edge_width(size) if self.computed else 1.0), "tooltip": dot_text(tip)}
            if self.computed and size == 0.0:
                attrs["style"] = "dashed"
            label = f"{len(contribs)} edges" if len(contribs) > 1 else ""
            self._labelled_edge(f"{tail}_{head}", tail, head, label, attrs, self.dot)

    def _value_edge(self, tail: str, c: int, k: int, child: Value, parent: Value, local: float,
                    contribution: float) -> None:
        """The k-th operand edge of child c, labelled with ∂child/∂parent (ids e{c}_{k}…)."""
        label = fmt(local)
        cn, pn = self.shown[child], self.shown[parent]
        tip = f"∂{cn}/∂{pn} = {fmt(local)}"
        attrs = {"color": PENDING, "fontcolor": "#333333", "penwidth": "1"}
        if self.computed:
            colour = edge_colour(contribution)
            attrs.update(color=colour, fontcolor=colour if contribution else "#666666",
                         penwidth=str(edge_width(contribution)))
            if contribution == 0.0:
                attrs["style"] = "dashed"
            tip += f";  contribution {fmt(local)} × {fmt(self.grad[child])} = {fmt(contribution)}"
            if self.contributions:
                label += f"\n→ {fmt(contribution)}"
        attrs["tooltip"] = dot_text(tip)
        # an edge into a neuron from outside gets room to reach the neuron's box from above (or
        # the left) instead of running through its neighbours' boxes
        lead = {"minlen": "2"} if self.level == "ops" and child.scope and parent.scope != child.scope else {}
        self._labelled_edge(f"e{c}_{k}", tail, f"o{c}", label, attrs, self._container(child.scope), lead)

    def _labelled_edge(self, edge_id: str, tail: str, head: str, label: str, attrs: dict, where,
                       lead: Optional[dict] = None) -> None:
        """An edge with its label as a small node on it: tail → label → head, ids edge_id, _a, _b.

        Graphviz routes edges around nodes, so no edge (however thick) runs through a label.
        """
        if not label:
            self.dot.edge(tail, head, id=edge_id, **attrs)
            return
        font = attrs.pop("fontcolor", "#333333")
        # the margin keeps the text clear of a MAX_WIDTH (6 pt) stroke ending at the node's border
        where.node(edge_id, label=dot_text(label), id=edge_id, shape="none", margin="0.07,0.06",
                   fontsize=LABEL_FONT_SIZE, width="0", height="0",
                   fontcolor=font, tooltip=attrs["tooltip"])
        self.dot.edge(tail, edge_id, id=f"{edge_id}_a", arrowhead="none", **attrs, **(lead or {}))
        self.dot.edge(edge_id, head, id=f"{edge_id}_b", **attrs)


def _legend(dot: graphviz.Digraph, computed: bool, contributions: bool) -> None:
    lines = ["number on an edge: local derivative ∂out/∂in"]
    if contributions:
        lines += ["→ number: contribution = local × out.grad,", "    what the edge adds to in.grad"]
    if computed:
        low, high = (f"{10 ** e:g}" for e in LOG_RANGE)
        lines += ["blue: + contribution, vermillion: −", "grey dashed: exactly 0",
                  f"width: |contribution|, log scale {low} … {high}"]
    else:
        lines += ["grad — : backward has not reached it yet"]
    lines += ["yellow bold: parameter, grey: input", "dashed: constant, double: output"]
    # one boxed node (not a cluster with a title): it draws the same in every layout, wrapped ones too
    dot.node("legend", label=dot_text("\n".join(["legend", *lines])), shape="box", style="rounded",
             color="#cccccc", fontcolor="#444444", fontsize=LABEL_FONT_SIZE, id="legend")


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
