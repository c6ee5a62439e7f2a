"""The two-neuron worked example of the notes (003, "Example: Two-Neuron Network"), number for number.

    x1 ──(w1, b1)──▶ z1 ─σ─▶ a1 ──(w2, b2)──▶ z2 ─σ─▶ a2,   E = ½(T − a2)²

In a REPL:

    >>> from chainrule.demos.two_neuron import build
    >>> net = build()
    >>> net.E.backward()
    >>> net.w1.grad        # 0.001021, as the notes print
    >>> from chainrule import explain; print(explain(net.E, net.w1))
"""
from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TextIO

from chainrule import engine
from chainrule.engine import Value, fmt, no_grad

from .common import Narrator, run_demo, whole_number

DESCRIPTION = "the notes' two-neuron backpropagation example, number for number, and where the notes slip"

# The notes' setup (003_e5ffe22be6c59834.txt).
SETUP = {"x1": 0.1, "w1": 0.15, "b1": 0.4, "w2": 0.45, "b2": 0.65, "T": 0.25}
LEARNING_RATE = 0.4

# What the notes print, quoted so the demo can compare; nothing below is computed from these.
NOTES = {
    "z1": "0.415", "a1": "0.6023", "z2": "0.9210", "a2": "0.7153", "E": "0.2176",
    "dE/da2": "0.9306", "da2/dz2": "0.2036", "dz2/da1": "0.45", "da1/dz1": "0.2397",
    "grad w2": "0.05706", "grad b2": "0.0948", "grad w1": "0.001021", "grad b1": "0.01021",
    "new w1": "0.1496", "new b1": "0.3959", "new w2": "0.427", "new b2": "0.612",
}
PARAMETERS = ("w2", "b2", "w1", "b1")  # in the order the notes update them


@dataclass
class TwoNeuron:
    """The labelled Values of the example: inputs, parameters, and every intermediate."""

    x1: Value
    w1: Value
    b1: Value
    w2: Value
    b2: Value
    T: Value
    z1: Value
    a1: Value
    z2: Value
    a2: Value
    E: Value
    half: bool  # True: E = ½(T − a2)²;  False: E = (T − a2)²

    @property
    def parameters(self) -> dict[str, Value]:
        return {name: getattr(self, name) for name in PARAMETERS}


def forward(x1: Value, w1: Value, b1: Value, w2: Value, b2: Value, T: Value, half: bool = True) -> TwoNeuron:
    """The forward pass of the notes, each step a labelled Value.

    z1 = w1·x1 + b1, a1 = σ(z1), z2 = w2·a1 + b2, a2 = σ(z2), E = ½(T − a2)² (or (T − a2)²).
    Each weighted sum is one node (`engine.dot`), so ∂z1/∂w1 = x1 reads as in the notes.
    """
    z1 = engine.dot([w1], [x1], b1).named("z1")
    a1 = z1.sigmoid().named("a1")
    z2 = engine.dot([w2], [a1], b2).named("z2")
    a2 = z2.sigmoid().named("a2")
    error = (T - a2).named("T−a2")
    squared = error**2
    E = (0.5 * squared.named("(T−a2)²") if half else squared).named("E")
    return TwoNeuron(x1, w1, b1, w2, b2, T, z1, a1, z2, a2, E, half)


def build(half: bool = True, **values: float) -> TwoNeuron:
    """The example with fresh leaves; override any of x1, w1, b1, w2, b2, T by keyword."""
    unknown = set(values) - set(SETUP)
    if unknown:
        raise TypeError(f"build: unknown names {sorted(unknown)}; the example has {sorted(SETUP)}")
    leaves = {name: (Value.parameter if name in PARAMETERS else Value)(values.get(name, default), name)
              for name, default in SETUP.items()}
    return forward(**leaves, half=half)


def gradients(net: TwoNeuron) -> dict[str, float]:
    """∂E/∂p for each parameter p, by one backward pass."""
    for p in net.parameters.values():
        p.grad = 0.0
    net.E.backward()
    return {name: p.grad for name, p in net.parameters.items()}


def sgd_step(net: TwoNeuron, lr: float = LEARNING_RATE) -> None:
    """p ← p − η·∂E/∂p for every parameter (uses the grads already computed)."""
    with no_grad():
        for p in net.parameters.values():
            p.data -= lr * p.grad


