"""The stepper's HTML page: one template, filled in a single pass.

Each `{{name}}` slot of the template is replaced once and what goes in is never
read again, so no label can change the page's structure: text is HTML-escaped,
the frames are JSON inside `<script type="application/json">` with `<`, `>`
and `&` escaped, and the script writes text with textContent and finds nodes by
id, never by what they say. The page loads nothing (a Content-Security-Policy
forbids any request) and, without JavaScript, shows the final graph and summary.
"""
from __future__ import annotations

import html
import json
import re

from .stepper_page import TEMPLATE

SLOT = re.compile(r"\{\{(\w+)\}\}")


def script_json(data: object) -> str:
    """JSON that can sit inside a <script> element: no `</script>` or `<!--` can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fill(*, title: str, svg: str, others: list[str], summary: str, data: object) -> str:
    """The page with its slots filled: title (text), svg, others and summary (markup we made), data (JSON).

    others: more layouts of the same graph, kept inert in <template>s until the script picks
    the one that suits the screen (one SVG in the document at a time, so ids stay unique).
    """
    layouts = "".join(f'<template class="layout">{other}</template>' for other in others)
    values = {"title": html.escape(title), "svg": svg, "layouts": layouts, "summary": summary,
              "data": script_json(data)}
    return SLOT.sub(lambda m: values[m.group(1)], TEMPLATE)


def summary_table(rows: list[tuple[str, str, str, str]], lr: float, root_name: str) -> str:
    """The end of backward: every parameter's and input's gradient, and a parameter's update.

    rows: (role, name, grad, update text or "").
    """
    body = "".join(
        f'<tr class="{html.escape(r)}"><th scope="row">{html.escape(n)}</th><td>{html.escape(g)}</td>'
        f"<td>{html.escape(u)}</td></tr>" for r, n, g, u in rows)
    eta = html.escape(f"{lr:g}")
    root = html.escape(root_name)
    return (f'<p class="done">Backward done. Gradients ∂{root}/∂· and one gradient-descent step '
            f"w ← w − η·grad with η = {eta}:</p>"
            f'<table><thead><tr><th scope="col">value</th><th scope="col">grad</th>'
            f'<th scope="col">update (parameters)</th></tr></thead><tbody>{body}</tbody></table>')
