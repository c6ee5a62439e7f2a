"""The workloads the benchmark times: one training step of micrograd's moons demo, many ways.

Workload: an MLP nin-W-W-1 (ReLU hidden, linear output), max-margin loss
mean(relu(1 − yᵢ·scoreᵢ)) + 1e-4·Σθ², full batch, forward + backward + an SGD update.

Every implementation is a class built from the same initial weights whose `step(X, Y)`
does one training step and returns nothing that costs time to make; `result()` gives
(loss, gradients, parameters after the update) as plain floats in one order (layer by
layer, neuron by neuron: weights then bias), outside the timed part, so that the runner
can check every implementation against the reference before it times anything.
"""
from __future__ import annotations

import math
import random
from typing import Callable

import numpy as np

from chainrule import engine, nn
from chainrule.engine import Value, no_grad
from chainrule.engine.backward import chain_rule, topological_order

ALPHA = 1e-4
LR = 0.05


def moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles, labels ±1 (as micrograd's demo uses sklearn's make_moons)."""
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        upper = i % 2 == 0
        t = math.pi * rng.random()
        x, y = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        xs.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        ys.append(1.0 if upper else -1.0)
    return xs, ys


def initial_weights(sizes: list[int], seed: int = 0) -> list[tuple[list[list[float]], list[float]]]:
    """Per layer: W[j][i] ~ U(−1, 1)/√nin and b[j] = 0."""
    rng = random.Random(seed)
    return [([[rng.uniform(-1, 1) / math.sqrt(nin) for _ in range(nin)] for _ in range(nout)], [0.0] * nout)
            for nin, nout in zip(sizes, sizes[1:])]


def flat(weights) -> list[float]:
    return [p for W, bs in weights for row, b in zip(W, bs) for p in (*row, b)]


# -- chainrule -----------------------------------------------------------------------------------

class ChainruleFit:
    """nn's training step (`nn.TrainingStep`, exactly what nn.fit runs per batch): the array path."""

    def __init__(self, weights, X, Y):
        sizes = [len(weights[0][0][0])] + [len(bs) for _, bs in weights]
        self.model = nn.MLP(sizes[0], sizes[1:], activation="relu", seed=0)
        self.model.load_state_dict(dict(zip(self.model.state_dict(), flat(weights))))
        self.train = nn.TrainingStep(self.model, X, Y, "hinge", nn.SGD(self.model.parameters(), lr=LR), l2=ALPHA)

    def step(self, X, Y):
        self.loss = self.train()

    def result(self):
        return self.loss, self.model._store.grads.tolist(), self.model._store.values.tolist()


class ChainruleNNScalar:
    """nn's scalar path: one graph per sample (model(x) per sample, a `dot` node per neuron)."""

    def __init__(self, weights, X, Y):
        self.fit = ChainruleFit(weights, X, Y)
        self.model = self.fit.model

    def step(self, X, Y):
        model = self.model
        model.zero_grad()
        loss = nn.loss_graph(model, X, Y, "hinge", l2=ALPHA)
        loss.backward()
        with no_grad():
            for p in model.parameters():
                p.data -= LR * p.grad
        self.loss = loss.data

    result = ChainruleFit.result


class ChainruleOps:
    """micrograd's own moons step with chainrule Values, op by op: Σ w·x with `sum`, no `dot`."""

    VALUE = Value

    def __init__(self, weights, X, Y):
        V = self.VALUE
        self.layers = [([[V(w) for w in row] for row in W], [V(b) for b in bs]) for W, bs in weights]
        self.params = [p for W, bs in self.layers for row, b in zip(W, bs) for p in (*row, b)]

    def step(self, X, Y):
        for p in self.params:
            p.grad = 0.0
        scores = []
        last = len(self.layers) - 1
        for x in X:
            h = [self.VALUE(v) for v in x]
            for depth, (W, bs) in enumerate(self.layers):
                zs = [sum((wi * xi for wi, xi in zip(row, h)), b) for row, b in zip(W, bs)]
                h = zs if depth == last else [z.relu() for z in zs]
            scores.append(h[0])
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in self.params)
        loss.backward()
        self.grads = [p.grad for p in self.params]
        for p in self.params:
            p.data -= LR * p.grad
        self.loss = loss.data

    def result(self):
        return self.loss, self.grads, [p.data for p in self.params]


class ChainruleFitCalls:
    """`nn.fit(model, X, Y, loss="hinge", optimizer=opt, epochs=1, l2=…, progress=False)`, called again and
    again: one epoch with all of fit's bookkeeping (its checks, the History's evaluation), per call."""

    def __init__(self, weights, X, Y):
        ChainruleFit.__init__(self, weights, X, Y)
        self.optimizer = self.train.optimizer
        self.X, self.Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)

    def step(self, X, Y):
        self.history = nn.fit(self.model, self.X, self.Y, loss="hinge", optimizer=self.optimizer, epochs=1, l2=ALPHA,
                              progress=False)

    def result(self):
        # fit records the loss after the update, the reference the loss before it: compare the rest
        return None, self.model._store.grads.tolist(), self.model._store.values.tolist()


