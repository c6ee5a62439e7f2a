"""The pages' table of operations (viz/pages/ops.js) against the Python engine, without a browser.

Random programs over every operation are built in Python; the page's program of each graph
(`viz.stepper.program`) goes to ops.js's `evaluate` in one Node process (tests/js/run_ops.js, JSON in
and out) at the graph's own numbers and at moved ones, as the what-if moves them. Python's answer
at the moved numbers is the same graph built again node by node with the engine's own operations:
every value, local derivative and gradient must agree to 1e-12 (relative, or absolute below 1), and
where the engine refuses an input (it raises), ops.js must refuse at the same node, naming the same
operation and exception. fmt must write what Python's f"{x:.4g}" writes, exactly, for thousands of
numbers.
"""
import json
import math
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from chainrule import engine
from chainrule.engine import Value, topological_order
from chainrule.viz.stepper import program as page_program

from ..engine.test_random_graphs import BINARY, NARY, UNARY, _build
from .test_whatif import programs_over_every_operation

RUNNER = Path(__file__).parents[1] / "js" / "run_ops.js"
REFUSED = (ValueError, ZeroDivisionError, OverflowError)
# Numbers a learner might type that some operation refuses: zero, negatives, the edges of exp
EDGES = [0.0, -1.0, 1.0, -0.5, 710.0, -710.0, 1e-300, 1e300]


def relative(a, b):
    return abs(a - b) / max(1.0, abs(b))


def random_instruction(rng):
    """One step of a random program, as test_random_graphs' strategies draw them."""
    kind = rng.choice(["unary", "binary", "nary"])
    if kind == "unary":
        return ("unary", rng.choice(sorted(UNARY)), [rng.randrange(50)], None, None)
    if kind == "binary":
        number = rng.choice([None, rng.choice([-1, 1]) * rng.uniform(0.1, 3.0)])
        return ("binary", rng.choice(BINARY), [rng.randrange(50), rng.randrange(50)], number,
                rng.choice(["left", "right"]))
    return ("nary", rng.choice(NARY), [rng.randrange(50) for _ in range(rng.randint(2, 4))], None, None)


def random_point(rng):
    return [rng.choice([-1, 1]) * rng.uniform(0.05, 2.0) for _ in range(3)]


def apply(node, parents):
    """The engine's operation of `node` (by its op name and settings) on the Values `parents`."""
    op = node.op
    name, _, setting = op.partition("(")
    number = float(setting[:-1]) if setting else None
    if op.startswith("**") and op != "**":
        return parents[0] ** float(op[2:])
    if name in ("+", "-", "*", "/", "**"):
        a, b = parents
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                "**": lambda: a ** b}[name]()
    if name == "neg":
        return -parents[0]
    if name == "abs":
        return abs(parents[0])
    if name == "leaky_relu":
        return parents[0].leaky_relu(0.01 if number is None else number)
    if name == "elu":
        return parents[0].elu(1.0 if number is None else number)
    if name == "Φ":
        return parents[0].normal_cdf()
    if name in ("sum", "mean", "logsumexp"):
        return getattr(engine, name)(parents)
    if name == "dot":
        terms = len(parents) // 2
        return engine.dot(parents[0:2 * terms:2], parents[1:2 * terms:2], parents[-1] if len(parents) % 2 else None)
    if name == "softmax":
        return engine.softmax(parents)[node.setting]  # which output this node is
    return getattr(parents[0], name)()  # exp, log, tanh, sigmoid, softplus, relu, gelu, …


def rebuild(order, values):
    """The graph of `order` built again with the engine's operations from `values` (one per node; the
    leaves' are used), in the same topological order: (nodes, None) with backward done, or
    (None, (index, error)) where the engine refuses: an operation, or backward's gradient check."""
    new = []
    index = {v: i for i, v in enumerate(order)}
    for i, node in enumerate(order):
        if not node.edges:
            new.append(Value(values[i], f"n{i}"))
            continue
        try:
            new.append(apply(node, [new[index[p]] for p in node.parents]).named(f"n{i}"))
        except REFUSED as error:
            return None, (i, error)
    try:
        new[-1].backward()
    except OverflowError as error:  # "backward: the gradient of n7 (Value, …) overflowed"
        return None, (int(str(error).split("gradient of n")[1].split(" ")[0]), error)
    return new, None


