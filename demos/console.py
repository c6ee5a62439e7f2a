"""Printing to a terminal or file whose encoding lacks our symbols (η, ∂, σ, −, → in Windows' cp1252).

Python raises UnicodeEncodeError on the first character stdout's encoding cannot hold, which would
stop a demo halfway (`chainrule demo two-neuron > f.txt` on Windows stopped at "η = 0.4"). At the
command's start `tolerate_any_encoding()` sets stdout and stderr to write such a character as
ASCII instead: the usual transliteration where there is one (η → eta, ∂ → d, − → -, → → ->),
else "?". Nothing changes where the encoding can hold every character (UTF-8).
"""
from __future__ import annotations

import codecs
import io
import sys

HANDLER = "chainrule-ascii"

ASCII = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "η": "eta", "θ": "theta",
    "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "φ": "phi", "Φ": "Phi", "Σ": "Sum", "Δ": "Delta",
    "∂": "d", "−": "-", "–": "-", "—": "--", "→": "->", "←": "<-", "↔": "<->", "×": "x", "÷": "/",
    "·": "*", "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=", "±": "+/-", "√": "sqrt", "∈": " in ",
    "‖": "||", "′": "'", "″": "''", "…": "...", "½": "1/2", "²": "^2", "³": "^3", "⁻": "^-", "ᶻ": "^z",
    "ᵢ": "_i", "ⱼ": "_j", "✓": "OK", "✗": "X", "⊙": "(.)", "∞": "inf", "ṫ": "t'",
}


def _as_ascii(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: the characters the encoding could not hold, as ASCII."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(ASCII.get(ch, "?") for ch in text), error.end


codecs.register_error(HANDLER, _as_ascii)


def tolerate_any_encoding() -> None:
    """Let stdout and stderr write any character: what their encoding cannot hold comes out as ASCII."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            stream.reconfigure(errors=HANDLER)
