/* chainrule's table of operations, for the pages that compute (what-if, the playground).

   Each operation's value and local derivatives ∂out/∂parent side by side, as engine/value.py and
   engine/functional.py compute them (tests hold the two equal to 1e-12); the recomputation of a
   page's program, forward then backward; and fmt, 4 significant figures as Python's "{:.4g}". No DOM: the same file is inlined into a page, where it is
   window.chainruleOps, and `require`d by Node's tests. */
(function (root, make) {
  "use strict";
  var ops = make();
  if (typeof module === "object" && module && module.exports) { module.exports = ops; } else { root.chainruleOps = ops; }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";
  var SQRT2 = Math.sqrt(2), SQRT_2PI = Math.sqrt(2 * Math.PI);

  // -- the table: [value, [∂out/∂parent, …]] from the parents' numbers v -----------------------------
  // `node` carries what the op name does not: a softmax output's index i; `setting` is the number in
  // the op name ("leaky_relu(0.2)", "**3"). Read it as engine/value.py's docstrings.
  var TABLE = {
    "+": function (v) { return [v[0] + v[1], [1, 1]]; },                            // a + b:  1, 1
    "-": function (v) { return [v[0] - v[1], [1, -1]]; },                           // a − b:  1, −1
    "*": function (v) { return [v[0] * v[1], [v[1], v[0]]]; },                      // a·b:    b, a
    "/": function (v) { var a = v[0], b = v[1]; return [a / b, [1 / b, -(a / b) / b]]; },  // a/b: 1/b, −a/b²
    "neg": function (v) { return [-v[0], [-1]]; },                                  // −a:     −1
    "**n": function (v, n) {                                                        // aⁿ:     n·aⁿ⁻¹
      var a = v[0];
      return [Math.pow(a, n), [n === 0 ? 0 : n === 1 ? 1 : n * Math.pow(a, n - 1)]];
    },
    "**": function (v) {                                                            // aᵇ:     b·aᵇ⁻¹, aᵇ·ln a
      var a = v[0], b = v[1];
      if (a === 0) { return [0, [b === 1 ? 1 : 0, 0]]; }
      var p = Math.pow(a, b);
      return [p, [b * Math.pow(a, b - 1), p * Math.log(a)]];
    },
    "abs": function (v) { var a = v[0]; return a > 0 ? [a, [1]] : [-a, [a < 0 ? -1 : 0]]; },  // |a|: sign a
    "exp": function (v) { var e = Math.exp(v[0]); return [e, [e]]; },               // eᵃ:     eᵃ
    "log": function (v) { return [Math.log(v[0]), [1 / v[0]]]; },                   // ln a:   1/a
    "tanh": function (v) { var t = Math.tanh(v[0]); return [t, [1 - t * t]]; },    // tanh a: 1 − tanh²a
    "sigmoid": function (v) { var s = sigmoid(v[0]); return [s, [s * (1 - s)]]; },  // σ(a):   σ(a)(1 − σ(a))
    "softplus": function (v) {                                                      // ln(1 + eᵃ): σ(a)
      var a = v[0];
      return [Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))), [sigmoid(a)]];
    },
    "relu": function (v) { return v[0] > 0 ? [v[0], [1]] : [0, [0]]; },            // max(0, a): 1 or 0
    "leaky_relu": function (v, s) {                                                 // a or s·a: 1 or s
      var k = s === undefined ? 0.01 : s;
      return v[0] > 0 ? [v[0], [1]] : [k * v[0], [k]];
    },
    "elu": function (v, s) {                                                        // a or α(eᵃ − 1): 1 or α·eᵃ
      var alpha = s === undefined ? 1 : s, a = v[0];
      if (a > 0) { return [a, [1]]; }
      var e = Math.exp(a);
      return [alpha * (e - 1), [alpha * e]];
    },
    "gelu": function (v) {                                                          // a·Φ(a): Φ(a) + a·φ(a)
      var a = v[0], cdf = normalCdf(a);
      return [a * cdf, [cdf + a * normalPdf(a)]];
    },
    "\u03a6": function (v) { return [normalCdf(v[0]), [normalPdf(v[0])]]; },        // Φ(a):   φ(a)
    "sum": function (v) { return [fsum(v), v.map(function () { return 1; })]; },   // Σ xᵢ:   1
    "mean": function (v) {                                                          // Σ xᵢ/n: 1/n
      var n = v.length, m = fsum(v) / n;
      if (!isFinite(m)) { m = fsum(v.map(function (x) { return x / n; })); }  // the sum overflows, the mean need not
      return [m, v.map(function () { return 1 / n; })];
    },
    "dot": function (v) {                                                           // Σ wᵢxᵢ + b: xᵢ, wᵢ, 1
      var terms = [], locals = [];
      for (var i = 0; i + 1 < v.length; i += 2) { terms.push(v[i] * v[i + 1]); locals.push(v[i + 1], v[i]); }
      if (v.length % 2) { terms.push(v[v.length - 1]); locals.push(1); }
      return [fsum(terms), locals];
    },
    "logsumexp": function (v) {                                                     // log Σ eˣⁱ: softmax(x)ᵢ
      var s = shiftedExps(v);
      return [s.m + Math.log(s.total), s.e.map(function (e) { return e / s.total; })];
    },
    "softmax": function (v, s, node) {                                              // pᵢ: pᵢ(δᵢⱼ − pⱼ)
      var sh = shiftedExps(v), i = node.i, probs = sh.e.map(function (e) { return e / sh.total; }), p = probs[i];
      return [p, probs.map(function (q, j) { return p * ((j === i ? 1 : 0) - q); })];
    }
  };

  // "leaky_relu(0.2)" → {name: "leaky_relu", setting: 0.2}; "**3" → {name: "**n", setting: 3}
  function parseOp(op) {
    if (op.slice(0, 2) === "**" && op.length > 2) { return { name: "**n", setting: parseFloat(op.slice(2)) }; }
    var m = /^(.*)\(([^)]*)\)$/.exec(op);
    return m ? { name: m[1], setting: parseFloat(m[2]) } : { name: op, setting: undefined };
  }

  // [value, locals] of one node from its parents' numbers v
  function compute(node, v) {
    var op = parseOp(node.o), rule = TABLE[op.name];
    if (!rule) { throw new Error("no what-if rule for the operation " + node.o); }
    return rule(v, op.setting, node);
  }

  // The forward pass over a program (the page's data.program: each node's op "o", parents "p" as
  // indices, number "d"), from `values` (one number per node; the leaves' are used), then backward:
  //     grad[root] = 1;  for each node from the root down:  grad[parent] += local × grad[node].
  // {data, grad, locals, finite}: finite is false where a number is not (the engine would refuse it).
  function evaluate(program, values) {
    var out = values.slice(), locals = [];
    program.forEach(function (node, i) {
      if (!node.p.length) { locals.push([]); return; }
      var r = compute(node, node.p.map(function (j) { return out[j]; }));
      out[i] = r[0]; locals.push(r[1]);
    });
    var grad = backward(program, locals);
    var finite = out.concat(grad).every(isFinite) && locals.every(function (l) { return l.every(isFinite); });
    return { data: out, grad: grad, locals: locals, finite: finite };
  }
  function backward(program, locals) {
    var grad = program.map(function () { return 0; });
    grad[program.length - 1] = 1;
    for (var i = program.length - 1; i >= 0; i--) {
      for (var k = 0; k < program[i].p.length; k++) { grad[program[i].p[k]] += locals[i][k] * grad[i]; }
    }
    return grad;
  }

  // -- numeric helpers ---------------------------------------------------------------------------------

  // σ(a) without overflow: e^(−a) for a ≥ 0, e^a for a < 0 (value.py's _sigmoid)
  function sigmoid(a) { if (a >= 0) { return 1 / (1 + Math.exp(-a)); } var e = Math.exp(a); return e / (1 + e); }
  function normalCdf(a) { return 0.5 * erfc(-a / SQRT2); }             // Φ(a)
  function normalPdf(a) { return Math.exp(-0.5 * a * a) / SQRT_2PI; }  // φ(a) = e^(−a²/2)/√(2π)
  // (m, [e^(xᵢ − m)], Σ e^(xᵢ − m)) with m = max xᵢ: nothing overflows (functional.py's _shifted_exps)
  function shiftedExps(xs) {
    var m = Math.max.apply(null, xs), e = xs.map(function (x) { return Math.exp(x - m); });
    return { m: m, e: e, total: fsum(e) };
  }

  // Σ xs exactly rounded, as Python's math.fsum: Shewchuk's non-overlapping partials, then the
  // round-half-even correction of the last two.
  function fsum(xs) {
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
      while (n > 0) { var x = hi, y = partials[--n]; hi = x + y; lo = y - (hi - x); if (lo !== 0) { break; } }
      if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        var y2 = lo * 2, x2 = hi + y2;
        if (y2 === x2 - hi) { hi = x2; }
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

  function fmt(x) {  // 4 significant figures, as Python's "{:.4g}"
    if (x === 0) { return "0"; }
    var e = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(4)))));
    if (e < -4 || e >= 4) {
      var parts = x.toExponential(3).split("e"), mant = parts[0].replace(/\.?0+$/, ""), exp = parseInt(parts[1], 10);
      return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return x.toFixed(Math.max(0, 3 - e)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }

  return { compute: compute, evaluate: evaluate, backward: backward, parseOp: parseOp,
           fsum: fsum, erfc: erfc, sigmoid: sigmoid, fmt: fmt, OPERATIONS: Object.keys(TABLE) };
});