def lean_engine(fields: tuple[str, ...]) -> type:
    """A lean slots engine, the floor for a Python object per operation: the local derivatives stored on
    the edges as chainrule does, and no checks of any kind. It sorts and applies the chain rule with
    chainrule's own topological_order and chain_rule, so the ratio to it measures the nodes and the
    promises kept around the loop (checks, undo), nothing else.

    `fields` are its slots; only data, grad and edges are used. More of them only make each node bigger,
    which is what they measure: CPython gives an object of 3 or 4 slots a 64-byte block and one of 7 a
    96-byte block, and the cycle collector walks every block."""

    class LeanValue:
        __slots__ = fields

        def __init__(self, data, edges=()):
            self.data = data
            self.grad = 0.0
            self.edges = edges

        def __add__(self, other):
            other = other if isinstance(other, LeanValue) else LeanValue(other)
            return LeanValue(self.data + other.data, (self, 1.0, other, 1.0))

        __radd__ = __add__

        def __mul__(self, other):
            other = other if isinstance(other, LeanValue) else LeanValue(other)
            return LeanValue(self.data * other.data, (self, other.data, other, self.data))

        __rmul__ = __mul__

        def __neg__(self):
            return LeanValue(-self.data, (self, -1.0))

        def relu(self):
            a = self.data
            return LeanValue(a, (self, 1.0)) if a > 0 else LeanValue(0.0, (self, 0.0))

        def backward(self):  # chainrule's own sort and loop: they read only .edges and .grad
            chain_rule(topological_order(self), self, 1.0)

    return LeanValue


LeanValue = lean_engine(("data", "grad", "edges"))
LeanSevenFields = lean_engine(Value.__slots__)  # chainrule's seven fields, the last four never set


class LeanOps(ChainruleOps):
    """micrograd's own moons step op by op, as ChainruleOps, with the lean slots engine's Values."""

    VALUE = LeanValue


class LeanSevenFieldsOps(ChainruleOps):
    """The same with the lean engine grown to chainrule's seven fields: how much of chainrule's time over the
    lean engine's is only the size of its nodes."""

    VALUE = LeanSevenFields


# -- others ----------------------------------------------------------------------------------------

class HandWrittenFloats:
    """Plain Python floats and a hand-derived backward (no graph): the reference for small sizes."""

    def __init__(self, weights, X, Y):
        self.layers = [([list(row) for row in W], list(bs)) for W, bs in weights]

    def step(self, X, Y):
        layers = self.layers
        gW = [[[0.0] * len(row) for row in W] for W, _ in layers]
        gb = [[0.0] * len(bs) for _, bs in layers]
        n = len(X)
        data_loss = 0.0
        for x, y in zip(X, Y):
            acts, zs, h = [x], [], x
            for depth, (W, bs) in enumerate(layers):
                z = [sum(w * a for w, a in zip(row, h)) + b for row, b in zip(W, bs)]
                zs.append(z)
                h = z if depth == len(layers) - 1 else [v if v > 0 else 0.0 for v in z]
                acts.append(h)
            margin = 1 - y * h[0]
            if margin <= 0:
                continue
            data_loss += margin
            delta = [-y / n]
            for depth in range(len(layers) - 1, -1, -1):
                W, _ = layers[depth]
                for j, d in enumerate(delta):
                    if d:
                        row = gW[depth][j]
                        for i, a in enumerate(acts[depth]):
                            row[i] += d * a
                        gb[depth][j] += d
                if depth:
                    back = [sum(W[j][i] * delta[j] for j in range(len(delta))) for i in range(len(acts[depth]))]
                    delta = [g if z > 0 else 0.0 for g, z in zip(back, zs[depth - 1])]
        reg, grads = 0.0, []
        for (W, bs), GW, GB in zip(layers, gW, gb):
            for row, grow, j in zip(W, GW, range(len(bs))):
                for i, w in enumerate(row):
                    reg += w * w
                    grow[i] += 2 * ALPHA * w
                reg += bs[j] * bs[j]
                GB[j] += 2 * ALPHA * bs[j]
                grads.extend(grow)
                grads.append(GB[j])
        for (W, bs), GW, GB in zip(layers, gW, gb):
            for row, grow in zip(W, GW):
                for i in range(len(row)):
                    row[i] -= LR * grow[i]
            for j in range(len(bs)):
                bs[j] -= LR * GB[j]
        self.loss, self.grads = data_loss / n + ALPHA * reg, grads

    def result(self):
        return self.loss, self.grads, flat(self.layers)


