/* The shuffling generator nn.fit uses (nn/shuffle.py), the same in JavaScript: mulberry32 and
   Fisher–Yates, so that the playground visits the samples in exactly fit's order.

   mulberry32 (Tommy Ettinger, 2017), all arithmetic on 32 bits (Math.imul, >>> 0), state s:
       s ← s + 0x6D2B79F5
       t ← (s ⊕ (s ≫ 15)) · (s | 1)
       t ← (t + (t ⊕ (t ≫ 7)) · (t | 61)) ⊕ t
       out = t ⊕ (t ≫ 14)                       an integer in 0 … 2³² − 1
   below(n) = ⌊out · n / 2³²⌋ (exact: out · n < 2⁵³ for n ≤ 2²¹); random() = out / 2³²;
   shuffle(items): for i = n − 1 down to 1, swap items i and below(i + 1), as Python's random.shuffle.
   normal() (for the page's reinitialise only; nn's own init draws from Python's generator):
   Box–Muller, √(−2 ln u₁) · cos(2π u₂) with u₁ = 1 − random() ∈ (0, 1].
   No DOM: inlined into a page it is window.chainruleRandom; `require`d by Node's tests. */
(function (root, make) {
  "use strict";
  var random = make();
  if (typeof module === "object" && module && module.exports) { module.exports = random; } else { root.chainruleRandom = random; }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";
  var TWO32 = 4294967296, MOST_ITEMS = 2097152;

  function Mulberry32(seed) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed < TWO32)) {
      throw new RangeError("Mulberry32: the seed must be an integer from 0 to 4294967295, got " + seed);
    }
    this.state = seed >>> 0;
  }
  Mulberry32.prototype.nextUint32 = function () {
    var s = this.state = (this.state + 0x6D2B79F5) >>> 0;
    var t = Math.imul(s ^ (s >>> 15), s | 1);
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  };
  Mulberry32.prototype.below = function (n) { return Math.floor(this.nextUint32() * n / TWO32); };
  Mulberry32.prototype.random = function () { return this.nextUint32() / TWO32; };
  Mulberry32.prototype.shuffle = function (items) {
    if (items.length > MOST_ITEMS) { throw new RangeError("shuffle: at most " + MOST_ITEMS + " items"); }
    for (var i = items.length - 1; i > 0; i--) {
      var j = this.below(i + 1), t = items[i];
      items[i] = items[j]; items[j] = t;
    }
    return items;
  };
  Mulberry32.prototype.normal = function () {
    var u1 = 1 - this.random(), u2 = this.random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };

  return { Mulberry32: Mulberry32, TWO32: TWO32, MOST_ITEMS: MOST_ITEMS };
});
