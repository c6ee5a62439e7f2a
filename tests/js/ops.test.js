// The pages' table of operations (viz/pages/ops.js) under Node: every operation's value and local
// derivatives against numbers worked out by hand and against central differences; fsum against exact
// sums; erfc against 90-digit reference values; fmt against Python's "{:.4g}"; evaluate's forward,
// backward and refusals on small programs. Run with `node --test tests/js/` (no npm package needed).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const ops = require("../../viz/pages/ops.js");

const LN2 = 0.6931471805599453, LN3 = 1.0986122886681098, SQRT3_2 = 0.8660254037844386;
const PHI_1 = 0.8413447460685429, PDF_1 = 0.24197072451914337;  // Φ(1), φ(1) = e^(−1/2)/√(2π)

function close(actual, expected, tolerance, what) {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance * scale,
            `${what}: ${actual} is not ${expected} (to ${tolerance}, relative above 1)`);
}
// a node as the page's program gives it; the setting, which the engine stores on the node, as `s`
function node(o, extra) {
  const setting = o.slice(0, 2) === "**" && o.length > 2 ? { s: parseFloat(o.slice(2)) }
    : /\(([^)]*)\)$/.test(o) ? { s: parseFloat(/\(([^)]*)\)$/.exec(o)[1]) }
    : o === "leaky_relu" ? { s: 0.01 } : o === "elu" ? { s: 1 } : {};
  return Object.assign({ o: o, p: [] }, setting, extra || {});
}

// [op, parents' numbers, value, local derivatives, extra node fields]: every value by hand
const BY_HAND = [
  ["+", [2, 3], 5, [1, 1]],
  ["-", [2, 3], -1, [1, -1]],
  ["*", [2, 3], 6, [3, 2]],
  ["/", [3, 4], 0.75, [0.25, -3 / 16]],               // 1/b, −a/b²
  ["neg", [2.5], -2.5, [-1]],
  ["**3", [2], 8, [12]],                               // n·aⁿ⁻¹
  ["**0.5", [4], 2, [0.25]],
  ["**-1", [4], 0.25, [-1 / 16]],
  ["**0", [5], 1, [0]],
  ["**", [2, 3], 8, [12, 8 * LN2]],                    // b·aᵇ⁻¹, aᵇ·ln a
  ["**", [0, 2], 0, [0, 0]],                           // 0ᵇ for b > 1: the limits, as the engine stores them
  ["**", [0, 1], 0, [1, 0]],
  ["abs", [-3], 3, [-1]],
  ["abs", [0], 0, [0]],
  ["exp", [LN2], 2, [2]],
  ["log", [2], LN2, [0.5]],
  ["sin", [Math.PI / 6], 0.5, [SQRT3_2]],
  ["cos", [Math.PI / 3], 0.5, [-SQRT3_2]],
  ["tanh", [LN2], 0.6, [0.64]],                        // (2 − ½)/(2 + ½); 1 − 0.6²
  ["sigmoid", [LN3], 0.75, [3 / 16]],                  // 3/(3 + 1); σ(1 − σ)
  ["sigmoid", [-LN3], 0.25, [3 / 16]],
  ["softplus", [LN3], 2 * LN2, [0.75]],                // ln(1 + 3) = ln 4; σ(ln 3)
  ["softplus", [-LN3], Math.log(4 / 3), [0.25]],
  ["relu", [2], 2, [1]],
  ["relu", [-2], 0, [0]],
  ["leaky_relu", [-2], -0.02, [0.01]],
  ["leaky_relu(0.2)", [-2], -0.4, [0.2]],
  ["leaky_relu(0.2)", [3], 3, [1]],
  ["elu", [-LN2], -0.5, [0.5]],                        // e^(−ln 2) − 1; e^(−ln 2)
  ["elu(2.0)", [-LN2], -1, [1]],
  ["elu", [1.5], 1.5, [1]],
  ["gelu", [0], 0, [0.5]],                             // 0·Φ(0); Φ(0) + 0
  ["gelu", [1], PHI_1, [PHI_1 + PDF_1]],
  ["gelu", [-1], -(1 - PHI_1), [(1 - PHI_1) - PDF_1]],
  ["\u03a6", [1], PHI_1, [PDF_1]],
  ["sum", [1, 2, 3.5], 6.5, [1, 1, 1]],
  ["mean", [1, 2, 3, 6], 3, [0.25, 0.25, 0.25, 0.25]],
  ["dot", [2, 3, 4, 5, 1], 27, [3, 2, 5, 4, 1]],       // 2·3 + 4·5 + 1: xᵢ for wᵢ, wᵢ for xᵢ, 1 for b
  ["dot", [2, 3, 4, 5], 26, [3, 2, 5, 4]],
  ["logsumexp", [0, LN3], 2 * LN2, [0.25, 0.75]],      // ln(1 + 3); softmax
  ["softmax", [0, LN3], 0.75, [-3 / 16, 3 / 16], { s: 1 }],   // p₁(δ₁ⱼ − pⱼ)
  ["softmax", [0, LN3], 0.25, [3 / 16, -3 / 16], { s: 0 }],
];

