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
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

from . import splines
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
    has no module boxes (a box cannot be cut between rows); else none. It is laid out once for all."""
    if "subgraph cluster_" in across.source:
        return []
    laid = json.loads(run_layout(across.source, "json"))
    x0, y0, x1, y1 = (float(v) for v in laid["bb"].split(","))
    if (x1 - x0) / (y1 - y0) <= SLIDE:
        return []
    return [g for g in (in_rows(across, n, laid) for n in rows) if g is not None]


ROW_GAP = 36.0  # points between two rows of a wrapped picture
LANE = 8.0  # points between two edges that go round from one row to the next (the widest stroke is 6)


def in_rows(graph: Any, rows: int, laid: Optional[dict] = None) -> Optional[Any]:
    """A left-to-right graph laid out once (`laid`, its Graphviz JSON, when the caller has it), cut into
    `rows` bands between its columns and the bands stacked top to bottom, as text wraps into lines: every
    node stays where its own band put it and every edge keeps its route, an edge from one band to the
    next going round through the gap between them (viz/splines.py). Everything is placed here, so
    Graphviz only draws (layout nop2). None when the layout has fewer gaps between columns than cuts
    are needed."""
    laid = laid or json.loads(run_layout(graph.source, "json"))
    x0, y0, x1, y1 = (float(v) for v in laid["bb"].split(","))
    placed = [(o["name"], *map(float, o["pos"].split(",")), 72 * float(o["width"]), 72 * float(o["height"]))
              for o in laid.get("objects", []) if "pos" in o and "nodes" not in o]
    cuts = _cuts(sorted((x - w / 2, x + w / 2) for _, x, _, w, _ in placed), x0, x1, rows)
    if cuts is None:
        return None
    edges = Crossings(laid.get("edges", []), cuts)
    band_of = {name: splines.row_of(x, cuts) for name, x, _, _, _ in placed}
    low, high = _extents(placed, band_of, edges, rows)
    bands = Bands([x0, *cuts], [0.0], [])  # each band moved left to the margin, and down under the one before
    for band in range(1, rows):
        above = low[band - 1] + bands.shifts[-1]
        gap = max(ROW_GAP, LANE * (edges.count[band - 1] + 2))  # room for every edge going round
        bands.shifts.append(above - gap - high[band])
        bands.gaps.append(above - gap / 2)
    wrapped = graph.copy()
    wrapped.graph_attr.update(layout="nop2", inputscale="72", splines="false")
    for name, x, y, _, _ in placed:
        wrapped.node(name, pos="{:.2f},{:.2f}!".format(*bands.moved(band_of[name], (x, y))))
    routes = {edge: edges.route(edge, bands) for edge in edges.parts}
    wrapped.body = [_with_route(line, routes) for line in wrapped.body]
    wrapped.rows = rows
    return wrapped


def _extents(placed: list, band_of: dict[str, int], edges: "Crossings", rows: int) -> tuple[list[float], list[float]]:
    """The lowest and the highest y of each band: of its nodes' boxes and of its parts of edges (a
    Bézier piece lies within its points). An edge passing through a band may run below its lowest node."""
    low, high = [math.inf] * rows, [-math.inf] * rows
    for name, _, y, _, h in placed:
        band = band_of[name]
        low[band], high[band] = min(low[band], y - h / 2), max(high[band], y + h / 2)
    for _, parts in edges.parts.values():
        for band, points in parts:
            ys = [y for _, y in points]
            low[band], high[band] = min(low[band], *ys), max(high[band], *ys)
    return low, high


@dataclass
class Bands:
    """Where each band of a wrapped picture goes: its left edge in the one-row layout (moved to x = 0),
    how far it moves down, and the middle of the gap below each band but the last."""

    lefts: list[float]
    shifts: list[float]
    gaps: list[float]

    def moved(self, band: int, point: splines.Point) -> splines.Point:
        return point[0] - self.lefts[band], point[1] + self.shifts[band]


class Crossings:
    """The edges of a one-row layout cut into their bands' parts, and the lane of each edge that goes
    round from band k to band k + 1 (0 for the one that leaves lowest, so that no two lanes cross as
    long as the edges arrive in the order they left, as lines of text do)."""

    def __init__(self, edges: list[dict], cuts: list[float]) -> None:
        self.parts: dict[str, tuple[Optional[splines.Point], list[tuple[int, list[splines.Point]]]]] = {}
        for e in edges:
            if "pos" in e and "id" in e:  # (the invisible edges that keep a rank in order have no id)
                arrow, points = splines.parse(e["pos"])
                self.parts[e["id"]] = (arrow, splines.cut_at(points, cuts))
        self.lane: dict[tuple[str, int], int] = {}
        self.count = [0] * len(cuts)
        for k in range(len(cuts)):
            leaving = sorted((parts[i][1][-1][1], edge) for edge, (_, parts) in self.parts.items()
                             for i in range(len(parts) - 1) if parts[i][0] == k)
            self.lane.update(((edge, k), lane) for lane, (_, edge) in enumerate(leaving))
            self.count[k] = len(leaving)

    def route(self, edge: str, bands: Bands) -> str:
        """The edge's `pos` in the wrapped picture: each part moved with its band, joined round the gaps."""
        arrow, parts = self.parts[edge]
        points = [bands.moved(parts[0][0], p) for p in parts[0][1]]
        for (band, _), (_, after) in zip(parts, parts[1:]):
            lane, lanes = self.lane[(edge, band)], self.count[band]
            right = bands.lefts[band + 1] - bands.lefts[band] + LANE * (lane + 1)  # higher leaves further out
            level = bands.gaps[band] + LANE * ((lanes - 1) / 2 - lane)  # ... and runs lower
            points += splines.around(points[-1], bands.moved(band + 1, after[0]), right, level, -LANE * (lanes - lane))
            points += [bands.moved(band + 1, p) for p in after[1:]]
        return splines.written(arrow and bands.moved(parts[-1][0], arrow), points)


EDGE_LINE = re.compile(r"\t\w+ -> \w+ \[")  # an edge statement (node names are ours; a title's text is not)
EDGE_ID = re.compile(r'\bid=(?:"([^"]*)"|(\w+))')  # the first id= of its attributes: ours (they come sorted)


def _with_route(line: str, routes: dict[str, str]) -> str:
    """An edge statement of the DOT text with its route added (any other line as it is)."""
    found = EDGE_ID.search(line) if EDGE_LINE.match(line) else None
    route = found and routes.get(found.group(1) or found.group(2))
    if not route:
        return line
    end = line.rindex("]")
    return f'{line[:end]} pos="{route}"{line[end:]}'


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
