"""`chainrule lessons [DIR]`: the lessons (the notebooks) copied into DIR if they are not there yet,
then JupyterLab, opening the first one in the browser.

The notebooks ship inside the package (`chainrule.notebooks`), so a pip install has them too. A lesson
already in DIR is never overwritten: it may hold a learner's work. Notebooks that are exactly as
shipped are marked trusted, as `jupyter trust` does, so that their stored pictures and pages show
before the learner runs them (Jupyter hides an untrusted notebook's HTML output).
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from chainrule.engine.files import write_atomically

from .common import OneLineParser, folder_problem, whole_number

DEFAULT_FOLDER = Path("chainrule-lessons")
FIRST = "01_derivatives_and_the_chain_rule.ipynb"
INSTALL = 'JupyterLab is not installed in this Python: run pip install "chainrule[lessons]" (in a clone of ' \
          "chainrule: make lessons), then chainrule lessons again"


def shipped_folder() -> Path:
    """Where the package keeps the lessons (found without importing anything)."""
    spec = importlib.util.find_spec("chainrule.notebooks")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("chainrule's lessons are missing from this installation: reinstall chainrule")
    return Path(list(spec.submodule_search_locations)[0])


def shipped_files() -> list[Path]:
    """The lessons (every .ipynb) and the page that lists them."""
    folder = shipped_folder()
    return sorted(folder.glob("*.ipynb")) + [folder / "README.md"]


def copy_lessons(folder: Path) -> tuple[list[str], list[str]]:
    """Copy each shipped lesson that `folder` lacks into it; (the names copied, the names already there)."""
    copied, kept = [], []
    for source in shipped_files():
        target = folder / source.name
        if target.exists():
            kept.append(source.name)
        else:
            write_atomically(target, source.read_bytes())
            copied.append(source.name)
    return copied, kept


def what_was_done(folder: Path, copied: list[str], kept: list[str]) -> str:
    lessons = lambda names: sum(name.endswith(".ipynb") for name in names)  # noqa: E731
    if not kept:
        return f"chainrule lessons: copied the {lessons(copied)} lessons into {folder}"
    if not copied:
        return f"chainrule lessons: {folder} has all {lessons(kept)} lessons already (kept as they are)"
    return (f"chainrule lessons: copied {len(copied)} missing file{'s' * (len(copied) > 1)} into {folder} "
            f"({', '.join(copied)}); kept the {len(kept)} already there as they are")


def trust_unchanged(folder: Path) -> None:
    """Mark as trusted each lesson in `folder` that is byte for byte as shipped (never a learner's edit).
    Without nbformat (JupyterLab brings it) the lessons still open; their stored pages show once run."""
    try:
        from nbformat import read
        from nbformat.sign import NotebookNotary
    except ImportError:
        return
    notary = NotebookNotary()
    for source in shipped_folder().glob("*.ipynb"):
        target = folder / source.name
        if target.read_bytes() == source.read_bytes():
            notebook = read(target, as_version=4)
            if not notary.check_signature(notebook):
                notary.sign(notebook)


def jupyter_command(first: str, no_browser: bool, port: int | None) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", "--ServerApp.root_dir=."]
    if no_browser:
        command.append("--no-browser")
    if port is not None:
        command.append(f"--port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # Jupyter refuses root without it (a container's user)
        command.append("--allow-root")
    return [*command, first]


def start_jupyter(folder: Path, command: list[str]) -> int:
    """Run JupyterLab in `folder` until it stops. On POSIX this process becomes Jupyter (exec): Ctrl-C and
    signals go straight to it. Windows has no exec, so it runs as a child there."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.chdir(folder)
        os.execv(command[0], command)
    child = subprocess.Popen(command, cwd=folder)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:  # Ctrl-C reached Jupyter too, which stops its kernels and then itself
            continue


def lessons_main(argv: list[str]) -> int:
    """`chainrule lessons [DIR] [--no-browser] [--port N]`; its exit status (Jupyter's, once it runs)."""
    parser = OneLineParser(prog="chainrule lessons",
                           description="Open the lessons (Jupyter notebooks) in JupyterLab, starting with lesson 1. "
                                       "They are copied into DIR first if they are not there; a lesson already in "
                                       "DIR is never overwritten.")
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER, metavar="DIR",
                        help=f"the folder for your copy of the lessons (default ./{DEFAULT_FOLDER})")
    parser.add_argument("--no-browser", action="store_true",
                        help="start Jupyter without opening a browser (it prints the address to open)")
    parser.add_argument("--port", type=whole_number(1, 65535), metavar="N",
                        help="the port Jupyter listens on (default 8888, or the next free one)")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("jupyterlab") is None:
        print(f"chainrule lessons: {INSTALL}", file=sys.stderr)
        return 1
    problem = folder_problem(args.folder)
    if problem:
        parser.error(f"argument DIR: {problem}")
    try:
        copied, kept = copy_lessons(args.folder)
    except OSError as error:
        print(f"chainrule lessons: stopped: {error}", file=sys.stderr)
        return 1
    print(what_was_done(args.folder, copied, kept))
    trust_unchanged(args.folder)
    print(f"chainrule lessons: starting JupyterLab in {args.folder} with {FIRST} (Ctrl-C stops it)")
    return start_jupyter(args.folder, jupyter_command(FIRST, args.no_browser, args.port))