test("every operation's value and local derivatives equal the ones worked out by hand", () => {
  for (const [op, v, value, locals, extra] of BY_HAND) {
    const [out, got] = ops.compute(node(op, extra), v);
    close(out, value, 4e-16, `${op} value`);
    assert.equal(got.length, locals.length, `${op}: one local derivative per parent`);
    got.forEach((g, k) => close(g, locals[k], 4e-16, `${op} ∂/∂parent ${k}`));
  }
  const named = new Set(BY_HAND.map(([op]) => ops.parseOp(op).name));
  assert.deepEqual([...ops.OPERATIONS].sort(), [...named].sort(), "every operation in the table is checked by hand");
});

// Points away from kinks (relu, abs, …) and from where an operation is undefined.
const SMOOTH_POINTS = {
  "+": [[0.3, -1.7]], "-": [[0.3, -1.7]], "*": [[0.3, -1.7]], "/": [[0.3, -1.7], [-2.2, 0.4]],
  "neg": [[0.7]], "**3": [[-1.3]], "**0.5": [[2.2]], "**-2": [[0.8]], "**2.5": [[1.1]], "**": [[1.7, -0.6], [0.4, 2.3]],
  "abs": [[-0.4], [1.2]], "exp": [[1.3], [-2]], "log": [[0.3], [5]], "sin": [[0.4], [2.9]], "cos": [[0.4], [-2.1]],
  "tanh": [[0.6], [-1.9]], "sigmoid": [[0.6], [-3.1]], "softplus": [[0.6], [-3.1]], "relu": [[0.8], [-0.8]],
  "leaky_relu": [[-0.8]], "leaky_relu(0.3)": [[-0.8], [0.8]], "elu": [[-0.8], [0.8]], "elu(0.5)": [[-1.4]],
  "gelu": [[-1.4], [0.3], [2.6]], "\u03a6": [[-0.7], [1.9]],
  "sum": [[0.5, -1.5, 2]], "mean": [[0.5, -1.5, 2]], "dot": [[0.5, -1.5, 2, 0.25, -1], [0.5, -1.5, 2, 0.25]],
  "logsumexp": [[0.5, -1.5, 2]], "softmax": [[0.5, -1.5, 2]],
};

test("every local derivative equals the central difference of the operation's value", () => {
  const h = 1e-6;
  for (const [op, points] of Object.entries(SMOOTH_POINTS)) {
    for (const v of points) {
      const outputs = op === "softmax" ? [0, 1, 2] : [undefined];
      for (const i of outputs) {
        const n = node(op, i === undefined ? {} : { s: i }), [, locals] = ops.compute(n, v);
        v.forEach((x, k) => {
          const up = v.slice(), down = v.slice();
          up[k] = x + h; down[k] = x - h;
          const numeric = (ops.compute(n, up)[0] - ops.compute(n, down)[0]) / (2 * h);
          close(locals[k], numeric, 1e-7, `${op}${i === undefined ? "" : "[" + i + "]"} at ${v}: ∂/∂parent ${k}`);
        });
      }
    }
  }
  const covered = new Set(Object.keys(SMOOTH_POINTS).map((op) => ops.parseOp(op).name));
  assert.deepEqual([...ops.OPERATIONS].sort(), [...covered].sort(), "every operation is checked against central differences");
});

