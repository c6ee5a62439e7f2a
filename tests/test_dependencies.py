"""Every import in the package is declared: a third-party module imported unguarded is a dependency in
pyproject.toml; one imported only under `try: ... except ImportError` (torch) is in an extra. And nothing
is declared that the package does not use."""
from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path

import pytest

PACKAGES = ["chainrule", "chainrule.engine", "chainrule.nn", "chainrule.viz", "chainrule.demos",
            "chainrule.notebooks"]
# a dependency that is a program, not a module: viz runs graphviz-pure's `graphviz-pure` executable
PROGRAMS = {"graphviz-pure"}
GUARDS = {"ImportError", "ModuleNotFoundError"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> tuple[set[str], set[str]]:
    """(the core dependencies, those of the extras) of the installed chainrule, by distribution name."""
    core, extras = set(), set()
    for requirement in importlib.metadata.requires("chainrule") or []:
        name = normalise(re.match(r"[A-Za-z0-9._-]+", requirement)[0])
        (extras if "extra ==" in requirement else core).add(name)
    return core, extras


def source_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        (folder,) = importlib.util.find_spec(package).submodule_search_locations
        files += sorted(Path(folder).glob("*.py"))
    return files


def imports(tree: ast.AST) -> list[tuple[str, bool, int]]:
    """(top-level module, guarded, line) for every absolute import: guarded when it sits in a `try`
    whose handlers catch ImportError, or under `if TYPE_CHECKING:`."""
    found = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name.split(".")[0], guarded, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], guarded, node.lineno))
        if isinstance(node, ast.Try):
            caught = {n.id for h in node.handlers for n in ast.walk(h.type) if isinstance(n, ast.Name)} if all(
                h.type is not None for h in node.handlers) else GUARDS
            for child in node.body:
                visit(child, guarded or bool(caught & GUARDS))
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, guarded)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def distributions(module: str) -> set[str]:
    """The distributions that provide `module` (its own name when it is not installed here, as torch)."""
    return {normalise(d) for d in providers().get(module, [module])}


@functools.lru_cache(maxsize=1)
def providers() -> dict:
    return importlib.metadata.packages_distributions()  # reads every installed distribution's files: once


@functools.lru_cache(maxsize=1)
def third_party_imports() -> list[tuple[str, bool, str]]:
    result = []
    for path in source_files():
        for module, guarded, line in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if module not in sys.stdlib_module_names and module not in ("chainrule", "__future__"):
                result.append((module, guarded, f"{path.parent.name}/{path.name}:{line}"))
    return result


def test_every_import_is_declared():
    core, extras = declared()
    missing = []
    for module, guarded, where in third_party_imports():
        allowed = core | extras if guarded else core
        if not distributions(module) & allowed:
            kind = "an optional dependency (an extra)" if guarded else "a dependency"
            missing.append(f"{where}: import {module} is not {kind} in pyproject.toml")
    assert not missing, "\n".join(missing)


def test_every_dependency_is_used():
    core, _ = declared()
    used = set().union(*(distributions(module) for module, _, _ in third_party_imports()))
    assert core - used - PROGRAMS == set(), "declared but never imported"
    assert {"scikit-learn", "scipy"} & core == set()


def test_the_walk_sees_guards_and_catches_an_undeclared_import():
    code = ("import numpy\n"
            "def f():\n    from scipy.special import erfc\n"
            "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
            "try:\n    import yaml\nexcept ValueError:\n    pass\n"
            "if TYPE_CHECKING:\n    import pandas\n")
    assert imports(ast.parse(code)) == [("numpy", False, 1), ("scipy", False, 3), ("torch", True, 5),
                                        ("yaml", False, 9), ("pandas", True, 13)]


@pytest.mark.parametrize("package", PACKAGES)
def test_the_walk_covers_each_package(package):
    (folder,) = importlib.util.find_spec(package).submodule_search_locations
    assert (Path(folder) / "__init__.py") in source_files()
