"""Edge routes as Graphviz writes them, and what wrapping a picture into rows does to them.

Graphviz gives an edge's route as its `pos`: "e,x,y p0 p1 p2 p3 … p3m", the point of the arrow
(when the edge has one) and then a B-spline of m cubic Bézier pieces (pᵢ, pᵢ₊₁, pᵢ₊₂, pᵢ₊₃),
each sharing its first point with the previous piece's last. When a left-to-right picture is
wrapped into rows (viz/layout.py `in_rows`), an edge keeps the route Graphviz gave it: it is cut
where it crosses a cut between two rows (`cut_at`), each part moves with its row, and the parts
are joined by a path that leaves the end of one row, runs back along the gap below it and enters
the next row from the left (`around`), as a line of text wraps.
"""
from __future__ import annotations

import math
from typing import Optional

Point = tuple[float, float]


def parse(pos: str) -> tuple[Optional[Point], list[Point]]:
    """(the arrow's point or None, the spline's points) from an edge's `pos`."""
    arrow, points = None, []
    for item in pos.split():
        if item.startswith("e,"):
            arrow = _point(item[2:])
        elif not item.startswith("s,"):  # (an arrow at the tail: none of our edges has one)
            points.append(_point(item))
    return arrow, points


def written(arrow: Optional[Point], points: list[Point]) -> str:
    """An edge's `pos` again, from its arrow's point and its spline's points."""
    items = ([f"e,{arrow[0]:.2f},{arrow[1]:.2f}"] if arrow else []) + [f"{x:.2f},{y:.2f}" for x, y in points]
    return " ".join(items)


def _point(text: str) -> Point:
    x, y = text.split(",")
    return float(x), float(y)


def row_of(x: float, cuts: list[float]) -> int:
    """Which row x falls in when a picture is cut at each x in `cuts`: row k lies between cuts[k − 1] and cuts[k]."""
    return sum(x > c for c in cuts)


def cut_at(points: list[Point], cuts: list[float]) -> list[tuple[int, list[Point]]]:
    """The spline cut where it crosses each x in `cuts` (sorted), left to right: (row, its points) for each
    part (see `row_of`)."""
    parts = [(row_of(points[0][0], cuts), [points[0]])]
    for i in range(0, len(points) - 3, 3):
        piece = points[i:i + 4]
        while row_of(piece[3][0], cuts) > parts[-1][0]:  # it runs on into the next row: cut it at the row's edge
            left, piece = split_at_x(piece, cuts[parts[-1][0]])
            parts[-1][1].extend(left[1:])
            parts.append((parts[-1][0] + 1, [piece[0]]))
        parts[-1][1].extend(piece[1:])
    return parts


def split_at_x(piece: list[Point], x: float) -> tuple[list[Point], list[Point]]:
    """A cubic Bézier piece cut in two where it reaches x (the t found by bisection)."""
    low, high = 0.0, 1.0
    for _ in range(50):
        t = (low + high) / 2
        if _at(piece, t)[0] < x:
            low = t
        else:
            high = t
    return _halves(piece, (low + high) / 2)


def _halves(piece: list[Point], t: float) -> tuple[list[Point], list[Point]]:
    """de Casteljau's construction: the piece's two halves at t, which share its point at t."""
    p0, p1, p2, p3 = piece
    a, b, c = _mix(p0, p1, t), _mix(p1, p2, t), _mix(p2, p3, t)
    d, e = _mix(a, b, t), _mix(b, c, t)
    f = _mix(d, e, t)
    return [p0, a, d, f], [f, e, c, p3]


def _at(piece: list[Point], t: float) -> Point:
    """The piece's point at t."""
    return _halves(piece, t)[0][3]


def _mix(p: Point, q: Point, t: float) -> Point:
    return p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t


def around(start: Point, end: Point, right: float, gap: float, left: float, radius: float = 8.0) -> list[Point]:
    """The points (after `start`) of a path from `start`, at the right end of a row, out to x = right,
    down to y = gap (the gap below the row), back to x = left and down into `end`, at the left end of
    the next row: straight lines with rounded corners, as Bézier pieces."""
    stops = [start, (right, start[1]), (right, gap), (left, gap), (left, end[1]), end]
    points: list[Point] = []
    here = start
    for before, corner, after in zip(stops, stops[1:], stops[2:]):
        r = min(radius, _length(before, corner) / 2, _length(corner, after) / 2)
        into, out_of = _toward(corner, before, r), _toward(corner, after, r)
        points += _line(here, into) + [corner, corner, out_of]  # the corner: both handles on it
        here = out_of
    return points + _line(here, end)


def _line(p: Point, q: Point) -> list[Point]:
    """A straight Bézier piece from p to q (its points after p)."""
    return [_mix(p, q, 1 / 3), _mix(p, q, 2 / 3), q]


def _toward(p: Point, q: Point, distance: float) -> Point:
    length = _length(p, q)
    return p if length == 0 else _mix(p, q, distance / length)


def _length(p: Point, q: Point) -> float:
    return math.hypot(q[0] - p[0], q[1] - p[1])