// The exact sum of doubles: each is m·2ᵉ, so over the smallest exponent they are integers (BigInt);
// the sum, converted by Number() (round to nearest, ties to even), scaled back (exact for normal results).
function exactSum(xs) {
  const parts = xs.map((x) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const high = view.getUint32(0), biased = (high >>> 20) & 0x7ff;
    let m = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4)), e = -1074;
    if (biased) { m |= 1n << 52n; e = biased - 1075; }
    return { m: x < 0 ? -m : m, e: e };
  });
  if (!parts.length) { return 0; }
  const low = Math.min(...parts.map((p) => p.e));
  const total = parts.reduce((s, p) => s + (p.m << BigInt(p.e - low)), 0n);
  return Number(total) * 2 ** low;
}

test("fsum is the exactly rounded sum where adding in order is wrong", () => {
  const naive = (xs) => xs.reduce((a, b) => a + b, 0);
  const cases = [
    [[1e100, 1, -1e100], 1],
    [Array(10).fill(0.1), 1],                            // naive: 0.9999999999999999
    [[1, 1e-16, 1e-16, 1e-16, 1e-16], 1.0000000000000004],
    [[1e16, 1, 1, -1e16], 2],                             // naive: 0
    [[0.1, 0.2, -0.3], 2.7755575615628914e-17],           // Python: math.fsum([0.1, 0.2, -0.3])
    [[1, 2 ** -53, 2 ** -104], 1.0000000000000002],       // the half-even correction of the last partials
    [[], 0],
  ];
  for (const [xs, expected] of cases) {
    assert.equal(ops.fsum(xs), expected, `fsum(${xs})`);
    assert.equal(exactSum(xs), expected, `the exact sum of ${xs}`);
  }
  assert.notEqual(naive(cases[0][0]), 1);
  assert.notEqual(naive(cases[1][0]), 1);
  assert.notEqual(naive(cases[3][0]), 2);
  // random lists with heavy cancellation, against the exact sum
  let seed = 12345;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  let wrong = 0;
  for (let t = 0; t < 2000; t++) {
    const xs = [];
    for (let k = 0; k < 2 + Math.floor(random() * 10); k++) {
      const x = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      xs.push(x, random() < 0.5 ? -x * (1 + random() * 1e-12) : x * random());
    }
    assert.equal(ops.fsum(xs), exactSum(xs), `fsum(${xs})`);
    if (naive(xs) !== exactSum(xs)) { wrong++; }
  }
  assert.ok(wrong > 500, `the random lists are ones naive summation gets wrong (${wrong} of 2000)`);
});

// erfc(x) to 90 significant digits with Python's decimal module (the series for erf up to 6, the
// continued fraction beyond, agreeing to 1e-50 where both apply), rounded to the nearest double.
const ERFC = [
  [-5.0, 1.9999999999984626], [-2.5, 1.999593047982555], [-1.0, 1.8427007929497148],
  [-0.3, 1.3286267594591274], [-1e-09, 1.0000000011283792], [0.0, 1.0], [1e-300, 1.0],
  [1e-09, 0.9999999988716208], [0.1, 0.887537083981715], [0.25, 0.7236736098317631],
  [0.4999999999999999, 0.47950012218695354], [0.5, 0.4795001221869535], [0.75, 0.28884436634648486],
  [1.0, 0.15729920705028513], [1.25, 0.07709987174354177], [1.5, 0.033894853524689274],
  [2.0, 0.004677734981047266], [2.5, 0.0004069520174449589], [3.0, 2.209049699858544e-05],
  [3.5, 7.430983723414128e-07], [4.0, 1.541725790028002e-08], [5.0, 1.537459794428035e-12],
  [6.0, 2.1519736712498913e-17], [7.5, 2.776649386030569e-26], [10.0, 2.088487583762545e-45],
  [12.5, 6.231942781979911e-70], [15.0, 7.212994172451207e-100], [20.0, 5.395865611607901e-176],
  [25.0, 8.300172571196523e-274], [26.5, 2.2109076642637343e-307],
];

test("erfc equals 90-digit reference values to 1e-15, relative", () => {
  for (const [x, expected] of ERFC) {
    const got = ops.erfc(x);
    assert.ok(Math.abs(got - expected) <= 1e-15 * expected, `erfc(${x}) = ${got}, not ${expected}`);
  }
});

