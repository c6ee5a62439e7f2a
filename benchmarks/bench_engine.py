"""One training step of micrograd's moons demo, side by side, as ratios measured in one run.

Workload: MLP 2-16-16-1 (ReLU hidden, linear output), 100 samples, max-margin
loss mean(relu(1 − yᵢ·scoreᵢ)) + 1e-4·Σ p², full batch: forward, backward and
an SGD update (lr 1.0). Implementations:

  chainrule      one Value per scalar, one `engine.dot` node per neuron
  hand-written   the same network with plain Python floats and a hand-derived backward (no graph)
  micrograd      PyPI micrograd 0.1.0, when installed (`make bench` installs it)

Before timing, every implementation must compute the same loss and gradients
(to 1e-9), so that speed is never bought with a wrong answer.

    python benchmarks/bench_engine.py [--repeats N]
"""
from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable


from chainrule import engine  # noqa: E402
from chainrule.engine import Value, no_grad  # noqa: E402

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
LR = 1.0


def moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles, labels ±1 (as micrograd's demo uses sklearn's make_moons)."""
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        upper = i < n // 2
        t = math.pi * rng.random()
        x, y = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        xs.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        ys.append(1.0 if upper else -1.0)
    return xs, ys


def initial_weights(seed: int = 0) -> list[tuple[list[list[float]], list[float]]]:
    """Per layer: W[j][i] ~ U(-1, 1) and b[j] = 0, as micrograd initialises."""
    rng = random.Random(seed)
    layers = []
    for nin, nout in zip(SIZES, SIZES[1:]):
        layers.append(([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)], [0.0] * nout))
    return layers


# -- chainrule ------------------------------------------------------------------


class ChainruleStep:
    def __init__(self, weights):
        self.layers = [([[Value(w) for w in row] for row in W], [Value(b) for b in bs]) for W, bs in weights]
        self.params = [p for W, bs in self.layers for row, b in zip(W, bs) for p in (*row, b)]

    def loss(self, X, Y) -> Value:
        margins = []
        last = len(self.layers) - 1
        for x, y in zip(X, Y):
            h = x
            for depth, (W, bs) in enumerate(self.layers):
                zs = [engine.dot(row, h, b) for row, b in zip(W, bs)]
                h = zs if depth == last else [z.relu() for z in zs]
            margins.append((1 - y * h[0]).relu())
        return engine.mean(margins) + ALPHA * engine.dot(self.params, self.params)

    def step(self, X, Y) -> tuple[float, list[float]]:
        for p in self.params:
            p.grad = 0.0
        loss = self.loss(X, Y)
        loss.backward()
        grads = [p.grad for p in self.params]
        with no_grad():
            for p in self.params:
                p.data -= LR * p.grad
        return loss.data, grads


# -- hand-written: floats only, backward derived by hand ---------------------------


class HandWrittenStep:
    def __init__(self, weights):
        self.layers = [([list(row) for row in W], list(bs)) for W, bs in weights]

    def step(self, X, Y) -> tuple[float, list[float]]:
        layers = self.layers
        gW = [[[0.0] * len(row) for row in W] for W, _ in layers]
        gb = [[0.0] * len(bs) for _, bs in layers]
        n = len(X)
        data_loss = 0.0
        for x, y in zip(X, Y):
            acts = [x]  # inputs of each layer
            zs = []
            h = x
            for depth, (W, bs) in enumerate(layers):
                z = [sum(w * a for w, a in zip(row, h)) + b for row, b in zip(W, bs)]
                zs.append(z)
                h = z if depth == len(layers) - 1 else [v if v > 0 else 0.0 for v in z]
                acts.append(h)
            margin = 1 - y * h[0]
            if margin <= 0:
                continue
            data_loss += margin
            delta = [-y / n]  # ∂loss/∂score
            for depth in range(len(layers) - 1, -1, -1):
                W, _ = layers[depth]
                a_in = acts[depth]
                for j, d in enumerate(delta):
                    if d:
                        row = gW[depth][j]
                        for i, a in enumerate(a_in):
                            row[i] += d * a
                        gb[depth][j] += d
                if depth:
                    back = [sum(W[j][i] * delta[j] for j in range(len(delta))) for i in range(len(a_in))]
                    delta = [g if z > 0 else 0.0 for g, z in zip(back, zs[depth - 1])]
        reg = 0.0
        grads = []
        for (W, bs), GW, GB in zip(layers, gW, gb):
            for row, grow, b, j in zip(W, GW, bs, range(len(bs))):
                for i, w in enumerate(row):
                    reg += w * w
                    grow[i] += 2 * ALPHA * w
                reg += b * b
                GB[j] += 2 * ALPHA * b
                grads.extend(grow)
                grads.append(GB[j])
        for (W, bs), GW, GB in zip(layers, gW, gb):
            for row, grow in zip(W, GW):
                for i in range(len(row)):
                    row[i] -= LR * grow[i]
            for j in range(len(bs)):
                bs[j] -= LR * GB[j]
        return data_loss / n + ALPHA * reg, grads


# -- micrograd --------------------------------------------------------------------


class MicrogradStep:
    def __init__(self, weights):
        from micrograd.nn import MLP

        self.model = MLP(SIZES[0], SIZES[1:])
        flat = [p for W, bs in weights for row, b in zip(W, bs) for p in (*row, b)]
        for p, value in zip(self.model.parameters(), flat):
            p.data = value

    def step(self, X, Y) -> tuple[float, list[float]]:
        from micrograd.engine import Value as MValue

        model = self.model
        scores = [model([MValue(a) for a in x]) for x in X]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        grads = [p.grad for p in model.parameters()]
        for p in model.parameters():
            p.data -= LR * p.grad
        return loss.data, grads


def optional_micrograd(weights) -> dict[str, Callable[[], object]]:
    """micrograd's step, when micrograd is installed (nothing otherwise)."""
    try:
        import micrograd  # noqa: F401
    except ImportError:
        return {}
    return {"micrograd 0.1.0": lambda: MicrogradStep(weights)}


