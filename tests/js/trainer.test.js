// The playground's trainer (viz/pages/trainer.js) under Node: a step worked out by hand, every loss's
// and activation's gradient against central differences, each optimizer's rule against numbers by
// hand, mini-batches in the shuffler's order, what an epoch records, and a diverging step refused.
// Its parity with nn.fit is tested from Python (tests/viz/test_trainer_parity.py).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const T = require("../../viz/pages/trainer.js");
const { Mulberry32 } = require("../../viz/pages/random.js");

function close(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
            `${what}: ${actual} is not ${expected} (to ${tolerance})`);
}

test("one SGD step on a single linear neuron, worked out by hand", () => {
  // o = w·x + b, L = mean (o − t)²; x = 1, 2; t = 2, 3; w = 0.5, b = 0
  const t = T.create({ sizes: [1, 1], activation: "relu", output: "linear", loss: "mse", parameters: [0.5, 0],
                       optimizer: { kind: "sgd", lr: 0.1 }, X: [[1], [2]], y: [2, 3] });
  const loss = t.step();
  close(loss, (1.5 ** 2 + 2 ** 2) / 2, 1e-15, "L = ((0.5 − 2)² + (1 − 3)²)/2 = 3.125");
  // ∂L/∂w = (2/2)(−1.5·1 − 2·2) = −5.5, ∂L/∂b = −1.5 − 2 = −3.5
  assert.deepEqual(t.gradients().map((g) => +g.toFixed(12)), [-5.5, -3.5]);
  close(t.parameters()[0], 1.05, 1e-15, "w ← 0.5 − 0.1 × (−5.5)");
  close(t.parameters()[1], 0.35, 1e-15, "b ← 0 − 0.1 × (−3.5)");
  // the epoch's record, as History.loss: the batch's loss as it was measured, before the update
  assert.equal(t.losses.length, 1);
  assert.equal(t.losses[0], loss);
  t.setL2(0.5);
  const [w, b] = t.parameters();  // w = 1.05, b = 0.35: o = 1.4, 2.45
  t.epoch();  // the record adds λ‖θ‖² to the loss, both at the weights the step started from
  close(t.losses[1], (0.6 ** 2 + 0.55 ** 2) / 2 + 0.5 * (w * w + b * b), 1e-14, "loss + λ‖θ‖²");
});

// a batch's loss as a function of the parameters, for central differences
function lossAt(t, theta) {
  const saved = t.theta;
  t.theta = Float64Array.from(theta);
  const value = t.gradient(t.all());
  t.theta = saved;
  return value;
}

const SETUPS = [  // [loss, output, targets]
  ["mse", "linear", [0.3, -1.2, 2, 0.5]], ["mse_half", "sigmoid", [0, 1, 1, 0]], ["mse", "softmax", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]],
  ["bce", "sigmoid", [0, 1, 1, 0]], ["bce_logits", "linear", [1, 0, 1, 1]], ["cross_entropy", "softmax", [0, 2, 1, 2]],
  ["cross_entropy", "linear", [1, 0, 2, 2]], ["nll", "softmax", [2, 0, 1, 1]], ["hinge", "linear", [1, -1, -1, 1]],
];

test("every loss × activation: backward's gradient equals central differences (with L2)", () => {
  const X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.9], [0.2, 2.1]], g = new Mulberry32(3);
  for (const [loss, output, y] of SETUPS) {
    for (const activation of T.HIDDEN) {
      const k = output === "softmax" || (Array.isArray(y[0])) || (loss === "cross_entropy") ? 3 : 1;
      const count = (2 + 1) * 3 + (3 + 1) * k, theta = Array.from({ length: count }, () => g.normal() * 0.8);
      const t = T.create({ sizes: [2, 3, k], activation, output, loss, parameters: theta, l2: 0.01,
                           optimizer: { kind: "sgd", lr: 0.1 }, X, y });
      t.gradient(t.all());
      const backprop = t.gradients();
      theta.forEach((v, i) => {
        const h = 1e-6, up = theta.slice(), down = theta.slice();
        up[i] += h; down[i] -= h;
        const numeric = (lossAt(t, up) - lossAt(t, down)) / (2 * h);
        close(backprop[i], numeric, 2e-7, `${loss} on ${output}, ${activation} hidden: ∂L/∂θ${i}`);
      });
    }
  }
});

