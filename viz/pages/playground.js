/* The playground page: a network learning in front of you.

   Reads the page's data (<script id="data">): problems (the data from Python, and three spiral
   arms), each with its trainer specification (chainruleTrainer.create's), validation data, the
   labels a point can have, and one sample's graph laid out in Python. Trains with trainer.js (fit's
   numbers), recomputes the sample's graph with ops.js (the engine's operations), draws it with
   graph.js. What it shows, redrawn after every step while it plays:
     the plane      the data (validation points hollow) over the model's decision, 100×100 cells
     the curves     the training loss History.loss records (and the validation loss), log scale;
                    the mean |∂L/∂w| of each layer at every step (the vanishing-gradient picture)
     the network    neurons, and each weight as an edge: width |value|, colour its sign; or the
                    gradients, or the last updates
     the sample     one sample's computation graph with data and grad on every node
   window.playground is the page's API (docs/playground.md). */
(function () {
  "use strict";
  var ops = window.chainruleOps, T = window.chainruleTrainer, fmt = ops.fmt;
  var data = JSON.parse(document.getElementById("data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var SVG = "http://www.w3.org/2000/svg";
  // Okabe–Ito, as viz.plots: class i in PALETTE[i]; an edge's sign in blue (+) and vermillion (−)
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
  var POSITIVE = "#0072B2", NEGATIVE = "#D55E00", ZERO = "#999999";
  var LAYER_COLOURS = ["#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#56B4E9", "#000000"];
  var GRID = 100;  // cells per side of the decision's heatmap
  var SYMBOLS = { sigmoid: "\u03c3", tanh: "tanh", relu: "ReLU", leaky_relu: "LReLU", elu: "elu", gelu: "gelu" };
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.body.classList.add("js");
  ["controls", "settings", "panels"].forEach(function (id) { $(id).hidden = false; });

  // -- state -----------------------------------------------------------------------------------------
  var S = {
    key: null, problem: null, trainer: null, points: [], validation: null, labels: [], kind: "binary",
    chosenClass: 0, sample: { point: 0 }, view: "weights", playing: false, speed: 60, frames: 0,
    lossSteps: [], valLosses: [], gradSteps: [], gradSeries: [], reinitSeed: 1, message: "", pythonSizes: null,
    optimizerSettings: {}, owed: 0, last: 0
  };

  function problemSpec() { return S.problem.trainer; }
  function outputs() { return S.trainer.sizes[S.trainer.sizes.length - 1]; }

  // -- problems and trainers -------------------------------------------------------------------------
  function loadProblem(key) {
    S.key = key;
    S.problem = data.problems[key];
    var spec = problemSpec();
    S.points = spec.X.map(function (x, i) { return [x[0], x[1], spec.y[i]]; });
    S.validation = S.problem.validation;
    S.labels = S.problem.labels;
    S.kind = spec.loss === "cross_entropy" || spec.loss === "nll" ? "classes" : "binary";
    S.chosenClass = S.labels[S.labels.length - 1];
    S.pythonSizes = spec.sizes.slice();
    S.optimizerSettings = {};
    S.optimizerSettings[settingKey(spec.optimizer)] = spec.optimizer;
    S.sample = { point: 0 };
    domain();
    startTrainer(spec.parameters, spec.sizes, spec.optimizer, spec.activation, spec.l2);
    classButtons();
    $("problem").textContent = key === "given" ? "three classes" : "the data from Python";
    $("plane-title").textContent = "Data and decision: " + S.problem.name;
    $("problem").title = key === "given" ? "three spiral arms, softmax + cross-entropy (weights drawn in Python)"
                                         : "back to " + data.problems.given.name;
  }
  function settingKey(o) {
    if (o.kind !== "sgd") { return o.kind; }
    return !o.momentum ? "sgd" : o.nesterov ? "nesterov" : "momentum";
  }
  // A new trainer from these weights and sizes, on the points as they are now; the curves start again.
  function startTrainer(theta, sizes, optimizer, activation, l2) {
    var spec = problemSpec();
    var pythonOptimizer = sizes.join() === S.pythonSizes.join() && theta === spec.parameters;
    S.trainer = T.create({
      sizes: sizes, activation: activation, output: spec.output, loss: spec.loss, parameters: theta,
      optimizer: pythonOptimizer ? optimizer : withoutState(optimizer), l2: l2, batchSize: spec.batchSize,
      seed: spec.seed, X: S.points.map(function (p) { return [p[0], p[1]]; }), y: S.points.map(function (p) { return p[2]; })
    });
    S.lossSteps = []; S.valLosses = []; S.gradSteps = []; S.gradSeries = []; S.message = "";
    networkDiagram();
    settingsShown();
    sampleGraph();
    redraw();
  }
  function withoutState(o) {
    var copy = {};
    Object.keys(o).forEach(function (k) { if (k !== "state" && k !== "steps") { copy[k] = o[k]; } });
    return copy;
  }
  function currentOptimizer() {
    var o = S.trainer.optimizer, spec = { kind: o.kind, lr: o.lr, weight_decay: o.weight_decay };
    ["momentum", "nesterov", "rho", "eps", "beta1", "beta2"].forEach(function (k) { if (k in o) { spec[k] = o[k]; } });
    return spec;
  }
  function pointsChanged() {
    S.trainer.setData(S.points.map(function (p) { return [p[0], p[1]]; }), S.points.map(function (p) { return p[2]; }));
  }

  // -- one training step, and what each epoch records -------------------------------------------------
  function trainSteps(n) {
    if (n > 0) { stepOut(); }
    for (var k = 0; k < n; k++) {
      var before = S.trainer.losses.length;
      try {
        S.trainer.step();
      } catch (error) {
        if (!(error instanceof T.Divergence)) { throw error; }
        pause();
        S.message = "Training stopped at step " + (S.trainer.steps + 1) + ": " + error.message + ". Lower the learning " +
                    "rate (try " + fmt(S.trainer.optimizer.lr / 10) + "), then press \u201cweights from Python\u201d or \u201creinitialise\u201d.";
        return false;
      }
      var grads = S.trainer.meanAbsWeightGradients();  // of the gradient this step applied
      grads.forEach(function (g, l) { (S.gradSeries[l] = S.gradSeries[l] || []).push(g); });
      S.gradSteps.push(S.trainer.steps);
      if (S.trainer.losses.length > before) {  // an epoch ended: History.loss, and val_loss
        S.lossSteps.push(S.trainer.steps);
        if (S.validation) { S.valLosses.push(S.trainer.evaluate(S.validation.X, S.validation.y).loss); }
      }
    }
    return true;
  }

  // -- the plane: data and decision --------------------------------------------------------------------
  var plane = { canvas: $("plane"), ctx: $("plane").getContext("2d"), cells: document.createElement("canvas"),
                grid: null, size: 0, dpr: 1, x0: 0, x1: 1, y0: 0, y1: 1, values: null, image: null, scratch: [] };
  plane.cells.width = plane.cells.height = GRID;
  function domain() {  // a square around every point, with a margin; fixed while the page trains
    var all = S.points.concat(S.validation ? S.validation.X : []), lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    all.forEach(function (p) { for (var i = 0; i < 2; i++) { lo[i] = Math.min(lo[i], p[i]); hi[i] = Math.max(hi[i], p[i]); } });
    if (!all.length) { lo = [-1, -1]; hi = [1, 1]; }
    var span = Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-9) * 1.2, cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
    plane.x0 = cx - span / 2; plane.x1 = cx + span / 2; plane.y0 = cy - span / 2; plane.y1 = cy + span / 2;
    plane.grid = new Float64Array(GRID * GRID * 2);
    for (var r = 0; r < GRID; r++) {
      for (var c = 0; c < GRID; c++) {
        plane.grid[2 * (r * GRID + c)] = plane.x0 + (c + 0.5) / GRID * span;
        plane.grid[2 * (r * GRID + c) + 1] = plane.y1 - (r + 0.5) / GRID * span;
      }
    }
  }
  function toScreen(x, y) {
    return [(x - plane.x0) / (plane.x1 - plane.x0) * plane.size, (plane.y1 - y) / (plane.y1 - plane.y0) * plane.size];
  }
  function fromScreen(px, py) {
    return [plane.x0 + px / plane.size * (plane.x1 - plane.x0), plane.y1 - py / plane.size * (plane.y1 - plane.y0)];
  }
  // The decision at outputs row r: binary, P(class labels[1]); classes, [most likely class, its probability]
  function probabilityOf(O, r, k) {
    var spec = problemSpec(), o = O[r * k];
    if (spec.output === "sigmoid") { return o; }
    if (spec.loss === "bce_logits") { return ops.sigmoid(o); }
    var lo = S.labels[0], hi = S.labels[S.labels.length - 1];
    return Math.min(1, Math.max(0, (o - lo) / (hi - lo)));
  }
  // [the most likely class, its probability] at outputs row r; with `margins`, each class c's margin
  // p_c − max_{j≠c} p_j goes to margins[c·cells + r] (its region is where that is > 0)
  function classOf(O, r, k, margins, cells) {
    var best = 0, m = O[r * k], total = 0, j, p = [];
    for (j = 1; j < k; j++) { if (O[r * k + j] > O[r * k + best]) { best = j; } m = Math.max(m, O[r * k + j]); }
    if (problemSpec().output === "softmax") { for (j = 0; j < k; j++) { p.push(O[r * k + j]); } } else {
      for (j = 0; j < k; j++) { p.push(Math.exp(O[r * k + j] - m)); total += p[j]; }
      for (j = 0; j < k; j++) { p[j] /= total; }  // softmax of scores
    }
    if (margins) {
      for (var c = 0; c < k; c++) {
        var other = -Infinity;
        for (j = 0; j < k; j++) { if (j !== c && p[j] > other) { other = p[j]; } }
        margins[c * cells + r] = p[c] - other;
      }
    }
    return [best, p[best]];
  }
  function rgb(hex) { return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)]; }
  var RGB = PALETTE.map(rgb);
  function drawPlane() {
    var box = $("plane-box").getBoundingClientRect(), size = Math.max(10, Math.floor(Math.min(box.width, box.height || box.width)));
    var dpr = window.devicePixelRatio || 1, canvas = plane.canvas, ctx = plane.ctx;
    if (plane.size !== size || plane.dpr !== dpr) {
      plane.size = size; plane.dpr = dpr;
      canvas.width = Math.round(size * dpr); canvas.height = Math.round(size * dpr);
    }
    var k = outputs(), O = S.trainer.predictFlat(plane.grid, GRID * GRID, plane.scratch), cells = plane.cells.getContext("2d");
    if (!plane.image) { plane.image = cells.createImageData(GRID, GRID); plane.values = new Float64Array(GRID * GRID); }
    if (S.kind === "classes" && (!plane.margins || plane.margins.length !== k * GRID * GRID)) { plane.margins = new Float64Array(k * GRID * GRID); }
    var image = plane.image, px = image.data, values = plane.values;
    for (var q = 0; q < GRID * GRID; q++) {
      var colour, depth;
      if (S.kind === "binary") {
        var p = probabilityOf(O, q, k), t = 2 * p - 1;
        values[q] = p;
        colour = RGB[t > 0 ? 1 : 0]; depth = Math.min(1, Math.abs(t)) * 0.7;
      } else {
        var cp = classOf(O, q, k, plane.margins, GRID * GRID);
        values[q] = cp[0];
        colour = RGB[cp[0] % RGB.length]; depth = Math.max(0, (cp[1] - 1 / k) / (1 - 1 / k)) * 0.7;
      }
      px[4 * q] = 255 + (colour[0] - 255) * depth; px[4 * q + 1] = 255 + (colour[1] - 255) * depth;
      px[4 * q + 2] = 255 + (colour[2] - 255) * depth; px[4 * q + 3] = 255;
    }
    cells.putImageData(image, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(plane.cells, 0, 0, size, size);
    boundary(ctx, values, size);
    var radius = size < 300 ? 4 : 5;
    if (S.validation) {
      S.validation.X.forEach(function (x, i) { dot(ctx, x, S.validation.y[i], radius, true); });
    }
    S.points.forEach(function (p) { dot(ctx, p, p[2], radius, false); });
    var chosen = chosenInput();
    if (chosen) {  // the sample whose graph is drawn: a ring
      var at = toScreen(chosen.x[0], chosen.x[1]);  // a dark ring with a white one inside: seen on any colour
      [["#111", 3.5, radius + 5], ["#fff", 1.5, radius + 2.6]].forEach(function (ring) {
        ctx.lineWidth = ring[1]; ctx.strokeStyle = ring[0];
        ctx.beginPath(); ctx.arc(at[0], at[1], ring[2], 0, 2 * Math.PI); ctx.stroke();
      });
      if (chosen.point === null) {
        ctx.lineWidth = 2; ctx.strokeStyle = "#111"; ctx.beginPath(); ctx.moveTo(at[0] - 6, at[1]); ctx.lineTo(at[0] + 6, at[1]);
        ctx.moveTo(at[0], at[1] - 6); ctx.lineTo(at[0], at[1] + 6); ctx.stroke();
      }
    }
    ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  }
  function dot(ctx, x, label, radius, hollow) {
    var at = toScreen(x[0], x[1]), colour = PALETTE[S.labels.indexOf(label) % PALETTE.length] || "#000";
    ctx.beginPath(); ctx.arc(at[0], at[1], radius, 0, 2 * Math.PI);
    if (hollow) { ctx.lineWidth = 2; ctx.strokeStyle = colour; ctx.stroke(); return; }
    ctx.fillStyle = colour; ctx.fill(); ctx.lineWidth = 1; ctx.strokeStyle = "#fff"; ctx.stroke();
  }
  // The decision boundary, by marching squares between the cells' centres: where P crosses 1/2
  // (binary), or where each class's margin p_c − max_{j≠c} p_j crosses 0 (the edge of its region)
  function boundary(ctx, values, size) {
    ctx.strokeStyle = "rgba(0,0,0,.75)"; ctx.lineWidth = 1.5; ctx.beginPath();
    if (S.kind === "binary") { contour(ctx, values, 0, 0.5, size); } else {
      for (var c = 0; c < outputs(); c++) { contour(ctx, plane.margins, c * GRID * GRID, 0, size); }
    }
    ctx.stroke();
  }
  var SIDES = [[0, 1, 0, 0, 1, 0], [1, 3, 1, 0, 1, 1], [2, 3, 0, 1, 1, 1], [0, 2, 0, 0, 0, 1]];  // corners a b d e
  function contour(ctx, field, start, level, size) {
    var cell = size / GRID, half = cell / 2, corner = [0, 0, 0, 0];
    for (var r = 0; r < GRID - 1; r++) {
      for (var c = 0; c < GRID - 1; c++) {
        var at = start + r * GRID + c;
        corner[0] = field[at]; corner[1] = field[at + 1]; corner[2] = field[at + GRID]; corner[3] = field[at + GRID + 1];
        var above = (corner[0] > level) + (corner[1] > level) + (corner[2] > level) + (corner[3] > level);
        if (above === 0 || above === 4) { continue; }
        var n = 0, px = 0, py = 0, x0 = c * cell + half, y0 = r * cell + half;
        for (var k = 0; k < 4; k++) {  // the crossings on the cell's sides, joined in pairs
          var side = SIDES[k], u = corner[side[0]], v = corner[side[1]];
          if ((u > level) === (v > level)) { continue; }
          var t = (level - u) / (v - u), qx = x0 + (side[2] + t * (side[4] - side[2])) * cell, qy = y0 + (side[3] + t * (side[5] - side[3])) * cell;
          if (n % 2 === 0) { px = qx; py = qy; } else { ctx.moveTo(px, py); ctx.lineTo(qx, qy); }
          n++;
        }
      }
    }
  }
  function legend() {
    var el = $("legend"), spec = problemSpec(), parts = [];
    S.labels.forEach(function (label, i) {
      parts.push('<span><span class="swatch" style="background:' + PALETTE[i % PALETTE.length] + '"></span>' + escapeText(labelName(label)) + "</span>");
    });
    if (S.kind === "binary") {
      parts.push('<span>background: P(' + escapeText(labelName(S.labels[S.labels.length - 1])) + ')<span class="ramp" style="background:linear-gradient(90deg,' +
                 PALETTE[0] + ',#fff,' + PALETTE[1] + ')"></span>' + (spec.output === "sigmoid" || spec.loss === "bce_logits" ? "" : " (output scaled)") + "</span>");
    } else {
      parts.push("<span>background: the most likely class; deeper = surer</span>");
    }
    if (S.validation) { parts.push('<span><span class="swatch" style="background:#fff;border:2px solid #555"></span>validation</span>'); }
    parts.push("<span>black line: the decision boundary</span>");
    el.innerHTML = parts.join("");
  }
  function labelName(label) { return S.kind === "classes" ? "class " + label : "label " + fmt(label); }
  function escapeText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function classButtons() {
    var holder = $("classes");
    holder.textContent = "";
    holder.appendChild(document.createTextNode("new points: "));
    S.labels.forEach(function (label, i) {
      var l = document.createElement("label"), input = document.createElement("input");
      input.type = "radio"; input.name = "class"; input.value = String(i); input.checked = label === S.chosenClass;
      input.addEventListener("change", function () { S.chosenClass = label; if (S.sample.input) { S.sample.input.label = label; sampleGraph(); redraw(); } });
      var swatch = document.createElement("span");
      swatch.className = "swatch"; swatch.style.background = PALETTE[i % PALETTE.length];
      l.appendChild(input); l.appendChild(swatch); l.appendChild(document.createTextNode(labelName(label)));
      holder.appendChild(l);
    });
    legend();
  }

  // clicks, shift-clicks and long presses on the plane
  var press = null;
  plane.canvas.addEventListener("pointerdown", function (ev) {
    press = { x: ev.clientX, y: ev.clientY, shift: ev.shiftKey, timer: null, done: false };
    if (ev.pointerType === "touch") {
      press.timer = setTimeout(function () { if (press) { press.done = true; removeNear(ev.clientX, ev.clientY, 24); } }, 550);
    }
  });
  plane.canvas.addEventListener("pointermove", function (ev) {
    if (press && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) > 8 && press.timer) { clearTimeout(press.timer); press.timer = null; }
  });
  plane.canvas.addEventListener("pointerup", function (ev) {
    var p = press; press = null;
    if (!p) { return; }
    if (p.timer) { clearTimeout(p.timer); }
    if (p.done || Math.hypot(ev.clientX - p.x, ev.clientY - p.y) > 8) { return; }
    if (p.shift || ev.shiftKey) { removeNear(ev.clientX, ev.clientY, 14); return; }
    var q = plane.canvas.getBoundingClientRect(), x = fromScreen(ev.clientX - q.left, ev.clientY - q.top);
    var near = nearestPoint(ev.clientX - q.left, ev.clientY - q.top, 10);
    if (near !== null) { choose({ point: near }); return; }
    if ($("mode").value === "add") { addPoint(x[0], x[1], S.chosenClass); choose({ point: S.points.length - 1 }); } else {
      choose({ input: { x: x, label: S.chosenClass } });
    }
  });
  plane.canvas.addEventListener("pointercancel", function () { if (press && press.timer) { clearTimeout(press.timer); } press = null; });
  plane.canvas.addEventListener("contextmenu", function (ev) { ev.preventDefault(); });
  function nearestPoint(px, py, within) {
    var best = null, bestD = within;
    S.points.forEach(function (p, i) {
      var at = toScreen(p[0], p[1]), d = Math.hypot(at[0] - px, at[1] - py);
      if (d <= bestD) { best = i; bestD = d; }
    });
    return best;
  }
  function removeNear(clientX, clientY, within) {
    var q = plane.canvas.getBoundingClientRect(), i = nearestPoint(clientX - q.left, clientY - q.top, within);
    if (i === null) { say("No point there to remove: shift-click (or press long) on a point.", true); return; }
    removePoint(i);
  }
  function addPoint(x1, x2, label) {
    if (!isFinite(x1) || !isFinite(x2)) { throw new RangeError("addPoint: x1 and x2 must be finite numbers"); }
    if (S.labels.indexOf(label) < 0) {
      throw new RangeError("addPoint: the label must be one of " + S.labels.join(", ") + ", got " + label);
    }
    if (S.points.length + (S.validation ? S.validation.X.length : 0) >= data.limits.points) {
      say("The page trains on at most " + data.limits.points + " points; remove some first.", false);
      return false;
    }
    S.points.push([x1, x2, label]);
    pointsChanged();
    say("Point " + (S.points.length - 1) + " added at (" + fmt(x1) + ", " + fmt(x2) + "), " + labelName(label) + ": training goes on with it.", true);
    redraw();
    return true;
  }
  function removePoint(i) {
    if (!(i >= 0 && i < S.points.length)) { throw new RangeError("removePoint: no point " + i + " (there are " + S.points.length + ")"); }
    if (S.points.length === 1) { say("The last point stays: training needs at least one.", false); return false; }
    var gone = S.points.splice(i, 1)[0];
    pointsChanged();
    if (S.sample.point === i) { S.sample = { point: 0 }; } else if (S.sample.point > i) { S.sample.point -= 1; }
    say("Point removed from (" + fmt(gone[0]) + ", " + fmt(gone[1]) + "): training goes on without it.", true);
    sampleGraph();
    redraw();
    return true;
  }
  function choose(sample) {
    S.sample = sample;
    sampleGraph();
    redraw();
  }
  function chosenInput() {  // {x, label, point (its index, or null)}
    if (S.sample.input) { return { x: S.sample.input.x, label: S.sample.input.label, point: null }; }
    var p = S.points[S.sample.point];
    return p ? { x: [p[0], p[1]], label: p[2], point: S.sample.point } : null;
  }

  // -- the curves ----------------------------------------------------------------------------------------
  function chartSetup(canvas) {
    var box = canvas.parentNode.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    var w = Math.max(50, Math.floor(box.width)), h = Math.max(50, Math.floor(box.height));
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "12px system-ui, sans-serif";
    return { ctx: ctx, w: w, h: h, left: 46, right: 8, top: 8, bottom: 22 };
  }
  // a log-scale chart of series [{steps, values, colour, dashed}] against the step number
  function logChart(canvas, series, empty) {
    var c = chartSetup(canvas), ctx = c.ctx, lo = Infinity, hi = -Infinity, last = 1;
    series.forEach(function (s) {
      s.values.forEach(function (v, i) { if (v > 0 && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } last = Math.max(last, s.steps[i]); });
    });
    var plotW = c.w - c.left - c.right, plotH = c.h - c.top - c.bottom;
    ctx.fillStyle = "#555";
    if (lo === Infinity) { ctx.fillText(empty, c.left, c.top + 16); return; }
    var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    if (b === a) { b = a + 1; }
    var X = function (s) { return c.left + s / last * plotW; }, Y = function (v) { return c.top + (b - Math.log10(v)) / (b - a) * plotH; };
    ctx.strokeStyle = "#e4e4e4"; ctx.lineWidth = 1; ctx.textAlign = "right"; ctx.textBaseline = "middle";
    var every = Math.max(1, Math.ceil((b - a) / Math.max(1, Math.floor(plotH / 18))));
    for (var d = a; d <= b; d += every) {  // decades
      var y = Y(Math.pow(10, d));
      ctx.beginPath(); ctx.moveTo(c.left, y); ctx.lineTo(c.w - c.right, y); ctx.stroke();
      ctx.fillText(d >= -3 && d <= 3 ? fmt(Math.pow(10, d)) : "1e" + d, c.left - 4, y);
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText("step " + last, X(last) - 24, c.h - c.bottom + 5);
    ctx.textAlign = "left"; ctx.fillText("0", c.left, c.h - c.bottom + 5);
    series.forEach(function (s) {
      ctx.strokeStyle = s.colour; ctx.lineWidth = 2; ctx.setLineDash(s.dashed ? [5, 4] : []);
      ctx.beginPath();
      var stride = Math.max(1, Math.floor(s.values.length / (2 * plotW))), started = false;
      for (var i = 0; i < s.values.length; i += stride) {
        var v = s.values[i];
        if (!(v > 0 && isFinite(v))) { started = false; continue; }
        if (started) { ctx.lineTo(X(s.steps[i]), Y(v)); } else { ctx.moveTo(X(s.steps[i]), Y(v)); started = true; }
      }
      ctx.stroke();
    });
    ctx.setLineDash([]);
  }
  function drawCurves() {
    var t = S.trainer, series = [{ steps: S.lossSteps, values: t.losses, colour: "#0072B2" }];
    if (S.validation) { series.push({ steps: S.lossSteps, values: S.valLosses, colour: "#D55E00", dashed: true }); }
    logChart($("loss"), series, "The loss of each epoch appears here: press \u25b6 or step.");
    var text = t.losses.length ? "training loss " + fmt(t.losses[t.losses.length - 1]) + (t.l2 ? " (with \u03bb\u2016\u03b8\u2016\u00b2)" : "") : "no epoch yet";
    if (S.validation && S.valLosses.length) { text += " \u00b7 validation " + fmt(S.valLosses[S.valLosses.length - 1]) + " (dashed)"; }
    var acc = t.losses.length ? t.evaluate().accuracy : null;
    if (acc !== null && acc !== undefined) { text += " \u00b7 accuracy " + Math.round(acc * 1000) / 10 + "%"; }
    $("loss-text").textContent = text;
    var layers = t.net.layers.length, gseries = [];
    for (var l = 0; l < layers; l++) {
      gseries.push({ steps: S.gradSteps, values: S.gradSeries[l] || [], colour: LAYER_COLOURS[l % LAYER_COLOURS.length] });
    }
    logChart($("grads"), gseries, "Each layer's mean |\u2202L/\u2202w| at every step appears here.");
  }
  function gradLegend() {
    var n = S.trainer.net.layers.length, parts = [];
    for (var l = 0; l < n; l++) {
      parts.push('<span><span class="line" style="background:' + LAYER_COLOURS[l % LAYER_COLOURS.length] + '"></span>layer ' + (l + 1) +
                 (l === 0 ? " (first)" : l === n - 1 ? " (output)" : "") + "</span>");
    }
    $("grads-legend").innerHTML = parts.join("");
  }

  // -- the network ------------------------------------------------------------------------------------
  var net = { edges: [], neurons: [], positions: [], svg: $("network"), pinned: null, hover: null };
  function networkDiagram() {
    var svg = net.svg, sizes = S.trainer.sizes, box = $("network-box").getBoundingClientRect();
    var w = Math.max(200, box.width), h = Math.max(120, box.height);
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var columns = sizes.length, mx = 34, my = 14, positions = [];
    sizes.forEach(function (n, l) {
      var x = columns === 1 ? w / 2 : mx + l * (w - 2 * mx) / (columns - 1), col = [];
      for (var j = 0; j < n; j++) { col.push([x, n === 1 ? h / 2 : my + j * (h - 2 * my) / (n - 1)]); }
      positions.push(col);
    });
    var tallest = Math.max.apply(null, sizes), radius = Math.max(3, Math.min(10, (h - 2 * my) / tallest / 2.6));
    net.positions = positions; net.radius = radius;
    var edgesGroup = el("g", {}), neuronsGroup = el("g", {});
    svg.appendChild(edgesGroup); svg.appendChild(neuronsGroup);
    net.edges = []; net.neurons = [];
    S.trainer.net.layers.forEach(function (L, l) {
      for (var j = 0; j < L.nout; j++) {
        for (var i = 0; i < L.nin; i++) {
          var a = positions[l][i], b = positions[l + 1][j];
          var line = el("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], "stroke-linecap": "round" });
          edgesGroup.appendChild(line);
          var weight = L.offset + j * (L.nin + 1) + i;
          net.edges.push({ line: line, index: weight, name: parameterName(weight), a: a, b: b });
        }
        var c = el("circle", { cx: positions[l + 1][j][0], cy: positions[l + 1][j][1], r: radius, stroke: "#333", "stroke-width": 1 });
        neuronsGroup.appendChild(c);
        var bias = L.offset + j * (L.nin + 1) + L.nin;
        net.neurons.push({ circle: c, index: bias, name: parameterName(bias), at: positions[l + 1][j] });
      }
    });
    positions[0].forEach(function (p, i) {
      neuronsGroup.appendChild(el("circle", { cx: p[0], cy: p[1], r: radius, fill: "#eee", stroke: "#333" }));
      var t = el("text", { x: p[0] - radius - 3, y: p[1] + 4, "text-anchor": "end", "font-size": 12, fill: "#333" });
      t.textContent = "x" + (i + 1); neuronsGroup.appendChild(t);
    });
    gradLegend();
  }
  function setAttr(e, name, value) { if (e.getAttribute(name) !== value) { e.setAttribute(name, value); } }
  function setText(e, text) { if (e.textContent !== text) { e.textContent = text; } }
  function el(name, attrs) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function viewed() {  // the numbers the edges show: weights, gradients or last updates
    return S.view === "gradients" ? S.trainer.grad : S.view === "updates" ? S.trainer.lastUpdate : S.trainer.theta;
  }
  // width: |value| on a log scale from 1/10⁴ of the largest (thinnest) to the largest (thickest)
  function drawNetwork() {
    var values = viewed(), largest = 0;
    net.edges.forEach(function (e) { largest = Math.max(largest, Math.abs(values[e.index])); });
    net.edges.forEach(function (e) {
      var v = values[e.index], size = Math.abs(v);
      var t = size && largest ? Math.max(0, Math.min(1, (Math.log10(size / largest) + 4) / 4)) : 0;
      setAttr(e.line, "stroke", v > 0 ? POSITIVE : v < 0 ? NEGATIVE : ZERO);
      setAttr(e.line, "stroke-width", size ? (0.4 + 5.1 * t).toFixed(1) : "1");
      setAttr(e.line, "stroke-dasharray", size ? "none" : "3 3");
      setAttr(e.line, "stroke-opacity", (0.35 + 0.65 * t).toFixed(2));
    });
    var biggest = 0;
    net.neurons.forEach(function (n) { biggest = Math.max(biggest, Math.abs(values[n.index])); });
    net.neurons.forEach(function (n) {  // a neuron's fill: its bias (or the bias's gradient or update)
      var v = values[n.index], t = biggest ? Math.min(1, Math.abs(v) / biggest) : 0, base = rgb(v >= 0 ? POSITIVE : NEGATIVE);
      setAttr(n.circle, "fill", "rgb(" + base.map(function (c) { return Math.round(255 + (c - 255) * t * 0.8); }).join(",") + ")");
    });
    var what = { weights: "weights", gradients: "gradients \u2202L/\u2202w of the last step", updates: "last updates (new \u2212 old)" }[S.view];
    $("network-text").textContent = "Edges: " + what + "; width |value| on a log scale (the largest, " + fmt(largest) +
      ", thickest; 10\u2074\u00d7 smaller, thinnest); blue +, vermillion \u2212. A neuron's fill: its bias. Hover or tap an edge.";
    showTip();
  }
  function nearestInNetwork(x, y) {
    var best = null, bestD = 9;
    net.neurons.forEach(function (n) { var d = Math.hypot(n.at[0] - x, n.at[1] - y) - net.radius; if (d < bestD) { best = n; bestD = d; } });
    if (best) { return best; }
    bestD = 7;
    net.edges.forEach(function (e) {
      var dx = e.b[0] - e.a[0], dy = e.b[1] - e.a[1], t = Math.max(0, Math.min(1, ((x - e.a[0]) * dx + (y - e.a[1]) * dy) / (dx * dx + dy * dy)));
      var d = Math.hypot(e.a[0] + t * dx - x, e.a[1] + t * dy - y);
      if (d < bestD) { best = e; bestD = d; }
    });
    return best;
  }
  function svgPoint(ev) {
    var r = net.svg.getBoundingClientRect(), box = net.svg.viewBox.baseVal;
    return [(ev.clientX - r.left) / r.width * box.width, (ev.clientY - r.top) / r.height * box.height, ev.clientX - r.left, ev.clientY - r.top];
  }
  net.svg.addEventListener("pointermove", function (ev) {
    if (ev.pointerType === "touch") { return; }
    var p = svgPoint(ev);
    net.hover = { item: nearestInNetwork(p[0], p[1]), x: p[2], y: p[3] };
    showTip();
  });
  net.svg.addEventListener("pointerleave", function () { net.hover = null; showTip(); });
  net.svg.addEventListener("click", function (ev) {
    var p = svgPoint(ev), item = nearestInNetwork(p[0], p[1]);
    net.pinned = item ? { item: item, x: p[2], y: p[3] } : null;
    showTip();
  });
  function showTip() {
    var tip = $("tip"), at = net.hover && net.hover.item ? net.hover : net.pinned;
    if (!at || !at.item) { tip.hidden = true; return; }
    var i = at.item.index, t = S.trainer;
    tip.textContent = at.item.name + "\nvalue        " + fmt(t.theta[i]) + "\ngradient     " + fmt(t.grad[i]) + "\nlast update  " + fmt(t.lastUpdate[i]);
    tip.hidden = false;
    var box = $("network-box").getBoundingClientRect();
    tip.style.left = Math.min(Math.max(0, at.x + 12), box.width - tip.offsetWidth - 2) + "px";
    tip.style.top = Math.min(Math.max(0, at.y + 12), box.height - tip.offsetHeight - 2) + "px";
  }
  document.querySelectorAll("#view input").forEach(function (input) {
    input.addEventListener("change", function () { S.view = input.value; drawNetwork(); });
  });

  // -- one sample's graph ---------------------------------------------------------------------------
  var G = { view: null, variant: null, key: null, program: null, nodes: [], edges: [], labels: [], ops: [], state: null, holder: null };
  function sampleGraph() {
    stepOut();
    var chosen = chosenInput(), graph = S.problem.graph, t = S.trainer;
    var sameShape = t.sizes.join() === S.pythonSizes.join();
    if (!chosen || !sameShape) {
      detachGraph();
      $("graph-holder").innerHTML = '<p class="note"></p>';
      $("graph-holder").firstChild.textContent = !chosen ? "No sample: add a point." :
        "This graph was laid out in Python for the " + S.pythonSizes.join("-") + " network the page was made with; the network " +
        "is now " + t.sizes.join("-") + ". Press \u201cweights from Python\u201d to see it again (the other panels follow any shape).";
      $("sample-text").textContent = "";
      G.variant = null;
      return;
    }
    var key = S.kind === "classes" ? String(chosen.label) : "*";
    if (G.key !== key || !G.variant || G.problem !== S.key) { buildGraph(graph.variants[key], key); }
    var activation = t.activation;
    // a hidden unit takes the chosen activation with the table's setting (the trainer's: leaky slope 0.01, elu α 1)
    G.program.forEach(function (n, i) { if (G.hidden[i]) { n.o = activation; delete n.s; } });
    G.ops.forEach(function (o) { if (G.hidden[o.node] && o.text) { o.text.textContent = SYMBOLS[activation] || activation; } });
    recompute();
  }
  function detachGraph() { if (G.view) { G.view.detach(); G.view = null; } }
  function buildGraph(variant, key) {
    detachGraph();
    G.variant = variant; G.key = key; G.problem = S.key;
    G.program = variant.program.map(function (n) { var copy = { o: n.o, p: n.p, d: n.d }; if ("s" in n) { copy.s = n.s; } return copy; });
    G.hidden = {};
    variant.hidden.forEach(function (i) { G.hidden[i] = true; });
    var holder = $("graph-holder"), div = document.createElement("div");
    holder.textContent = "";
    div.className = "graph"; div.innerHTML = document.getElementById(variant.template).innerHTML;
    holder.appendChild(div);
    G.holder = div;
    G.view = window.chainruleGraph.attach(div, { nodes: [], onSetUp: collectGraph });
  }
  function collectGraph() {  // the drawn parts the numbers go into, after each layout is put in place
    var v = G.variant;
    G.nodes = v.nodes.map(function (n) {
      var g = $(n[0]), texts = g ? g.querySelectorAll("text") : [];
      return { id: n[0], node: n[1], collapsed: n[2], data: texts.length > 1 ? texts[texts.length - 2] : null,
               grad: texts.length > 1 ? texts[texts.length - 1] : null, only: texts.length === 1 ? texts[0] : null };
    });
    G.edges = v.edges.map(function (e) {
      var parts = [];
      e[0].forEach(function (id) { var g = $(id); if (g) { g.querySelectorAll("path, polygon").forEach(function (p) { parts.push(p); }); } });
      return { parts: parts, pairs: e[1] };
    });
    G.labels = v.labels.map(function (l) { var g = $(l[0]); return { text: g && g.querySelector("text"), c: l[1], k: l[2] }; });
    G.ops = v.ops.map(function (o) { var g = $(o[0]); return { text: g && g.querySelector("text"), node: o[1] }; });
  }
  // The graph's numbers at the current weights for the chosen sample: ops.evaluate, the engine's operations
  function graphState() {
    var chosen = chosenInput(), values = G.program.map(function (n) { return n.d; }), theta = S.trainer.theta;
    G.variant.leaves.forEach(function (leaf) {
      values[leaf[0]] = leaf[1] === "p" ? theta[leaf[2]] : leaf[1] === "x" ? chosen.x[leaf[2]] : chosen.label;
    });
    return ops.evaluate(G.program, values);
  }
  function recompute() {
    if (!G.variant || STEP) { return; }
    var state = G.state = graphState(), chosen = chosenInput(), root = G.variant.root;
    if (state.problem) {
      $("sample-text").textContent = "With these weights the engine would refuse this sample's graph: " + state.problem.title +
        " " + state.problem.reason + " (" + state.problem.kind + ").";
      return;
    }
    G.nodes.forEach(function (n) {
      if (n.only) { setText(n.only, fmt(state.data[n.node])); return; }
      if (n.data) { setText(n.data, (n.collapsed ? "out " : "data ") + fmt(state.data[n.node])); }
      if (n.grad) { setText(n.grad, "grad " + fmt(state.grad[n.node])); }
    });
    G.labels.forEach(function (l) { if (l.text) { setText(l.text, fmt(state.locals[l.c][l.k])); } });
    G.edges.forEach(function (e) {  // colour: the sign of Σ contributions; width: Σ |contributions|, log scale
      var total = 0, size = 0;
      e.pairs.forEach(function (pair) { var c = state.locals[pair[0]][pair[1]] * state.grad[pair[0]]; total += c; size += Math.abs(c); });
      var colour = total > 0 ? POSITIVE : total < 0 ? NEGATIVE : ZERO, width = String(edgeWidth(size));
      e.parts.forEach(function (p) {
        setAttr(p, "stroke", colour);
        if (p.tagName === "polygon") { setAttr(p, "fill", colour); } else { setAttr(p, "stroke-width", width); }
        setAttr(p, "stroke-dasharray", size ? "none" : "5,2");
      });
    });
    var where = chosen.point !== null ? "point " + chosen.point : "your input";
    $("sample-text").textContent = where + ": x = (" + fmt(chosen.x[0]) + ", " + fmt(chosen.x[1]) + "), " + labelName(chosen.label) +
      "; its loss " + fmt(state.data[root]) + " at the weights of step " + S.trainer.steps + ". Data and grad on every " +
      (G.variant.detail === "ops" ? "node" : "neuron (one node per neuron: " + G.program.length + " values are too many to draw one by one)") +
      ", recomputed every step" + (S.trainer.l2 ? "; training adds \u03bb\u2016\u03b8\u2016\u00b2 (not drawn)." : ".");
  }
  function edgeWidth(c) {  // viz/style.py's edge_width: |contribution| from 1e-3 (0.5) to 1 (6), log scale
    if (c === 0) { return 1; }
    var t = Math.min(1, Math.max(0, (Math.log10(Math.abs(c)) + 3) / 3));
    return Math.round((0.5 + t * 5.5) * 100) / 100;
  }
  // -- step into: this sample's training step, frame by frame (forward, backward edge by edge, the update) --
  // The numbers are the recomputed graph's (ops.evaluate: the engine's) and the optimizer's rule with the
  // trainer's state; the step is the one training on this sample alone would take now (without L2).
  var STEP = null;
  function stepInto() {
    if (!G.variant) { say("No graph to step into: see the note in its panel.", false); return; }
    if (G.variant.detail !== "ops") {
      say("Step into needs the graph drawn operation by operation; this network's is drawn one node per neuron. A " +
          "smaller network (at most 300 drawn nodes, such as 2-4-1) steps in here; in Python, viz.training_step(" +
          "nn.loss_graph(model, [x], [y], loss), optimizer) shows this one.", false);
      return;
    }
    pause();
    var state = graphState();
    if (state.problem) { say("The engine would refuse this sample's graph at these weights: nothing to step into.", false); return; }
    STEP = { frames: stepFrames(state), at: 0, state: state };
    $("stepping").hidden = false; $("frame-text").hidden = false; $("sample-text").hidden = true;
    showFrame(0);
  }
  function stepFrames(state) {
    var prog = G.program, names = G.variant.names, root = G.variant.root, frames = [], grad = prog.map(function () { return 0; });
    prog.forEach(function (n, i) {
      if (!n.p.length) { return; }
      frames.push({ k: "f", n: i, t: "Forward: " + names[i] + " = " + n.o + "(" + n.p.map(function (j) { return names[j]; }).join(", ") +
                    ") = " + fmt(state.data[i]) });
    });
    var r = names[root];
    grad[root] = 1;
    frames.push({ k: "b", c: root, p: root, e: null, b: 0, a: 1, t: "Seed: " + r + ".grad = ∂" + r + "/∂" + r + " = 1" });
    for (var c = prog.length - 1; c >= 0; c--) {  // backward's order: each node's grad is complete when it is passed on
      if (prog[c].o === "const" || !prog[c].p.length) { continue; }
      prog[c].p.forEach(function (p, k) {
        if (prog[p].o === "const") { return; }  // the engine passes nothing into a constant
        var local = state.locals[c][k], before = grad[p], contribution = local * grad[c], cn = names[c], pn = names[p];
        grad[p] = before + contribution;
        frames.push({ k: "b", c: c, p: p, e: "e" + c + "_" + k, b: before, a: grad[p],
                      t: cn + ".grad = ∂" + r + "/∂" + cn + " = " + fmt(grad[c]) + " is complete: pass it to " + pn + "\n" +
                         pn + ".grad += " + cn + ".grad × ∂" + cn + "/∂" + pn + "\n        += " + fmt(grad[c]) + " × " +
                         fmt(local) + " = " + fmt(contribution) + "\n" + pn + ".grad: " + fmt(before) + " → " + fmt(grad[p]) });
      });
    }
    return frames.concat(updateFrames(state));
  }
  function updateFrames(state) {  // the optimizer's rule per parameter, worked out with its state, as nn/optim.py writes it
    var t = S.trainer, o = t.optimizer, theta = t.theta, node = {}, g = [], names = G.variant.names;
    G.variant.leaves.forEach(function (leaf) { if (leaf[1] === "p") { node[leaf[2]] = leaf[0]; } });
    for (var i = 0; i < theta.length; i++) { g.push(state.grad[node[i]]); }
    var spec = currentOptimizer();
    spec.state = {}; spec.steps = o.steps;
    Object.keys(o.state).forEach(function (key) { spec.state[key] = Array.prototype.slice.call(o.state[key]); });
    var next = T.optimizerStep(spec, Array.prototype.slice.call(theta), g), frames = [];
    for (i = 0; i < theta.length; i++) {
      var gi = o.weight_decay ? g[i] + o.weight_decay * theta[i] : g[i];
      frames.push({ k: "u", n: node[i], before: theta[i], after: next.theta[i],
                    t: "Update " + (i + 1) + "/" + theta.length + ", " + parameterName(i) + ": " +
                       ruleText(spec, names[node[i]], theta[i], gi, next, i, o.steps + 1) });
    }
    return frames;
  }
  function parameterName(index) {
    var found = "";
    S.trainer.net.layers.forEach(function (L, l) {
      var at = index - L.offset;
      if (at >= 0 && at < L.nout * (L.nin + 1)) {
        var j = Math.floor(at / (L.nin + 1)), i = at % (L.nin + 1);
        found = "layers." + l + ".neurons." + j + (i === L.nin ? ".b" : ".w." + i);
      }
    });
    return found;
  }
  function n(x) { return x < 0 ? "(" + fmt(x) + ")" : fmt(x); }  // nn/optim.py's _n
  function ruleText(o, w, old, g, next, i, t) {  // nn/optim.py's explain_update, with the same numbers
    var lr = fmt(o.lr), now = next.theta[i];
    if (o.kind === "sgd" && !o.momentum) { return w + " ← " + w + " − η·g = " + fmt(old) + " − " + lr + " × " + n(g) + " = " + fmt(now); }
    if (o.kind === "sgd") {
      var v = next.state.velocity[i], head = "v ← μ·v + g = " + fmt(o.momentum) + " × " + n(o.state.velocity[i]) + " + " + n(g) + " = " + fmt(v) + ";  ";
      if (o.nesterov) {
        return head + w + " ← " + w + " − η·(g + μ·v) = " + fmt(old) + " − " + lr + " × (" + n(g) + " + " +
               fmt(o.momentum) + " × " + n(v) + ") = " + fmt(now);
      }
      return head + w + " ← " + w + " − η·v = " + fmt(old) + " − " + lr + " × " + n(v) + " = " + fmt(now);
    }
    if (o.kind === "rmsprop") {
      var s2 = next.state.square_avg[i];
      return "s ← ρ·s + (1 − ρ)·g² = " + fmt(o.rho) + " × " + fmt(o.state.square_avg[i]) + " + " + fmt(1 - o.rho) + " × " +
             n(g) + "² = " + fmt(s2) + ";  " + w + " ← " + w + " − η·g/(√s + ε) = " + fmt(old) + " − " + lr + " × " +
             n(g) + " / " + fmt(Math.sqrt(s2) + o.eps) + " = " + fmt(now);
    }
    var m = next.state.m[i], vv = next.state.v[i], mHat = m / (1 - Math.pow(o.beta1, t)), vHat = vv / (1 - Math.pow(o.beta2, t));
    return "m ← β₁·m + (1 − β₁)·g = " + fmt(m) + ";  v ← β₂·v + (1 − β₂)·g² = " + fmt(vv) +
           ";  m̂ = m/(1 − β₁^" + t + ") = " + fmt(mHat) + ";  v̂ = v/(1 − β₂^" + t + ") = " + fmt(vHat) + ";  " +
           w + " ← " + w + " − η·m̂/(√v̂ + ε) = " + fmt(old) + " − " + lr + " × " + n(mHat) + " / " +
           fmt(Math.sqrt(vHat) + o.eps) + " = " + fmt(now);
  }
  function showFrame(k) {
    var frames = STEP.frames, state = STEP.state;
    STEP.at = Math.max(0, Math.min(frames.length - 1, k));
    var frame = frames[STEP.at], computed = {}, grads = {}, moved = {};
    for (var i = 0; i <= STEP.at; i++) {
      var f = frames[i];
      if (f.k === "f") { computed[f.n] = true; } else if (f.k === "b") { grads[f.p] = f.a; } else if (i < STEP.at) { moved[f.n] = f.after; }
    }
    var forward = frame.k === "f";
    G.view.clearMarks();
    G.nodes.forEach(function (nd) {
      var p = G.program[nd.node], known = !p.p.length || computed[nd.node] || !forward, g = $(nd.id);
      if (nd.data) {
        var data = nd.node in moved ? fmt(moved[nd.node]) : fmt(state.data[nd.node]);
        if (frame.k === "u" && frame.n === nd.node) { data = fmt(frame.before) + " → " + fmt(frame.after); }
        setText(nd.data, "data " + (known ? data : "—"));
      }
      if (nd.grad) {
        var text = nd.node in grads ? fmt(grads[nd.node]) : frame.k === "u" ? fmt(state.grad[nd.node]) : "—";
        if (frame.k === "b" && frame.p === nd.node && frame.e) { text = fmt(frame.b) + " → " + fmt(frame.a); }
        setText(nd.grad, "grad " + text);
      }
      if (g && forward && !known) { g.classList.add("pending"); }
    });
    G.view.light(frame);
    var forwardCount = frames.filter(function (f) { return f.k === "f"; }).length;
    var phase = frame.k === "f" ? "forward" : frame.k === "b" ? "backward" : "update";
    $("frame-counter").textContent = phase + " · " + (STEP.at + 1) + " / " + frames.length + " (" + forwardCount + " forward, " +
      frames.filter(function (f) { return f.k === "b"; }).length + " backward, " + frames.filter(function (f) { return f.k === "u"; }).length + " updates)";
    $("frame-text").textContent = frame.t;
  }
  function stepOut() {
    if (!STEP) { return; }
    STEP = null;
    $("stepping").hidden = true; $("frame-text").hidden = true; $("sample-text").hidden = false;
    if (G.view) { G.view.clearMarks(); }
    recompute();
  }
  $("step-into").addEventListener("click", stepInto);
  $("step-out").addEventListener("click", stepOut);
  $("frame-prev").addEventListener("click", function () { if (STEP) { showFrame(STEP.at - 1); } });
  $("frame-next").addEventListener("click", function () { if (STEP) { showFrame(STEP.at + 1); } });

  // the graph's area changes size when the text above it wraps anew: keep its scale (text ≥ 12 px)
  if (window.ResizeObserver) { new ResizeObserver(function () { if (G.view) { G.view.resized(); } }).observe($("graph-holder")); }
  $("graph-in").addEventListener("click", function () { if (G.view) { G.view.zoom(1.25); } });
  $("graph-out").addEventListener("click", function () { if (G.view) { G.view.zoom(0.8); } });
  $("graph-fit").addEventListener("click", function () { if (G.view) { G.view.fit(); } });

  // -- settings --------------------------------------------------------------------------------------
  function settingsShown() {
    var t = S.trainer, o = t.optimizer;
    $("lr").value = String(o.lr);
    $("optimizer").value = settingKey(o);
    $("activation").value = t.activation;
    $("l2").value = String(t.l2);
    $("hidden").value = t.sizes.slice(1, -1).join(", ");
  }
  function say(text, fine) {
    S.message = text;
    $("status").textContent = text;
    $("status").classList.toggle("fine", !!fine);
  }
  function set(changes) {
    var t = S.trainer;
    if ("lr" in changes) {
      var lr = Number(changes.lr);
      if (!(lr > 0 && isFinite(lr))) { throw new RangeError("set: the learning rate must be a number > 0, got " + changes.lr); }
      t.setLearningRate(lr);
    }
    if ("optimizer" in changes) {
      var kind = changes.optimizer, known = { sgd: 1, momentum: 1, nesterov: 1, rmsprop: 1, adam: 1 };
      if (!known[kind]) { throw new RangeError("set: optimizer must be sgd, momentum, nesterov, rmsprop or adam, got " + kind); }
      S.optimizerSettings[settingKey(t.optimizer)] = currentOptimizer();
      var spec = S.optimizerSettings[kind] ? withoutState(S.optimizerSettings[kind]) :
        { kind: kind === "momentum" || kind === "nesterov" ? "sgd" : kind, momentum: kind === "momentum" || kind === "nesterov" ? 0.9 : 0,
          nesterov: kind === "nesterov" };
      spec.lr = t.optimizer.lr;  // the learning rate stays what it is
      spec.weight_decay = t.optimizer.weight_decay;
      t.setOptimizer(spec);
    }
    if ("activation" in changes) {
      if (T.HIDDEN.indexOf(changes.activation) < 0) { throw new RangeError("set: activation must be one of " + T.HIDDEN.join(", ")); }
      t.setActivation(changes.activation);
    }
    if ("l2" in changes) {
      var l2 = Number(changes.l2);
      if (!(l2 >= 0 && isFinite(l2))) { throw new RangeError("set: l2 must be a number \u2265 0, got " + changes.l2); }
      t.setL2(l2);
    }
    if ("hidden" in changes) { resize(changes.hidden); }
    settingsShown();
    sampleGraph();
    redraw();
  }
  function resize(hidden) {
    var sizes = [2].concat(hidden, [outputs()]), count = 0;
    if (!hidden.length || !hidden.every(function (n) { return Number.isInteger(n) && n >= 1; })) {
      throw new RangeError("hidden sizes: one or more whole numbers \u2265 1, such as 16, 16");
    }
    for (var l = 1; l < sizes.length; l++) { count += (sizes[l - 1] + 1) * sizes[l]; }
    if (count > data.limits.parameters) {
      throw new RangeError("hidden sizes " + hidden.join(", ") + " make " + count + " parameters; the page animates at most " + data.limits.parameters);
    }
    var t = S.trainer;
    startTrainer(T.initialParameters(sizes, t.activation, t.output, S.reinitSeed++), sizes, currentOptimizer(), t.activation, t.l2);
    say("New network " + sizes.join("-") + " with weights drawn in the page (seeded).", true);
  }
  function onSetting(id, apply) {
    $(id).addEventListener("change", function () {
      try { apply(this.value); say("", true); } catch (error) { say(error.message, false); settingsShown(); }
    });
  }
  onSetting("lr", function (v) { set({ lr: v }); });
  onSetting("optimizer", function (v) { set({ optimizer: v }); });
  onSetting("activation", function (v) { set({ activation: v }); });
  onSetting("l2", function (v) { set({ l2: v }); });
  onSetting("hidden", function (v) {
    set({ hidden: v.split(/[\s,;]+/).filter(Boolean).map(Number) });
  });
  $("reinit").addEventListener("click", function () {
    var t = S.trainer, seed = S.reinitSeed++;
    startTrainer(T.initialParameters(t.sizes, t.activation, t.output, seed), t.sizes, currentOptimizer(), t.activation, t.l2);
    say("New weights drawn in the page (seed " + seed + "; Python's generator would draw others).", true);
  });
  $("python").addEventListener("click", backToPython);
  function backToPython() {
    var spec = problemSpec();
    startTrainer(spec.parameters, spec.sizes, spec.optimizer, spec.activation, spec.l2);
    say("Back to the start: the weights, optimizer and settings from Python (the points stay as they are).", true);
  }
  $("problem").addEventListener("click", function () {
    pause();
    loadProblem(S.key === "given" ? "three" : "given");
    say(S.key === "three" ? "Three spiral arms: softmax output, cross-entropy, weights from Python." : "Back to the data from Python.", true);
  });
  $("speed").addEventListener("change", function () { S.speed = Number(this.value); });

  // -- downloads: the model as nn.MLP.from_file reads it, the data as CSV --------------------------------
  function modelDocument() {
    var t = S.trainer, parameters = {};
    for (var k = 0; k < t.theta.length; k++) { parameters[parameterName(k)] = t.theta[k]; }  // in state_dict's order
    return { format: "chainrule.state_dict", version: 1, model: "MLP",
             config: { nin: 2, sizes: t.sizes.slice(1), activation: t.activation, output: t.output, init: "auto", seed: null, dropout: 0 },
             parameters: parameters };
  }
  function dataCsv() {
    return "x1,x2,label\n" + S.points.map(function (p) { return p[0] + "," + p[1] + "," + p[2]; }).join("\n") + "\n";
  }
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type })), a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  $("download-model").addEventListener("click", function () {
    download("playground-model.json", JSON.stringify(modelDocument(), null, 1), "application/json");
    say("Model written as playground-model.json: nn.MLP.from_file(\"playground-model.json\") loads it.", true);
  });
  $("download-data").addEventListener("click", function () { download("playground-data.csv", dataCsv(), "text/csv"); });

  // -- playing -----------------------------------------------------------------------------------------
  function play() {
    if (S.playing) { return; }
    S.playing = true; S.last = performance.now(); S.owed = 0;
    $("play").textContent = "\u23f8 pause";
    requestAnimationFrame(frame);
  }
  function pause() { S.playing = false; $("play").textContent = "\u25b6 play"; }
  function frame(now) {
    if (!S.playing) { return; }
    var dt = Math.min(0.25, (now - S.last) / 1000), start = performance.now();
    S.last = now;
    if (S.speed >= 1000) {  // as fast as it goes: train for half a frame, then draw
      do { if (!trainSteps(1)) { break; } } while (performance.now() - start < 9);
    } else {
      S.owed += S.speed * dt;
      var n = Math.floor(S.owed);
      S.owed -= n;
      while (n > 0 && trainSteps(1) && performance.now() - start < 30) { n--; }
      if (n > 0) { S.owed = 0; }  // the machine cannot keep up: do not pile steps up
    }
    if (!reducedMotion || now - (S.drawnAt || 0) > 500 || !S.playing) {
      // the plane and the curves every frame; the network and the sample's graph (many SVG elements
      // to paint) ten times a second while it plays
      redraw(S.playing && now - (S.detailAt || 0) < 100);
      S.drawnAt = now;
      if (!S.skipped) { S.detailAt = now; }
    }
    if (S.playing) { requestAnimationFrame(frame); }
  }
  function redraw(skipDetail) {
    var t = S.trainer;
    drawPlane();
    drawCurves();
    S.skipped = !!skipDetail;
    if (!skipDetail) { drawNetwork(); recompute(); }
    $("counter").textContent = "epoch " + t.losses.length + " \u00b7 step " + t.steps + (t.stepsPerEpoch() > 1 ? " (" + t.stepsPerEpoch() + " per epoch)" : "");
    $("status").textContent = S.message;
    S.frames += 1;
  }
  $("play").addEventListener("click", function () { if (S.playing) { pause(); } else { play(); } });
  $("step").addEventListener("click", function () { pause(); trainSteps(1); redraw(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var target = ev.target, typing = target.closest && target.closest("input, select, textarea");
    if (typing) { return; }
    if (STEP && (ev.key === "ArrowRight" || ev.key === "ArrowLeft" || ev.key === "Escape")) {
      ev.preventDefault();
      if (ev.key === "Escape") { stepOut(); } else { showFrame(STEP.at + (ev.key === "ArrowRight" ? 1 : -1)); }
      return;
    }
    if (ev.key === " ") {
      if (target.closest && target.closest("button")) { return; }  // the button's own click
      ev.preventDefault();
      if (S.playing) { pause(); } else { play(); }
    } else if (ev.key === "ArrowRight") {
      ev.preventDefault(); pause(); trainSteps(1); redraw();
    }
  });
  function layoutChanged() {
    document.documentElement.style.setProperty("--header", document.querySelector("header").offsetHeight + "px");
    networkDiagram();
    redraw();
    if (G.view) { G.view.resized(); }
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(layoutChanged, 80); });

  // -- window.playground: the page's API (docs/playground.md) -----------------------------------------------
  window.playground = {
    step: function (n) {
      n = n === undefined ? 1 : n;
      if (!(Number.isInteger(n) && n >= 0)) { throw new RangeError("step(n): n must be a whole number \u2265 0, got " + n); }
      pause();
      var ok = trainSteps(n);
      redraw();
      return ok;
    },
    parameters: function () { return S.trainer.parameters(); },
    gradients: function () { return S.trainer.gradients(); },
    updates: function () { return S.trainer.updates(); },
    losses: function () { return S.trainer.losses.slice(); },
    validationLosses: function () { return S.valLosses.slice(); },
    predict: function (x1, x2) { return S.trainer.predict([[x1, x2]])[0]; },
    points: function () { return S.points.map(function (p) { return p.slice(); }); },
    addPoint: function (x1, x2, label) { return addPoint(x1, x2, label); },
    removePoint: function (i) { return removePoint(i); },
    select: function (x1, x2) {
      var at = toScreen(x1, x2), near = nearestPoint(at[0], at[1], 10);
      choose(near !== null ? { point: near } : { input: { x: [x1, x2], label: S.chosenClass } });
      return near;
    },
    sampleGraph: function () {
      if (!G.variant || !G.state || G.state.problem) { return null; }
      var names = G.variant.names;
      return G.program.map(function (_, i) { return { label: names[i], data: G.state.data[i], grad: G.state.grad[i] }; });
    },
    set: function (changes) { set(changes || {}); return this.settings(); },
    settings: function () {
      var t = S.trainer;
      return { lr: t.optimizer.lr, optimizer: settingKey(t.optimizer), activation: t.activation, l2: t.l2, hidden: t.sizes.slice(1, -1) };
    },
    play: play, pause: pause,
    stepInto: function () { stepInto(); return STEP ? STEP.frames.map(function (f) {
      return { kind: f.k, node: f.k === "b" ? f.c : f.n, parent: f.k === "b" ? f.p : null, edge: f.e || null,
               before: f.k === "b" ? f.b : f.k === "u" ? f.before : null, after: f.k === "b" ? f.a : f.k === "u" ? f.after : null, text: f.t };
    }) : null; },
    frame: function (k) { if (STEP) { showFrame(k); return STEP.at; } return null; }, stepOut: stepOut,
    status: function () {
      var t = S.trainer;
      return { steps: t.steps, epochs: t.losses.length, frames: S.frames, playing: S.playing, problem: S.key, sizes: t.sizes.slice(),
               sample: chosenInput(), message: S.message };
    },
    reinitialise: function () { $("reinit").click(); }, weightsFromPython: backToPython,
    problem: function (key) { if (key !== S.key && data.problems[key]) { $("problem").click(); } return S.key; },
    modelFile: function () { return JSON.stringify(modelDocument()); }, dataCsv: dataCsv
  };

  document.documentElement.style.setProperty("--header", document.querySelector("header").offsetHeight + "px");
  loadProblem(data.start);
})();
