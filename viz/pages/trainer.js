/* An MLP that trains in the page with exactly nn.fit's numbers (the playground's engine room).

   It mirrors nn/arrays.py (the array path fit runs), nn/optim.py (the optimizers' rules) and
   nn/train.py (batches, L2, what History.loss records), formula for formula and, where it matters,
   in the same order of operations: tests hold its losses and parameters equal to nn.fit's after 50
   epochs to 1e-9 for every optimizer, hidden activation and loss. A batch's rows are samples:

     forward    Z = H Wᵀ + b  (each zⱼ = Σᵢ hᵢ wⱼᵢ, then + bⱼ);  A = g(Z);  the output layer's
                activation left out when the loss reads logits (bce on a sigmoid, cross-entropy
                on a softmax output)
     loss       mse (1/nk) Σ (o − t)²  (½ of it: mse_half)      ∂L/∂o = 2(o − t)/nk  ((o − t)/nk)
                bce on logits (1/n) Σ softplus(z) − y·z           ∂L/∂z = (σ(z) − y)/n
                cross-entropy (1/n) Σ log Σⱼ e^{zⱼ} − z_y          ∂L/∂zⱼ = (softmaxⱼ − [j = y])/n
                nll −(1/n) Σ log p_y                              ∂L/∂p_y = −1/(n p_y)
                hinge (1/n) Σ max(0, 1 − y·s)                      ∂L/∂s = −y/n where 1 − y·s > 0
     backward   ∂L/∂W = Gᵀ H,  ∂L/∂b = Σ_rows G,  ∂L/∂H = G W;  ∂L/∂Z = G ⊙ g′(Z);
                softmax: ∂L/∂Zᵢ = Pᵢ (Gᵢ − Σⱼ Gⱼ Pⱼ)
     L2         loss + λ‖θ‖², gradient + 2λθ  (fit's l2; weight_decay is the optimizer's own)
     update     the optimizer's rule (nn/optim.py), on g = ∇L (+ weight_decay·θ)
     epoch      full batch: one step on every sample in order; mini-batches: the sample order,
                shuffled again each epoch by the generator fit shuffles with (random.js), cut into
                batches; then the record, as History.loss: the loss its batches measured, each
                before its update (with λ‖θ‖²), weighted by their sizes (Σ loss·size / n; full
                batch: the one batch's loss)

   Sums: numpy adds a 1-D array pairwise (8 running sums, blocks of 128, halves above), a column
   of a matrix top to bottom, and a matrix product's terms in order; so does this file.
   Parameters are one flat array in model.parameters()'s order: layer by layer, neuron by neuron,
   its weights w0 … w_{nin−1} then its bias b. No DOM: inlined into a page it is window.chainruleTrainer;
   `require`d by Node's tests. */