def train(net: TwoNeuron, epochs: int = 1000, lr: float = LEARNING_RATE, stop_below: float = 0.001) -> list[float]:
    """Repeat forward, backward, update (the notes: until E is small or N epochs). Returns E per epoch."""
    history = []
    for _ in range(epochs):
        net = forward(net.x1, net.w1, net.b1, net.w2, net.b2, net.T, net.half)
        history.append(net.E.data)
        if net.E.data < stop_below:
            break
        gradients(net)
        sgd_step(net, lr)
    return history


def local(child: Value, parent: Value) -> float:
    """∂child/∂parent as recorded by the engine on that edge."""
    for p, d in zip(child.parents, child.local_grads):
        if p is parent:
            return d
    raise ValueError(f"{parent.label} is not a parent of {child.label}")


def compare(computed: float, printed: str) -> str:
    """How a computed number compares with what the notes print, at the notes' precision."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    unit = 10.0**-decimals
    ours = f"{computed:.{decimals}f}"
    if ours == printed:
        return f"notes {printed} ✓"
    if abs(computed - float(printed)) <= 1.5 * unit:  # the notes round intermediate values
        return f"notes {printed} ≈ (off by {round(abs(computed - float(printed)) / unit)} in the last digit: rounding)"
    return f"notes {printed} ✗ DIFFERS"


def report(out: TextIO = sys.stdout, epochs: int = 1000) -> dict[str, float]:
    """Print the whole worked example; return the computed numbers by name."""
    w = out.write
    net = build(half=True)
    full = build(half=False)
    grads = gradients(net)
    grads_full = gradients(full)
    n = {"z1": net.z1.data, "a1": net.a1.data, "z2": net.z2.data, "a2": net.a2.data,
         "E": full.E.data, "E half": net.E.data}
    _forward_pass(w, n)
    factors = _backward_pass(w, net, full)
    updated = _updates(w, net, grads)
    _where_the_notes_slip(w, net, n, grads, grads_full, factors)
    ratio = _vanishing(w, n, grads, factors)
    history = _training(w, epochs)
    return {**n, **{"grad " + k: v for k, v in grads.items()}, **{"new " + k: v for k, v in updated.items()},
            "ratio w2/w1": ratio, "final E": history[-1], "epochs": len(history)}


def _forward_pass(w: Callable[[str], Any], n: dict[str, float]) -> None:
    w("The two-neuron network of the notes (003, 'Example: Two-Neuron Network')\n")
    w(f"  x1 = {SETUP['x1']}, w1 = {SETUP['w1']}, b1 = {SETUP['b1']}, w2 = {SETUP['w2']}, b2 = {SETUP['b2']}, "
      f"target T = {SETUP['T']}, sigmoid neurons, learning rate η = {LEARNING_RATE}\n\n")
    w("Forward pass\n")
    for name, formula in [("z1", "w1·x1 + b1"), ("a1", "σ(z1)"), ("z2", "w2·a1 + b2"), ("a2", "σ(z2)")]:
        w(f"  {name} = {formula:<12} = {n[name]:.6f}   {compare(n[name], NOTES[name])}\n")
    w(f"  E  = (T − a2)²      = {n['E']:.6f}   {compare(n['E'], NOTES['E'])}\n")
    w(f"  E  = ½(T − a2)²     = {n['E half']:.6f}   (the convention the notes' gradients use, see below)\n\n")


def _backward_pass(w: Callable[[str], Any], net: TwoNeuron, full: TwoNeuron) -> dict[str, float]:
    """The chain rule's factors, each a local derivative the engine recorded, against the notes'."""
    dE_da2 = net.a2.grad
    factors = {"da2/dz2": local(net.a2, net.z2), "dz2/da1": local(net.z2, net.a1), "da1/dz1": local(net.a1, net.z1)}
    w("Backward pass (chain rule; every factor is a local derivative the engine recorded)\n")
    w(f"  ∂E/∂a2  = a2 − T        = {dE_da2:.6f}   with E = ½(T − a2)²\n")
    w(f"          = 2(a2 − T)     = {full.a2.grad:.6f}   with E = (T − a2)²   {compare(full.a2.grad, NOTES['dE/da2'])}\n")
    w(f"  ∂a2/∂z2 = a2(1 − a2)    = {factors['da2/dz2']:.6f}   {compare(factors['da2/dz2'], NOTES['da2/dz2'])}\n")
    w(f"  ∂z2/∂a1 = w2            = {factors['dz2/da1']:.6f}   {compare(factors['dz2/da1'], NOTES['dz2/da1'])}\n")
    w(f"  ∂a1/∂z1 = a1(1 − a1)    = {factors['da1/dz1']:.6f}   {compare(factors['da1/dz1'], NOTES['da1/dz1'])}\n\n")
    return factors


def _updates(w: Callable[[str], Any], net: TwoNeuron, grads: dict[str, float]) -> dict[str, float]:
    """Each gradient as its chain of local derivatives, and the update it gives."""
    chains = {
        "w2": "∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂w2", "b2": "∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂b2",
        "w1": "∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂a1 · ∂a1/∂z1 · ∂z1/∂w1", "b1": "∂E/∂a2 · ∂a2/∂z2 · ∂z2/∂a1 · ∂a1/∂z1 · ∂z1/∂b1",
    }
    w("Gradients (E = ½(T − a2)²) and the update p ← p − η·∂E/∂p\n")
    updated = {}
    for name in PARAMETERS:
        p = net.parameters[name]
        g = grads[name]
        updated[name] = p.data - LEARNING_RATE * g
        w(f"  ∂E/∂{name} = {chains[name]}\n")
        w(f"         = {g:.6g}   {compare(g, NOTES['grad ' + name])}\n")
        w(f"    {name}: {p.data} − {LEARNING_RATE} × {fmt(g)} = {updated[name]:.6f}   "
          f"{compare(updated[name], NOTES['new ' + name])}\n")
    w("\n")
    return updated


def _where_the_notes_slip(w: Callable[[str], Any], net: TwoNeuron, n: dict[str, float], grads: dict[str, float],
                          grads_full: dict[str, float], factors: dict[str, float]) -> None:
    w("Where the notes are inconsistent (the engine computed both conventions)\n")
    w("  The notes write E = (T − a2)² and ∂E/∂a2 = 2(a2 − T) = 0.9306, but every gradient and update\n"
      "  they print is that of E = ½(T − a2)², whose ∂E/∂a2 = a2 − T. With E = (T − a2)² every gradient\n"
      f"  doubles. And (0.25 − 0.7153)² = {n['E']:.4f}, not {NOTES['E']}.\n")
    w(f"  {'':<4} {'E = ½(T − a2)²':>22} {'E = (T − a2)²':>22}\n")
    w(f"  {'E':<4} {n['E half']:>22.6f} {n['E']:>22.6f}\n")
    for name in PARAMETERS:
        p = net.parameters[name].data
        w(f"  {'∂' + name:<4} {grads[name]:>22.6g} {grads_full[name]:>22.6g}   "
          f"→ {name} = {p - LEARNING_RATE * grads[name]:.4f} vs {p - LEARNING_RATE * grads_full[name]:.4f}\n")
    q = {k: float(v) for k, v in NOTES.items()}  # the notes' printed numbers, to redo their arithmetic
    as_written = q["dE/da2"] * q["da2/dz2"] * q["a1"]
    w(f"  Their own product for ∂E/∂w2, 0.9306 × 0.2036 × 0.6023 = {as_written:.4f}, is twice the {NOTES['grad w2']} "
      "they print.\n")
    a1_slope = q["a1"] * (1 - q["a1"])
    w(f"  Their ∂a1/∂z1 = {NOTES['da1/dz1']}, but a1(1 − a1) = 0.6023 × 0.3977 = {a1_slope:.4f}; "
      f"with {NOTES['da1/dz1']} the chain gives\n  ∂E/∂w1 = {q['dE/da2'] / 2 * q['da2/dz2'] * q['dz2/da1'] * q['da1/dz1'] * SETUP['x1']:.4g}, "
      f"with {a1_slope:.4f} it gives {q['dE/da2'] / 2 * q['da2/dz2'] * q['dz2/da1'] * a1_slope * SETUP['x1']:.4g} "
      f"(the notes print {NOTES['grad w1']}).\n")
    w(f"  Their ∂a2/∂z2 = {NOTES['da2/dz2']} and ∂E/∂w2 = {NOTES['grad w2']} come from rounding a2 to 0.7153 first; "
      f"unrounded\n  they are {factors['da2/dz2']:.4f} and {grads['w2']:.4g}.\n\n")


def _vanishing(w: Callable[[str], Any], n: dict[str, float], grads: dict[str, float], factors: dict[str, float]) -> float:
    ratio = grads["w2"] / grads["w1"]
    w("The vanishing gradient, in this very example\n")
    w(f"  ∂E/∂w1 = {fmt(grads['w1'])} is {ratio:.0f}× smaller than ∂E/∂w2 = {fmt(grads['w2'])}: going back one layer\n"
      f"  multiplied it by w2 = {factors['dz2/da1']} and by the sigmoid slope a1(1 − a1) = {factors['da1/dz1']:.4f} "
      f"(at most 0.25), and x1 = {SETUP['x1']} replaces a1 = {n['a1']:.4f}.\n\n")
    return ratio


def _training(w: Callable[[str], Any], epochs: int) -> list[float]:
    history = train(build(half=True), epochs=epochs)
    w(f"Training on (repeat forward → backward → update, η = {LEARNING_RATE}, stop when E < 0.001 or after {epochs} epochs)\n")
    marks = sorted({1, 2, 5, 10, 20, 50, 100, 200, 500, len(history)})
    for epoch in marks:
        if epoch <= len(history):
            w(f"  epoch {epoch:>4}: E = {history[epoch - 1]:.6f}\n")
    if history[-1] < 0.001:
        w(f"  E = ½(T − a2)² fell below 0.001 at epoch {len(history)}: E = {history[-1]:.6f}\n")
    else:
        w(f"  after {len(history)} epochs E = {history[-1]:.6f} (not yet below 0.001)\n")
    return history


def step_through(out: TextIO = sys.stdout, read: Callable[[], str] = input) -> None:
    """Walk backward one node at a time, waiting for Enter between steps.

    Reads Enter presses from stdin (piped input works: each line is one press;
    at end of input, or with no stdin at all, the remaining steps are printed without waiting).
    """
    net = build()
    out.write("Stepping through backward for E = ½(T − a2)². Press Enter for the next step (q to finish).\n\n")
    waiting = _can_read(read)
    for step in net.E.backward_steps():
        out.write(f"{step}\n")
        if waiting:
            try:
                reply = read()
            except EOFError:
                waiting = False
            else:
                waiting = reply.strip().lower() != "q"
    out.write("\nDone: " + ", ".join(f"{k}.grad = {fmt(v.grad)}" for k, v in net.parameters.items()) + "\n\n")


def _can_read(read: Callable[[], str]) -> bool:
    """False (and a line on stderr saying so) when `read` is input() and there is no stdin to read:
    started with stdin closed (`<&-`), input() would raise RuntimeError("lost sys.stdin")."""
    if read is input and (sys.stdin is None or sys.stdin.closed):
        print("chainrule demo two-neuron --step: stdin is closed, so there is no Enter to wait for; "
              "printing every step", file=sys.stderr)
        return False
    return True


def run(out: Path, seed: int = 0, say: Narrator = Narrator(), step: bool = False, epochs: int = 1000) -> dict:
    """The worked example, its pictures and its training (it has no randomness: `seed` changes nothing).

    step: first walk backward one node at a time (Enter for each step), then go on as without it.
    """
    if step:
        step_through()
    numbers = report(io.StringIO() if say.quiet else sys.stdout, epochs=epochs)
    write_pictures(out, say)
    say.summary(f"two-neuron: ∂E/∂w1 = {fmt(numbers['grad w1'])}, ∂E/∂w2 = {fmt(numbers['grad w2'])}, "
                f"final E = {numbers['final E']:.6f} after {numbers['epochs']} epochs")
    return numbers


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--step", action="store_true",
                        help="first walk the backward pass one step at a time (Enter for each), then go on as usual")
    parser.add_argument("--epochs", type=whole_number(1), default=1000, metavar="N",
                        help="epochs of training after the worked step (default 1000)")


def main(argv: list[str] | None = None) -> int:
    return run_demo("two-neuron", DESCRIPTION, run, argv, extra=_options)


def write_pictures(folder: Path, say: Narrator = Narrator()) -> list[Path]:
    """The graph after backward (SVG), the backward stepper and the whole training step (HTML pages)."""
    from chainrule import nn, viz
    net = build()
    net.E.backward()
    start = build()  # the training step: forward, backward, then the notes' update with η = 0.4
    params = [start.w1, start.b1, start.w2, start.b2]
    rebuild = lambda: forward(start.x1, *params, start.T).E  # noqa: E731  (the loss again, for its new value)
    return [
        say.wrote(viz.render(net.E, folder / "graph.svg", contributions=True, title="E = ½(T − a2)² after backward")),
        say.wrote(viz.save_stepper(build().E, folder / "backprop.html",
                                   title="The notes' two-neuron example: backward step by step")),
        say.wrote(viz.save_training_step(rebuild, nn.SGD(params, lr=LEARNING_RATE), folder / "training-step.html",
                                         title="The notes' two-neuron example: one whole training step")),
    ]


if __name__ == "__main__":
    sys.exit(main())
