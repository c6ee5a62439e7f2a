"""The shape the core keeps (docs/internals.md): no function in the package longer than 50 lines, and
none with more than 20 decision points (radon's grades A–C; D starts at 21), so that each reads on a screen."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ["engine", "nn", "viz", "demos", "chainrule"]
FILES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def complexity(function: ast.AST) -> int:
    """McCabe's count as radon makes it: 1, plus one for each branch, loop, except, `and`/`or` and comprehension if."""
    count = 1
    for node in ast.walk(function):
        if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.Assert)):
            count += 1
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
    return count


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_functions_are_short_and_plain(path):
    long = [(f.name, f.end_lineno - f.lineno + 1) for f in functions(path) if f.end_lineno - f.lineno + 1 > 50]
    tangled = [(f.name, complexity(f)) for f in functions(path) if complexity(f) > 20]
    assert not long and not tangled, f"{path.name}: over 50 lines {long}; over 20 decision points {tangled}"


def test_the_count_sees_a_tangled_function():
    source = "def f(x):\n" + "".join(f"    if x == {i} and x > 0:\n        return {i}\n" for i in range(10))
    (f,) = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)]
    assert complexity(f) == 21  # 1 + 10 ifs + 10 ands: radon's grade D
