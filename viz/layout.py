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

import math
import re
import subprocess
import sys
from typing import Callable, TypeVar

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
    """The graph built left-to-right or top-to-bottom: whichever is closer to 16:9 (in log ratio)."""
    graphs = [build("LR"), build("TB")]
    return min(graphs, key=lambda g: abs(math.log(aspect(g.source) / SLIDE)))
