"""How a graph looks: colours, pen widths, operation symbols, node shapes by role, and DOT text.

Colour is the sign of an edge's contribution (blue +, vermillion −, grey for exactly 0) and
width is |contribution| on a fixed log scale, so that a vanishing gradient looks thin in
every picture. Every user string reaches DOT through `dot_text`.
"""
from __future__ import annotations

import math

import graphviz

from chainrule.engine import Value

POSITIVE = "#0072B2"  # Okabe–Ito blue
NEGATIVE = "#D55E00"  # Okabe–Ito vermillion: the pair stays distinct for colour-blind readers
ZERO = "#999999"
PENDING = "#555555"
LOG_RANGE = (-3.0, 0.0)  # |contribution| from 1e-3 (thinnest) to 1 (thickest): a 50× gap is 3 pt of 6
MIN_WIDTH, MAX_WIDTH = 0.5, 6.0
NOT_COMPUTED = "—"
FONT = "Helvetica"  # browsers draw it with Arial or Liberation Sans, which have the same widths
NODE_FONT_SIZE, LABEL_FONT_SIZE = "14", "12"  # points: ≥ 12 px on a slide at 1:1

SYMBOLS = {
    "+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "**": "xʸ", "exp": "exp", "log": "log",
    "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU", "leaky_relu": "LReLU", "softplus": "softplus",
    "sum": "Σ", "mean": "mean", "dot": "Σwx+b", "logsumexp": "LSE", "softmax": "softmax",
}

# role -> node attributes: shape and border carry the role as well as colour does
ROLE_STYLE = {
    "input": {"shape": "box", "style": "rounded,filled", "fillcolor": "#eeeeee"},
    "parameter": {"shape": "box", "style": "filled,bold", "fillcolor": "#fff2cc", "penwidth": "2"},
    "constant": {"shape": "box", "style": "dashed", "fontsize": LABEL_FONT_SIZE},
    "value": {"shape": "box", "style": "filled", "fillcolor": "#ffffff"},
    "output": {"shape": "box", "style": "filled,bold", "fillcolor": "#dbe9f6", "peripheries": "2"},
}


def op_symbol(op: str) -> str:
    """How an operation reads in a picture: `*` as ×, `**2` as x^2, sigmoid as σ."""
    if op.startswith("**") and len(op) > 2:
        return f"x^{op[2:]}"
    name, _, setting = op.partition("(")  # leaky_relu(0.2): its symbol, then its setting
    return SYMBOLS.get(name, name) + (f"({setting}" if setting else "")


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


def dot_text(text: str) -> graphviz.quoting.NoHtml:
    """Any text as a DOT quoted string's contents.

    Backslashes are doubled (DOT reads \\N, \\G, \\" … specially) and quotes escaped, so the
    `graphviz` package leaves every quote alone; `nohtml` stops it from passing `<…>` through
    raw as an HTML-like label (which let a title add nodes). Lines become \\n.
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return graphviz.nohtml(escaped)