// Python 3's f"{x:.4g}" for each x (captured from Python; ties round half to even, as Python does
// on the number's exact value: 1234.5 → 1234, 1.0625 → 1.062)
const PYTHON_4G = [
  [0.0, "0"], [-0.0, "-0"], [1.0, "1"], [-1.0, "-1"], [0.5, "0.5"], [0.0570704, "0.05707"], [3.2e-07, "3.2e-07"],
  [12345.0, "1.234e+04"], [1234.5, "1234"], [1235.5, "1236"], [-1234.5, "-1234"], [1.0625, "1.062"],
  [1.0635, "1.063"], [0.125, "0.125"], [9999.5, "1e+04"], [9999.499999999998, "9999"], [99995.0, "1e+05"],
  [0.0001, "0.0001"], [9.999995e-05, "0.0001"], [9.9994e-05, "9.999e-05"], [1e-05, "1e-05"], [1e+16, "1e+16"],
  [1.5e+100, "1.5e+100"], [5e-324, "4.941e-324"], [1.7976931348623157e+308, "1.798e+308"],
  [2.2250738585072014e-308, "2.225e-308"], [123.456, "123.5"], [0.30000000000000004, "0.3"],
  [0.3333333333333333, "0.3333"], [-0.6666666666666666, "-0.6667"], [100.0, "100"], [1000.0, "1000"],
  [10000.0, "1e+04"], [0.001021, "0.001021"], [9.9999e-05, "0.0001"], [65536.0, "6.554e+04"],
  [4096.5, "4096"], [0.00012345, "0.0001234"], [1e+21, "1e+21"], [1e-07, "1e-07"],
  [Infinity, "inf"], [-Infinity, "-inf"], [NaN, "nan"],
];

test("fmt writes what Python's \"{:.4g}\" writes", () => {
  for (const [x, expected] of PYTHON_4G) { assert.equal(ops.fmt(x), expected, `fmt(${x})`); }
});

// Programs: nodes in topological order, each {o: op, p: parents, d: number}; the last is the root.
const leaf = (d) => ({ o: "", p: [], d: d });

test("evaluate runs forward then backward: a reused node gets the sum over its paths", () => {
  // z = x·y + x at x = 2, y = 3:  ∂z/∂x = y + 1 = 4,  ∂z/∂y = x = 2
  const program = [leaf(2), leaf(3), { o: "*", p: [0, 1] }, { o: "+", p: [2, 0] }];
  const r = ops.evaluate(program, [2, 3, 0, 0]);
  assert.equal(r.finite, true);
  assert.equal(r.problem, null);
  assert.deepEqual(r.data, [2, 3, 6, 8]);
  assert.deepEqual(r.locals, [[], [], [3, 2], [1, 1]]);
  assert.deepEqual(r.grad, [4, 2, 1, 1]);
  // the notes' neuron a = σ(w·x + b) at w = 0.15, x = 0.1, b = 0.4: ∂a/∂w = σ'(z)·x, ∂a/∂x = σ'(z)·w
  const neuron = [leaf(0.15), leaf(0.1), leaf(0.4), { o: "dot", p: [0, 1, 2] }, { o: "sigmoid", p: [3] }];
  const n = ops.evaluate(neuron, [0.15, 0.1, 0.4, 0, 0]), s = 1 / (1 + Math.exp(-0.415));
  close(n.data[4], s, 1e-16, "a");
  close(n.grad[0], s * (1 - s) * 0.1, 1e-16, "∂a/∂w");
  close(n.grad[1], s * (1 - s) * 0.15, 1e-16, "∂a/∂x");
  close(n.grad[2], s * (1 - s), 1e-16, "∂a/∂b");
  // a softmax output against its two inputs: ∂p₀/∂x₀ = p₀(1 − p₀), ∂p₀/∂x₁ = −p₀p₁ at p = (¼, ¾)
  const soft = [leaf(0), leaf(LN3), { o: "softmax", p: [0, 1], s: 0 }];
  const p = ops.evaluate(soft, [0, LN3, 0]);
  close(p.grad[0], 3 / 16, 4e-16, "∂p₀/∂x₀");
  close(p.grad[1], -3 / 16, 4e-16, "∂p₀/∂x₁");
});