def cases(seed=11):
    """(order, values) pairs: each graph at its own numbers and with one input moved, as the page does."""
    rng = random.Random(seed)
    programs = list(programs_over_every_operation()) + [
        [random_instruction(rng) for _ in range(rng.randint(1, 8))] for _ in range(400)]
    for instructions in programs:
        for _ in range(5):  # a point where Python builds the graph
            built = _build(instructions, random_point(rng))
            if built is not None:
                break
        else:
            continue
        yield from moved(rng, *built)
    for _ in range(20):  # Φ, which test_random_graphs does not draw (GELU is a·Φ(a))
        leaves = [Value(x, f"x{i}") for i, x in enumerate(random_point(rng))]
        yield from moved(rng, leaves, leaves[0].normal_cdf() * leaves[1] + (leaves[2] * leaves[0]).normal_cdf())


def moved(rng, leaves, out):
    """The graph at its own numbers, then with one input moved to a random number and to an edge."""
    order = topological_order(out)
    base = [v.data for v in order]
    yield order, base
    inputs = [i for i, v in enumerate(order) if v in leaves]
    for number in (rng.uniform(-3.0, 3.0), rng.choice(EDGES)):
        values = list(base)
        values[rng.choice(inputs)] = number
        yield order, values


def fmt_numbers(seed=5):
    """Numbers of every size and sign, exact halfway cases at 4 significant figures, and the edges
    between fixed and scientific notation."""
    rng = random.Random(seed)
    numbers = [0.0, -0.0, 9999.5, 9999.499999999999, 99995.0, 0.0001, 0.00009999995, 1e-5, 1e-4, 1e4, 1e16,
               5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 0.5, 1.0, 123.456, 1 / 3]
    for x in (9999.5, 0.0001, 1e-5, 1e4, 0.00099995, 99.995, 1.0):
        numbers += [math.nextafter(x, math.inf), math.nextafter(x, -math.inf)]
    for _ in range(1500):  # random magnitudes
        numbers.append(rng.choice([-1, 1]) * rng.uniform(1, 10) * 10.0 ** rng.randint(-320, 307))
    for _ in range(1000):  # random bit patterns: subnormals, every exponent
        x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(x):
            numbers.append(x)
    for _ in range(1500):  # dddd5 × 10^m held exactly by a double: a tie at 4 significant figures
        m = rng.randint(-4, 10)
        n = rng.randrange(1000, 10000) * 10 + 5
        if m < 0 and n % 5 ** -m:
            continue
        numbers.append(rng.choice([-1, 1]) * (n * 10 ** m if m >= 0 else n / 10 ** -m))
    for _ in range(1000):  # numbers a computation makes
        numbers.append(math.exp(rng.uniform(-30, 30)) * rng.choice([-1, 1]) - rng.random())
    return numbers


