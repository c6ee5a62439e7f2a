"""The lessons in notebooks/ run from top to bottom in a fresh Jupyter kernel, as a learner would.

Each notebook is executed once (nbclient, a real ipykernel kernel running this interpreter, in an
empty temporary folder; two notebooks at a time) and then checked: no errors and nothing written
to stderr; at least one picture (image/png) and, where the lesson draws a computation graph, an
SVG; every exercise's check cell reports "not done yet" for the empty stub (so the shipped
notebook runs cleanly) and ✓ for the bundled solution. Notebooks are stored without outputs, and each names the sections of
the notes it follows by their titles (listed here: the notes are not part of this repository).
"""
from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
from jupyter_client import KernelManager  # noqa: E402  (installed with nbclient)
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"
KERNEL = "chainrule-test"

# notebook -> (the titles of the notes' sections it follows, whether it draws a computation graph)
LESSONS = {
    "01_derivatives_and_the_chain_rule": (["The Engine of Learning: Derivatives", "Backpropagation"], True),
    "02_two_neuron_example": (["Example: Two-Neuron Network"], True),
    "03_gradient_descent_and_the_learning_rate": (["What is Gradient Descent?", "Scatterplot Representation"], False),
    "04_activations": (["Common Activation Functions"], False),
    "05_vanishing_gradients": (["What is the Vanishing Gradient Problem?"], False),
    "06_losses": (["Loss Functions"], True),
    "07_optimizers_and_schedules": (["Optimization Tricks", "Practical Considerations"], False),
    "08_initialisation": (["Initialization and Normalization"], False),
    "09_xor_and_classification": (["Labs Completed", "Neural Network Basics"], False),
    "10_digits_with_softmax": (["Choosing Activation Functions", "Loss Functions"], False),
    "11_beyond_the_notes": (["What is Backpropagation?", "What is Gradient Descent?"], False),
}


def test_every_notebook_is_listed():
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == sorted(LESSONS)


@functools.lru_cache(maxsize=1)
def kernel_specs() -> KernelSpecManager:
    """A kernel spec of our own, in a temporary folder: this interpreter (the venv's python),
    matplotlib's inline backend. Nothing is installed into the system or the venv."""
    folder = Path(tempfile.mkdtemp(prefix="chainrule-kernels-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    spec = folder / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "chainrule tests", "language": "python",
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    }))
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


def execute(nb) -> None:
    """Run every cell in a fresh kernel whose working directory is an empty temporary folder."""
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_specs())
    with tempfile.TemporaryDirectory(prefix="chainrule-notebook-") as cwd:
        nbclient.NotebookClient(nb, km=km, timeout=120, resources={"metadata": {"path": cwd}}).execute()


@functools.lru_cache(maxsize=1)
def _all_executed() -> dict:
    """Every notebook executed once, two at a time (each in its own kernel): name -> notebook or the error."""
    def run(name):
        nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
        try:
            execute(nb)
        except Exception as error:  # reported by the tests of that notebook
            return error
        return nb

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(LESSONS, pool.map(run, LESSONS)))


def executed(name: str):
    result = _all_executed()[name]
    if isinstance(result, Exception):
        raise result
    return result


def text_of(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(out["data"]["text/plain"])
    return "".join(parts)


def tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def test_the_kernel_runs_this_interpreter_and_this_checkout():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys, os, chainrule\nprint(sys.executable)\nprint(sys.prefix)\n"
                                          "print(chainrule.__file__)\nprint(os.getcwd())")]
    execute(nb)
    executable, prefix, package, cwd = text_of(nb.cells[0]).splitlines()
    assert Path(executable) == Path(sys.executable)
    assert Path(prefix) == Path(sys.prefix)
    assert Path(package).resolve().is_relative_to(ROOT)
    assert not Path(cwd).resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("name", LESSONS)
def test_stored_without_outputs(name):
    nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code), "clear the outputs before committing"


@pytest.mark.parametrize("name", LESSONS)
def test_names_the_sections_of_the_notes_it_follows(name):
    nb = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    titles, _ = LESSONS[name]
    for title in titles:
        assert f"'{title}'" in markdown, f"{name} should name the notes' section '{title}'"
    assert ".txt" not in markdown, "name sections by their titles, not by file names"


# The layout program graphviz-pure ships has no font metrics for non-ASCII characters (∂, ·, ²) and
# says so on stderr; the picture is still drawn. Anything else on stderr (a warning, a traceback) fails.
LAYOUT_WARNING = re.compile(r"^(Warning: )+no value for width of non-ASCII character \d+\. "
                            r"Falling back to width of space character$")


@pytest.mark.parametrize("name", LESSONS)
def test_runs_cleanly_from_top_to_bottom(name):
    nb = executed(name)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{name}: {out.get('ename')}: {out.get('evalue')}"
            if out["output_type"] == "stream" and out["name"] == "stderr":
                unexpected = [line for line in out["text"].splitlines() if line and not LAYOUT_WARNING.match(line)]
                assert not unexpected, f"{name} wrote to stderr:\n{out['text']}\nin the cell\n{cell.source}"


@pytest.mark.parametrize("name", LESSONS)
def test_shows_pictures(name):
    nb = executed(name)
    kinds = {kind for c in nb.cells for out in c.get("outputs", []) for kind in out.get("data", {})}
    assert "image/png" in kinds, f"{name} shows no matplotlib picture"
    if LESSONS[name][1]:
        assert "image/svg+xml" in kinds, f"{name} should draw a computation graph"


@pytest.mark.parametrize("name", LESSONS)
def test_exercises_check_themselves(name):
    nb = executed(name)
    exercises, solutions = tagged(nb, "exercise-check"), tagged(nb, "solution-check")
    assert 2 <= len(exercises) <= 3, f"{name}: two or three exercises"
    assert len(solutions) == len(exercises), f"{name}: one solution per exercise"
    for cell in exercises:  # the stub as shipped: the check runs and says so, it does not crash
        out = text_of(cell)
        assert "not done yet" in out and "✓" not in out and "✗" not in out, f"{name}: {cell.source}\n→ {out}"
    for cell in solutions:  # the bundled solution passes its check
        out = text_of(cell)
        assert "✓" in out and "✗" not in out and "not done yet" not in out, f"{name}: {cell.source}\n→ {out}"