test("where Python's engine refuses an input, evaluate says which operation and why, and computes no gradient", () => {
  const refused = (program, values) => ops.evaluate(program, values).problem;
  const xy = (op) => [leaf(1), leaf(1), { o: op, p: [0, 1] }];
  const cases = [
    [xy("/"), [1, 0, 0], "divide (/)", "ZeroDivisionError", /divides by zero/],
    [xy("**"), [0, -1, 0], "power (**)", "ZeroDivisionError", /zero to a non-positive power/],
    [xy("**"), [0, 0, 0], "power (**)", "ZeroDivisionError", /zero to a non-positive power/],
    [xy("**"), [0, 0.5, 0], "power (**)", "OverflowError", /local derivative/],      // b·aᵇ⁻¹ at a = 0
    [xy("**"), [-2, 2, 0], "power (**)", "ValueError", /negative base/],
    [xy("**"), [10, 400, 0], "power (**)", "OverflowError", /overflows/],
    [xy("*"), [1e200, 1e200, 0], "multiply (*)", "OverflowError", /overflows/],
    [[leaf(1), { o: "**-1", p: [0], s: -1 }], [0, 0], "power (**)", "ZeroDivisionError", /negative power/],
    [[leaf(1), { o: "**0.5", p: [0], s: 0.5 }], [-4, 0], "power (**)", "ValueError", /non-integer exponent/],
    [[leaf(1), { o: "**0.5", p: [0], s: 0.5 }], [0, 0], "power (**)", "OverflowError", /local derivative/],
    [[leaf(1), { o: "log", p: [0] }], [0, 0], "log", "ValueError", /positive number/],
    [[leaf(1), { o: "log", p: [0] }], [-1, 0], "log", "ValueError", /positive number/],
    [[leaf(1), { o: "log", p: [0] }], [5e-324, 0], "log", "OverflowError", /local derivative/],  // 1/a
    [[leaf(1), { o: "exp", p: [0] }], [710, 0], "exp", "OverflowError", /709\.78/],
    [[leaf(1), leaf(1), { o: "sum", p: [0, 1] }], [1.7e308, 1.7e308, 0], "sum", "OverflowError", /overflows/],
    [[leaf(1), leaf(1), { o: "dot", p: [0, 1] }], [1e200, 1e200, 0], "dot", "OverflowError", /overflows/],
  ];
  for (const [program, values, title, kind, reason] of cases) {
    const p = refused(program, values);
    assert.ok(p, `${title} at ${values} is refused`);
    assert.equal(p.node, program.length - 1);
    assert.equal(p.title, title);
    assert.equal(p.kind, kind, `${title} at ${values}`);
    assert.match(p.reason, reason);
    assert.equal(ops.evaluate(program, values).grad, null);
  }
  // the engine's mean divides first when only the sum overflows: no refusal
  const mean = ops.evaluate([leaf(1), leaf(1), { o: "mean", p: [0, 1] }], [1.7e308, 1.7e308, 0]);
  assert.equal(mean.problem, null);
  assert.equal(mean.data[2], 1.7e308);
  // every value and local derivative finite, the gradient not: backward refuses (backward.py's check)
  //   L = ln(a) · 1e10 at a = 1e-300:  ∂L/∂a = 1e10 / a = 1e310
  const steep = [leaf(1), { o: "log", p: [0] }, { o: "const", p: [], d: 1e10 }, { o: "*", p: [1, 2] }];
  const b = ops.evaluate(steep, [1e-300, 0, 1e10, 0]);
  assert.equal(b.finite, false);
  assert.deepEqual([b.problem.op, b.problem.node, b.problem.kind], ["backward", 0, "OverflowError"]);
  // the first refusal in the program's order is the one reported; nothing after it is computed
  const two = [leaf(1), { o: "log", p: [0] }, { o: "/", p: [1, 0] }];
  const first = ops.evaluate(two, [0, 0, 0]);
  assert.equal(first.problem.node, 1);
  assert.equal(first.data[2], 0);
});

test("an operation the table does not know is an error, not a refusal", () => {
  assert.throws(() => ops.evaluate([leaf(1), { o: "frobnicate", p: [0] }], [1, 0]), /no what-if rule for the operation frobnicate/);
});
