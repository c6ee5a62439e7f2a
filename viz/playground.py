"""The playground: a page where a network learns in front of you, with exactly nn.fit's numbers.

`playground(model, X, y, loss=…, optimizer=…, l2=…, batch_size=…, seed=…)` makes the page (it shows
inline in Jupyter; `.save(path)` writes it) and `save_playground(…, path)` writes it straight away.
The page trains the given model from its exact weights in the browser (viz/pages/trainer.js: the
array path's formulas, the optimizers' rules and fit's batches, held equal to nn.fit to 1e-9 over 50
epochs by tests), and shows, live: the data and the decision over the plane, the loss, the network's
weights (or gradients, or last updates), the gradient size per layer, and one sample's whole
computation graph with data and grad on every node.

This module checks the arguments as fit does and packs what the page needs: the trainer's
specification (`trainer_spec`), and the graph of one sample, laid out once by Graphviz
(`sample_graph`); the page recomputes its numbers at every step with the pages' table of
operations. One sample's graph has the same shape for every input, so one layout serves them all
(for cross-entropy, whose graph picks the true class's score, one layout per class).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from chainrule import nn
from chainrule.engine import Value, names, topological_order
from chainrule.engine.checks import count
from chainrule.nn import MLP, RMSProp, SGD, Adam
from chainrule.nn.init import generator
from chainrule.nn.optim import Optimizer
from chainrule.nn.shuffle import check_seed
from chainrule.nn.objectives import objective
from chainrule.nn.train import TrainingStep, checked_validation

from .graph import draw_graph
from .grouping import choose_detail, groups_of
from .layout import run_layout
from .page import fill_playground
from .page import Page, html_path
from .stepper import program

# Above these the page could not animate smoothly (a step and a boundary frame per screen refresh)
MAX_PARAMETERS = 10_000
MAX_POINTS = 5_000
PAGE_LOSSES = ("mse", "mse_half", "bce", "bce_logits", "cross_entropy", "nll", "hinge")
PAGE_HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
PAGE_OUTPUTS = ("linear", "sigmoid", "softmax")


def trainer_spec(model: Any, X: Sequence[Any], y: Sequence[Any], loss: str = "mse", optimizer: Optional[Optimizer] = None,
                 l2: float = 0.0, batch_size: Optional[int] = None, seed: Optional[int] = None,
                 where: str = "playground") -> dict:
    """What the page's trainer (chainruleTrainer.create) needs to train as `nn.fit(model, X, y, loss=loss,
    optimizer=optimizer, l2=l2, batch_size=batch_size, seed=seed)` does: checked as fit checks them.

    seed None: the shuffler's first state is drawn now from the library-wide generator (as fit draws
    it at its first shuffle), only when there are mini-batches to shuffle.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"{where}: the page trains an nn.MLP (it mirrors the array path), got {type(model).__name__}; "
                        "train other modules with nn.fit")
    if not isinstance(loss, str) or loss not in PAGE_LOSSES:
        raise ValueError(f"{where}: loss must be one of {', '.join(PAGE_LOSSES)} (by name: the page computes it "
                         f"itself), got {loss!r}")
    step = TrainingStep(model, X, y, loss, optimizer, l2, where=where)  # fit's checks, fit's default optimizer
    _check_page_model(model, where)
    n = len(step.X)
    if batch_size is not None:
        count(batch_size, f"{where}: batch_size", 1, "or None: full batch")
    batched = batch_size is not None and batch_size < n
    if seed is not None:
        check_seed(seed, where)
    state = seed if seed is not None else generator(None).getrandbits(32) if batched else 0
    return {"sizes": [model.nin, *model.sizes], "activation": model.activation, "output": model.output, "loss": loss,
            "parameters": [p.data for p in model.parameters()], "optimizer": optimizer_spec(step.optimizer),
            "l2": step.l2, "batchSize": batch_size if batched else None, "seed": state,
            "X": step.X.tolist(), "y": _plain_targets(y, loss)}


def optimizer_spec(optimizer: Optimizer) -> dict:
    """An optimizer's kind, settings, state and step count, as the page's trainer reads them."""
    kind = "adam" if isinstance(optimizer, Adam) else "rmsprop" if isinstance(optimizer, RMSProp) else \
        "sgd" if isinstance(optimizer, SGD) else None
    if kind is None:
        raise TypeError(f"playground: the page knows SGD (with momentum, Nesterov), RMSProp and Adam, got "
                        f"{type(optimizer).__name__}")
    spec = {"kind": kind, **optimizer.settings()}  # lr, weight_decay and the rule's own (momentum; rho; betas, eps)
    if isinstance(optimizer, SGD):
        spec["nesterov"] = optimizer.nesterov
    state = {key: np.asarray(getattr(optimizer, key), dtype=float).tolist() for key in optimizer.STATE}
    return {**spec, "state": state, "steps": optimizer.steps}


def _check_page_model(model: MLP, where: str) -> None:
    """What the page cannot show or compute: refused with why, and what to use instead."""
    count = model.num_parameters()
    if count > MAX_PARAMETERS:
        raise ValueError(f"{where}: this model has {count:,} parameters; the page animates at most {MAX_PARAMETERS:,} "
                         "(every step, the boundary over the plane and the network are drawn again). Train it with "
                         "nn.fit and look at it with viz.plots.history and viz.plots.decision_boundary")
    if model.nin != 2:
        raise ValueError(f"{where}: the page draws the data on a plane, so the model needs 2 inputs, this one has "
                         f"{model.nin}. Train it with nn.fit and plot it with viz.plots")
    if model.activation not in PAGE_HIDDEN or model.output not in PAGE_OUTPUTS:
        raise ValueError(f"{where}: the page knows the hidden activations {', '.join(PAGE_HIDDEN)} and the outputs "
                         f"{', '.join(PAGE_OUTPUTS)}; this model has {model.activation!r} and {model.output!r}")
    if model.dropout:
        raise ValueError(f"{where}: the page does not drop units (its numbers must equal fit's, and dropout's masks "
                         "come from numpy's generator); build the model without dropout, or train it with nn.fit")


def _plain_targets(y: Sequence[Any], loss: str) -> list:
    values = np.asarray(y, dtype=float)
    if loss in ("cross_entropy", "nll"):
        return [int(v) for v in values.reshape(-1)]
    return values.tolist()


# -- one sample's graph, laid out once ------------------------------------------------------------

GRAPH_BUDGET = 300  # drawn nodes: every operation when it fits, else one node per neuron (as draw_graph's "auto")
WIDEST_NUMBER = "grad -8.888e-88"  # room on each node for the longest number fmt writes


def sample_graph(model: MLP, loss: str, labels: Sequence[Any]) -> dict:
    """One sample's loss graph as the page recomputes and redraws it.

    {"detail": "ops" or "neurons" or "layers", "variants": {label: variant}} (for cross-entropy and
    nll one variant per class, the graph differs in which score it subtracts; else one, under "*"),
    each variant {"program": the graph as ops.evaluate reads it (stepper.program), "leaves": what
    each leaf is ([node, "p", parameter index], [node, "x", input index], [node, "y"] for the
    target), "hidden": the hidden layers' activation nodes (the page swaps their op when the
    activation changes), "svg": the Graphviz drawing (left to right), "nodes": [[drawn id, node
    index, collapsed]], "edges": [[ids of the drawn parts, [[child, operand], …]]], "labels":
    [[label id, child, operand]] (the local derivative written on an edge), "ops": [[op id, node]]}.
    """
    classes = loss in ("cross_entropy", "nll")
    chosen = [int(c) for c in labels] if classes else ["*"]
    variants = {}
    for label in chosen:
        target = label if classes else float(labels[0])
        variants[str(label)] = _variant(model, loss, target, classes)
    return {"detail": variants[str(chosen[0])]["detail"], "variants": variants}


def _build(model: MLP, loss: str, target: Any) -> tuple[Value, list[Value]]:
    root = nn.loss_graph(model, [[0.0, 0.0]], [target], loss)  # any input: the shape is the same
    return root, topological_order(root)


def _variant(model: MLP, loss: str, target: Any, classes: bool) -> dict:
    """One sample's graph for the page: its program (ops.js recomputes it), where its leaves come from
    (parameters, inputs, the target's constants), its hidden activations, and its drawing with the ids
    of every node, edge and label the page writes numbers on."""
    root, order = _build(model, loss, target)
    index = {v: i for i, v in enumerate(order)}
    leaves = _leaves(model, loss, target, order, classes)
    last = len(model.layers) - 1
    hidden = [i for i, v in enumerate(order) if v.op == model.activation and v.scope
              and v.scope.startswith("layers.") and int(v.scope.split(".")[1]) < last]
    detail = choose_detail(order, "auto", GRAPH_BUDGET, "playground")
    drawing = draw_graph(root, rankdir="LR", detail=detail, legend=False, grads="show", max_nodes=GRAPH_BUDGET,
                         grad_text={v: WIDEST_NUMBER for v in order})
    svg = run_layout(drawing.source, "svg").decode("utf-8")
    of, groups = groups_of(order, detail)
    nodes = [[g.id, index[g.output], len(g.members) > 1] for g in groups
             if not (len(g.members) == 1 and g.output.op == "const" and not _is_target(g.output, leaves, index))]
    edges, labels = _drawn_edges(order, of)
    ops = [[f"o{i}", i] for i, v in enumerate(order) if v.parents and len(of[v].members) == 1]
    shown = names(root)
    return {"detail": detail, "program": program(order), "names": [shown[v] for v in order], "leaves": leaves,
            "hidden": hidden, "svg": _compact(svg[svg.index("<svg"):]), "nodes": nodes, "edges": edges,
            "labels": labels, "ops": ops, "root": len(order) - 1}


def _leaves(model: MLP, loss: str, target: Any, order: list[Value], classes: bool) -> list[list]:
    """[node, "p", parameter index] for a parameter, [node, "x", input index] for an input, and (one
    target drawn) [node, "y"] for each constant that changes with the target."""
    leaves: list[list] = []
    for i, v in enumerate(order):
        if v.op == "param":
            leaves.append([i, "p", v.index])
        elif not v.parents and v.op != "const":
            leaves.append([i, "x", int(v.label[1:])])
    if not classes:
        leaves += [[i, "y"] for i in _target_nodes(model, loss, target, order)]
    return leaves


def _drawn_edges(order: list[Value], of: dict) -> tuple[list, list]:
    """The drawing's edges, each with the (child, operand) pairs it stands for (an edge between two
    collapsed neurons stands for many), and the edge labels that show one local derivative."""
    edges, labels, aggregated = [], [], {}
    for c, v in enumerate(order):
        gv = of[v]
        for k, parent in enumerate(v.parents):
            gp = of[parent]
            if gp is gv:
                continue
            if len(gv.members) == 1 and len(gp.members) == 1:
                edges.append([[f"e{c}_{k}_a", f"e{c}_{k}_b"], [[c, k]]])
                labels.append([f"e{c}_{k}", c, k])
            else:
                head = "o" + gv.id[1:] if len(gv.members) == 1 else gv.id
                aggregated.setdefault(f"{gp.id}_{head}", []).append([c, k])
    edges += [[[f"{key}_a", f"{key}_b"] if len(pairs) > 1 else [key], pairs] for key, pairs in aggregated.items()]
    return edges, labels


def _compact(svg: str) -> str:
    """The drawing without what would mislead or only weigh: Graphviz's titles and comments, and the
    tooltips (they hold the numbers of the moment it was drawn, and the page changes them every
    step); coordinates to 0.1 pt."""
    svg = re.sub(r"<title>[^<]*</title>\n?|<!--[^>]*-->\n?", "", svg)
    svg = re.sub(r' xlink:title="[^"]*"', "", svg)
    return re.sub(r"(-?\d+\.\d)\d+", r"\1", svg)


def _is_target(v: Value, leaves: list, index: dict) -> bool:
    return any(leaf[1] == "y" and leaf[0] == index[v] for leaf in leaves)


def _target_nodes(model: MLP, loss: str, target: float, order: list[Value]) -> list[int]:
    """The constants that hold the target: built again with another target, the only numbers that change."""
    other = target + 0.5 if loss not in ("bce", "bce_logits", "hinge") else (1.0 - target if loss != "hinge" else -target)
    _, again = _build(model, loss, other)
    if [(v.op, len(v.parents)) for v in again] != [(v.op, len(v.parents)) for v in order]:
        raise RuntimeError(f"playground: one sample's {loss} graph changes shape with its target; the page cannot "
                           "recompute it for another sample")
    found = [i for i, (a, b) in enumerate(zip(order, again)) if a.op == "const" and a.data != b.data]
    if not found or any(order[i].data != target or again[i].data != other for i in found):
        raise RuntimeError(f"playground: cannot tell which numbers of the {loss} graph are the sample's target")
    return found


# -- the page -------------------------------------------------------------------------------------

THREE_CLASSES = {"n_per_class": 60, "noise": 0.1, "turns": 0.6}  # three spiral arms: softmax + cross-entropy


class Playground(Page):
    """The playground page; displays inline in Jupyter, `.save(path)` writes it."""

    SANDBOX = "allow-scripts allow-downloads"  # its own script, and the model and data it offers as files

    def __init__(self, html_page: str, title: str, parameters: int, points: int, height: int = 900):
        super().__init__(html_page, title, height)
        self.parameters = parameters
        self.points = points

    def __repr__(self) -> str:
        return (f"<Playground {self.title!r}: {self.parameters} parameters, {self.points} points; shows itself in "
                "Jupyter, .save('playground.html') writes it>")


def playground(model: MLP, X: Sequence[Any], y: Sequence[Any], *, loss: str = "mse",
               optimizer: Optional[Optimizer] = None, l2: float = 0.0, batch_size: Optional[int] = None,
               seed: Optional[int] = None, validation: Optional[tuple[Sequence[Any], Sequence[Any]]] = None,
               title: Optional[str] = None, height: int = 900) -> Playground:
    """The playground page for training `model` on (X, y) as `nn.fit(model, X, y, loss=loss,
    optimizer=optimizer, l2=l2, batch_size=batch_size, seed=seed, validation=validation)` would, in the
    browser, live (shows inline in Jupyter; `.save(path)` writes it). The model and optimizer are not
    changed: the page starts from their numbers.

    The model: an nn.MLP with 2 inputs (the plane), at most 10,000 parameters, no dropout; hidden
    activation sigmoid, tanh, relu, leaky_relu, elu or gelu; output linear, sigmoid or softmax. The
    loss by name: mse, mse_half, bce, bce_logits, cross_entropy, nll or hinge (checked against the
    labels as fit checks them). optimizer: nn.SGD (momentum, Nesterov), nn.RMSProp or nn.Adam on
    model.parameters() (default SGD(lr=0.1), as fit). At most 5,000 points (training and validation).
    height: the notebook iframe's height in px.

    On the page: ▶ (space) plays, → takes one step; the plane shows the data and the model's
    decision (click to add a point of the chosen class, shift-click or long-press to remove one);
    the loss (log scale), the network (weights, gradients or last updates), the gradient size per
    layer, and one sample's computation graph with data and grad on every node (click a point, or
    anywhere on the plane, to choose the sample); "step into" walks through that sample's training
    step (forward, backward edge by edge, the update per parameter) when its graph is drawn
    operation by operation. The learning rate, optimizer, activation, L2 and
    hidden sizes change while it trains; "reinitialise" draws new weights (seeded), "weights from
    Python" puts back the ones it started from; the model downloads as a file nn.MLP.from_file
    reads, the data as CSV. A three-class problem (spiral arms, softmax + cross-entropy) is one
    click away.

    `window.playground` on the page, for tests and scripted lessons: step(n) (n optimizer steps,
    then a redraw; with mini-batches an epoch is ⌈N/batch⌉ steps), parameters() (in
    model.parameters() order), losses() (one per epoch, as History.loss), predict(x1, x2), points()
    ([[x1, x2, label], …]), addPoint(x1, x2, label), removePoint(i), select(x1, x2), sampleGraph()
    ([{label, data, grad}, …] of the drawn sample), set({lr, optimizer, activation, l2}). See
    docs/playground.md.
    """
    where = "playground"
    spec = trainer_spec(model, X, y, loss, optimizer, l2, batch_size, seed, where)
    val = _validation(validation, model, loss, where)
    _check_points(len(spec["X"]) + (len(val["X"]) if val else 0), where)
    labels = _classes(spec, loss, where)
    problems = {"given": {"trainer": spec, "validation": val, "graph": sample_graph(model, loss, labels),
                          "labels": labels, "name": "the data from Python"}}
    problems["three"] = _three_classes(model, spec, seed)
    title = title or f"Training, live: MLP {'-'.join(map(str, spec['sizes']))}, {loss}"
    drawings = _templates(problems)
    data = {"problems": problems, "start": "given", "title": title, "limits": {"parameters": MAX_PARAMETERS,
            "points": MAX_POINTS}}
    page = fill_playground(title=title, data=data, drawings=drawings)
    return Playground(page, title, model.num_parameters(), len(spec["X"]), height)


def _check_points(points: int, where: str) -> None:
    if points > MAX_POINTS:
        raise ValueError(f"{where}: {points:,} points; the page trains and draws at most {MAX_POINTS:,} (training and "
                         "validation together) at animation speed. Give it a sample of them (nn.data.split), or train "
                         "on all of them with nn.fit and plot the result with viz.plots.decision_boundary")


def _templates(problems: dict) -> str:
    """Each sample-graph layout in a <template> of its own (inert markup, not escaped JSON); each variant
    keeps the id of its template in place of its SVG."""
    drawings = []
    for problem in problems.values():
        for variant in problem["graph"]["variants"].values():
            variant["template"] = f"layout-{len(drawings)}"
            drawings.append(f'<template id="{variant["template"]}">{variant.pop("svg")}</template>')
    return "".join(drawings)


def save_playground(model: MLP, X: Sequence[Any], y: Sequence[Any], path: str | os.PathLike, **options: Any) -> Path:
    """Write the playground page (see `playground`, which takes the same options) to one self-contained
    HTML file, atomically; returns the path."""
    path = html_path(path, "save_playground")  # before the work: a wrong name costs nothing
    return playground(model, X, y, **options).save(path)


def _validation(validation: Any, model: MLP, loss: str, where: str) -> Optional[dict]:
    """The validation data as the page reads them, checked as fit checks them."""
    checked = checked_validation(validation, model, objective(loss, model), where)
    return None if checked is None else {"X": checked[0].tolist(), "y": _plain_targets(validation[1], loss)}


def _classes(spec: dict, loss: str, where: str) -> list:
    """The labels a point can have: the classes for cross-entropy and nll, else the two target values
    (for mse, the two values its targets take: the page colours points by class)."""
    if loss in ("cross_entropy", "nll"):
        return list(range(spec["sizes"][-1]))
    if spec["sizes"][-1] != 1:
        raise ValueError(f"{where}: the page colours each point by its class: give the model one output (two "
                         f"classes) or use cross_entropy with class indices; this model has {spec['sizes'][-1]} outputs")
    fixed = {"hinge": [-1.0, 1.0], "bce": [0.0, 1.0], "bce_logits": [0.0, 1.0]}.get(loss)
    if fixed:
        return fixed
    seen = sorted({float(t) for t in spec["y"]})
    if len(seen) > 2:
        raise ValueError(f"{where}: the page colours each point by its class, but these {loss} targets take "
                         f"{len(seen)} values ({', '.join(f'{v:g}' for v in seen[:4])}{', …' if len(seen) > 4 else ''}); "
                         "give it two-class labels (0 and 1), or fit a regression with nn.fit and plot it with viz.plots")
    return seen if len(seen) == 2 else sorted({*seen, 0.0, 1.0})[:2] if seen[0] in (0.0, 1.0) else [seen[0], seen[0] + 1.0]


def three_classes(model: MLP, optimizer: dict, seed: Optional[int]) -> tuple[MLP, list, list, Optimizer]:
    """The one-click three-class problem: (model, X, y, optimizer). Three spiral arms; the same hidden
    layers and activation with a softmax output of 3 (trained with cross-entropy), its weights drawn
    in Python from `seed` (0 for None); the optimizer of the same kind and settings (`optimizer`, as
    optimizer_spec gives it). Its numbers are fit's too: `nn.fit(*three_classes(…), loss="cross_entropy")`."""
    base = 0 if seed is None else seed
    X, y = nn.data.spirals(THREE_CLASSES["n_per_class"], classes=3, noise=THREE_CLASSES["noise"],
                           turns=THREE_CLASSES["turns"], seed=base)
    three = MLP(2, [*model.sizes[:-1], 3], activation=model.activation, output="softmax", seed=base)
    o, params = optimizer, three.parameters()
    if o["kind"] == "adam":
        made: Optimizer = Adam(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"])
    elif o["kind"] == "rmsprop":
        made = RMSProp(params, lr=o["lr"], rho=o["rho"], eps=o["eps"], weight_decay=o["weight_decay"])
    else:
        made = SGD(params, lr=o["lr"], momentum=o["momentum"], nesterov=o["nesterov"], weight_decay=o["weight_decay"])
    return three, X, y, made


def _three_classes(model: MLP, spec: dict, seed: Optional[int]) -> dict:
    three, X, y, optimizer = three_classes(model, spec["optimizer"], seed)
    batch = spec["batchSize"]
    trainer = trainer_spec(three, X, y, "cross_entropy", optimizer, spec["l2"], batch, spec["seed"] if batch else None)
    return {"trainer": trainer, "validation": None, "graph": sample_graph(three, "cross_entropy", [0, 1, 2]),
            "labels": [0, 1, 2], "name": "three spiral arms"}