@pytest.fixture(scope="module")
def answers():
    """Every case through ops.js in one Node process."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the pages' JavaScript is tested with Node (20 or later)")
    evaluated = list(cases())
    numbers = fmt_numbers()
    request = {"evaluate": [[page_program(order), values] for order, values in evaluated], "fmt": numbers}
    done = subprocess.run([node, str(RUNNER)], input=json.dumps(request), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    return evaluated, reply["evaluate"], numbers, reply["fmt"], reply["operations"]


def test_ops_js_computes_what_the_engine_computes_and_refuses_what_it_refuses(answers):
    evaluated, results, _, _, operations = answers
    compared, refused, ops_seen = 0, 0, set()
    for (order, values), js in zip(evaluated, results):
        nodes, refusal = rebuild(order, values)
        where = [v.op for v in order]
        if refusal is not None:
            i, error = refusal
            problem = js["problem"]
            assert problem is not None, (where, values, error)
            assert problem["node"] == i and problem["kind"] == type(error).__name__, (where, values, error, problem)
            if problem["op"] != "backward":  # the operation named as the engine names it ("power (**): …")
                assert str(error).startswith(problem["title"] + ":"), (error, problem)
            refused += 1
            continue
        assert js["problem"] is None, (where, values, js["problem"])
        for k, v in enumerate(nodes):
            assert relative(js["data"][k], v.data) < 1e-12, (where, values, k, v.op)
            assert relative(js["grad"][k], v.grad) < 1e-12, (where, values, k, v.op)
            assert len(js["locals"][k]) == len(v.local_grads)
            for got, local in zip(js["locals"][k], v.local_grads):
                assert relative(got, local) < 1e-12, (where, values, k, v.op)
        ops_seen |= {("**n" if v.op.startswith("**") and v.op != "**" else v.op.partition("(")[0])
                     for v in order if v.edges}
        compared += 1
    assert compared > 1000 and refused > 50, (compared, refused)
    # every operation of ops.js is compared here
    assert set(operations) <= ops_seen, sorted(set(operations) - ops_seen)


def test_ops_js_writes_numbers_as_python_does(answers):
    _, _, numbers, written, _ = answers
    wrong = [(x, f"{x:.4g}", js) for x, js in zip(numbers, written) if js != f"{x:.4g}"]
    assert len(numbers) > 4000 and not wrong, wrong[:10]


def test_the_engine_refusals_ops_js_mirrors_name_the_same_operation():
    """One refusing node each, by hand: the same exception and the operation's name as the engine gives it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the pages' JavaScript is tested with Node (20 or later)")
    x, y, n = Value(2.0, "x"), Value(3.0, "y"), Value(-1.0, "n")
    graphs = [x / y, x ** n, y ** 0.5, (x * y).log(), x.exp(), x * x, engine.sum([x, x]), engine.dot([x], [x]),
              x ** -1.0, x.log() * 1e10]
    moves = [(y, 0.0), (x, 0.0), (y, -4.0), (x, -1.0), (x, 710.0), (x, 1e200), (x, 1.7e308), (x, 1e300),
             (x, 0.0), (x, 1e-300)]
    programs, expected = [], []
    for out, (leaf, number) in zip(graphs, moves):
        order = topological_order(out)
        values = [number if v is leaf else v.data for v in order]
        nodes, refusal = rebuild(order, values)
        assert refusal is not None, out.op
        programs.append([page_program(order), values])
        expected.append(refusal)
    request = {"evaluate": programs, "fmt": []}
    done = subprocess.run([node, str(RUNNER)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    results = json.loads(done.stdout)["evaluate"]
    kinds = set()
    for (i, error), js in zip(expected, results):
        problem = js["problem"]
        assert problem["node"] == i and problem["kind"] == type(error).__name__, (error, problem)
        assert str(error).startswith(problem["title"] + ":") or problem["op"] == "backward", (error, problem)
        kinds.add(type(error).__name__)
    assert kinds == {"ZeroDivisionError", "ValueError", "OverflowError"}


def test_sin_and_cos_match_their_derivatives():
    """ops.js's sin and cos: p = sin x · cos x, whose
    ∂p/∂x = cos²x − sin²x = cos 2x; every value and local derivative against math's."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the pages' JavaScript is tested with Node (20 or later)")
    program = [{"o": "", "p": [], "d": 0.0}, {"o": "sin", "p": [0], "d": 0.0}, {"o": "cos", "p": [0], "d": 0.0},
               {"o": "*", "p": [1, 2], "d": 0.0}]
    xs = [-3.0, -1.2, -0.3, 0.0, 0.4, 1.1, 2.5, 7.0, 100.0]
    request = {"evaluate": [[program, [x, 0.0, 0.0, 0.0]] for x in xs], "fmt": []}
    done = subprocess.run([node, str(RUNNER)], input=json.dumps(request), capture_output=True, text=True, timeout=60)
    for x, js in zip(xs, json.loads(done.stdout)["evaluate"]):
        s, c = math.sin(x), math.cos(x)
        assert relative(js["data"][1], s) < 1e-15 and relative(js["data"][2], c) < 1e-15
        assert relative(js["locals"][1][0], c) < 1e-15 and relative(js["locals"][2][0], -s) < 1e-15
        assert relative(js["grad"][0], math.cos(2 * x)) < 1e-12, x
