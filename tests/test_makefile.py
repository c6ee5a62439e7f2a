"""The Makefile: Python's version checked before anything is installed; each command installs only what it
needs (separate stamps); `make bench` leaves the tracked results alone. Checked with make's dry run (-n) and a
fake interpreter: nothing is installed and the repository is not touched."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

# A Python that says it is 3.9: the real interpreter with sys.version_info replaced before the Makefile's check
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "Python 3.9.18"; exit 0; fi
if [ "$1" = "-c" ]; then exec "{python}" -c "import sys; sys.version_info = (3, 9, 18, 'final', 0)
$2"; fi
echo "fake python 3.9 asked to run: $*" >&2; exit 99
"""


def make(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


@pytest.fixture
def python39(tmp_path):
    fake = tmp_path / "python3.9"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    return fake


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for Python")
def test_an_old_python_is_refused_in_one_line_before_anything_is_installed(tmp_path, python39):
    venv = tmp_path / "venv"
    result = make("demo", f"PYTHON={python39}", f"VENV={venv}")
    assert result.returncode != 0
    assert result.stdout == (f"chainrule needs Python 3.10 or newer and {python39} is Python 3.9.18: run make demo "
                             "PYTHON=python3.12 (or any Python 3.10+)\n")
    assert "pip" not in result.stdout + result.stderr and not venv.exists()
    assert make("python-version", f"PYTHON={python39}").returncode != 0


def test_a_missing_python_is_named(tmp_path):
    result = make("test", f"PYTHON={tmp_path / 'no-python'}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode != 0 and result.stdout == (
        f"chainrule needs Python 3.10 or newer and {tmp_path / 'no-python'} is not found: run make test "
        "PYTHON=python3.12 (or any Python 3.10+)\n")


def test_this_python_passes_the_check():
    result = make("python-version", f"PYTHON={sys.executable}")
    assert result.returncode == 0 and result.stdout == ""


@pytest.fixture
def venv(tmp_path):
    """A stand-in for .venv that make sees as created (bin/python exists); stamps are added by each test."""
    folder = tmp_path / "venv"
    (folder / "bin").mkdir(parents=True)
    (folder / "bin" / "python").touch()
    return folder


def dry_run(target: str, venv: Path) -> list[str]:
    result = make("-n", target, f"VENV={venv}")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def stamp(path: Path) -> None:
    path.touch()
    later = (ROOT / "pyproject.toml").stat().st_mtime + 10  # newer than pyproject.toml: up to date
    os.utime(path, (max(later, time.time()), max(later, time.time())))


def test_each_command_installs_only_what_it_needs_and_none_forces_another(venv):
    pip = f"{venv}/bin/python -m pip install --quiet --disable-pip-version-check"
    assert dry_run("demo", venv) == [f"{pip} -e .", f"touch {venv}/.installed-demo", f"{venv}/bin/chainrule demo two-neuron"]
    assert dry_run("lessons", venv)[:1] == [f"{pip} -e '.[lessons]'"]
    assert dry_run("test", venv)[:1] == [f"{pip} -e '.[dev]'"]
    stamp(venv / ".installed")  # the tests' set-up done: the demo still installs only chainrule, once
    assert dry_run("demo", venv)[0] == f"{pip} -e ."
    stamp(venv / ".installed-demo")
    assert dry_run("demo", venv) == [f"{venv}/bin/chainrule demo two-neuron"]
    assert dry_run("test", venv)[-1] == f"{venv}/bin/python -m pytest"
    assert not any("pip" in line for line in dry_run("test", venv))
    assert dry_run("lessons", venv)[0] == f"{pip} -e '.[lessons]'"  # the dev extra has it, but its stamp is its own


def test_repl_lessons_and_notebooks_run_the_venvs_programs(venv):
    stamp(venv / ".installed-demo")
    stamp(venv / ".installed-lessons")
    stamp(venv / ".installed")
    assert dry_run("repl", venv)[-1] == f"{venv}/bin/python"
    assert dry_run("lessons", venv) == [f"{venv}/bin/chainrule lessons notebooks"]
    assert dry_run("notebooks", venv) == [f"{venv}/bin/python -m tests.notebook_runs"]


def test_bench_writes_outside_the_tracked_files_and_bench_docs_writes_them(tmp_path):
    tracked = ("docs/speed.md", "benchmarks/results.json")
    bench = make("-n", "bench", f"BENCH={tmp_path / 'bench'}").stdout.splitlines()
    assert bench[-1].endswith("benchmarks/run.py --json chainrule-out/bench/results.json --markdown "
                              "chainrule-out/bench/speed.md")
    assert not any(name in line for line in bench for name in tracked)
    docs = make("-n", "bench-docs", f"BENCH={tmp_path / 'bench'}").stdout.splitlines()
    assert docs[-1].endswith("benchmarks/run.py --json benchmarks/results.json --markdown docs/speed.md")
    run = (ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8")
    assert 'default=Path("chainrule-out/bench/results.json")' in run  # run by hand, it leaves them alone too


def test_make_playground_opens_the_playground_with_the_demos_install_only():
    dry = make("-n", "playground", VENV="/nonexistent/venv")
    assert "chainrule demo playground --open" in dry.stdout
    assert ".[dev]" not in dry.stdout and ".[lessons]" not in dry.stdout  # chainrule alone, as make demo
