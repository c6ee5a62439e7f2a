/* The graph on a page: the Graphviz drawing, its camera and the numbers written on it.

   chainruleGraph.attach(element, options) takes the element that holds the drawing (its <svg>, and
   <template class="layout">s with other layouts of the same graph) and returns a view:
     layouts  the one whose shape is closest to the element's is shown, again when that changes
     camera   fit (whole graph when it reads at ≥ 12 px, else the narrower way), zoom, pan, follow
              (keep some nodes in view), with buttons #zoom-in/#zoom-out/#zoom-fit, the wheel,
              a drag and a pinch
     lines    each value node v{i} ends with its data line and its grad line (the drawing puts them
              there): view.lines.grad[i], .data[i], .dataAtStart[i]; showNumbers writes a whole
              state (data, grad, local derivatives on the edges), restoreEdgeLabels undoes the edges
   options: nodes (indices of the value nodes), onSetUp() after each layout is put in place,
   onLayoutChange() after the screen's shape picked another layout, onClick(x, y) for a click
   that is not a drag. view.detach() stops it following the window (the playground swaps drawings);
   view.resized() fits it again after its element changed size. Shared by the stepper, the
   training-step page and the playground. */
(function () {
  "use strict";
  // ≥ 1 px per unit: 12-point labels read at 12 px at least; larger when there is room, but a graph
  // that does not fit is not blown up past MAX_FILL (more of it stays in view)
  var READABLE = 1.02, MAX_FIT = 2.2, MAX_FILL = 1.3;
  function byId(id) { return document.getElementById(id); }

  function attach(graph, options) {
    var nodes = options.nodes || [], noop = function () {};
    var onSetUp = options.onSetUp || noop, onLayoutChange = options.onLayoutChange || noop;
    var onClick = options.onClick || noop;
    var svg = graph.querySelector("svg"), shown = 0, full = null, cam = { x: 0, y: 0, s: 1 };
    var lines = { grad: {}, data: {}, dataAtStart: {} }, labelsAtStart = {};

    // Layouts: left-to-right and top-to-bottom when both were made; the one whose shape is closest
    // to the graph area's is shown (a phone held upright gets top-to-bottom), again when that changes.
    var layouts = [svg.outerHTML];
    graph.querySelectorAll("template.layout").forEach(function (t) { layouts.push(t.innerHTML); t.remove(); });
    var shapes = layouts.map(function (markup) {
      var box = /viewBox="([^"]+)"/.exec(markup)[1].split(/\s+/).map(Number);
      return box[2] / box[3];
    });
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
      findLines();
      onSetUp();
      fit();
    }
    function bestLayout() {
      var area = (graph.clientWidth || 1) / (graph.clientHeight || 1), best = 0;
      shapes.forEach(function (a, k) { if (Math.abs(Math.log(a / area)) < Math.abs(Math.log(shapes[best] / area))) { best = k; } });
      return best;
    }

    // The grad line of a value node is the last text of its group, its data line the one before.
    function findLines() {
      lines.grad = {}; lines.data = {};
      nodes.forEach(function (i) {
        var g = byId("v" + i), texts = g ? g.querySelectorAll("text") : [];
        if (texts.length) { lines.grad[i] = texts[texts.length - 1]; }
        if (texts.length > 1) {
          lines.data[i] = texts[texts.length - 2];
          if (!(i in lines.dataAtStart)) { lines.dataAtStart[i] = lines.data[i].textContent; }
        }
      });
    }
    // A whole state on the drawing: every data and grad line, and each edge e{c}_{k}'s label set to
    // the local derivative ∂c/∂(its k-th parent); fmt writes the numbers.
    function showNumbers(state, program, fmt) {
      Object.keys(lines.data).forEach(function (i) { lines.data[i].textContent = "data " + fmt(state.data[i]); });
      nodes.forEach(function (i) { if (lines.grad[i]) { lines.grad[i].textContent = "grad " + fmt(state.grad[i]); } });
      program.forEach(function (node, c) {
        node.p.forEach(function (j, k) {
          var label = byId("e" + c + "_" + k), t = label && label.querySelector("text");
          if (!t) { return; }
          if (!(label.id in labelsAtStart)) { labelsAtStart[label.id] = t.textContent; }
          t.textContent = fmt(state.locals[c][k]);
        });
      });
    }
    function restoreEdgeLabels() {
      Object.keys(labelsAtStart).forEach(function (id) {
        var t = byId(id) && byId(id).querySelector("text");
        if (t) { t.textContent = labelsAtStart[id]; }
      });
    }

    // -- the camera: the SVG's viewBox is the part of the drawing in view, at scale cam.s px per unit
    function apply() {
      var W = graph.clientWidth || 1, H = graph.clientHeight || 1;
      svg.setAttribute("viewBox", [cam.x, cam.y, W / cam.s, H / cam.s].join(" "));
    }
    // the zoom buttons sit over the graph's right edge: a fitted graph keeps clear of them
    function room() {
      var buttons = byId("zoom"), aside = buttons && !buttons.hidden ? buttons.offsetWidth + 12 : 0;
      return { W: Math.max(1, (graph.clientWidth || 1) - aside), H: graph.clientHeight || 1 };
    }
    // the whole graph in view whatever the size of its text (an overview; ⤢ and the key 0)
    function fitAll() {
      var r = room();
      cam.s = Math.min(MAX_FIT, Math.min(r.W / full.w, r.H / full.h) * 0.96);
      cam.x = full.x + (full.w - r.W / cam.s) / 2;
      cam.y = full.y + (full.h - r.H / cam.s) / 2;
      apply();
    }
    function fit() {
      var r = room(), W = r.W, H = r.H;
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
    // Keep the elements `ids` in view: pan (never zoom) when one is outside. When they do not fit
    // together at a readable size, the last ones come first (a step's edge and the parent it changes).
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
    // A step drawn on the graph (the stepper's frames and the training step's: "f" forward, "u" update,
    // else backward): clearMarks takes the last one's marks off, light puts this one's on and follows it.
    var MARKS = ["current", "changed", "through", "active", "label-active", "final", "pending"];
    function clearMarks() {
      graph.querySelectorAll("." + MARKS.join(", .")).forEach(function (el) { el.classList.remove.apply(el.classList, MARKS); });
    }
    function light(frame) {
      var mark = function (id, cls) { var el = document.getElementById(id); if (el) { el.classList.add(cls); } };
      if (frame.k === "f" || frame.k === "u") {  // forward: the value just computed; update: the parameter just moved
        mark("v" + frame.n, frame.k === "u" ? "changed" : "current");
        if (frame.k === "f") { mark("o" + frame.n, "through"); }
        follow(["v" + frame.n]);
        return;
      }
      mark("v" + frame.c, "current");  // backward: the child, and along edge e the operation and the parent it changes
      if (frame.e) {
        mark("v" + frame.p, "changed"); mark("o" + frame.c, "through");
        mark(frame.e + "_a", "active"); mark(frame.e + "_b", "active"); mark(frame.e, "label-active");
      }
      // the child, the operation, the edge and the parent; the last two first when not all fit
      follow(frame.e ? ["v" + frame.c, "o" + frame.c, frame.e, "v" + frame.p] : ["v" + frame.c]);
    }
    function bounds(ids) {
      var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
      ids.forEach(function (id) {
        var el = byId(id); if (!el) { return; }
        var q = el.getBoundingClientRect();
        l = Math.min(l, q.left); t = Math.min(t, q.top); r = Math.max(r, q.right); b = Math.max(b, q.bottom);
      });
      return l === Infinity ? null : { l: l, t: t, r: r, b: b };
    }

    // -- zoom buttons, wheel, drag, pinch, click, a turned screen
    [["zoom-in", function () { zoom(1.25); }], ["zoom-out", function () { zoom(0.8); }], ["zoom-fit", fitAll]].forEach(
      function (pair) { var button = byId(pair[0]); if (button) { button.addEventListener("click", pair[1]); } });
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
    graph.addEventListener("pointerup", function (ev) {  // a click, not a drag
      var p = pointers[ev.pointerId];
      if (p && Math.hypot(ev.clientX - p.x0, ev.clientY - p.y0) < 5) { onClick(ev.clientX, ev.clientY); }
    });
    graph.addEventListener("pointerup", release);
    graph.addEventListener("pointercancel", release);
    function resized() {
      var best = bestLayout();
      if (best !== shown) { useLayout(best); onLayoutChange(); } else { apply(); }
    }
    window.addEventListener("resize", resized);

    setUp();
    if (bestLayout() !== shown) { useLayout(bestLayout()); }
    // detach: stop following the window's size (a page that swaps drawings attaches the next one)
    function detach() { window.removeEventListener("resize", resized); }
    return { lines: lines, fit: fit, fitAll: fitAll, zoom: zoom, pan: pan, follow: follow, showNumbers: showNumbers,
             restoreEdgeLabels: restoreEdgeLabels, resized: resized, detach: detach, clearMarks: clearMarks, light: light };
  }

  window.chainruleGraph = { attach: attach };
})();
