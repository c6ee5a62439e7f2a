"""The lessons in notebooks/ run from top to bottom in a fresh Jupyter kernel, as a learner would.

Each notebook is executed once (nbclient, a real ipykernel kernel running this interpreter, in an
empty temporary folder; two notebooks at a time: tests/notebook_runs.py) and then checked: no errors
and nothing written to stderr; at least one picture (image/png) and, where the lesson draws a
computation graph, an SVG; every exercise's check cell reports "not done yet" for the empty stub (so
the shipped notebook runs cleanly) and ✓ for the bundled solution. Notebooks are stored executed:
their stored outputs must be what this fresh run gives (`make notebooks` stores them again). Each
names the sections of the notes it follows by their titles (listed here: the notes are not part of
this repository).
"""
from __future__ import annotations

import functools
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

from .notebook_runs import FOLDER, ROOT, canonical, comparable, execute  # noqa: E402

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


STORE_AGAIN = "run `make notebooks` to store them again, then commit the notebook"


@pytest.mark.parametrize("name", LESSONS)
def test_stored_executed_in_canonical_form(name):
    text = (FOLDER / f"{name}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
        f"{name} is not stored executed from top to bottom: {STORE_AGAIN}"
    assert nbformat.writes(canonical(nb, nb)) + "\n" == text, f"{name} is not in the stored form: {STORE_AGAIN}"
    assert nb.metadata.kernelspec.name == "python3" and "version" not in nb.metadata.get("language_info", {})


@pytest.mark.parametrize("name", LESSONS)
def test_stored_outputs_are_what_a_fresh_run_gives(name):
    stored = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    fresh = canonical(executed(name), stored)
    for (index, count, outputs), (_, fresh_count, fresh_outputs) in zip(comparable(stored), comparable(fresh)):
        assert (count, outputs) == (fresh_count, fresh_outputs), (
            f"{name}, cell {index}: the stored outputs differ from a fresh run's; {STORE_AGAIN}\n"
            f"cell: {stored.cells[index].source[:300]}")
    assert len(comparable(stored)) == len(comparable(fresh))


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
