"""The pages' HTML: a template from viz/pages/, filled in a single pass, its CSS and scripts inlined.

The pages' parts are real files in viz/pages/ (shipped in the wheel): page.html (the skeleton,
with slots; head.html is every page's <head>), page.css, and the scripts: ops.js (the table of operations, also run by Node's
tests), graph.js (the drawing and its camera), stepper.js (frames, keys, what-if); the
playground's playground.html and playground.css, with random.js (fit's shuffler), trainer.js (fit
in the browser) and playground.js (the page). Each
`{{name}}` slot of the template is replaced once and what goes in is never read again, so no
label can change the page's structure: text is HTML-escaped, the frames are JSON inside
`<script type="application/json">` with `<`, `>` and `&` escaped, and the script writes text with
textContent and finds nodes by id, never by what they say. The page loads nothing (a
Content-Security-Policy forbids any request) and, without JavaScript, shows the final graph and
summary.
"""
from __future__ import annotations

import functools
import html
import importlib.resources
import json
import os
import re
from pathlib import Path

from chainrule.engine.files import write_atomically

SLOT = re.compile(r"\{\{(\w+)\}\}")
# the stepper's and the training-step page's scripts, in the order they run
STEPPER_SCRIPTS = ("ops.js", "graph.js", "stepper.js")
# the training-step page also applies the optimizer's rule again in a what-if (trainer.js's optimizerStep)
TRAINING_STEP_SCRIPTS = ("ops.js", "random.js", "trainer.js", "graph.js", "stepper.js")
# the playground's: the table of operations, the shuffler, the trainer, the graph drawing, the page
PLAYGROUND_SCRIPTS = ("ops.js", "random.js", "trainer.js", "graph.js", "playground.js")
# what would end an inlined <script> or <style> early, or open a comment in it
_BREAKS_OUT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


@functools.lru_cache(maxsize=None)
def part(name: str) -> str:
    """The text of viz/pages/<name>; a script or style that could end its element early is refused."""
    text = (importlib.resources.files("chainrule.viz") / "pages" / name).read_text(encoding="utf-8")
    if name.endswith((".js", ".css")) and _BREAKS_OUT.search(text):
        raise RuntimeError(f"viz/pages/{name} contains {_BREAKS_OUT.search(text).group(0)!r}, which would end its "
                         "inlined element early; write it another way (\\x3c/script, say)")
    return text


def filled(template: str, values: dict[str, str]) -> str:
    """viz/pages/<template> with every {{slot}} filled from `values`; its {{head}} is head.html, the one
    <head> of every page (its Content-Security-Policy: nothing may be requested), with a title and style."""
    return SLOT.sub(lambda m: values[m.group(1)], part(template).replace("{{head}}\n", part("head.html")))


def inline_scripts(names: tuple[str, ...]) -> str:
    """Each script of viz/pages/ in a <script> element of its own, in the order given."""
    return "\n".join(f"<script>\n{part(name)}</script>" for name in names)


def script_json(data: object) -> str:
    """JSON that can sit inside a <script> element: no `</script>` or `<!--` can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fill(*, title: str, svg: str, others: list[str], summary: str, data: object,
         scripts: tuple[str, ...] = STEPPER_SCRIPTS) -> str:
    """The page with its slots filled: title (text), svg, others and summary (markup we made), data (JSON).

    others: more layouts of the same graph, kept inert in <template>s until the script picks
    the one that suits the screen (one SVG in the document at a time, so ids stay unique).
    """
    layouts = "".join(f'<template class="layout">{other}</template>' for other in others)
    values = {"title": html.escape(title), "svg": svg, "layouts": layouts, "summary": summary,
              "data": script_json(data), "style": part("page.css"), "scripts": inline_scripts(scripts)}
    return filled("page.html", values)


def fill_playground(*, title: str, data: object, drawings: str) -> str:
    """The playground page (playground.html) with its slots filled: title (text), data (JSON), drawings
    (<template>s of Graphviz SVG, markup we made), its CSS and scripts."""
    values = {"title": html.escape(title), "data": script_json(data), "drawings": drawings,
              "style": part("playground.css"), "scripts": inline_scripts(PLAYGROUND_SCRIPTS)}
    return filled("playground.html", values)


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


class Page:
    """A self-contained page: shows inline in Jupyter (in a sandboxed iframe of its own, which keeps its
    ids, styles and keys away from the notebook), `.save(path)` writes it to one .html file."""

    SANDBOX = "allow-scripts"  # it may run its own script and nothing else

    def __init__(self, html_page: str, title: str, height: int) -> None:
        self.html = html_page
        self.title = title
        self.height = height

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="{self.SANDBOX}" '
                f'title="{html.escape(self.title, quote=True)}" style="box-sizing: border-box; width: 100%; '
                f'height: {int(self.height)}px; border: 1px solid #ddd; border-radius: 6px"></iframe>')

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to one self-contained .html file (whole or not at all); returns the path."""
        return write_atomically(html_path(path, f"{type(self).__name__}.save"), self.html.encode("utf-8"))


def html_path(path: str | os.PathLike, who: str) -> Path:
    """`path` as a Path, if it names an .html file (checked before any work: a wrong name costs nothing)."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{who}: the file should end in .html, got {path.name!r}")
    return path
