"""A self-contained HTML page that replays backward one step at a time.

Frame 0 shows the forward values only; frame k shows the graph after the
engine's k-th backward step (`Value.backward_steps()`, the order `backward()`
uses): the current node highlighted, the edges it sends gradient along
emphasised, each changed grad shown old → new, and the chain-rule update in a
formula panel exactly as `print(step)` writes it. The layout is computed once.
The page loads nothing (inline SVG, CSS and script; a Content-Security-Policy
forbids any request) and, without JavaScript, shows the final graph.
"""
from __future__ import annotations

import html
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

from chainrule.engine import Value, fmt, topological_order

from chainrule.engine.files import write_atomically

from .graph import draw_graph, run_layout

NOT_COMPUTED = "—"


@contextmanager
def replaying(root: Value) -> Iterator[list[Value]]:
    """Clear the grads of root's graph for a clean replay of backward, and restore them afterwards.

    Yields the graph in topological order. Drawing never changes the graph.
    """
    order = topological_order(root)
    saved = [v.grad for v in order]
    try:
        for v in order:
            v.grad = 0.0
        yield order
    finally:
        for v, g in zip(order, saved):
            v.grad = g


def backward_frames(root: Value, order: list[Value]) -> list[dict[str, Any]]:
    """The engine's backward steps as frames; run inside `replaying(root)`. Leaves the final grads."""
    index = {v: i for i, v in enumerate(order)}
    reached: dict[str, str] = {}
    frames: list[dict[str, Any]] = []
    for step in root.backward_steps():
        node = f"v{index[step.node]}"
        reached[node] = fmt(step.node.grad)
        changes, edges = [], []
        for k, u in enumerate(step.updates):
            parent = f"v{index[u.parent]}"
            reached[parent] = fmt(u.after)
            changes.append({"node": parent, "before": fmt(u.before), "after": fmt(u.after)})
            edges.append(f"{parent}_o{index[step.node]}_{k}")
        frames.append({"node": node, "text": str(step), "changes": changes, "edges": edges,
                       "grads": dict(reached), "leaf": step.node.is_leaf})
    return frames


