"""Property-based: random expression graphs over every operation, with numbers on either side and
reused nodes, against central differences always and PyTorch float64 when it is installed."""
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chainrule import engine
from chainrule.engine import Value

UNARY = {
    "exp": (lambda a: a.exp(), "exp"), "log": (lambda a: a.log(), "log"), "tanh": (lambda a: a.tanh(), "tanh"),
    "sigmoid": (lambda a: a.sigmoid(), "sigmoid"), "softplus": (lambda a: a.softplus(), "softplus"),
    "relu": (lambda a: a.relu(), "relu"), "leaky_relu": (lambda a: a.leaky_relu(0.1), "leaky_relu"),
    "elu": (lambda a: a.elu(), "elu"), "gelu": (lambda a: a.gelu(), "gelu"), "abs": (lambda a: abs(a), "abs"),
    "neg": (lambda a: -a, "neg"), "square": (lambda a: a ** 2, "square"), "cube": (lambda a: a ** 3, "cube"),
    "sqrt": (lambda a: a ** 0.5, "sqrt"), "sin": (lambda a: a.sin(), "sin"), "cos": (lambda a: a.cos(), "cos"),
}
BINARY = ["+", "-", "*", "/", "**"]
NARY = ["sum", "mean", "dot", "logsumexp", "softmax"]
KINKED = {"relu", "leaky_relu", "abs", "elu"}  # derivatives jump at 0: keep their inputs away from it (op names may carry a setting: "leaky_relu(0.1)")


def _binary(op, a, b):
    return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b, "**": lambda: a ** b}[op]()


def _torch_unary(torch, name, a):
    F = torch.nn.functional
    return {"exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "softplus": F.softplus,
            "relu": torch.relu, "leaky_relu": lambda t: F.leaky_relu(t, 0.1), "elu": F.elu,
            "gelu": F.gelu, "abs": torch.abs, "neg": torch.neg, "square": lambda t: t ** 2,
            "cube": lambda t: t ** 3, "sqrt": lambda t: t ** 0.5, "sin": torch.sin, "cos": torch.cos}[name](a)


def run(program, inputs, lib="chainrule"):
    """Evaluate a program on chainrule Values (or torch tensors); returns (output, every node)."""
    if lib == "torch":
        import torch
    nodes = list(inputs)
    for kind, op, args, number, side in program:
        operands = [nodes[i % len(nodes)] for i in args]
        if kind == "unary":
            out = _torch_unary(torch, op, operands[0]) if lib == "torch" else UNARY[op][0](operands[0])
        elif kind == "binary":
            a, b = operands[0], (operands[1] if number is None else number)
            if side == "left" and number is not None:
                a, b = number, operands[0]
            if lib == "torch" and op == "**" and not isinstance(a, torch.Tensor):
                a = torch.tensor(a, dtype=torch.float64)
            out = _binary(op, a, b)
        else:
            if lib == "torch":
                stacked = torch.stack(operands)
                out = {"sum": lambda: stacked.sum(), "mean": lambda: stacked.mean(),
                       "dot": lambda: (stacked[: len(operands) // 2] * stacked[len(operands) // 2: 2 * (len(operands) // 2)]).sum(),
                       "logsumexp": lambda: torch.logsumexp(stacked, 0),
                       "softmax": lambda: torch.softmax(stacked, 0)[0]}[op]()
            else:
                half = len(operands) // 2
                out = {"sum": lambda: engine.sum(operands), "mean": lambda: engine.mean(operands),
                       "dot": lambda: engine.dot(operands[:half], operands[half:2 * half]),
                       "logsumexp": lambda: engine.logsumexp(operands),
                       "softmax": lambda: engine.softmax(operands)[0]}[op]()
        nodes.append(out)
    return nodes[-1], nodes


instruction = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.lists(st.integers(0, 50), min_size=1, max_size=1),
              st.none(), st.none()),
    st.tuples(st.just("binary"), st.sampled_from(BINARY), st.lists(st.integers(0, 50), min_size=2, max_size=2),
              st.one_of(st.none(), st.floats(-3, 3).filter(lambda v: abs(v) > 0.1)), st.sampled_from(["left", "right"])),
    st.tuples(st.just("nary"), st.sampled_from(NARY), st.lists(st.integers(0, 50), min_size=2, max_size=4),
              st.none(), st.none()),
)
programs = st.lists(instruction, min_size=1, max_size=8)
points = st.lists(st.floats(-2, 2).filter(lambda v: abs(v) > 0.05), min_size=3, max_size=3)


def _build(program, xs):
    """The graph at xs, or None where some operation is undefined or too steep for a fair check."""
    leaves = [Value(x, f"x{i}") for i, x in enumerate(xs)]
    try:
        out, nodes = run(program, leaves)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    for node in nodes:
        if abs(node.data) > 1e3:
            return None
        if node.op.split("(")[0] in KINKED and abs(node.parents[0].data) < 1e-3:
            return None
        if node.op in ("log", "**0.5", "/", "**") and any(abs(p.data) < 0.05 for p in node.parents):
            return None
    return leaves, out


def central_difference(program, xs, i, h, measure):
    """(measure(f at xs + h·eᵢ) − measure(f at xs − h·eᵢ)) / 2h, where measure reads (leaves, output);
    skips the example where f is undefined on either side."""
    values = []
    for sign in (1, -1):
        ys = list(xs)
        ys[i] += sign * h
        again = _build(program, ys)
        assume(again is not None)
        values.append(measure(*again))
    if isinstance(values[0], list):
        return [(a - b) / (2 * h) for a, b in zip(*values)]
    return (values[0] - values[1]) / (2 * h)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(programs, points)
def test_backward_equals_central_differences(program, xs):
    built = _build(program, xs)
    assume(built is not None)
    leaves, out = built
    out.backward()
    for i in range(3):
        numeric = central_difference(program, xs, i, 1e-6, lambda leaves, out: out.data)
        assert leaves[i].grad == pytest.approx(numeric, rel=1e-4, abs=1e-5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(programs, points)
def test_backward_equals_pytorch_float64(program, xs):
    torch = pytest.importorskip("torch")
    built = _build(program, xs)
    assume(built is not None)
    leaves, out = built
    out.backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out, _ = run(program, tensors, lib="torch")
    assert out.data == pytest.approx(t_out.item(), rel=1e-12, abs=1e-12)
    if not t_out.requires_grad:
        return
    grads = torch.autograd.grad(t_out, tensors, allow_unused=True)
    for leaf, g in zip(leaves, grads):
        expected = 0.0 if g is None else g.item()
        assert leaf.grad == pytest.approx(expected, rel=1e-10, abs=1e-10)


def test_reused_nodes_and_numbers_on_both_sides_by_hand():
    x = Value(0.7, "x")
    y = 2 / x + x * x - 3 ** x + (x - 1) ** 2
    y.backward()
    expected = -2 / 0.7 ** 2 + 2 * 0.7 - math.log(3) * 3 ** 0.7 + 2 * (0.7 - 1)
    assert x.grad == pytest.approx(expected, rel=1e-12)
