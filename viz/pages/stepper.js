/* The stepper's controls: frames one at a time (buttons, scrubber, play, keys) and the what-if panel.

   Reads the page's data (<script id="frames">): frames (backward's updates; on a training-step page
   also forward's values and the optimizer's updates), nodes, leaves, program, names. Draws with
   chainruleGraph (graph.js) and computes what-ifs with chainruleOps (ops.js). The stepper and the
   training-step page run this same file. */
(function () {
  "use strict";
  var ops = window.chainruleOps, fmt = ops.fmt;
  var data = JSON.parse(document.getElementById("frames").textContent);
  var frames = data.frames, last = frames.length + 1, current = 0, timer = null, view = null;
  var $ = function (id) { return document.getElementById(id); };
  document.body.classList.add("js");
  ["controls", "hint", "legend", "zoom", "formula"].forEach(function (id) { $(id).hidden = false; });
  var scrub = $("scrubber"), counter = $("counter"), formula = $("formula"), summary = $("summary");
  var play = $("play"), graph = $("graph");
  scrub.max = String(last);

  var unknown = {};  // values the forward frames compute: "data —" until their frame
  (data.unknown || []).forEach(function (i) { unknown[i] = true; });
  var stepped = {};
  // an edge into a constant has no frame of its own: it is passed with the first frame of its node ("q")
  frames.forEach(function (f) { if (f.e) { stepped[f.e] = true; } (f.q || []).forEach(function (e) { stepped[e] = true; }); });
  function each(ids, fn) { ids.forEach(function (id) { var el = $(id); if (el) { fn(el); } }); }
  function edgeParts(e) { return [e + "_a", e + "_b"]; }

  // Frame k: frames before it have run (grads set, values computed), frame k is lit.
  function show(k) {
    current = Math.max(0, Math.min(last, k));
    var grads = {}, passed = {}, values = {}, lines = view.lines;
    for (var i = 0; i < current && i < frames.length; i++) {
      if (frames[i].k) { values[frames[i].n] = frames[i].d; continue; }  // a forward or update frame
      grads[frames[i].p] = frames[i].a;
      if (frames[i].e) { passed[frames[i].e] = true; }
      (frames[i].q || []).forEach(function (e) { passed[e] = true; });
    }
    var frame = current >= 1 && current <= frames.length ? frames[current - 1] : null;
    view.clearMarks();
    Object.keys(lines.data).forEach(function (i) {
      if (i in values) { lines.data[i].textContent = "data " + values[i]; }
      else { lines.data[i].textContent = unknown[i] ? "data \u2014" : lines.dataAtStart[i]; }
    });
    data.nodes.forEach(function (i) {
      var t = lines.grad[i], g = $("v" + i);
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
    if (frame) { view.light(frame); }
    formula.hidden = current === last;
    summary.hidden = current !== last;
    moreBelow(current === last);
    formula.textContent = frame ? frame.t : data.forward;
    counter.textContent = current === 0 ? "forward" : current === last ? "done" : current + " / " + frames.length;
    scrub.value = String(current);
  }

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
                 "+": function () { view.zoom(1.25); }, "=": function () { view.zoom(1.25); },
                 "-": function () { view.zoom(0.8); }, "0": function () { view.fitAll(); } };
    if (ev.key === " " && !ev.target.closest("button, input")) { toggle(); ev.preventDefault(); return; }
    if (keys[ev.key] && !(ev.target.type === "range" && ev.key.indexOf("Arrow") === 0)) {
      keys[ev.key](); ev.preventDefault();
    }
  });

  // -- What if? Click an input or a parameter and give it another number: the page computes the
  // graph again with the engine's own operations (ops.js), then backward, and a central difference
  // (f(x + h) − f(x − h)) / 2h beside the gradient backward gives. Where Python's engine would refuse
  // the new number, or the field holds no finite number, the page says so and the graph keeps the
  // last number that worked, named beside the field.
  var program = data.program || [], names = data.names || [], root = program.length - 1;
  // a summary taller than the panel: a note at the panel's foot says there is more below
  var panel = $("panel"), more = document.createElement("div");
  more.id = "more"; more.hidden = true; panel.appendChild(more);
  function moreBelow(atSummary) {
    var rows = summary.querySelectorAll("tbody tr").length;
    more.hidden = !atSummary || panel.scrollHeight <= panel.clientHeight + 2;
    more.textContent = "↓ scroll for all " + rows + " rows";
  }
  panel.addEventListener("scroll", function () {
    if (panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 2) { more.hidden = true; }
  });
  // inside a notebook's frame the keys reach the page only once it has focus: say so until it has
  var framed = window.self !== window.top;
  function focusNote() { $("focus-note").hidden = !framed || document.hasFocus(); }
  window.addEventListener("focus", focusNote);
  window.addEventListener("blur", focusNote);
  focusNote();
  var original = program.map(function (n) { return n.d; }), whatIfOn = false, chosen = null;
  var drawn = null;  // the what-if the graph shows: {x, text}
  function editable(i) { return program[i] && !program[i].p.length && program[i].o !== "const"; }
  function whatIf(i, x) {  // the graph with leaf i set to x: {data, grad, locals, finite, problem}
    var values = original.slice(); values[i] = x;
    return ops.evaluate(program, values);
  }
  function drawState(state) {
    document.querySelectorAll(".future, .label-future, .current, .changed, .through, .active, .label-active").forEach(
      function (el) { el.classList.remove("future", "label-future", "current", "changed", "through", "active", "label-active"); });
    view.showNumbers(state, program, fmt);
    data.nodes.forEach(function (i) { var g = $("v" + i); if (g) { g.classList.remove("pending"); } });
  }
  function showWhatIf(x) {
    var i = chosen, name = names[i], top = names[root], state = whatIf(i, x);
    if (state.problem) {
      refuse("With " + name + " = " + fmt(x) + ", " + problemText(state),
             state.problem.kind === "OverflowError" ? "too large here" : "undefined here");
      return;
    }
    drawState(state);
    var h = 1e-6 * Math.max(1, Math.abs(x)), up = whatIf(i, x + h), down = whatIf(i, x - h);
    var nudge = up.problem || down.problem
      ? "the nudge (f(x + h) \u2212 f(x \u2212 h)) / 2h is undefined: so is the graph at " + name + " \u00b1 h, h = " + fmt(h)
      : fmt((up.data[root] - down.data[root]) / (2 * h)) + " by the nudge (f(x + h) \u2212 f(x \u2212 h)) / 2h, h = " + fmt(h);
    var text = (data.step ? "From the step's start (every parameter as it was before the update):\n" : "") +
      top + " = " + fmt(state.data[root]) + "   (with " + name + " = " + fmt(original[i]) +
      ": " + fmt(original[root]) + ")\n" +
      "\u2202" + top + "/\u2202" + name + " = " + fmt(state.grad[i]) + " by backprop, " + nudge +
      "\nEvery value, local derivative and grad in the graph is computed again." + stepAgain(state);
    drawn = { x: x, text: text };
    mark(null);
    $("whatif-text").textContent = text;
  }
  // On the training-step page: the update and the new loss from the edited numbers, with the
  // optimizer's own rule (trainer.js, as nn/optim.py writes it) and its state before this step.
  function stepAgain(state) {
    var step = data.step;
    if (!step || !window.chainruleTrainer) { return ""; }
    var theta = step.parameters.map(function (j) { return state.data[j]; });
    var g = step.parameters.map(function (j) { return state.grad[j]; });
    var next;
    try { next = window.chainruleTrainer.optimizerStep(step.optimizer, theta, g).theta; } catch (e) {
      return "\nThe update from there: " + e.message + ".";
    }
    var moved = step.parameters.map(function (j, k) { return names[j] + " " + fmt(theta[k]) + " \u2192 " + fmt(next[k]); });
    var values = state.data.slice();
    step.parameters.forEach(function (j, k) { values[j] = next[k]; });
    var after = ops.evaluate(program, values);
    var loss = after.problem ? "cannot be computed: " + problemText(after) : fmt(after.data[root]);
    return "\nThe update from there (" + step.optimizer.kind + "): " + moved.join(", ") +
           "\nand after it, " + names[root] + " = " + loss;
  }
  // Where Python's engine would refuse: the operation, its node and operands, and the exception.
  function problemText(state) {
    var p = state.problem;
    if (p.op === "backward") {
      return "backward overflows: the gradient of " + names[p.node] + " is beyond the largest float. " +
             "Python's engine refuses it too (" + p.kind + ").";
    }
    var parents = program[p.node].p, operands = parents.slice(0, 4).map(function (j) {
      return names[j] + " = " + fmt(state.data[j]);
    }).join(", ") + (parents.length > 4 ? ", \u2026" : "");
    return p.title + " at " + names[p.node] + (p.kind === "OverflowError" ? " cannot be computed" : " is undefined") +
           " for " + operands + ": it " + p.reason + ". Python's engine refuses it too (" + p.kind + ").";
  }
  // The field's number is not used: say why beside it, and which number the graph still shows.
  function refuse(why, short) {
    mark(short);
    $("whatif-text").textContent = why + "\n" + (drawn ? "The graph still shows " + shownValue() + ":\n" + drawn.text
                                                        : "The graph still shows the values Python computed.");
  }
  function shownValue() { return names[chosen] + " = " + (drawn ? fmt(drawn.x) : fmt(original[chosen])); }
  function mark(problem) {  // beside the field: nothing, or what is wrong with its number
    var input = $("whatif-value"), status = $("whatif-status");
    status.textContent = problem ? "\u26a0 " + problem + "; the graph shows " + shownValue() : "";
    if (problem) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  // The field's number when it is a finite one, else null: empty, unfinished ("1e"), or beyond the
  // largest float ("1e400", which a browser may also hand over as "" with validity.badInput)
  function fieldNumber(input) {
    if (input.validity && input.validity.badInput) { return null; }
    var text = input.value.trim(), x = text === "" ? NaN : Number(text);
    return isFinite(x) ? x : null;
  }
  function empty(input) { return input.value.trim() === "" && !(input.validity && input.validity.badInput); }
  function enterWhatIf(i) {
    stop(); whatIfOn = true; chosen = i; drawn = null;
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
    view.restoreEdgeLabels();
    show(current);
  }
  function markEditable() {  // inputs and parameters take a click, or Tab and Enter (what if?)
    program.forEach(function (node, i) {
      if (!editable(i)) { return; }
      each(["v" + i], function (el) {
        el.classList.add("leaf-editable");
        el.setAttribute("tabindex", "0"); el.setAttribute("role", "button");
        el.setAttribute("aria-label", "what if " + names[i] + " were another number?");
        el.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); enterWhatIf(i); }
        });
      });
    });
  }
  function clicked(x, y) {
    var hit = document.elementFromPoint(x, y), node = hit && hit.closest && hit.closest("g.node");
    var m = node && /^v(\d+)$/.exec(node.id);
    if (m && editable(parseInt(m[1], 10))) { enterWhatIf(parseInt(m[1], 10)); }
  }
  $("whatif-value").addEventListener("input", function () {
    var x = fieldNumber(this);
    if (x !== null) { showWhatIf(x); }
    else if (empty(this)) { refuse("The field is empty: type a number.", "no number"); }
    else {
      refuse("The field does not hold a finite number: it is unfinished (such as 1e) or beyond the largest " +
             "float (about 1.8e308).", "not a finite number");
    }
  });
  $("whatif-slider").addEventListener("input", function () {
    var low = parseFloat(this.dataset.low), high = parseFloat(this.dataset.high);
    var x = low + (high - low) * parseInt(this.value, 10) / 1000;
    $("whatif-value").value = fmt(x); showWhatIf(x);
  });
  $("whatif-back").addEventListener("click", leaveWhatIf);
  window.chainrule = { whatIf: whatIf, enterWhatIf: enterWhatIf, fmt: fmt };  // for tests and the curious

  view = window.chainruleGraph.attach(graph, { nodes: data.nodes, onSetUp: markEditable, onClick: clicked,
                                               onLayoutChange: function () { show(current); } });
  show(0);
})();
