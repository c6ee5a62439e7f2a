"""The forward pass replayed one node at a time, each value with the formula that made it.

`root.forward_steps()` walks the graph in the order it was computed (parents first) and
yields a `ForwardStep` per computed Value, whose text reads as the notes write it:

    step 3/9: z1 = w1 · x1 + b1 = 0.15 × 0.1 + 0.4 = 0.415        (a dot node)
    step 4/9: a1 = σ(z1) = σ(0.415) = 0.6023

Each Value's own number is the one the forward pass stored; its operands' numbers are read as they
are now. When those have changed since (an optimizer step between the passes), the step says so
and gives the number the forward pass would make now, rather than show arithmetic that is false.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Optional

from .backward import topological_order
from .formatting import fmt, in_partial, names_in, signed

if TYPE_CHECKING:
    from .value import Value

_INFIX = {"+": "+", "-": "−", "*": "·", "/": "/", "**": "^"}
_INFIX_NUMBERS = {"+": "+", "-": "−", "*": "×", "/": "÷", "**": "^"}
_FUNCTIONS = {"exp": "exp", "log": "ln", "tanh": "tanh", "sigmoid": "σ", "softplus": "softplus", "relu": "ReLU",
              "leaky_relu": "leakyReLU", "elu": "ELU", "gelu": "GELU", "Φ": "Φ", "abs": "abs", "neg": "−",
              "sin": "sin", "cos": "cos"}


@dataclass(frozen=True)
class ForwardStep:
    """One computed Value of the forward pass: `symbols` (by name) and `numbers` (with values)."""

    index: int  # 1-based
    total: int
    node: Value
    symbols: str
    numbers: str
    names: dict = field(repr=False, compare=False)
    now: Optional[float] = None  # what the operands give now, when they have changed since (else None)
    why: str = ""  # why the operands cannot give a number now, when they have changed so

    def __str__(self) -> str:
        n = self.names[self.node]
        if self.now is None and not self.why:
            return f"step {self.index}/{self.total}: {n} = {self.symbols} = {self.numbers} = {fmt(self.node.data)}"
        now = f"= {fmt(self.now)}" if self.now is not None else f"cannot be computed ({self.why})"
        return (f"step {self.index}/{self.total}: {n} = {self.symbols} = {fmt(self.node.data)}, computed before its "
                f"operands changed; with their numbers now, {self.numbers} {now}. Run the forward pass again to see "
                "the graph as it is now")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))


def formula(node: Value, names: dict) -> tuple[str, str]:
    """(the operation on its operands' names, the same on their numbers) for a computed Value."""
    op, parents = node.op.partition("(")[0], node.parents  # "leaky_relu(0.2)" reads as leakyReLU
    name = [in_partial(names[p]) for p in parents]  # (T−a2)^2, not T−a2^2
    value = [signed(p.data) for p in parents]
    if op in _INFIX:
        return f"{name[0]} {_INFIX[op]} {name[1]}", f"{value[0]} {_INFIX_NUMBERS[op]} {value[1]}"
    if op.startswith("**"):
        return f"{name[0]}^{op[2:]}", f"{value[0]}^{op[2:]}"
    if op in _FUNCTIONS:
        f = _FUNCTIONS[op]  # inside f( ) a number needs no brackets of its own: abs(-0.5), not abs((-0.5))
        return f"{f}({name[0]})", f"{f}({fmt(parents[0].data)})"
    if op == "dot":
        terms = len(parents) // 2
        symbols = [f"{name[2 * k]} · {name[2 * k + 1]}" for k in range(terms)]
        numbers = [f"{value[2 * k]} × {value[2 * k + 1]}" for k in range(terms)]
        if len(parents) % 2:
            symbols.append(name[-1])
            numbers.append(value[-1])
        return " + ".join(symbols), " + ".join(numbers)
    if op in ("sum", "mean"):
        inner = " + ".join(name), " + ".join(value)
        return (f"({inner[0]}) / {len(parents)}", f"({inner[1]}) / {len(parents)}") if op == "mean" else inner
    if op == "logsumexp":
        return f"ln Σ exp({', '.join(name)})", f"ln Σ exp({', '.join(value)})"
    if op == "softmax":
        return f"softmax({', '.join(name)})ᵢ", f"softmax({', '.join(value)})ᵢ"
    return f"{op}({', '.join(name)})", f"{op}({', '.join(value)})"


_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def computed_now(node: Value) -> Optional[float]:
    """The node's operation on its operands' numbers as they are now, by the Value operation itself where
    there is one (so no formula is written twice), or None for an operation not replayed here. An operation
    the numbers now rule out (log of a negative number, a division by zero) raises its own error."""
    op, parents = node.op.partition("(")[0], node.parents
    numbers = [p.data for p in parents]
    value = type(node)  # Value (forward.py does not import value.py, which uses it)
    if op in _ARITHMETIC or op == "**" and len(parents) == 2:  # a ∘ b, and aᵇ with b in the graph
        return (_ARITHMETIC[op](value(numbers[0]), value(numbers[1])) if op in _ARITHMETIC
                else value(numbers[0]) ** value(numbers[1])).data
    if op == "dot":  # as functional.dot_of adds it up: the products, then the bias, in one exact sum
        return math.fsum([w * x for w, x in zip(numbers[0::2], numbers[1::2])] + numbers[len(numbers) - len(numbers) % 2:])
    if op in ("sum", "mean"):
        return math.fsum(numbers) / (len(numbers) if op == "mean" else 1)
    if op == "logsumexp" or op == "softmax" and node.setting is not None:  # as functional._shifted_exps does:
        m = max(numbers)  # m = max xᵢ, then Σ e^(xᵢ − m)
        shifted = [math.exp(x - m) for x in numbers]
        total = math.fsum(shifted)
        return m + math.log(total) if node.setting is None else shifted[int(node.setting)] / total
    if op.startswith("**") and node.setting is not None:
        return (value(numbers[0]) ** node.setting).data
    method = {"neg": "__neg__", "abs": "__abs__", "Φ": "normal_cdf"}.get(op, op)
    if len(parents) != 1 or not hasattr(value, method):
        return None
    setting = () if node.setting is None else (node.setting,)  # leaky_relu's slope, elu's α
    return getattr(value(numbers[0]), method)(*setting).data


def _changed(node: Value) -> tuple[Optional[float], str]:
    """(what the operands make now, or why they cannot make anything now) when they have changed since the
    node was computed; (None, "") when they have not (or the operation is not replayed)."""
    try:
        now = computed_now(node)
    except (ArithmeticError, ValueError, TypeError) as error:  # it was computed once: its operands have changed
        return None, str(error)
    if now is None or math.isclose(now, node.data, rel_tol=1e-12, abs_tol=1e-300):
        return None, ""
    return now, ""


def forward_steps(root: Value) -> Iterator[ForwardStep]:
    """Yield one `ForwardStep` per computed Value of root's graph, in the order they were computed."""
    order = topological_order(root)
    names = names_in(order)
    computed = [node for node in order if node.edges]
    for index, node in enumerate(computed, start=1):
        symbols, numbers = formula(node, names)
        yield ForwardStep(index, len(computed), node, symbols, numbers, names, *_changed(node))
