"""chainrule's speed and memory, side by side with other engines, as ratios measured in one run.

Workload (micrograd's moons demo): one training step of an MLP 2-16-16-1 (ReLU) on 100
samples, max-margin loss + 1e-4·Σθ², full batch: forward, backward and an SGD update.

  chainrule scalar    one Value per scalar, one graph per sample (what a learner reads)
  chainrule batched   the same graph once, each Value holding the 100 samples
  micrograd           PyPI micrograd 0.1.0                          (when installed)
  torch scalar        one 0-dim tensor per scalar operation          (when torch is installed)
  torch batched       batched tensors (x @ W.T + b)                  (when torch is installed)
  hand-written        plain Python floats, backward derived by hand, no graph
  numpy               numpy arrays, backward derived by hand

Every implementation must compute the same loss and gradients (to 1e-9) before it is timed.
Then: memory per node of a chain of scalar operations (tracemalloc), a 1,000,000-node chain's
backward, whether a dropped graph leaves work for the cycle collector, and the times of the
moons and digits demos.

    python benchmarks/run.py [--repeats N] [--quick]
This script installs nothing; `make bench` runs it with micrograd installed in .venv-bench.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chainrule import engine  # noqa: E402
from bench_engine import (ALPHA, LR, ChainruleStep, HandWrittenStep, disagreement, initial_weights,  # noqa: E402
                          moons, optional_micrograd, timed)
from chainrule.engine import Value  # noqa: E402
from chainrule.nn import batch as B  # noqa: E402


class ChainruleBatchedStep(ChainruleStep):
    """The same network and loss, with the whole batch in one graph (engine batched mode)."""

    def loss(self, X, Y) -> Value:
        h = B.columns(X)
        last = len(self.layers) - 1
        for depth, (W, bs) in enumerate(self.layers):
            zs = engine.dots(W, h, bs)  # as nn.Layer computes a layer
            h = zs if depth == last else engine.each("relu", zs)
        margins = (1 - h[0] * np.asarray(Y)).relu()
        return margins.mean() + ALPHA * engine.dot(self.params, self.params)


class NumpyStep:
    """Hand-written numpy forward and backward."""

    def __init__(self, weights):
        self.W = [np.array(W, dtype=float) for W, _ in weights]
        self.b = [np.array(bs, dtype=float) for _, bs in weights]

    def step(self, X, Y):
        A = [np.asarray(X, dtype=float)]
        Zs = []
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            Z = A[-1] @ W.T + b
            Zs.append(Z)
            A.append(Z if i == len(self.W) - 1 else np.maximum(Z, 0.0))
        y = np.asarray(Y, dtype=float)
        margin = 1 - y * A[-1][:, 0]
        n = len(y)
        reg = sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(self.W, self.b))
        loss = float(np.maximum(margin, 0).mean()) + ALPHA * reg
        delta = np.where(margin > 0, -y / n, 0.0)[:, None]
        gW, gb = [None] * len(self.W), [None] * len(self.W)
        for i in range(len(self.W) - 1, -1, -1):
            gW[i] = delta.T @ A[i] + 2 * ALPHA * self.W[i]
            gb[i] = delta.sum(axis=0) + 2 * ALPHA * self.b[i]
            if i:
                delta = (delta @ self.W[i]) * (Zs[i - 1] > 0)
        grads = []
        for GW, Gb in zip(gW, gb):
            for row, bj in zip(GW, Gb):
                grads.extend(row.tolist())
                grads.append(float(bj))
        for i in range(len(self.W)):
            self.W[i] -= LR * gW[i]
            self.b[i] -= LR * gb[i]
        return loss, grads


class TorchScalarStep:
    """One 0-dim tensor per scalar operation, as a scalar engine would use PyTorch."""

    def __init__(self, weights):
        import torch

        self.torch = torch
        self.layers = [([[torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in row] for row in W],
                        [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in bs]) for W, bs in weights]
        self.params = [p for W, bs in self.layers for row, b in zip(W, bs) for p in (*row, b)]

    def step(self, X, Y):
        torch = self.torch
        margins = []
        last = len(self.layers) - 1
        for x, y in zip(X, Y):
            h = [torch.tensor(v, dtype=torch.float64) for v in x]
            for depth, (W, bs) in enumerate(self.layers):
                zs = [sum((w * a for w, a in zip(row, h)), b) for row, b in zip(W, bs)]
                h = zs if depth == last else [torch.relu(z) for z in zs]
            margins.append(torch.relu(1 - y * h[0]))
        loss = sum(margins) / len(margins) + ALPHA * sum(p * p for p in self.params)
        for p in self.params:
            p.grad = None
        loss.backward()
        grads = [p.grad.item() for p in self.params]
        with torch.no_grad():
            for p in self.params:
                p -= LR * p.grad
        return loss.item(), grads


class TorchBatchedStep:
    def __init__(self, weights):
        import torch

        self.torch = torch
        self.W = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W, _ in weights]
        self.b = [torch.tensor(bs, dtype=torch.float64, requires_grad=True) for _, bs in weights]

    def step(self, X, Y):
        torch = self.torch
        h = torch.tensor(X, dtype=torch.float64)
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            h = h @ W.T + b
            if i < len(self.W) - 1:
                h = torch.relu(h)
        y = torch.tensor(Y, dtype=torch.float64)
        reg = sum((W * W).sum() + (b * b).sum() for W, b in zip(self.W, self.b))
        loss = torch.relu(1 - y * h[:, 0]).mean() + ALPHA * reg
        for p in (*self.W, *self.b):
            p.grad = None
        loss.backward()
        grads = []
        for W, b in zip(self.W, self.b):
            for row, bj in zip(W.grad, b.grad):
                grads.extend(row.tolist())
                grads.append(bj.item())
        with torch.no_grad():
            for p in (*self.W, *self.b):
                p -= LR * p.grad
        return loss.item(), grads


def implementations(weights) -> dict[str, Callable[[], object]]:
    impls: dict[str, Callable[[], object]] = {
        "chainrule scalar": lambda: ChainruleStep(weights),
        "chainrule batched": lambda: ChainruleBatchedStep(weights),
        **optional_micrograd(weights),
    }
    try:
        import torch  # noqa: F401

        impls["torch scalar tensors"] = lambda: TorchScalarStep(weights)
        impls["torch batched"] = lambda: TorchBatchedStep(weights)
    except ImportError:
        pass
    impls["hand-written floats"] = lambda: HandWrittenStep(weights)
    impls["numpy by hand"] = lambda: NumpyStep(weights)
    return impls


def memory_per_node(n: int = 100_000) -> dict[str, float]:
    """Bytes per node (tracemalloc) for chains of unary and binary operations."""
    result = {}
    for name, step in [("tanh chain", lambda y, x: y.tanh()), ("y = -y chain", lambda y, x: -y),
                       ("y = y * x chain", lambda y, x: y * x)]:
        gc.collect()
        x = Value(0.5)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        y = x
        for _ in range(n):
            y = step(y, x)
        result[name] = (tracemalloc.get_traced_memory()[0] - before) / n
        tracemalloc.stop()
        del y
    return result


def chain_backward(n: int = 1_000_000) -> tuple[float, float]:
    x = Value(1.0)
    y = x
    start = time.perf_counter()
    for _ in range(n):
        y = -y
    built = time.perf_counter() - start
    start = time.perf_counter()
    y.backward()
    return built, time.perf_counter() - start


def cycle_collector_work() -> dict[str, int]:
    """Objects the cycle collector frees after a dropped training graph (0: reference counting did it all)."""
    X, Y = moons()
    found = {}
    for name, runner in [("scalar", ChainruleStep), ("batched", ChainruleBatchedStep)]:
        gc.collect()
        gc.disable()
        try:
            runner(initial_weights()).step(X, Y)
            found[name] = gc.collect()
        finally:
            gc.enable()
    return found


def demo_times() -> dict[str, float]:
    """Wall-clock seconds of the moons and digits demos (their pictures go to a temporary folder)."""
    import contextlib
    import io
    import tempfile

    from chainrule.demos import digits, micrograd_moons
    from chainrule.demos.common import Narrator

    times = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()):
        for name, module in [("micrograd-moons (100 steps)", micrograd_moons), ("digits (4 epochs)", digits)]:
            start = time.perf_counter()
            module.run(Path(tmp), say=Narrator(quiet=True))
            times[name] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="chainrule benchmarks")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip the memory, chain and demo measurements")
    args = parser.parse_args(argv)
    X, Y = moons()
    weights = initial_weights()
    impls = implementations(weights)

    reference = disagreement(impls, X, Y, weights)
    if isinstance(reference, str):
        print(reference)
        return 1
    reference_loss, reference_grads = reference
    scalar_nodes = len(engine.topological_order(ChainruleStep(weights).loss(X, Y)))
    batch_nodes = len(engine.topological_order(ChainruleBatchedStep(weights).loss(X, Y)))
    print(f"moons step: MLP 2-16-16-1, 100 samples, {len(reference_grads)} parameters; graphs: scalar "
          f"{scalar_nodes} nodes, batched {batch_nodes} nodes. All {len(impls)} implementations agree "
          f"(loss {reference_loss:.6f}, gradients to 1e-9).\n")

    results = {}
    for name, make in impls.items():
        slow = name.startswith(("micrograd", "torch scalar"))
        gc.collect()
        fast = "batched" in name or "numpy" in name
        repeats = max(3, args.repeats // 2) if slow else args.repeats * (5 if fast else 1)
        results[name] = timed(make, X, Y, repeats)
    med = {k: statistics.median(v) for k, v in results.items()}
    micro = med.get("micrograd 0.1.0")
    print(f"{'implementation':<22} {'median ms':>10} {'min ms':>9} {'max ms':>9} {'vs micrograd':>13}")
    for name, times in results.items():
        ratio = f"{micro / med[name]:>12.1f}×" if micro else f"{'—':>13}"
        print(f"{name:<22} {med[name] * 1e3:>10.3f} {min(times) * 1e3:>9.3f} {max(times) * 1e3:>9.3f} {ratio}")
    print()
    cs, cb = med["chainrule scalar"], med["chainrule batched"]
    if micro:
        print(f"chainrule scalar is {micro / cs:.1f}× faster than micrograd (target ≥ 20×)")
    print(f"chainrule scalar is {cs / med['hand-written floats']:.1f}× slower than hand-written floats (target ≤ 10×)")
    if "torch batched" in med:
        print(f"chainrule batched ÷ torch batched = {cb / med['torch batched']:.2f} (target ≤ 1.0)")
        print(f"chainrule scalar ÷ torch scalar tensors = {cs / med['torch scalar tensors']:.2f}")
    print(f"chainrule batched is {cb / med['numpy by hand']:.1f}× the hand-written numpy time (target ≤ 10×)")
    print(f"chainrule batched is {cs / cb:.0f}× faster than chainrule scalar on this step")
    if args.quick:
        return 0
    print()
    for name, per_node in memory_per_node().items():
        print(f"memory: {per_node:.0f} bytes per node for a {name} (target ≤ 200)")
    built, back = chain_backward()
    print(f"1,000,000-node chain: built in {built:.2f} s, backward in {back:.2f} s (target < 5 s)")
    for name, count in cycle_collector_work().items():
        print(f"objects left for the cycle collector after a dropped {name} training graph: {count}")
    for name, seconds in demo_times().items():
        print(f"demo {name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
