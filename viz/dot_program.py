"""Finding a Graphviz layout program.

The `graphviz` Python package builds DOT text and runs a program named `dot`.
We use a system `dot` when one is on PATH; otherwise the `graphviz-pure`
program that our dependency of that name installs next to this Python (found
even when the virtualenv is not activated). `configure()` points the graphviz
package at whichever we found, so `Digraph.pipe()` and Jupyter display work.
"""
from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

import graphviz

INSTALL_HINT = (
    "no Graphviz layout program found: chainrule needs either a system `dot` on PATH "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) or the PyPI package "
    "graphviz-pure, which `pip install chainrule` installs (pip install graphviz-pure==0.2.2)"
)


class GraphvizNotFound(RuntimeError):
    """Raised when neither a system `dot` nor `graphviz-pure` can be found."""


def find_dot() -> Path:
    """The layout program to run: system `dot` first, then `graphviz-pure`."""
    system = shutil.which("dot")
    if system:
        return Path(system)
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    # next to this interpreter: works for `.venv/bin/python` without activating the venv
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / exe
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("graphviz-pure")
    if on_path:
        return Path(on_path)
    raise GraphvizNotFound(INSTALL_HINT)


def configure() -> Path:
    """Point the `graphviz` package at the program `find_dot()` finds; return it."""
    program = find_dot()
    graphviz.backend.dot_command.DOT_BINARY = program
    return program
