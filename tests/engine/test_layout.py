"""The engine reads like a textbook: no arrays in the table of operations, no import cycles."""
import ast
from pathlib import Path

import chainrule.engine

ENGINE = Path(chainrule.engine.__file__).parent


def _imports(path: Path) -> set[str]:
    """Sibling modules imported at run time (anywhere in the file, but not under `if TYPE_CHECKING`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", "") == "TYPE_CHECKING" for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in skipped:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
    return found


def test_no_import_cycles_inside_the_engine():
    graph = {p.stem: _imports(p) for p in ENGINE.glob("*.py") if p.stem != "__init__"}
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "visiting"
        for dep in sorted(graph.get(module, ())):
            assert state.get(dep) != "visiting", f"import cycle: {' → '.join(path + [dep])}"
            if dep not in state:
                visit(dep, path + [dep])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_table_of_operations_knows_nothing_about_arrays():
    text = (ENGINE / "value.py").read_text(encoding="utf-8")
    assert "import numpy" not in text and "np." not in text and "batch" not in text.lower()
    assert _imports(ENGINE / "value.py") <= {"backward", "reverse", "steps", "checks", "formatting", "recording", "forward"}
