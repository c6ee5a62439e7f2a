"""Finding the Graphviz layout program: the same one on every machine.

The `graphviz` Python package builds DOT text and runs a program named `dot`.
We run the `graphviz-pure` program that our dependency of that name installs
next to this Python (found even when the virtualenv is not activated), whether
or not a system `dot` is on PATH: the same call then gives the same picture
everywhere. Two programs measure text differently (a system `dot` with the
fonts installed, graphviz-pure from built-in tables), so the same graph comes
out a few percent wider with one than with the other, and `rankdir="auto"`,
which picks the direction closer to 16:9, picked top-to-bottom with one and
left-to-right with the other for the notes' two-neuron graph. A system `dot`
is used only when graphviz-pure is missing (a platform without its wheel).
`configure()` points the graphviz package at the program found, so
`Digraph.pipe()` and Jupyter display use it too.
"""
from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import graphviz

INSTALL_HINT = (
    "no Graphviz layout program found: chainrule needs the PyPI package graphviz-pure, which "
    "`pip install chainrule` installs (pip install graphviz-pure==0.2.2), or else a system `dot` on PATH "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
)


class GraphvizNotFound(RuntimeError):
    """Raised when neither a system `dot` nor `graphviz-pure` can be found."""


def find_dot() -> Path:
    """The layout program to run: graphviz-pure (a dependency), else a system `dot` on PATH."""
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    # next to this interpreter: works for `.venv/bin/python` without activating the venv
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / exe
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in ("graphviz-pure", "dot"):
        on_path = shutil.which(name)
        if on_path:
            return Path(on_path)
    raise GraphvizNotFound(INSTALL_HINT)


def configure() -> Path:
    """Point the `graphviz` package at the program `find_dot()` finds; return it."""
    program = find_dot()
    graphviz.backend.dot_command.DOT_BINARY = program
    return program