def disagreement(impls: dict[str, Callable[[], object]], X, Y, weights):
    """(loss, grads) of the hand-written reference when every implementation agrees with it
    to 1e-9, else a sentence naming the first that does not."""
    reference_loss, reference_grads = HandWrittenStep(weights).step(X, Y)
    for name, make in impls.items():
        loss, grads = make().step(X, Y)
        worst = max(abs(a - b) for a, b in zip(grads, reference_grads))
        if abs(loss - reference_loss) > 1e-9 or worst > 1e-9 or len(grads) != len(reference_grads):
            return f"{name} disagrees: loss {loss} vs {reference_loss}, worst gradient difference {worst}"
    return reference_loss, reference_grads


def timed(make: Callable[[], object], X, Y, repeats: int) -> list[float]:
    """Seconds of one step each, for `repeats` fresh runners (building the runner is not timed)."""
    times = []
    for _ in range(repeats):
        runner = make()
        start = time.perf_counter()
        runner.step(X, Y)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    X, Y = moons()
    weights = initial_weights()
    impls: dict[str, Callable[[], object]] = {
        "chainrule": lambda: ChainruleStep(weights),
        "hand-written floats": lambda: HandWrittenStep(weights),
        **optional_micrograd(weights),
    }
    if "micrograd 0.1.0" not in impls:
        print("micrograd is not installed (make bench installs it): comparing without it\n")

    reference = disagreement(impls, X, Y, weights)
    if isinstance(reference, str):
        print(reference)
        return 1
    reference_loss, reference_grads = reference
    nodes = len(engine.topological_order(ChainruleStep(weights).loss(X, Y)))
    print(f"moons step: MLP 2-16-16-1, 100 samples, {len(reference_grads)} parameters; "
          f"chainrule builds {nodes} nodes; all implementations agree (loss {reference_loss:.6f}, grads to 1e-9)\n")

    results = {}
    for name, make in impls.items():
        repeats = max(3, args.repeats // 2) if name.startswith("micrograd") else args.repeats
        gc.collect()
        results[name] = timed(make, X, Y, repeats)
    base = statistics.median(results["chainrule"])
    micro = statistics.median(results["micrograd 0.1.0"]) if "micrograd 0.1.0" in results else None
    print(f"{'implementation':<22} {'median s':>10} {'min s':>10} {'max s':>10} {'nodes/s':>10} "
          f"{'× chainrule':>12}{'  micrograd/x' if micro else ''}")
    for name, times in results.items():
        med = statistics.median(times)
        per_node = f"{nodes / med:>10.3g}" if name == "chainrule" else f"{'':>10}"
        extra = f"{micro / med:>13.1f}" if micro else ""
        print(f"{name:<22} {med:>10.4f} {min(times):>10.4f} {max(times):>10.4f} {per_node} {med / base:>12.3f}{extra}")
    hand = statistics.median(results["hand-written floats"])
    print(f"\nchainrule is {base / hand:.1f}× slower than hand-written floats"
          + (f" and {micro / base:.1f}× faster than micrograd" if micro else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