def stepper_html(root: Value, title: Optional[str] = None, rankdir: str = "LR", max_nodes: int = 300) -> str:
    """The stepper page as a string (see `save_stepper`)."""
    if not isinstance(root, Value):
        raise TypeError(f"save_stepper: root must be a Value, got {type(root).__name__}")
    with replaying(root) as order:
        frames = backward_frames(root, order)
        # laid out once, with the final grads the replay left, so the page reads right without JavaScript
        svg = run_layout(draw_graph(root, rankdir=rankdir, detail="ops", legend=False, max_nodes=max_nodes,
                                    grads="show").source, "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG sits inside HTML
    name = root.label or "the output"
    title = title or f"Backward through {name}: step by step"
    data = {"frames": frames, "nodes": [f"v{i}" for i, v in enumerate(order) if v.op != "const"],
            "forward": f"Forward pass done: {len(order)} values. Backward has not started: "
                       f"every grad is {NOT_COMPUTED}. Press → to seed ∂{name}/∂{name} = 1."}
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return PAGE.replace("__TITLE__", html.escape(title)).replace("__SVG__", svg).replace("__DATA__", payload) \
        .replace("__FINAL__", html.escape(f"Final gradients after backward ({len(frames)} steps)."))


def save_stepper(root: Value, path: str | os.PathLike, title: Optional[str] = None, rankdir: str = "LR",
                 max_nodes: int = 300) -> Path:
    """Write the backward stepper for `root` to one self-contained HTML file; returns the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"save_stepper: the file should end in .html, got {path.name!r}")
    write_atomically(path, stepper_html(root, title, rankdir, max_nodes).encode("utf-8"))
    return path


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1rem 1.5rem; color: #222; }
  h1 { font-size: 1.2rem; margin: 0 0 .6rem; }
  [hidden] { display: none !important; }
  #controls { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin-bottom: .6rem; }
  #controls button { font-size: 1rem; padding: .25rem .8rem; cursor: pointer; }
  #scrubber { flex: 1 1 16rem; }
  #counter { font-variant-numeric: tabular-nums; min-width: 9rem; }
  #formula { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap;
             background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem .8rem; min-height: 3.2em; }
  #graph { overflow: auto; border: 1px solid #eee; border-radius: 6px; margin-top: .6rem; }
  #graph svg { max-width: 100%; height: auto; }
  .js g.node.pending { opacity: .45; }
  .js g.node.current polygon, .js g.node.current ellipse { stroke: #E69F00; stroke-width: 4; }
  .js g.node.changed polygon { stroke: #009E73; stroke-width: 3; }
  .js g.edge.future path, .js g.edge.future polygon { stroke: #c8c8c8 !important; fill: #c8c8c8 !important; stroke-width: 1 !important; }
  .js g.edge.future text { fill: #999 !important; }
  .js g.edge.active path { stroke-dasharray: 8 5; animation: flow .6s linear infinite; }
  @keyframes flow { to { stroke-dashoffset: -13; } }
  .hint { color: #666; font-size: .85rem; }
  noscript p { color: #666; }
</style>
</head>
<body>
<h1>__TITLE__</h1>
<noscript><p>__FINAL__ Turn on JavaScript to step through backward.</p></noscript>
<div id="controls" hidden>
  <button id="prev" title="previous step (←)">◀ prev</button>
  <button id="play" title="play / pause (space)">▶ play</button>
  <button id="next" title="next step (→)">next ▶</button>
  <input id="scrubber" type="range" min="0" value="0" aria-label="step">
  <span id="counter"></span>
</div>
<div id="formula" hidden></div>
<p class="hint" id="hint" hidden>Keys: ← → step, Home/End jump, space plays. Orange border: the node backward is at;
green border: grads that just changed (old → new); faded: not reached yet.</p>
<div id="graph">__SVG__</div>
<script id="frames" type="application/json">__DATA__</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("frames").textContent);
  var frames = data.frames, total = frames.length, current = 0, timer = null;
  document.body.classList.add("js");
  ["controls", "formula", "hint"].forEach(function (id) { document.getElementById(id).hidden = false; });
  var scrub = document.getElementById("scrubber"), counter = document.getElementById("counter");
  var formula = document.getElementById("formula"), play = document.getElementById("play");
  scrub.max = String(total);

  function gradText(id) {
    var g = document.getElementById(id);
    if (!g) { return null; }
    var texts = g.querySelectorAll("text");
    for (var i = 0; i < texts.length; i++) {
      if (texts[i].textContent.indexOf("grad ") === 0) { return texts[i]; }
    }
    return null;
  }
  var originals = {};
  data.nodes.forEach(function (id) { var t = gradText(id); if (t) { originals[id] = t; } });
  var allEdges = document.querySelectorAll("g.edge");

  function show(k) {
    current = Math.max(0, Math.min(total, k));
    var frame = current > 0 ? frames[current - 1] : null;
    var grads = frame ? frame.grads : {};
    var done = {}, activeEdges = {}, passed = {}, changed = {};
    for (var i = 0; i < current; i++) {
      done[frames[i].node] = true;
      frames[i].edges.forEach(function (e) { passed[e] = true; });
    }
    if (frame) {
      frame.edges.forEach(function (e) { activeEdges[e] = true; });
      frame.changes.forEach(function (c) { changed[c.node] = c; });
    }
    data.nodes.forEach(function (id) {
      var g = document.getElementById(id);
      if (!g) { return; }
      var t = originals[id];
      if (t) {
        var c = changed[id];
        t.textContent = "grad " + (c ? c.before + " \\u2192 " + c.after : (grads[id] !== undefined ? grads[id] : "\\u2014"));
      }
      g.classList.toggle("pending", !(id in grads));
      g.classList.toggle("current", !!frame && frame.node === id);
      g.classList.toggle("changed", id in changed);
    });
    allEdges.forEach(function (e) {
      var isValueEdge = /^v\\d+_o\\d+_\\d+$/.test(e.id);
      e.classList.toggle("future", isValueEdge && !passed[e.id]);
      e.classList.toggle("active", !!activeEdges[e.id]);
    });
    formula.textContent = frame ? frame.text : data.forward;
    counter.textContent = current === 0 ? "forward pass (step 0 of " + total + ")" : "step " + current + " of " + total;
    scrub.value = String(current);
  }

  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "\\u25b6 play"; } }
  function toggle() {
    if (timer) { stop(); return; }
    if (current >= total) { show(0); }
    play.textContent = "\\u23f8 pause";
    timer = setInterval(function () { if (current >= total) { stop(); } else { show(current + 1); } }, 900);
  }
  document.getElementById("prev").addEventListener("click", function () { stop(); show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { stop(); show(current + 1); });
  play.addEventListener("click", toggle);
  scrub.addEventListener("input", function () { stop(); show(parseInt(scrub.value, 10)); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowRight") { stop(); show(current + 1); ev.preventDefault(); }
    else if (ev.key === "ArrowLeft") { stop(); show(current - 1); ev.preventDefault(); }
    else if (ev.key === "Home") { stop(); show(0); ev.preventDefault(); }
    else if (ev.key === "End") { stop(); show(total); ev.preventDefault(); }
    else if (ev.key === " " && ev.target === document.body) { toggle(); ev.preventDefault(); }
  });
  show(0);
})();
</script>
</body>
</html>
"""
