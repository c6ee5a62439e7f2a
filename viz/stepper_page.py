"""The stepper page's template: HTML, CSS and script in one file that loads nothing.

Slots: {{title}}, {{svg}}, {{layouts}}, {{summary}}, {{data}} (filled once by `viz.page.fill`).
Layout: a header row of controls, the graph filling the rest of the screen, and
a panel of fixed height for the chain-rule text, so nothing moves while stepping.
"""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
         display: flex; flex-direction: column; background: #fff; }
  header { flex: none; padding: .5rem .8rem .4rem; border-bottom: 1px solid #e4e4e4; }
  h1 { font-size: 1.05rem; margin: 0 0 .4rem; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical;
       -webkit-line-clamp: 2; }
  [hidden] { display: none !important; }
  #controls { display: flex; gap: .4rem; align-items: center; }
  button { font: inherit; font-size: .95rem; padding: .3rem .7rem; cursor: pointer; border: 1px solid #bbb;
           border-radius: 6px; background: #f7f7f7; color: #222; }
  button:focus-visible { outline: 3px solid #E69F00; outline-offset: 1px; }
  #play { width: 5.6em; }
  #scrubber { flex: 1 1 0; min-width: 3rem; }
  #counter { flex: none; width: 7.5em; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
             overflow: hidden; font-size: .95rem; }
  main { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
  #graph { flex: 1 1 0; min-height: 0; overflow: auto; position: relative; background: #fff; }
  .js #graph { overflow: hidden; touch-action: none; cursor: grab; }
  #graph svg text { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; }
  #zoom { position: absolute; right: .6rem; top: .6rem; display: flex; flex-direction: column; gap: .3rem; }
  #zoom button { width: 2.6rem; height: 2.4rem; padding: 0; font-size: 1.2rem; background: rgba(247,247,247,.92); }
  #panel { flex: none; height: clamp(10rem, 28vh, 16rem); overflow: auto; border-top: 1px solid #e4e4e4; padding: .6rem .9rem;
           background: #f6f8fa; }
  #formula { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
             font-size: 15px; line-height: 1.45; white-space: pre-wrap; }
  #summary p.done { margin: 0 0 .4rem; font-weight: 600; }
  #summary table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 15px; }
  #summary th, #summary td { text-align: left; padding: .15rem .9rem .15rem 0; border-bottom: 1px solid #e1e4e8; }
  #summary tr.parameter th { background: #fff2cc; padding-left: .3rem; }
  #summary tr.input th { background: #eeeeee; padding-left: .3rem; }
  .js g.node.pending { opacity: .4; }
  .js g.node.current > g > a > polygon, .js g.node.current > g > a > path,
  .js g.node.current > g > a > ellipse { stroke: #E69F00; stroke-width: 5; }
  .js g.node.changed > g > a > polygon, .js g.node.changed > g > a > path { stroke: #009E73; stroke-width: 5; }
  .js g.node.through > g > a > ellipse { stroke: #E69F00; stroke-width: 4; fill: #fff3d6; }
  .js g.node.label-active text { font-weight: bold; }
  .js g.node.final > g > a > polygon, .js g.node.final > g > a > path { stroke: #009E73; stroke-width: 4; }
  .js g.edge.future path, .js g.edge.future polygon { stroke: #cfcfcf !important; fill: #cfcfcf !important; stroke-width: 1 !important; }
  .js g.node.label-future text { fill: #aaa !important; }
  .js g.edge.active path { stroke-dasharray: 9 6; animation: flow .7s linear infinite; }
  @keyframes flow { to { stroke-dashoffset: 15; } }
  @media (prefers-reduced-motion: reduce) { .js g.edge.active path { animation: none; } }
  .hint { color: #666; font-size: .8rem; margin: .3rem 0 0; }
  #whatif label { font-size: 15px; }
  #whatif-value { width: 8em; font: inherit; }
  #whatif-slider { width: min(22rem, 60vw); vertical-align: middle; }
  #whatif-text { margin: .4rem 0 0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
                 font-size: 15px; white-space: pre-wrap; }
  .js g.node.leaf-editable { cursor: pointer; }
  @media (max-width: 600px) {
    #controls button { padding: .3rem .5rem; }
    #play { width: 4.8em; }
    #counter { width: 5.6em; font-size: .85rem; }
    .hint { display: none; }
    #formula, #summary table { font-size: 13px; }
  }
</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<div id="controls" hidden>
  <button id="prev" title="previous step (←)" aria-label="previous step">◀</button>
  <button id="play" title="play / pause (space)">▶ play</button>
  <button id="next" title="next step (→)" aria-label="next step">▶</button>
  <input id="scrubber" type="range" min="0" value="0" aria-label="step">
  <span id="counter" aria-live="polite"></span>
</div>
<p class="hint" id="hint" hidden>← → step · Home/End · space plays · + − 0 zoom · drag to pan · click an input or a parameter to change it.
Orange: the node whose grad is passed back; green: the grad it changes; faded: not reached yet.</p>
<noscript><p class="hint">The final gradients after backward. Turn on JavaScript to step through it.</p></noscript>
</header>
<main>
<div id="graph">{{svg}}{{layouts}}
<div id="zoom" hidden><button id="zoom-in" title="zoom in (+)" aria-label="zoom in">+</button><button id="zoom-out" title="zoom out (−)" aria-label="zoom out">−</button><button id="zoom-fit" title="fit (0)" aria-label="fit the graph">⤢</button></div>
</div>
<section id="panel" aria-label="chain rule">
<div id="whatif" hidden><label>What if <strong id="whatif-name"></strong> were <input id="whatif-value" type="number" step="any"></label>
<input id="whatif-slider" type="range" min="0" max="1000" value="500" aria-label="drag to change the value">
<button id="whatif-back">back to the steps</button><pre id="whatif-text"></pre></div>
<pre id="formula" hidden></pre>
<div id="summary">{{summary}}</div>
</section>
</main>
<script id="frames" type="application/json">{{data}}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("frames").textContent);
  var frames = data.frames, last = frames.length + 1, current = 0, timer = null;
  var $ = function (id) { return document.getElementById(id); };
  document.body.classList.add("js");
  ["controls", "hint", "zoom", "formula"].forEach(function (id) { $(id).hidden = false; });
  var scrub = $("scrubber"), counter = $("counter"), formula = $("formula"), summary = $("summary");
  var play = $("play"), graph = $("graph"), svg = null;
  scrub.max = String(last);

  // The grad line of a value node is the last text of its group (the drawing puts it there), its
  // data line the one before; a training-step page also fills data lines (forward and update frames).
  var gradLine = {}, dataLine = {}, dataAtStart = {};
  function findGradLines() {
    gradLine = {}; dataLine = {};
    data.nodes.forEach(function (i) {
      var g = $("v" + i), texts = g ? g.querySelectorAll("text") : [];
      if (texts.length) { gradLine[i] = texts[texts.length - 1]; }
      if (texts.length > 1) {
        dataLine[i] = texts[texts.length - 2];
        if (!(i in dataAtStart)) { dataAtStart[i] = dataLine[i].textContent; }
      }
    });
  }
  var unknown = {};  // values the forward frames compute: "data —" until their frame
  (data.unknown || []).forEach(function (i) { unknown[i] = true; });
  var stepped = {};
  frames.forEach(function (f) { if (f.e) { stepped[f.e] = true; } });
  function each(ids, fn) { ids.forEach(function (id) { var el = $(id); if (el) { fn(el); } }); }
  function edgeParts(e) { return [e + "_a", e + "_b"]; }

  function show(k) {
    current = Math.max(0, Math.min(last, k));
    var grads = {}, passed = {}, values = {};
    for (var i = 0; i < current && i < frames.length; i++) {
      if (frames[i].k) { values[frames[i].n] = frames[i].d; continue; }  // a forward or update frame
      grads[frames[i].p] = frames[i].a;
      if (frames[i].e) { passed[frames[i].e] = true; }
    }
    var frame = current >= 1 && current <= frames.length ? frames[current - 1] : null;
    document.querySelectorAll(".current, .changed, .through, .active, .label-active, .final").forEach(function (el) {
      el.classList.remove("current", "changed", "through", "active", "label-active", "final");
    });
    Object.keys(dataLine).forEach(function (i) {
      if (i in values) { dataLine[i].textContent = "data " + values[i]; }
      else { dataLine[i].textContent = unknown[i] ? "data \u2014" : dataAtStart[i]; }
    });
    data.nodes.forEach(function (i) {
      var t = gradLine[i], g = $("v" + i);
      if (!t || !g) { return; }
      var text = i in grads ? grads[i] : "\u2014";
      if (frame && frame.p === i) { text = frame.b + " \u2192 " + frame.a; }
      t.textContent = "grad " + text;
      // faded: not computed yet (while the forward frames run), else not reached by backward yet
      var forwardPhase = (data.unknown || []).length && (current === 0 || (frame && frame.k === "f"));
      g.classList.toggle("pending", forwardPhase ? !!unknown[i] && !(i in values) : !(i in grads));
      if (current === last && data.leaves.indexOf(i) >= 0) { g.classList.add("final"); }
    });
    Object.keys(stepped).forEach(function (e) {
      var future = !passed[e];
      each(edgeParts(e), function (el) { el.classList.toggle("future", future); });
      each([e], function (el) { el.classList.toggle("label-future", future); });
    });
    if (frame && frame.k) {  // forward: the value just computed; update: the parameter just moved
      each(["v" + frame.n], function (el) { el.classList.add(frame.k === "u" ? "changed" : "current"); });
      if (frame.k === "f") { each(["o" + frame.n], function (el) { el.classList.add("through"); }); }
      follow(["v" + frame.n]);
    } else if (frame) {
      each(["v" + frame.c], function (el) { el.classList.add("current"); });
      if (frame.e) {
        each(["v" + frame.p], function (el) { el.classList.add("changed"); });
        each(["o" + frame.c], function (el) { el.classList.add("through"); });
        each(edgeParts(frame.e), function (el) { el.classList.add("active"); });
        each([frame.e], function (el) { el.classList.add("label-active"); });
      }
      follow(frame.e ? ["v" + frame.c, "o" + frame.c, frame.e, "v" + frame.p] : ["v" + frame.c]);
    }
    formula.hidden = current === last;
    summary.hidden = current !== last;
    formula.textContent = frame ? frame.t : data.forward;
    counter.textContent = current === 0 ? "forward" : current === last ? "done" : current + " / " + frames.length;
    scrub.value = String(current);
  }

  // Layouts: left-to-right and top-to-bottom when both were made; the one whose shape is closest
  // to the graph area's is shown (a phone held upright gets top-to-bottom), again when that changes.
  var layouts = [graph.querySelector("svg").outerHTML];
  graph.querySelectorAll("template.layout").forEach(function (t) { layouts.push(t.innerHTML); t.remove(); });
  var shapes = layouts.map(function (markup) {
    var box = /viewBox="([^"]+)"/.exec(markup)[1].split(/\s+/).map(Number);
    return box[2] / box[3];
  });
  var shown = 0, full = null, cam = { x: 0, y: 0, s: 1 };
  function useLayout(k) {
    var holder = document.createElement("div");
    holder.innerHTML = layouts[k];
    graph.replaceChild(holder.querySelector("svg"), svg);
    shown = k;
    setUp();
  }
  function setUp() {
    svg = graph.querySelector("svg");
    var box = svg.viewBox.baseVal;
    full = { x: box.x, y: box.y, w: box.width, h: box.height };
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.style.width = "100%"; svg.style.height = "100%"; svg.style.display = "block";
    findGradLines();
    markEditable();
    fit();
  }
  function bestLayout() {
    var area = (graph.clientWidth || 1) / (graph.clientHeight || 1), best = 0;
    shapes.forEach(function (a, k) { if (Math.abs(Math.log(a / area)) < Math.abs(Math.log(shapes[best] / area))) { best = k; } });
    return best;
  }
  // ≥ 1 px per unit: 12-point labels read at 12 px at least; larger when there is room, but a graph
  // that does not fit is not blown up past MAX_FILL (more of it stays in view)
  var READABLE = 1.02, MAX_FIT = 2.2, MAX_FILL = 1.3;
  function apply() {
    var W = graph.clientWidth || 1, H = graph.clientHeight || 1;
    svg.setAttribute("viewBox", [cam.x, cam.y, W / cam.s, H / cam.s].join(" "));
  }
  function fit() {
    var W = graph.clientWidth || 1, H = graph.clientHeight || 1;
    // the whole graph when it reads at that size; otherwise fill the narrower way and pan the other
    var whole = Math.min(W / full.w, H / full.h) * 0.96;
    var fill = Math.min(MAX_FILL, Math.max(W / full.w, H / full.h) * 0.96);
    cam.s = whole >= READABLE ? Math.min(MAX_FIT, whole) : Math.max(READABLE, fill);
    cam.x = full.x + (full.w - W / cam.s) / 2;
    cam.y = full.y + (full.h - H / cam.s) / 2;
    if (full.w * cam.s > W) { cam.x = full.x; }  // too wide to fit readably: start at the inputs' side
    if (full.h * cam.s > H) { cam.y = full.y; }
    apply();
  }
  function zoom(factor, px, py) {
    var W = graph.clientWidth, H = graph.clientHeight;
    if (px === undefined) { px = W / 2; py = H / 2; }
    var ux = cam.x + px / cam.s, uy = cam.y + py / cam.s;
    cam.s = Math.max(0.2, Math.min(6, cam.s * factor));
    cam.x = ux - px / cam.s; cam.y = uy - py / cam.s;
    apply();
  }
  function pan(dx, dy) { cam.x -= dx / cam.s; cam.y -= dy / cam.s; apply(); }
  // Keep the step's nodes in view: pan (never zoom) when one is outside. When the child, the edge
  // and the parent do not fit together at a readable size, the edge and the parent it changes come first.
  function follow(ids) {
    var area = graph.getBoundingClientRect(), m = 24;
    var room = { w: area.width - 2 * m, h: area.height - 2 * m };
    for (var n = ids.length; n >= 1; n--) {
      var b = bounds(ids.slice(ids.length - n));
      if (!b) { return; }
      if (n > 1 && (b.r - b.l > room.w || b.b - b.t > room.h)) { continue; }
      if (b.l >= area.left + m && b.r <= area.right - m && b.t >= area.top + m && b.b <= area.bottom - m) { return; }
      pan((area.left + area.right) / 2 - (b.l + b.r) / 2, (area.top + area.bottom) / 2 - (b.t + b.b) / 2);
      return;
    }
  }
  function bounds(ids) {
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    ids.forEach(function (id) {
      var el = $(id); if (!el) { return; }
      var q = el.getBoundingClientRect();
      l = Math.min(l, q.left); t = Math.min(t, q.top); r = Math.max(r, q.right); b = Math.max(b, q.bottom);
    });
    return l === Infinity ? null : { l: l, t: t, r: r, b: b };
  }
  $("zoom-in").addEventListener("click", function () { zoom(1.25); });
  $("zoom-out").addEventListener("click", function () { zoom(0.8); });
  $("zoom-fit").addEventListener("click", fit);
  graph.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var q = graph.getBoundingClientRect();
    zoom(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), ev.clientX - q.left, ev.clientY - q.top);
  }, { passive: false });
  var pointers = {}, pinch = null;
  graph.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest("button")) { return; }
    pointers[ev.pointerId] = { x: ev.clientX, y: ev.clientY, x0: ev.clientX, y0: ev.clientY };
    graph.setPointerCapture(ev.pointerId);
  });
  graph.addEventListener("pointermove", function (ev) {
    var p = pointers[ev.pointerId]; if (!p) { return; }
    var ids = Object.keys(pointers);
    if (ids.length === 1) { pan(ev.clientX - p.x, ev.clientY - p.y); }
    p.x = ev.clientX; p.y = ev.clientY;
    if (ids.length === 2) {
      var a = pointers[ids[0]], b = pointers[ids[1]], q = graph.getBoundingClientRect();
      var d = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch) { zoom(d / pinch, (a.x + b.x) / 2 - q.left, (a.y + b.y) / 2 - q.top); }
      pinch = d;
    }
  });
  function release(ev) { delete pointers[ev.pointerId]; pinch = null; }
  graph.addEventListener("pointerup", function (ev) {  // a click (not a drag) on an input or a parameter
    var p = pointers[ev.pointerId];
    if (p && Math.hypot(ev.clientX - p.x0, ev.clientY - p.y0) < 5) { clicked(ev.clientX, ev.clientY); }
  });
  graph.addEventListener("pointerup", release);
  graph.addEventListener("pointercancel", release);
  window.addEventListener("resize", function () {
    var best = bestLayout();
    if (best !== shown) { useLayout(best); show(current); } else { apply(); }
  });

  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6 play"; } }
  function toggle() {
    if (timer) { stop(); return; }
    if (current >= last) { show(0); }
    play.textContent = "\u23f8 pause";
    timer = setInterval(function () { if (current >= last) { stop(); } else { show(current + 1); } }, 1100);
  }
  $("prev").addEventListener("click", function () { stop(); leaveWhatIf(); show(current - 1); });
  $("next").addEventListener("click", function () { stop(); leaveWhatIf(); show(current + 1); });
  play.addEventListener("click", toggle);
  scrub.addEventListener("input", function () { stop(); show(parseInt(scrub.value, 10)); });
  // Keys act on this document only: inside a notebook's iframe, only when the stepper has focus.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (ev.target.closest("input[type=number]")) { return; }  // typing a what-if value
    if (whatIfOn && !ev.target.closest("input")) { leaveWhatIf(); }
    var keys = { ArrowRight: function () { stop(); show(current + 1); }, ArrowLeft: function () { stop(); show(current - 1); },
                 Home: function () { stop(); show(0); }, End: function () { stop(); show(last); },
                 "+": function () { zoom(1.25); }, "=": function () { zoom(1.25); }, "-": function () { zoom(0.8); },
                 "0": fit };
    if (ev.key === " " && !ev.target.closest("button, input")) { toggle(); ev.preventDefault(); return; }
    if (keys[ev.key] && !(ev.target.type === "range" && ev.key.indexOf("Arrow") === 0)) {
      keys[ev.key](); ev.preventDefault();
    }
  });
  // -- What if? Click an input or a parameter and give it another number: the page computes the
  // graph again with the engine's own operations (this table mirrors engine/value.py and
  // engine/functional.py; tests compare it with Python to 1e-12), then backward, and a central
  // difference (f(x + h) − f(x − h)) / 2h beside the gradient backward gives.
  var program = data.program || [];
  var SQRT2 = Math.sqrt(2), SQRT_2PI = Math.sqrt(2 * Math.PI);
  function fsum(xs) {  // exactly rounded, as Python's math.fsum (Shewchuk's partials)
    var partials = [];
    xs.forEach(function (x) {
      var i = 0;
      for (var j = 0; j < partials.length; j++) {
        var y = partials[j];
        if (Math.abs(x) < Math.abs(y)) { var t = x; x = y; y = t; }
        var hi = x + y, lo = y - (hi - x);
        if (lo !== 0) { partials[i++] = lo; }
        x = hi;
      }
      partials.length = i; partials.push(x);
    });
    var n = partials.length, hi = 0, lo = 0;
    if (n > 0) {
      hi = partials[--n];
      while (n > 0) { var x = hi, y = partials[--n]; hi = x + y; var yr = hi - x; lo = y - yr; if (lo !== 0) { break; } }
      if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        var y2 = lo * 2, x2 = hi + y2, yr2 = x2 - hi;
        if (y2 === yr2) { hi = x2; }
      }
    }
    return hi;
  }
  function erfc(x) {  // to about 1e-15: a series for |x| ≤ 2, a continued fraction beyond
    if (x < 0) { return 2 - erfc(-x); }
    if (x <= 2) {
      var term = x, sum = x, k = 0;
      while (Math.abs(term) > 1e-17 * Math.abs(sum)) { k++; term *= -x * x / k; sum += term / (2 * k + 1); }
      return 1 - 2 / Math.sqrt(Math.PI) * sum;
    }
    var f = 0;  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
    for (var n = 120; n >= 1; n--) { f = (n / 2) / (x + f); }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
  }
  function sigmoid(a) { if (a >= 0) { return 1 / (1 + Math.exp(-a)); } var e = Math.exp(a); return e / (1 + e); }
  function setting(op, fallback) { var m = /\(([^)]*)\)$/.exec(op); return m ? parseFloat(m[1]) : fallback; }
  function shifted(xs) {
    var m = Math.max.apply(null, xs), e = xs.map(function (x) { return Math.exp(x - m); });
    return { m: m, e: e, total: fsum(e) };
  }
  // [value, [∂out/∂parent, …]] for a node of op `op` whose parents hold the numbers `v`
  function compute(node, v) {
    var op = node.o, name = op.replace(/\(.*\)$/, ""), a = v[0], b = v[1];
    if (op.slice(0, 2) === "**" && op.length > 2) {
      var n = parseFloat(op.slice(2));
      return [Math.pow(a, n), [n === 0 ? 0 : n === 1 ? 1 : n * Math.pow(a, n - 1)]];
    }
    switch (name) {
      case "+": return [a + b, [1, 1]];
      case "-": return [a - b, [1, -1]];
      case "*": return [a * b, [b, a]];
      case "/": return [a / b, [1 / b, -(a / b) / b]];
      case "neg": return [-a, [-1]];
      case "**": if (a === 0) { return [0, [b === 1 ? 1 : 0, 0]]; }
                 var p = Math.pow(a, b); return [p, [b * Math.pow(a, b - 1), p * Math.log(a)]];
      case "abs": return a > 0 ? [a, [1]] : [-a, [a < 0 ? -1 : 0]];
      case "exp": var e = Math.exp(a); return [e, [e]];
      case "log": return [Math.log(a), [1 / a]];
      case "tanh": var t = Math.tanh(a); return [t, [1 - t * t]];
      case "sigmoid": var s = sigmoid(a); return [s, [s * (1 - s)]];
      case "softplus": return [Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))), [sigmoid(a)]];
      case "relu": return a > 0 ? [a, [1]] : [0, [0]];
      case "leaky_relu": var k = setting(op, 0.01); return a > 0 ? [a, [1]] : [k * a, [k]];
      case "elu": var al = setting(op, 1); if (a > 0) { return [a, [1]]; }
                  var ea = Math.exp(a); return [al * (ea - 1), [al * ea]];
      case "gelu": var cdf = 0.5 * erfc(-a / SQRT2), pdf = Math.exp(-0.5 * a * a) / SQRT_2PI;
                   return [a * cdf, [cdf + a * pdf]];
      case "\u03a6": return [0.5 * erfc(-a / SQRT2), [Math.exp(-0.5 * a * a) / SQRT_2PI]];
      case "sum": return [fsum(v), v.map(function () { return 1; })];
      case "mean": var m = fsum(v) / v.length;
                   if (!isFinite(m)) { m = fsum(v.map(function (x) { return x / v.length; })); }
                   return [m, v.map(function () { return 1 / v.length; })];
      case "dot": var terms = [], locals = [];
                  for (var i = 0; i + 1 < v.length; i += 2) { terms.push(v[i] * v[i + 1]); locals.push(v[i + 1], v[i]); }
                  if (v.length % 2) { terms.push(v[v.length - 1]); locals.push(1); }
                  return [fsum(terms), locals];
      case "logsumexp": var sh = shifted(v);
                        return [sh.m + Math.log(sh.total), sh.e.map(function (x) { return x / sh.total; })];
      case "softmax": var sx = shifted(v), probs = sx.e.map(function (x) { return x / sx.total; }), pi = probs[node.i];
                      return [pi, probs.map(function (q, j) { return pi * ((j === node.i ? 1 : 0) - q); })];
    }
    throw new Error("no what-if rule for the operation " + op);
  }
  function evaluate(values) {  // the forward pass from the leaves' numbers; then backward
    var out = values.slice(), locals = [];
    program.forEach(function (node, i) {
      if (!node.p.length) { locals.push([]); return; }
      var r = compute(node, node.p.map(function (j) { return out[j]; }));
      out[i] = r[0]; locals.push(r[1]);
    });
    var grad = program.map(function () { return 0; });
    grad[program.length - 1] = 1;
    for (var i = program.length - 1; i >= 0; i--) {
      program[i].p.forEach(function (j, k) { grad[j] += locals[i][k] * grad[i]; });
    }
    var finite = out.concat(grad).every(isFinite) && locals.every(function (l) { return l.every(isFinite); });
    return { data: out, grad: grad, locals: locals, finite: finite };
  }
  function fmt(x) {  // 4 significant figures, as Python's "{:.4g}"
    if (x === 0) { return "0"; }
    var e = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(4)))));
    if (e < -4 || e >= 4) {
      var parts = x.toExponential(3).split("e"), mant = parts[0].replace(/\.?0+$/, ""), exp = parseInt(parts[1], 10);
      return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return x.toFixed(Math.max(0, 3 - e)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }
  var original = program.map(function (n) { return n.d; }), whatIfOn = false, chosen = null, labelsAtStart = {};
  function editable(i) { return program[i] && !program[i].p.length && program[i].o !== "const"; }
  function whatIf(i, x) {  // the graph with leaf i set to x: {data, grad, locals, finite}
    var values = original.slice(); values[i] = x;
    return evaluate(values);
  }
  function drawState(state) {
    document.querySelectorAll(".future, .label-future, .current, .changed, .through, .active, .label-active").forEach(
      function (el) { el.classList.remove("future", "label-future", "current", "changed", "through", "active", "label-active"); });
    Object.keys(dataLine).forEach(function (i) { dataLine[i].textContent = "data " + fmt(state.data[i]); });
    data.nodes.forEach(function (i) {
      if (gradLine[i]) { gradLine[i].textContent = "grad " + fmt(state.grad[i]); }
      var g = $("v" + i); if (g) { g.classList.remove("pending"); }
    });
    program.forEach(function (node, c) {
      node.p.forEach(function (j, k) {
        var label = $("e" + c + "_" + k), t = label && label.querySelector("text");
        if (!t) { return; }
        if (!(label.id in labelsAtStart)) { labelsAtStart[label.id] = t.textContent; }
        t.textContent = fmt(state.locals[c][k]);
      });
    });
  }
  function showWhatIf(x) {
    var i = chosen, name = names[i], root = names[program.length - 1], before = evaluate(original);
    var state = whatIf(i, x), text = $("whatif-text");
    if (!state.finite) {
      text.textContent = name + " = " + fmt(x) + " makes an operation undefined or infinite (the engine would refuse it too).";
      return;
    }
    drawState(state);
    var h = 1e-6 * Math.max(1, Math.abs(x)), up = whatIf(i, x + h), down = whatIf(i, x - h);
    var numeric = (up.data[program.length - 1] - down.data[program.length - 1]) / (2 * h);
    text.textContent = root + " = " + fmt(state.data[program.length - 1]) + "   (with " + name + " = " + fmt(original[i]) +
      ": " + fmt(before.data[program.length - 1]) + ")\n" +
      "\u2202" + root + "/\u2202" + name + " = " + fmt(state.grad[i]) + " by backprop, " + fmt(numeric) +
      " by the nudge (f(x + h) \u2212 f(x \u2212 h)) / 2h, h = " + fmt(h) + "\nEvery value, local derivative and grad in the graph is computed again.";
  }
  var names = data.names || [];
  function enterWhatIf(i) {
    stop(); whatIfOn = true; chosen = i;
    $("whatif").hidden = false; formula.hidden = true; summary.hidden = true;
    $("whatif-name").textContent = names[i];
    var input = $("whatif-value"), slider = $("whatif-slider"), x = original[i], span = Math.max(1, Math.abs(x)) * 2;
    input.value = String(x);
    slider.dataset.low = String(x - span); slider.dataset.high = String(x + span); slider.value = "500";
    showWhatIf(x);
  }
  function leaveWhatIf() {
    if (!whatIfOn) { return; }
    whatIfOn = false; $("whatif").hidden = true;
    Object.keys(labelsAtStart).forEach(function (id) { var t = $(id) && $(id).querySelector("text"); if (t) { t.textContent = labelsAtStart[id]; } });
    show(current);
  }
  function markEditable() {  // inputs and parameters take a click (what if?)
    program.forEach(function (node, i) { if (editable(i)) { each(["v" + i], function (el) { el.classList.add("leaf-editable"); }); } });
  }
  function clicked(x, y) {
    var hit = document.elementFromPoint(x, y), node = hit && hit.closest && hit.closest("g.node");
    var m = node && /^v(\d+)$/.exec(node.id);
    if (m && editable(parseInt(m[1], 10))) { enterWhatIf(parseInt(m[1], 10)); }
  }
  $("whatif-value").addEventListener("input", function () {
    var x = parseFloat(this.value); if (isFinite(x)) { showWhatIf(x); }
  });
  $("whatif-slider").addEventListener("input", function () {
    var low = parseFloat(this.dataset.low), high = parseFloat(this.dataset.high);
    var x = low + (high - low) * parseInt(this.value, 10) / 1000;
    $("whatif-value").value = fmt(x); showWhatIf(x);
  });
  $("whatif-back").addEventListener("click", leaveWhatIf);
  window.chainrule = { whatIf: whatIf, enterWhatIf: enterWhatIf, fmt: fmt };  // for tests and the curious

  setUp();
  if (bestLayout() !== shown) { useLayout(bestLayout()); }
  show(0);
})();
</script>
</body>
</html>
"""
