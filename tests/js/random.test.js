// The shuffling generator (viz/pages/random.js) under Node: mulberry32 against the reference
// implementation as published (bryc's "PRNGs" collection, copied below verbatim), Fisher–Yates
// against a shuffle written out here, uniformity of both, and seeds it refuses. Python's
// nn/shuffle.py is checked against this file in tests/nn/test_shuffle.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { Mulberry32 } = require("../../viz/pages/random.js");

// the reference, as published: floats in [0, 1)
function mulberry32(a) {
  return function () {
    var t = a += 0x6D2B79F5;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

test("mulberry32's numbers equal the published reference's, for seeds across the 32 bits", () => {
  for (const seed of [0, 1, 2, 42, 123456789, 2147483647, 2147483648, 4294967295]) {
    const ours = new Mulberry32(seed), reference = mulberry32(seed);
    for (let k = 0; k < 5000; k++) {
      const r = reference(), u = ours.nextUint32();
      assert.ok(Number.isInteger(u) && u >= 0 && u < 4294967296, `an unsigned 32-bit integer, got ${u}`);
      assert.equal(u / 4294967296, r, `seed ${seed}, number ${k}`);
    }
  }
});

test("below(n) is the floor of out·n/2³² and random() is out/2³², from the same state", () => {
  const a = new Mulberry32(7), b = new Mulberry32(7), c = new Mulberry32(7);
  for (let k = 0; k < 2000; k++) {
    const n = 1 + (k * 7919) % 2097152, out = a.nextUint32();
    // out·n/2³² by BigInt, exactly
    assert.equal(b.below(n), Number((BigInt(out) * BigInt(n)) >> 32n));
    assert.equal(c.random(), out / 4294967296);
  }
});

test("a shuffle is Fisher–Yates from the end, drawing below(i + 1) for i = n − 1 … 1", () => {
  for (const n of [0, 1, 2, 3, 10, 57]) {
    const items = Array.from({ length: n }, (_, i) => i), expected = items.slice();
    const g = new Mulberry32(99), draws = new Mulberry32(99);
    g.shuffle(items);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(draws.nextUint32() * (i + 1) / 4294967296);
      [expected[i], expected[j]] = [expected[j], expected[i]];
    }
    assert.deepEqual(items, expected);
    assert.deepEqual(items.slice().sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i), "a permutation");
  }
});

test("shuffles of three items come out uniform (chi-squared over 60,000 shuffles)", () => {
  const g = new Mulberry32(2024), counts = {};
  for (let k = 0; k < 60000; k++) {
    const key = g.shuffle([0, 1, 2]).join("");
    counts[key] = (counts[key] || 0) + 1;
  }
  assert.equal(Object.keys(counts).length, 6);
  const chi2 = Object.values(counts).reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
  assert.ok(chi2 < 20.5, `chi-squared ${chi2} with 5 degrees of freedom (p < 0.001 above 20.5)`);
});

test("normal() has mean 0 and variance 1 (Box–Muller), and random() stays in [0, 1)", () => {
  const g = new Mulberry32(5), n = 100000;
  let sum = 0, squares = 0;
  for (let k = 0; k < n; k++) { const z = g.normal(); sum += z; squares += z * z; }
  assert.ok(Math.abs(sum / n) < 0.02 && Math.abs(squares / n - 1) < 0.02, `${sum / n}, ${squares / n}`);
  const h = new Mulberry32(4294967295);
  for (let k = 0; k < 10000; k++) { const u = h.random(); assert.ok(u >= 0 && u < 1); }
});

test("seeds that are not 32-bit unsigned integers are refused", () => {
  for (const bad of [-1, 4294967296, 1.5, NaN, "3", undefined]) {
    assert.throws(() => new Mulberry32(bad), /the seed must be an integer from 0 to 4294967295/);
  }
});