(function (root, make) {
  "use strict";
  var node = typeof module === "object" && module && module.exports;
  var trainer = make(node ? require("./ops.js") : root.chainruleOps, node ? require("./random.js") : root.chainruleRandom);
  if (node) { module.exports = trainer; } else { root.chainruleTrainer = trainer; }
})(typeof globalThis !== "undefined" ? globalThis : this, function (ops, random) {
  "use strict";
  var HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"];
  var LOSSES = ["mse", "mse_half", "bce", "bce_logits", "cross_entropy", "nll", "hinge"];

  // -- sums in numpy's order -----------------------------------------------------------------------
  // Σ a[start + i·stride], i < n, as numpy's pairwise_sum: below 8 terms one running sum; up to 128,
  // eight running sums r₀ … r₇ over blocks of 8, ((r₀ + r₁) + (r₂ + r₃)) + ((r₄ + r₅) + (r₆ + r₇)),
  // then the rest one by one; above 128, the two halves (the first a multiple of 8 long), added.
  function pairwiseSum(a, start, n, stride) {
    var i, res;
    if (n < 8) {
      res = 0;
      for (i = 0; i < n; i++) { res += a[start + i * stride]; }
      return res;
    }
    if (n <= 128) {
      var r0 = a[start], r1 = a[start + stride], r2 = a[start + 2 * stride], r3 = a[start + 3 * stride],
          r4 = a[start + 4 * stride], r5 = a[start + 5 * stride], r6 = a[start + 6 * stride], r7 = a[start + 7 * stride];
      for (i = 8; i < n - (n % 8); i += 8) {
        var p = start + i * stride;
        r0 += a[p]; r1 += a[p + stride]; r2 += a[p + 2 * stride]; r3 += a[p + 3 * stride];
        r4 += a[p + 4 * stride]; r5 += a[p + 5 * stride]; r6 += a[p + 6 * stride]; r7 += a[p + 7 * stride];
      }
      res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) { res += a[start + i * stride]; }
      return res;
    }
    var half = Math.floor(n / 2);
    half -= half % 8;
    return pairwiseSum(a, start, half, stride) + pairwiseSum(a, start + half * stride, n - half, stride);
  }
  function sum(a) { return pairwiseSum(a, 0, a.length, 1); }

  // -- activations: A = g(Z) and g′(Z), the formulas of nn/arrays.py ----------------------------------
  // Each turns Z into A in place and, given D, writes g′(Z) there (no array per number: the page
  // runs them on every cell of the plane, every frame).
  function sigmoidOf(z, e) { return z >= 0 ? 1 / (1 + e) : e / (1 + e); }  // e = e^(−|z|)
  var ACTIVATIONS = {
    sigmoid: function (Z, D) {
      for (var q = 0; q < Z.length; q++) { var s = sigmoidOf(Z[q], Math.exp(-Math.abs(Z[q]))); Z[q] = s; if (D) { D[q] = s * (1 - s); } }
    },
    tanh: function (Z, D) {
      for (var q = 0; q < Z.length; q++) { var t = Math.tanh(Z[q]); Z[q] = t; if (D) { D[q] = 1 - t * t; } }
    },
    relu: function (Z, D) {
      for (var q = 0; q < Z.length; q++) { var z = Z[q]; if (D) { D[q] = z > 0 ? 1 : 0; } Z[q] = Math.max(z, 0); }
    },
    leaky_relu: function (Z, D) {
      for (var q = 0; q < Z.length; q++) { var z = Z[q]; if (D) { D[q] = z > 0 ? 1 : 0.01; } Z[q] = z > 0 ? z : 0.01 * z; }
    },
    elu: function (Z, D) {  // α = 1; eᶻ − 1 as expm1(z), as the engine and the array path
      for (var q = 0; q < Z.length; q++) {
        var z = Z[q], below = Math.min(z, 0);
        if (D) { D[q] = z > 0 ? 1 : Math.exp(below); }
        Z[q] = z > 0 ? z : Math.expm1(below);
      }
    },
    gelu: function (Z, D) {  // z·Φ(z), Φ(z) = erfc(−z/√2)/2;  g′ = Φ(z) + z·φ(z)
      for (var q = 0; q < Z.length; q++) {
        var z = Z[q], cdf = ops.normalCdf(z);  // ops.js's Φ and φ, as the page's graph uses them
        Z[q] = z * cdf; if (D) { D[q] = cdf + z * ops.normalPdf(z); }
      }
    }
  };

  // -- how a loss reads the model (nn/objectives.py): which numbers, and how accuracy is judged --------
  function objective(loss, output) {
    if (LOSSES.indexOf(loss) < 0) { throw new Error("trainer: unknown loss " + loss + "; choose one of " + LOSSES.join(", ")); }
    var readsLogits = (loss === "bce" && output === "sigmoid") || (loss === "bce_logits" && output === "sigmoid") ||
                      (loss === "cross_entropy" && output === "softmax");
    if (loss === "bce" && output !== "sigmoid") { throw new Error("trainer: loss 'bce' needs output 'sigmoid' (it reads its logits)"); }
    if (loss === "cross_entropy" && output !== "softmax" && output !== "linear") {
      throw new Error("trainer: loss 'cross_entropy' reads scores: it needs output 'softmax' or 'linear'");
    }
    if (loss === "nll" && output !== "softmax") { throw new Error("trainer: loss 'nll' needs output 'softmax'"); }
    var accuracy = loss === "hinge" ? "sign" : loss === "cross_entropy" || loss === "nll" ? "argmax" :
                   loss === "bce" || loss === "bce_logits" ? "logit" :
                   output === "softmax" ? "argmax" : output === "sigmoid" ? "threshold" : null;
    return { loss: loss === "bce" ? "bce_logits" : loss, logits: readsLogits, accuracy: accuracy };
  }

  // -- losses: (value, ∂L/∂out) for outputs O (n × k, flat) and targets T, means over the batch --------
  // T: for mse, mse_half, bce, hinge a flat n × k array of numbers; for cross_entropy and nll, n class indices
  var LOSS = {
    mse: function (O, T, n, k) { return mse(O, T, n * k, 1); },
    mse_half: function (O, T, n, k) { return mse(O, T, n * k, 0.5); },
    bce_logits: function (O, T, n) {
      var terms = new Float64Array(n), G = new Float64Array(n);
      for (var r = 0; r < n; r++) {
        var z = O[r], y = T[r], e = Math.exp(-Math.abs(z));
        terms[r] = (Math.max(z, 0) + Math.log1p(e)) - y * z;  // softplus(z) − y·z
        G[r] = (sigmoidOf(z, e) - y) / n;
      }
      return [sum(terms) / n, G];
    },
    cross_entropy: function (O, labels, n, k) {
      var terms = new Float64Array(n), G = new Float64Array(n * k), e = new Float64Array(k);
      for (var r = 0; r < n; r++) {
        var row = r * k, m = O[row];
        for (var j = 1; j < k; j++) { if (O[row + j] > m) { m = O[row + j]; } }
        for (j = 0; j < k; j++) { e[j] = Math.exp(O[row + j] - m); }
        var total = pairwiseSum(e, 0, k, 1);
        terms[r] = (m + Math.log(total)) - O[row + labels[r]];  // log Σ e^{zⱼ} − z_y
        for (j = 0; j < k; j++) { G[row + j] = e[j] / total; }  // softmax, by the same exps
        G[row + labels[r]] -= 1;
        for (j = 0; j < k; j++) { G[row + j] /= n; }
      }
      return [sum(terms) / n, G];
    },
    nll: function (O, labels, n, k) {
      var logs = new Float64Array(n), G = new Float64Array(n * k);
      for (var r = 0; r < n; r++) {
        var p = O[r * k + labels[r]];
        if (!(p > 0)) { throw new RangeError("nll: probability 0 for a true class gives an infinite loss; use cross_entropy on logits"); }
        logs[r] = Math.log(p);
        G[r * k + labels[r]] = -1 / (n * p);
      }
      return [-sum(logs) / n, G];
    },
    hinge: function (O, T, n) {
      var terms = new Float64Array(n), G = new Float64Array(n);
      for (var r = 0; r < n; r++) {
        var margin = 1 - T[r] * O[r];
        terms[r] = margin > 0 ? margin : 0;
        G[r] = (margin > 0 ? -T[r] : 0) / n;
      }
      return [sum(terms) / n, G];
    }
  };
  function mse(O, T, size, scale) {  // L = scale·(1/size) Σ (o − t)²;  ∂L/∂o = (2·scale/size)(o − t)
    var D = new Float64Array(size), squares = new Float64Array(size), G = new Float64Array(size), factor = 2 * scale / size;
    for (var i = 0; i < size; i++) { D[i] = O[i] - T[i]; squares[i] = D[i] * D[i]; G[i] = factor * D[i]; }
    return [scale * (sum(squares) / size), G];
  }

  // -- the network ---------------------------------------------------------------------------------
  // layers[l] = {nin, nout, offset, activation}: neuron j's weights at offset + j(nin + 1) + i, its bias at + nin
  function layout(sizes, activation, output) {
    var layers = [], offset = 0;
    for (var l = 1; l < sizes.length; l++) {
      layers.push({ nin: sizes[l - 1], nout: sizes[l], offset: offset, activation: l === sizes.length - 1 ? output : activation });
      offset += (sizes[l - 1] + 1) * sizes[l];
    }
    return { layers: layers, count: offset };
  }

  // The outputs for n rows of X (flat, n × nin). With `tape`, each layer's input H, and g′ or the
  // softmax P, are kept for backward; `logits` leaves the output activation out; `hidden` (an array)
  // receives each hidden layer's outputs.
  // `scratch` (an array, for repeated calls of one size without a tape): the layers' arrays are kept
  // there and reused, so that drawing the plane every frame makes no garbage.
  function forward(net, theta, X, n, logits, tape, hidden, scratch) {
    var H = X, layers = net.layers, last = layers.length - 1;
    for (var l = 0; l <= last; l++) {
      var L = layers[l], nin = L.nin, nout = L.nout, Z;
      if (scratch && scratch[l] && scratch[l].length === n * nout) { Z = scratch[l]; } else {
        Z = new Float64Array(n * nout);
        if (scratch) { scratch[l] = Z; }
      }
      for (var r = 0; r < n; r++) {
        var h = r * nin;
        for (var j = 0; j < nout; j++) {
          var w = L.offset + j * (nin + 1), s = H[h] * theta[w];
          for (var i = 1; i < nin; i++) { s += H[h + i] * theta[w + i]; }
          Z[r * nout + j] = s + theta[w + nin];
        }
      }
      var record = tape ? { H: H, layer: L, D: null, P: null } : null;
      if (tape) { tape.push(record); }
      var act = L.activation;
      if (act === "linear" || (logits && l === last)) { H = Z; continue; }
      if (act === "softmax") { H = softmaxRows(Z, n, nout); if (record) { record.P = H; } continue; }
      var D = record ? new Float64Array(n * nout) : null;
      ACTIVATIONS[act](Z, D);
      if (record) { record.D = D; }
      if (hidden && l < last) { hidden.push(Z); }
      H = Z;
    }
    return H;
  }
  function softmaxRows(Z, n, k) {  // each row: e^(z − max) / Σ e^(z − max)
    var P = new Float64Array(n * k);
    for (var r = 0; r < n; r++) {
      var row = r * k, m = Z[row];
      for (var j = 1; j < k; j++) { if (Z[row + j] > m) { m = Z[row + j]; } }
      for (j = 0; j < k; j++) { P[row + j] = Math.exp(Z[row + j] - m); }
      var total = pairwiseSum(P, row, k, 1);
      for (j = 0; j < k; j++) { P[row + j] /= total; }
    }
    return P;
  }

  // Backward from G = ∂L/∂(the last record's output), adding into grad (flat, as theta).
  function backward(net, theta, tape, G, n, grad) {
    for (var l = tape.length - 1; l >= 0; l--) {
      var rec = tape[l], L = rec.layer, nin = L.nin, nout = L.nout, H = rec.H, q, r, j, i;
      if (rec.D) { for (q = 0; q < G.length; q++) { G[q] *= rec.D[q]; } }
      if (rec.P) {  // ∂L/∂Zᵢ = Pᵢ (Gᵢ − Σⱼ Gⱼ Pⱼ)
        var P = rec.P, GP = new Float64Array(nout), out = new Float64Array(n * nout);
        for (r = 0; r < n; r++) {
          for (j = 0; j < nout; j++) { GP[j] = G[r * nout + j] * P[r * nout + j]; }
          var dot = pairwiseSum(GP, 0, nout, 1);
          for (j = 0; j < nout; j++) { out[r * nout + j] = P[r * nout + j] * (G[r * nout + j] - dot); }
        }
        G = out;
      }
      for (j = 0; j < nout; j++) {  // ∂L/∂W = Gᵀ H: each sum over the batch's rows in order
        var w = L.offset + j * (nin + 1);
        for (i = 0; i < nin; i++) {
          var s = G[j] * H[i];
          for (r = 1; r < n; r++) { s += G[r * nout + j] * H[r * nin + i]; }
          grad[w + i] += s;
        }
        // ∂L/∂b = Σ_rows G: numpy adds one column alone pairwise, several columns row by row
        var b = 0;
        if (nout === 1) { b = pairwiseSum(G, 0, n, 1); } else { for (r = 0; r < n; r++) { b += G[r * nout + j]; } }
        grad[w + nin] += b;
      }
      if (l === 0) { break; }
      var GH = new Float64Array(n * nin);  // ∂L/∂H = G W
      for (r = 0; r < n; r++) {
        for (i = 0; i < nin; i++) {
          var t = G[r * nout] * theta[L.offset + i];
          for (j = 1; j < nout; j++) { t += G[r * nout + j] * theta[L.offset + j * (nin + 1) + i]; }
          GH[r * nin + i] = t;
        }
      }
      G = GH;
    }
  }

  // -- optimizers: each rule as nn/optim.py writes it, element by element ------------------------------
  var RULES = {
    sgd: function (o, theta, g, t) {
      var mu = o.momentum, lr = o.lr, v = o.state.velocity, out = new Float64Array(theta.length);
      for (var i = 0; i < theta.length; i++) {
        if (!mu) { out[i] = theta[i] - lr * g[i]; continue; }
        v[i] = mu * v[i] + g[i];                               // v ← μ v + g
        var step = o.nesterov ? g[i] + mu * v[i] : v[i];       // Nesterov: g + μ v
        out[i] = theta[i] - lr * step;                         // θ ← θ − η v
      }
      return out;
    },
    rmsprop: function (o, theta, g, t) {
      var s = o.state.square_avg, out = new Float64Array(theta.length);
      for (var i = 0; i < theta.length; i++) {
        s[i] = o.rho * s[i] + (1 - o.rho) * g[i] * g[i];       // s ← ρ s + (1 − ρ) g²
        out[i] = theta[i] - o.lr * g[i] / (Math.sqrt(s[i]) + o.eps);   // θ ← θ − η g / (√s + ε)
      }
      return out;
    },
    adam: function (o, theta, g, t) {
      var m = o.state.m, v = o.state.v, out = new Float64Array(theta.length);
      var c1 = 1 - Math.pow(o.beta1, t), c2 = 1 - Math.pow(o.beta2, t);
      for (var i = 0; i < theta.length; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];          // m ← β₁ m + (1 − β₁) g
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];   // v ← β₂ v + (1 − β₂) g²
        var mHat = m[i] / c1, vHat = v[i] / c2;                // bias correction
        out[i] = theta[i] - o.lr * mHat / (Math.sqrt(vHat) + o.eps);   // θ ← θ − η m̂ / (√v̂ + ε)
      }
      return out;
    }
  };
  var STATE = { sgd: ["velocity"], rmsprop: ["square_avg"], adam: ["m", "v"] };
  var DEFAULTS = { sgd: { lr: 0.01, momentum: 0, nesterov: false }, rmsprop: { lr: 0.001, rho: 0.9, eps: 1e-8 },
                   adam: { lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 } };

  // θ after one step of optimizer o on gradient grad (g = grad + weight_decay·θ), its state and step
  // count moved on; a step that would make any parameter non-finite throws and changes nothing
  function applyRule(o, theta, grad) {
    var g = grad;
    if (o.weight_decay) {
      g = new Float64Array(theta.length);
      for (var i = 0; i < theta.length; i++) { g[i] = grad[i] + o.weight_decay * theta[i]; }
    }
    var saved = {};
    Object.keys(o.state).forEach(function (key) { saved[key] = o.state[key].slice(); });
    var next = RULES[o.kind](o, theta, g, o.steps + 1);
    for (var j = 0; j < next.length; j++) {
      if (!isFinite(next[j])) {
        o.state = saved;
        throw new Divergence("the update would make parameter " + j + " non-finite (" + next[j] + "); lower the " +
                             "learning rate (lr=" + o.lr + ")");
      }
    }
    o.steps += 1;
    return next;
  }

  function makeOptimizer(spec, count) {
    var kind = String(spec.kind || "sgd").toLowerCase();
    if (!RULES[kind]) { throw new Error("trainer: unknown optimizer " + spec.kind + "; choose sgd, rmsprop or adam"); }
    var o = { kind: kind, weight_decay: spec.weight_decay || 0, steps: 0, state: {} };
    Object.keys(DEFAULTS[kind]).forEach(function (key) { o[key] = key in spec ? spec[key] : DEFAULTS[kind][key]; });
    if (!(o.lr > 0)) { throw new RangeError("trainer: the learning rate must be > 0, got " + o.lr); }
    STATE[kind].forEach(function (key) {  // the state a Python optimizer has built up, if any
      o.state[key] = spec.state && spec.state[key] ? Float64Array.from(spec.state[key]) : new Float64Array(count);
      if (o.state[key].length !== count) { throw new Error("trainer: the optimizer's " + key + " has " + o.state[key].length + " numbers, not " + count); }
    });
    o.steps = spec.steps || 0;
    return o;
  }

  // -- the trainer ---------------------------------------------------------------------------------
  // spec: sizes [nin, …, nout], activation (hidden), output, loss, parameters (model.parameters()
  // order), optimizer {kind: sgd|rmsprop|adam, lr, momentum, nesterov, rho, beta1, beta2, eps,
  // weight_decay}, l2, batchSize (null: full batch), seed (the shuffler's first state, 0 … 2³² − 1),
  // shuffle (default true), X (samples), y (targets: a number or a list per sample; class indices
  // for cross_entropy and nll).
  function Trainer(spec) {
    this.sizes = spec.sizes.slice();
    this.activation = spec.activation;
    this.output = spec.output;
    this.lossName = spec.loss;
    this.objective = objective(spec.loss, spec.output);
    this.net = layout(this.sizes, this.activation, this.output);
    if (spec.parameters.length !== this.net.count) {
      throw new Error("trainer: " + this.net.count + " parameters for sizes " + this.sizes.join("-") + ", got " + spec.parameters.length);
    }
    this.theta = Float64Array.from(spec.parameters);
    this.grad = new Float64Array(this.net.count);
    this.lastUpdate = new Float64Array(this.net.count);
    this.optimizer = makeOptimizer(spec.optimizer || { kind: "sgd", lr: 0.1 }, this.net.count);
    this.l2 = spec.l2 || 0;
    this.batchSize = spec.batchSize || null;
    this.shuffle = spec.shuffle !== false;
    this.rng = new random.Mulberry32(spec.seed === undefined ? 0 : spec.seed);
    this.order = [];         // fit's plan.order: the samples' order, shuffled again each epoch
    this.queue = [];         // the batches of the epoch under way
    this.losses = [];        // History.loss: one per completed epoch
    this.batchLosses = [];   // each step's batch loss, before its update (TrainingStep's return)
    this.steps = 0;
    this.setData(spec.X, spec.y);
  }

  Trainer.prototype.setData = function (X, y) {
    var data = this.flatten(X, y);
    this.n = data.n; this.X = data.X; this.T = data.T;
    this.y = y.slice();
    // fit starts its order at 0 … n − 1 when it first shuffles; new data: a new order from the next epoch
    this.order = [];
    this.queue = [];
  };
  // Samples and targets as flat arrays: X (n × nin); T (n × k numbers, or n class indices)
  Trainer.prototype.flatten = function (X, y) {
    if (X.length !== y.length) { throw new Error("trainer: " + X.length + " samples but " + y.length + " targets"); }
    var nin = this.sizes[0], k = this.sizes[this.sizes.length - 1], n = X.length, flat = new Float64Array(n * nin);
    X.forEach(function (row, r) { for (var i = 0; i < nin; i++) { flat[r * nin + i] = row[i]; } });
    var classes = this.objective.loss === "cross_entropy" || this.objective.loss === "nll", T;
    if (classes) { T = Int32Array.from(y); } else {
      T = new Float64Array(n * k);
      y.forEach(function (t, r) { for (var j = 0; j < k; j++) { T[r * k + j] = Array.isArray(t) ? t[j] : t; } });
    }
    return { X: flat, T: T, n: n };
  };

  // The rows (indices) of one batch: X and T of those rows, flat
  Trainer.prototype.rows = function (indices) {
    var nin = this.sizes[0], k = this.sizes[this.sizes.length - 1], n = indices.length, classes = this.T instanceof Int32Array;
    var X = new Float64Array(n * nin), T = classes ? new Int32Array(n) : new Float64Array(n * k);
    for (var r = 0; r < n; r++) {
      var s = indices[r];
      for (var i = 0; i < nin; i++) { X[r * nin + i] = this.X[s * nin + i]; }
      if (classes) { T[r] = this.T[s]; } else { for (var j = 0; j < k; j++) { T[r * k + j] = this.T[s * k + j]; } }
    }
    return { X: X, T: T, n: n };
  };
  Trainer.prototype.all = function () { return { X: this.X, T: this.T, n: this.n }; };

  // Loss and gradient (into this.grad, zeroed first) on one batch: fit's _batch_gradients.
  Trainer.prototype.gradient = function (batch) {
    var tape = [], k = this.sizes[this.sizes.length - 1];
    var O = forward(this.net, this.theta, batch.X, batch.n, this.objective.logits, tape);
    var lg = LOSS[this.objective.loss](O, batch.T, batch.n, k), value = lg[0];
    this.grad.fill(0);
    backward(this.net, this.theta, tape, lg[1], batch.n, this.grad);
    if (this.l2) {
      value += this.l2 * dotSelf(this.theta);
      var twice = 2 * this.l2;
      for (var i = 0; i < this.grad.length; i++) { this.grad[i] += twice * this.theta[i]; }
    }
    return value;
  };

  // One optimizer step on the next batch of the epoch (a new epoch begins when none is left);
  // after an epoch's last batch, its record. Returns the batch's loss before the update.
  Trainer.prototype.step = function () {
    if (!this.queue.length) { this.startEpoch(); }
    var rows = this.queue[0], value = this.gradient(rows === null ? this.all() : this.rows(rows));
    if (!isFinite(value)) { throw new Divergence("the loss became non-finite (" + value + ")"); }
    this.update();  // throws, changing nothing, if the update would overflow
    this.queue.shift();
    this.steps += 1;
    this.batchLosses.push(value);
    // History.loss: the batches' losses as they were measured, weighted by size (fit's _train_one_epoch)
    if (rows === null) { this.epochLoss = value; } else { this.epochLoss += value * rows.length; }
    if (!this.queue.length) { this.record(); }
    return value;
  };
  Trainer.prototype.startEpoch = function () {  // fit's _train_one_epoch: the batches of one epoch
    var n = this.n, batch = this.batchSize;
    this.epochLoss = 0;
    if (!batch || batch >= n) { this.queue = [null]; return; }
    if (!this.order.length) { for (var i = 0; i < n; i++) { this.order.push(i); } }
    if (this.shuffle) { this.rng.shuffle(this.order); }
    for (var start = 0; start < n; start += batch) { this.queue.push(this.order.slice(start, start + batch)); }
  };
  Trainer.prototype.epoch = function () {  // the steps left in this epoch (all of one, at an epoch's start)
    do { this.step(); } while (this.queue.length);
    return this.losses[this.losses.length - 1];
  };
  Trainer.prototype.stepsPerEpoch = function () {
    return !this.batchSize || this.batchSize >= this.n ? 1 : Math.ceil(this.n / this.batchSize);
  };
  // The optimizer's update; an update that would make a parameter non-finite changes nothing.
  Trainer.prototype.update = function () {
    var next = applyRule(this.optimizer, this.theta, this.grad);
    for (var j = 0; j < next.length; j++) { this.lastUpdate[j] = next[j] - this.theta[j]; }
    this.theta = next;
  };
  // History.loss: full batch, the batch's loss before its update; mini-batches, Σ loss·size / n
  Trainer.prototype.record = function () {
    this.losses.push(this.batchSize && this.batchSize < this.n ? this.epochLoss / this.n : this.epochLoss);
  };
  // (loss, accuracy) on every sample (or on other data), without L2: fit's _evaluate
  Trainer.prototype.evaluate = function (X, y) {
    var data = X ? this.flatten(X, y) : this.all();
    var k = this.sizes[this.sizes.length - 1];
    var O = forward(this.net, this.theta, data.X, data.n, this.objective.logits);
    var value = LOSS[this.objective.loss](O, data.T, data.n, k)[0];
    return { loss: value, accuracy: accuracy(O, data.T, data.n, k, this.objective) };
  };
  Trainer.prototype.meanAbsWeightGradients = function () {
    var theta = this.grad;
    return this.net.layers.map(function (L) {
      var total = 0;
      for (var j = 0; j < L.nout; j++) {
        for (var i = 0; i < L.nin; i++) { total += Math.abs(theta[L.offset + j * (L.nin + 1) + i]); }
      }
      return total / (L.nin * L.nout);
    });
  };

  // The model's outputs (with its output activation, as nn.predict) for samples [[x1, x2], …]: flat n × k
  // scratch: see forward (the result is then overwritten by the next call with the same scratch)
  Trainer.prototype.predictFlat = function (X, n, scratch) { return forward(this.net, this.theta, X, n, false, null, null, scratch); };
  Trainer.prototype.predict = function (samples) {
    var nin = this.sizes[0], k = this.sizes[this.sizes.length - 1], X = new Float64Array(samples.length * nin);
    samples.forEach(function (row, r) { for (var i = 0; i < nin; i++) { X[r * nin + i] = row[i]; } });
    var O = this.predictFlat(X, samples.length), out = [];
    for (var r = 0; r < samples.length; r++) { out.push(k === 1 ? O[r] : Array.prototype.slice.call(O, r * k, r * k + k)); }
    return out;
  };
  Trainer.prototype.parameters = function () { return Array.prototype.slice.call(this.theta); };
  Trainer.prototype.gradients = function () { return Array.prototype.slice.call(this.grad); };
  Trainer.prototype.updates = function () { return Array.prototype.slice.call(this.lastUpdate); };

  // Changes while training: the learning rate (state kept, as optimizer.lr = … in Python), another
  // optimizer (new state), the hidden activation, L2, the weights.
  Trainer.prototype.setLearningRate = function (lr) {
    if (!(lr > 0)) { throw new RangeError("the learning rate must be > 0, got " + lr); }
    this.optimizer.lr = lr;
  };
  Trainer.prototype.setOptimizer = function (spec) { this.optimizer = makeOptimizer(spec, this.net.count); };
  Trainer.prototype.setActivation = function (name) {
    if (HIDDEN.indexOf(name) < 0) { throw new Error("trainer: unknown hidden activation " + name + "; choose one of " + HIDDEN.join(", ")); }
    this.activation = name;
    this.net = layout(this.sizes, name, this.output);
  };
  Trainer.prototype.setL2 = function (l2) {
    if (!(l2 >= 0)) { throw new RangeError("L2 must be ≥ 0, got " + l2); }
    this.l2 = l2;
  };
  function dotSelf(a) {  // θ·θ, in order
    var s = 0;
    for (var i = 0; i < a.length; i++) { s += a[i] * a[i]; }
    return s;
  }
  function accuracy(O, T, n, k, obj) {
    if (!obj.accuracy) { return null; }
    var right = 0;
    for (var r = 0; r < n; r++) {
      var guess, truth;
      if (obj.accuracy === "argmax") {
        guess = 0;
        for (var j = 1; j < k; j++) { if (O[r * k + j] > O[r * k + guess]) { guess = j; } }
        truth = T instanceof Int32Array ? T[r] : argmaxRow(T, r, k);
      } else {
        var o = O[r * k];
        guess = obj.accuracy === "sign" ? (o > 0 ? 1 : -1) : obj.accuracy === "logit" ? (o > 0 ? 1 : 0) : (o > 0.5 ? 1 : 0);
        truth = T[r * k];
      }
      if (guess === truth) { right += 1; }
    }
    return right / n;
  }
  function argmaxRow(T, r, k) {
    var best = 0;
    for (var j = 1; j < k; j++) { if (T[r * k + j] > T[r * k + best]) { best = j; } }
    return best;
  }

  function Divergence(message) { this.message = message; this.name = "Divergence"; }
  Divergence.prototype = Object.create(Error.prototype);

  // Weights drawn in the page (reinitialise): nn/init.py's "auto" (He normal for ReLU-like, Xavier
  // uniform otherwise; biases 0), from the page's generator: not the numbers Python's Mersenne
  // Twister would draw for the same seed, but the same distributions.
  function initialParameters(sizes, activation, output, seed) {
    var g = new random.Mulberry32(seed), theta = [], net = layout(sizes, activation, output);
    net.layers.forEach(function (L) {
      var act = L.activation === "softmax" ? "linear" : L.activation;
      var he = act === "relu" || act === "leaky_relu", a = Math.sqrt(6 / (L.nin + L.nout)), sd = Math.sqrt(2 / L.nin);
      for (var j = 0; j < L.nout; j++) {
        for (var i = 0; i < L.nin; i++) { theta.push(he ? sd * g.normal() : -a + 2 * a * g.random()); }
        theta.push(0);
      }
    });
    return theta;
  }

  // One update of a lone optimizer (for tests): the new θ and the optimizer's state after it
  function optimizerStep(spec, theta, g) {
    var o = makeOptimizer(spec, theta.length), next = applyRule(o, Float64Array.from(theta), Float64Array.from(g));
    var state = {};
    Object.keys(o.state).forEach(function (key) { state[key] = Array.prototype.slice.call(o.state[key]); });
    return { theta: Array.prototype.slice.call(next), state: state, steps: o.steps };
  }

  return { Trainer: Trainer, create: function (spec) { return new Trainer(spec); }, layout: layout, forward: forward,
           optimizerStep: optimizerStep,
           objective: objective, pairwiseSum: pairwiseSum, initialParameters: initialParameters, Divergence: Divergence,
           ACTIVATIONS: ACTIVATIONS, HIDDEN: HIDDEN, LOSSES: LOSSES };
});
