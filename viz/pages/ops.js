/* chainrule's table of operations, for the pages that compute (what-if, the playground).

   Each operation's value and local derivatives ∂out/∂parent side by side, as engine/value.py and
   engine/functional.py compute them (tests hold the two equal to 1e-12); the recomputation of a
   page's program, forward then backward; where Python's engine refuses an input, the refusal;
   and fmt, Python's "{:.4g}". No DOM: the same file is inlined into a page, where it is
   window.chainruleOps, and `require`d by Node's tests. */
(function (root, make) {
  "use strict";
  var ops = make();
  if (typeof module === "object" && module && module.exports) { module.exports = ops; } else { root.chainruleOps = ops; }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";
  var SQRT2 = Math.sqrt(2), SQRT_PI = Math.sqrt(Math.PI), SQRT_2PI = Math.sqrt(2 * Math.PI);

  // -- the table: [value, [∂out/∂parent, …]] from the parents' numbers v -----------------------------
  // `setting` is the operation's own number, which the engine stores on the node (the page's program
  // gives it as `s`): the exponent n of aⁿ, leaky_relu's slope, elu's α, a softmax output's index.
  // Read it as engine/value.py's docstrings.
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
      if (a === 0) { return [0, [b >= 1 ? (b === 1 ? 1 : 0) : Infinity, 0]]; }  // 0ᵇ: the limits, as value.py
      var p = Math.pow(a, b);
      return [p, [b * Math.pow(a, b - 1), p * Math.log(a)]];
    },
    "abs": function (v) { var a = v[0]; return a > 0 ? [a, [1]] : [-a, [a < 0 ? -1 : 0]]; },  // |a|: sign a
    "exp": function (v) { var e = Math.exp(v[0]); return [e, [e]]; },               // eᵃ:     eᵃ
    "log": function (v) { return [Math.log(v[0]), [1 / v[0]]]; },                   // ln a:   1/a
    "sin": function (v) { return [Math.sin(v[0]), [Math.cos(v[0])]]; },             // sin a:  cos a
    "cos": function (v) { return [Math.cos(v[0]), [-Math.sin(v[0])]]; },            // cos a:  −sin a
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
      return [alpha * Math.expm1(a), [alpha * Math.exp(a)]];  // expm1: exact near 0, as the engine
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
      var sh = shiftedExps(v), i = node.s, probs = sh.e.map(function (e) { return e / sh.total; }), p = probs[i];
      return [p, probs.map(function (q, j) { return p * ((j === i ? 1 : 0) - q); })];
    }
  };

  // -- where Python's engine refuses (it raises), the same refusal: [the exception, why] ---------------
  var REFUSALS = {
    "/": function (v) { if (v[1] === 0) { return ["ZeroDivisionError", "divides by zero"]; } },
    "**n": function (v, n) {
      if (v[0] === 0 && n < 0) { return ["ZeroDivisionError", "raises zero to a negative power"]; }
      if (v[0] < 0 && !Number.isInteger(n)) {
        return ["ValueError", "has a negative base and a non-integer exponent: the result is not a real number"];
      }
    },
    "**": function (v) {
      if (v[0] < 0) {
        return ["ValueError", "has a negative base: with the exponent in the graph, \u2202/\u2202b = a\u1d47\u00b7ln a is not real"];
      }
      if (v[0] === 0 && v[1] <= 0) { return ["ZeroDivisionError", "raises zero to a non-positive power"]; }
    },
    "log": function (v) { if (!(v[0] > 0)) { return ["ValueError", "needs a positive number"]; } }
  };
  // the names value.py gives the operations in its messages
  var TITLES = { "+": "add (+)", "-": "subtract (-)", "*": "multiply (*)", "/": "divide (/)", "**": "power (**)",
                 "**n": "power (**)", "neg": "negate (-)" };

  function Refusal(kind, reason) { this.kind = kind; this.reason = reason; }

  // The table's name for an op as the engine writes it for display: "leaky_relu(0.2)" → "leaky_relu",
  // "**3" → "**n" (a power of a number); the setting itself comes from the node, never from the name.
  function parseOp(op) {
    if (op.slice(0, 2) === "**" && op.length > 2) { return { name: "**n" }; }
    var m = /^(.*)\([^)]*\)$/.exec(op);
    return { name: m ? m[1] : op };
  }

  // [value, locals] of one node from its parents' numbers v; throws a Refusal where Python's engine
  // would raise: an input outside the operation's domain, or a result or local derivative that is
  // not a finite float (value.py's _node and _require_finite)
  function compute(node, v) {
    var op = parseOp(node.o), rule = TABLE[op.name];
    if (!rule) { throw new Error("no what-if rule for the operation " + node.o); }
    var refused = REFUSALS[op.name] && REFUSALS[op.name](v, node.s);
    if (refused) { throw new Refusal(refused[0], refused[1]); }
    var r = rule(v, node.s, node);
    if (!isFinite(r[0])) {
      throw new Refusal("OverflowError", op.name === "exp" ? "overflows a float (the largest finite exp is at a \u2248 709.78)"
                                                            : "overflows a float");
    }
    if (!r[1].every(isFinite)) { throw new Refusal("OverflowError", "has a local derivative that is not finite"); }
    return r;
  }

  // The forward pass over a program (the page's data.program: each node's op "o", parents "p" as
  // indices, number "d"), from `values` (one number per node; the leaves' are used), then backward:
  //     grad[root] = 1;  for each node from the root down:  grad[parent] += local × grad[node].
  // {data, grad, locals, finite, problem}: problem is null, or where Python's engine would refuse:
  // {node, op, title, kind (the exception Python raises), reason}; then data stops at that node.
  function evaluate(program, values) {
    var out = values.slice(), locals = [];
    for (var i = 0; i < program.length; i++) {
      var node = program[i];
      if (!node.p.length) { locals.push([]); continue; }
      try {
        var r = compute(node, node.p.map(function (j) { return out[j]; }));
      } catch (e) {
        if (!(e instanceof Refusal)) { throw e; }
        return refusal(out, locals, { node: i, op: node.o, title: title(node.o), kind: e.kind, reason: e.reason });
      }
      out[i] = r[0]; locals.push(r[1]);
    }
    var grad = backward(program, locals);
    for (var k = 0; k < grad.length; k++) {  // the engine checks every gradient after the pass (backward.py)
      if (!isFinite(grad[k])) {
        return refusal(out, locals, { node: k, op: "backward", title: "backward", kind: "OverflowError",
                                      reason: "the gradient overflows a float" });
      }
    }
    return { data: out, grad: grad, locals: locals, finite: true, problem: null };
  }
  function refusal(out, locals, problem) {
    return { data: out, grad: null, locals: locals, finite: false, problem: problem };
  }
  function backward(program, locals) {
    var grad = program.map(function () { return 0; });
    grad[program.length - 1] = 1;
    for (var i = program.length - 1; i >= 0; i--) {
      for (var k = 0; k < program[i].p.length; k++) { grad[program[i].p[k]] += locals[i][k] * grad[i]; }
    }
    return grad;
  }
  function title(op) { var name = parseOp(op).name; return TITLES[name] || name; }

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
  // round-half-even correction of the last two. Where Python's fsum raises (an intermediate
  // overflow) this gives a number that is not finite.
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

  // erfc(x) = 1 − erf(x), to about 6e-16 relative:
  //   x < 0.5    1 − erf(x), erf(x) = 2/√π · Σ (−1)ᵏ x²ᵏ⁺¹ / (k!(2k + 1))
  //   x ≥ 0.5    e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), the continued fraction
  //              evaluated from its tail (stable), with e^(−x²) from x² split exactly in two
  //   x ≥ 27.5   0: erfc(x) < e^(−x²)/(x√π) is below half the smallest double
  //   x < 0      2 − erfc(−x)
  function erfc(x) {
    if (x < 0) { return 2 - erfc(-x); }
    if (x >= 27.5) { return 0; }
    if (x < 0.5) {
      var term = x, sum = x, xx = x * x;
      for (var k = 1; Math.abs(term) > 1e-17 * sum; k++) { term *= -xx / k; sum += term / (2 * k + 1); }
      return 1 - 2 / SQRT_PI * sum;
    }
    var f = 0;
    for (var n = Math.ceil(300 / (x * x)) + 40; n >= 1; n--) { f = (n / 2) / (x + f); }
    return expMinusSquare(x) / SQRT_PI / (x + f);
  }
  // e^(−x²) without the rounding of x²: x = hi + lo with hi of 26 bits, so hi² is exact and
  // x² = hi² + lo·(hi + x)
  function expMinusSquare(x) {
    var c = 134217729 * x, hi = c - (c - x), lo = x - hi;
    return Math.exp(-hi * hi) * Math.exp(-lo * (hi + x));
  }

  // -- fmt: Python's "{:.4g}", exactly ------------------------------------------------------------------
  // The number's exact decimal digits (a double is m·2ᵉ, so its expansion is finite), rounded to 4
  // significant figures half to even as Python rounds, then written as "g" writes: fixed point
  // for 1e-4 ≤ |x| < 1e4 after rounding, else d.ddde±XX; trailing zeros dropped.
  function fmt(x) {
    if (x !== x) { return "nan"; }
    var sign = x < 0 || Object.is(x, -0) ? "-" : "";
    if (x === Infinity || x === -Infinity) { return sign + "inf"; }
    if (x === 0) { return sign + "0"; }
    var d = exactDecimal(Math.abs(x)), digits = (d.digits + "000").slice(0, 4), rest = d.digits.slice(4);
    var power = d.digits.length - 1 + d.shift;  // |x| = d.ddd… × 10^power
    var up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || "13579".indexOf(digits[3]) >= 0));
    if (up) {
      digits = String(parseInt(digits, 10) + 1);
      if (digits.length === 5) { digits = "1000"; power += 1; }
    }
    var text;
    if (power < -4 || power >= 4) {
      var mantissa = (digits[0] + "." + digits.slice(1)).replace(/\.?0+$/, "");
      text = mantissa + "e" + (power < 0 ? "-" : "+") + (Math.abs(power) < 10 ? "0" : "") + Math.abs(power);
    } else if (power >= 0) {
      text = (digits.slice(0, power + 1) + "." + digits.slice(power + 1)).replace(/\.?0*$/, "");
    } else {
      text = ("0." + "000".slice(0, -power - 1) + digits).replace(/0+$/, "");
    }
    return sign + text;
  }
  // |x| (finite, > 0) = digits × 10^shift exactly, digits without trailing zeros
  function exactDecimal(x) {
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    var high = view.getUint32(0), biased = high >>> 20;
    var m = (BigInt(high & 0xfffff) << BigInt(32)) | BigInt(view.getUint32(4)), e = -1074;
    if (biased) { m |= BigInt(1) << BigInt(52); e = biased - 1075; }  // x = m·2ᵉ
    // 2ᵉ = 5⁻ᵉ·10ᵉ for e < 0: the digits of m·5⁻ᵉ, shifted
    var digits = e >= 0 ? (m << BigInt(e)).toString() : (m * BigInt(5) ** BigInt(-e)).toString(), shift = Math.min(e, 0);
    var zeros = /0*$/.exec(digits)[0].length;
    return { digits: digits.slice(0, digits.length - zeros), shift: shift + zeros };
  }

  return { compute: compute, evaluate: evaluate, backward: backward, parseOp: parseOp, title: title,
           fsum: fsum, erfc: erfc, normalCdf: normalCdf, normalPdf: normalPdf, sigmoid: sigmoid, fmt: fmt, Refusal: Refusal,
           OPERATIONS: Object.keys(TABLE) };
});