test("each optimizer's rule, one and two steps, by hand", () => {
  const step = T.optimizerStep, g = [0.5, -2], theta = [1, -1];
  assert.deepEqual(step({ kind: "sgd", lr: 0.1 }, theta, g).theta, [1 - 0.1 * 0.5, -1 - 0.1 * -2]);
  // weight decay adds wd·θ to the gradient first
  assert.deepEqual(step({ kind: "sgd", lr: 0.1, weight_decay: 0.5 }, theta, g).theta, [1 - 0.1 * (0.5 + 0.5), -1 - 0.1 * (-2 - 0.5)]);
  // momentum: v ← μv + g; θ ← θ − ηv; from a velocity already built up
  const m = step({ kind: "sgd", lr: 0.1, momentum: 0.9, state: { velocity: [1, 1] } }, theta, g);
  assert.deepEqual(m.state.velocity, [0.9 + 0.5, 0.9 - 2]);
  assert.deepEqual(m.theta, [1 - 0.1 * 1.4, -1 - 0.1 * (0.9 - 2)]);
  // Nesterov: θ ← θ − η(g + μv)
  const n = step({ kind: "sgd", lr: 0.1, momentum: 0.9, nesterov: true, state: { velocity: [1, 1] } }, theta, g);
  assert.deepEqual(n.theta, [1 - 0.1 * (0.5 + 0.9 * 1.4), -1 - 0.1 * (-2 + 0.9 * (0.9 - 2))]);
  // RMSProp: s ← ρs + (1 − ρ)g²; θ ← θ − ηg/(√s + ε)
  const r = step({ kind: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-8 }, theta, g);
  close(r.state.square_avg[1], 0.1 * 4, 1e-15, "s = 0.1·(−2)²");
  close(r.theta[1], -1 + 0.01 * 2 / (Math.sqrt(0.4) + 1e-8), 1e-15, "RMSProp's θ");
  // Adam, step 1: m̂ = g, v̂ = g², so θ moves by η·g/(|g| + ε): almost η, whatever g's size
  const a = step({ kind: "adam", lr: 0.01 }, theta, g);
  close(a.theta[0], 1 - 0.01 * 0.5 / (0.5 + 1e-8), 1e-15, "Adam's first step");
  assert.equal(a.steps, 1);
  // Adam, step 3 with its state: bias correction by 1 − β₁³ and 1 − β₂³
  const a3 = step({ kind: "adam", lr: 0.01, steps: 2, state: { m: [0.2, 0], v: [0.01, 0] } }, [1, 0], [0.5, 0]);
  const mm = 0.9 * 0.2 + 0.1 * 0.5, vv = 0.999 * 0.01 + 0.001 * 0.25;
  close(a3.theta[0], 1 - 0.01 * (mm / (1 - 0.9 ** 3)) / (Math.sqrt(vv / (1 - 0.999 ** 3)) + 1e-8), 1e-15, "Adam step 3");
  assert.equal(a3.theta[1], 0);  // no gradient, no state: no move
});

test("mini-batches follow the shuffler: one order, shuffled again each epoch, cut into batches", () => {
  const X = [[0, 1], [1, 0], [2, 2], [3, 1], [4, 0]], y = [0, 1, 1, 0, 1], seen = [];
  const t = T.create({ sizes: [2, 2, 1], activation: "tanh", output: "sigmoid", loss: "bce", parameters: Array(9).fill(0.1),
                       optimizer: { kind: "sgd", lr: 0.1 }, batchSize: 2, seed: 77, X, y });
  const rows = t.rows.bind(t);
  t.rows = (indices) => { seen.push(indices.slice()); return rows(indices); };
  assert.equal(t.stepsPerEpoch(), 3);
  for (let e = 0; e < 3; e++) { t.epoch(); }
  const g = new Mulberry32(77), order = [0, 1, 2, 3, 4], expected = [];
  for (let e = 0; e < 3; e++) { g.shuffle(order); expected.push(order.slice(0, 2), order.slice(2, 4), order.slice(4)); }
  assert.deepEqual(seen, expected);
  assert.equal(t.losses.length, 3);
  assert.equal(t.steps, 9);
  // each epoch's record: its batches' losses as measured, weighted by their sizes (2, 2, 1 of 5)
  const b = t.batchLosses;
  assert.equal(t.losses[2], ((0 + b[6] * 2) + b[7] * 2 + b[8] * 1) / 5);
  assert.equal(t.meanAbsWeightGradients().length, t.sizes.length - 1);  // one mean |∂L/∂w| per layer
  // a step at a time: the record comes after an epoch's last batch only
  t.step(); t.step();
  assert.equal(t.losses.length, 3);
  t.step();
  assert.equal(t.losses.length, 4);
});

test("a step that would overflow is refused and changes nothing", () => {
  const t = T.create({ sizes: [2, 1], activation: "relu", output: "linear", loss: "mse", parameters: [1, 1, 0],
                       optimizer: { kind: "sgd", lr: 1e308 }, X: [[1e3, 1e3]], y: [0] });
  assert.throws(() => t.step(), (e) => e instanceof T.Divergence && /non-finite/.test(e.message));
  assert.deepEqual(t.parameters(), [1, 1, 0]);
  assert.equal(t.steps, 0);
});

test("predict gives the model's outputs, with the output activation, as nn.predict", () => {
  const t = T.create({ sizes: [2, 2], activation: "relu", output: "softmax", loss: "cross_entropy", parameters: [1, 0, 0, 0, 1, 0],
                       optimizer: { kind: "sgd", lr: 0.1 }, X: [[0, 0]], y: [0] });
  const [p] = t.predict([[Math.log(3), 0]]);  // scores ln 3, 0: softmax 3/4, 1/4
  close(p[0], 0.75, 1e-15, "softmax"); close(p[1], 0.25, 1e-15, "softmax");
  assert.throws(() => T.create({ sizes: [2, 1], activation: "relu", output: "linear", loss: "bce", parameters: [0, 0, 0],
                                 X: [[0, 0]], y: [0] }), /needs output 'sigmoid'/);
});

test("reinitialised weights: He normal for ReLU, Xavier uniform otherwise, biases 0, the same for the same seed", () => {
  const a = T.initialParameters([2, 50, 1], "tanh", "sigmoid", 5), b = T.initialParameters([2, 50, 1], "tanh", "sigmoid", 5);
  assert.deepEqual(a, b);
  const limit = Math.sqrt(6 / 52), first = [];
  for (let j = 0; j < 50; j++) { first.push(a[3 * j], a[3 * j + 1]); assert.equal(a[3 * j + 2], 0); }
  assert.ok(first.every((w) => Math.abs(w) <= limit) && Math.max(...first) > 0.8 * limit);
  const he = T.initialParameters([400, 200, 1], "relu", "linear", 9), w = [];
  for (let j = 0; j < 200; j++) { for (let i = 0; i < 400; i++) { w.push(he[j * 401 + i]); } }
  const variance = w.reduce((s, x) => s + x * x, 0) / w.length;
  close(variance, 2 / 400, 0.05 * 2 / 400 / Math.max(1, 2 / 400), "He: variance 2/fan_in");
});
