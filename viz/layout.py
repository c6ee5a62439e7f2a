"""Running the Graphviz layout program: quietly, and choosing the direction that suits a slide.

graphviz-pure (a Rust port of Graphviz without font libraries) estimates text
widths from built-in tables of ASCII widths; for every byte of a non-ASCII
character (σ, Σ, −, →, —) it prints "Warning: no value for width of non-ASCII
character 206. Falling back to width of space character" — whatever the font
name, since no font has entries beyond ASCII there. The layout is still right
(our labels are mostly ASCII and nodes have margins), so that one warning is
dropped; anything else Graphviz writes still reaches stderr.
"""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from typing import Any, Callable, Optional, TypeVar

from .dot_program import configure

NON_ASCII_WIDTH = re.compile(r"^(Warning: )+no value for width of non-ASCII character \d+\..*$")
SLIDE = 16 / 9

G = TypeVar("G")


def run_layout(source: str, fmt_name: str) -> bytes:
    """Lay out DOT text with the Graphviz program and return the picture's bytes."""
    program = configure()
    try:
        result = subprocess.run([str(program), f"-T{fmt_name}"], input=source.encode("utf-8"),
                                capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"render: Graphviz ({program.name}) took over 120 s; draw a smaller graph") from None
    message = "\n".join(line for line in result.stderr.decode("utf-8", "replace").splitlines()
                        if line.strip() and not NON_ASCII_WIDTH.match(line))
    if result.returncode != 0:
        raise RuntimeError(f"render: Graphviz ({program.name}) failed: {message}")
    if message:
        print(message, file=sys.stderr)
    return result.stdout


def aspect(source: str) -> float:
    """Width / height of the laid-out graph (from Graphviz's plain output: `graph scale w h`)."""
    first = run_layout(source, "plain").split(b"\n", 1)[0].split()
    return float(first[2]) / float(first[3])


def choose_rankdir(build: Callable[[str], G]) -> G:
    """The graph drawn closest to 16:9 (in log ratio): left to right, top to bottom, or, when left to
    right is too wide and the graph has no module boxes, left to right in two or three rows."""
    across = build("LR")
    graphs = [across, build("TB"), *in_rows_forms(across)]
    return min(graphs, key=lambda g: abs(math.log(aspect(g.source) / SLIDE)))


def in_rows_forms(across: Any, rows: tuple[int, ...] = (2, 3)) -> list[Any]:
    """A left-to-right graph wrapped into each number of `rows`, when it is wider than a slide and
    has no module boxes (a box cannot be cut between rows); else none."""
    if aspect(across.source) <= SLIDE or "subgraph cluster_" in across.source:
        return []
    return [g for g in (in_rows(across, n) for n in rows) if g is not None]


ROW_GAP = 36.0  # points between two rows of a wrapped picture


def in_rows(graph: Any, rows: int) -> Optional[Any]:
    """A left-to-right graph laid out once, cut into `rows` bands between its columns and the bands
    stacked top to bottom, as text wraps into lines: the picture keeps every node where its own
    band put it and the edges are routed again (Graphviz's neato with every position pinned).
    None when the layout has fewer gaps between columns than cuts are needed."""
    laid = json.loads(run_layout(graph.source, "json"))
    x0, y0, x1, y1 = (float(v) for v in laid["bb"].split(","))
    placed = [(o["name"], *map(float, o["pos"].split(",")), 72 * float(o["width"]), 72 * float(o["height"]))
              for o in laid.get("objects", []) if "pos" in o and "nodes" not in o]
    cuts = _cuts(sorted((x - w / 2, x + w / 2) for _, x, _, w, _ in placed), x0, x1, rows)
    if cuts is None:
        return None
    band_of = {name: sum(x > cut for cut in cuts) for name, x, _, _, _ in placed}
    lefts, shifts = [x0, *cuts], [0.0]  # each band moved left to the margin, and down under the one before
    for band in range(1, rows):
        above = min(y - h / 2 for name, _, y, _, h in placed if band_of[name] == band - 1) + shifts[-1]
        top = max(y + h / 2 for name, _, y, _, h in placed if band_of[name] == band)
        shifts.append(above - ROW_GAP - top)
    wrapped = graph.copy()
    wrapped.graph_attr.update(layout="neato", inputscale="72", splines="true", overlap="true")
    for name, x, y, _, _ in placed:
        band = band_of[name]
        wrapped.node(name, pos=f"{x - lefts[band]:.2f},{y + shifts[band]:.2f}!")
    wrapped.rows = rows
    return wrapped


def _cuts(spans: list[tuple[float, float]], left: float, right: float, rows: int) -> Optional[list[float]]:
    """Where to cut so that each of `rows` bands is about as wide: the middle of the free gap between
    columns nearest each even split; None when there are not enough gaps."""
    gaps, reach = [], spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            gaps.append((reach + start) / 2)
        reach = max(reach, end)
    cuts = sorted({min(gaps, key=lambda g: abs(g - (left + k * (right - left) / rows))) for k in range(1, rows)}) \
        if gaps else []
    return cuts if len(cuts) == rows - 1 else None