class NumpyByHand:
    """numpy arrays and a hand-derived backward: the floor for the array path."""

    def __init__(self, weights, X, Y):
        self.W = [np.array(W, dtype=float) for W, _ in weights]
        self.b = [np.array(bs, dtype=float) for _, bs in weights]
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)

    def step(self, X, Y):
        A, Zs = [self.X], []
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            Z = A[-1] @ W.T + b
            Zs.append(Z)
            A.append(Z if i == last else np.maximum(Z, 0.0))
        y, n = self.y, len(self.y)
        margin = 1 - y * A[-1][:, 0]
        reg = sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(self.W, self.b))
        self.loss = float(np.maximum(margin, 0).sum()) / n + ALPHA * reg
        delta = np.where(margin > 0, -y / n, 0.0)[:, None]
        self.gW, self.gb = [None] * len(self.W), [None] * len(self.W)
        for i in range(last, -1, -1):
            self.gW[i] = delta.T @ A[i] + 2 * ALPHA * self.W[i]
            self.gb[i] = delta.sum(axis=0) + 2 * ALPHA * self.b[i]
            if i:
                delta = (delta @ self.W[i]) * (Zs[i - 1] > 0)
        for i in range(len(self.W)):
            self.W[i] -= LR * self.gW[i]
            self.b[i] -= LR * self.gb[i]

    def result(self):
        grads = [p for GW, Gb in zip(self.gW, self.gb) for row, g in zip(GW.tolist(), Gb.tolist()) for p in (*row, g)]
        params = [p for W, b in zip(self.W, self.b) for row, g in zip(W.tolist(), b.tolist()) for p in (*row, g)]
        return self.loss, grads, params


class TorchBatched:
    """PyTorch float64 tensors, one thread, x @ Wᵀ + b per layer; gradients stay tensors while timed."""

    def __init__(self, weights, X, Y):
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        self.W = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W, _ in weights]
        self.b = [torch.tensor(bs, dtype=torch.float64, requires_grad=True) for _, bs in weights]
        self.X = torch.tensor(X, dtype=torch.float64)
        self.y = torch.tensor(Y, dtype=torch.float64)

    def step(self, X, Y):
        torch = self.torch
        h = self.X
        last = len(self.W) - 1
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            h = h @ W.T + b
            if i < last:
                h = torch.relu(h)
        reg = sum((W * W).sum() + (b * b).sum() for W, b in zip(self.W, self.b))
        loss = torch.relu(1 - self.y * h[:, 0]).mean() + ALPHA * reg
        for p in (*self.W, *self.b):
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in (*self.W, *self.b):
                p -= LR * p.grad
        self.loss = loss

    def result(self):
        grads = [p for W, b in zip(self.W, self.b) for row, g in zip(W.grad.tolist(), b.grad.tolist()) for p in (*row, g)]
        params = [p for W, b in zip(self.W, self.b) for row, g in zip(W.tolist(), b.tolist()) for p in (*row, g)]
        return self.loss.item(), grads, params


class Micrograd:
    """PyPI micrograd 0.1.0 (installed by `make bench`)."""

    def __init__(self, weights, X, Y):
        from micrograd.nn import MLP

        sizes = [len(weights[0][0][0])] + [len(bs) for _, bs in weights]
        self.model = MLP(sizes[0], sizes[1:])
        for p, value in zip(self.model.parameters(), flat(weights)):
            p.data = value

    def step(self, X, Y):
        from micrograd.engine import Value as MValue

        model = self.model
        scores = [model([MValue(a) for a in x]) for x in X]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        self.grads = [p.grad for p in model.parameters()]
        for p in model.parameters():
            p.data -= LR * p.grad
        self.loss = loss.data

    def result(self):
        return self.loss, self.grads, [p.data for p in self.model.parameters()]


def available(names: list[str]) -> dict[str, Callable]:
    """The implementations among `names` that can run here (torch and micrograd are optional)."""
    table = {"chainrule nn.fit step": ChainruleFit, "chainrule nn scalar graphs": ChainruleNNScalar,
             "chainrule Value op by op": ChainruleOps, "lean slots engine op by op": LeanOps,
             "lean engine, Value's 7 slots": LeanSevenFieldsOps,
             "chainrule fit(epochs=1) calls": ChainruleFitCalls, "hand-written floats": HandWrittenFloats,
             "numpy by hand": NumpyByHand, "torch batched (1 thread)": TorchBatched, "micrograd 0.1.0": Micrograd}
    found = {}
    for name in names:
        module = {"torch batched (1 thread)": "torch", "micrograd 0.1.0": "micrograd"}.get(name)
        if module:
            try:
                __import__(module)
            except ImportError:
                continue
        found[name] = table[name]
    return found


def graph_nodes(weights, X, Y) -> int:
    """Nodes in chainrule's scalar graph of one moons step (one graph per sample)."""
    runner = ChainruleNNScalar(weights, X, Y)
    return len(engine.topological_order(nn.loss_graph(runner.model, X, Y, "hinge", l2=ALPHA)))
