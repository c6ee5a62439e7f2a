"""Running the lessons in a fresh kernel, and storing what they print and draw in them.

The notebooks are stored executed, so that a learner sees every picture and number before running
anything (on a repository host, in a notebook viewer, in the copy `chainrule lessons` makes).
`make notebooks` runs them all and stores the outputs:

    .venv/bin/python -m tests.notebook_runs [NAME ...]     (no NAME: every notebook)

tests/test_notebooks.py runs them the same way and checks that the stored outputs are what a fresh
run gives (`comparable`): text and numbers exactly, after replacing memory addresses; pictures and
pages by their kind, as matplotlib's and Graphviz's bytes vary with their versions.

A notebook is stored in one canonical form, so that storing it again changes only what its cells
print: each cell's stream output in one piece (the kernel sends it in chunks as it comes), no
timings in the cells' metadata, and the notebook's metadata as in the source (no Python version).
"""
from __future__ import annotations

import atexit
import copy
import functools
import json
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"
KERNEL = "chainrule-test"
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
TEXT_KINDS = ("text/plain", "text/markdown", "text/latex", "application/json")


@functools.lru_cache(maxsize=1)
def kernel_specs():
    """A kernel spec of our own, in a temporary folder: this interpreter (the venv's python),
    matplotlib's inline backend. Nothing is installed into the system or the venv."""
    from jupyter_client.kernelspec import KernelSpecManager

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
    import nbclient
    from jupyter_client import KernelManager

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_specs())
    with tempfile.TemporaryDirectory(prefix="chainrule-notebook-") as cwd:
        nbclient.NotebookClient(nb, km=km, timeout=120, record_timing=False,
                                resources={"metadata": {"path": cwd}}).execute()


def canonical(executed, source):
    """`executed` in the form it is stored in (see the module's docstring); `source` gives the metadata."""
    import nbformat

    nb = copy.deepcopy(executed)
    nb.metadata = copy.deepcopy(source.metadata)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        merged = []
        for out in cell.outputs:
            if out.output_type == "stream" and merged and merged[-1].output_type == "stream" \
                    and merged[-1].name == out.name:
                merged[-1].text += out.text
            else:
                merged.append(out)
        cell.outputs = merged
    nbformat.validate(nb)
    return nb


def comparable(nb) -> list[tuple]:
    """What must be the same between the stored outputs and a fresh run: for each code cell its
    execution count and outputs, text exactly (memory addresses replaced), pictures by kind."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if out.output_type == "stream":
                outputs.append(("stream", out.name, ADDRESS.sub("0x…", out.text)))
            elif out.output_type == "error":
                outputs.append(("error", out.ename, ADDRESS.sub("0x…", out.evalue)))
            else:
                data = out.get("data", {})
                texts = tuple((kind, ADDRESS.sub("0x…", _text(data[kind]))) for kind in TEXT_KINDS if kind in data)
                outputs.append((out.output_type, tuple(sorted(data)), texts))
        cells.append((index, cell.execution_count, tuple(outputs)))
    return cells


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def names() -> list[str]:
    return sorted(path.stem for path in FOLDER.glob("*.ipynb"))


def run(name: str):
    """The notebook `name` executed, in canonical form."""
    import nbformat

    source = nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)
    executed = copy.deepcopy(source)
    execute(executed)
    return canonical(executed, source)


def store(which: list[str]) -> list[str]:
    """Run each notebook named in `which` (two at a time) and store it executed; the names whose file changed."""
    import nbformat

    def one(name: str) -> bool:
        path = FOLDER / f"{name}.ipynb"
        text = nbformat.writes(run(name)) + "\n"
        if path.read_text(encoding="utf-8") == text:
            return False
        path.write_text(text, encoding="utf-8")
        return True

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [name for name, changed in zip(which, pool.map(one, which)) if changed]


def main(argv: list[str]) -> int:
    unknown = sorted(set(argv) - set(names()))
    if unknown:
        print(f"no notebook named {', '.join(unknown)} in {FOLDER}; the notebooks: {', '.join(names())}",
              file=sys.stderr)
        return 2
    which = argv or names()
    changed = store(which)
    print(f"ran {len(which)} notebook{'s' * (len(which) > 1)}; stored new outputs in "
          f"{len(changed)}{': ' + ', '.join(changed) if changed else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
