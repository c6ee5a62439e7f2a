"""Mutation testing of engine/ and nn/ with mutmut: does a small change to the code make a test fail?

    python mutation/run.py                       both packages (what `make mutation` runs; about 20 min on two cores)
    python mutation/run.py engine                one package
    python mutation/run.py engine/value.py nn/optim.py    only these files (each against its package's tests)

Each package is mutated against its own unit folder only: engine/ against tests/engine, nn/ against
tests/nn. mutmut copies the code it mutates into a `mutants/` folder and puts that folder first on
sys.path; the tests import `chainrule.engine`, which the editable install maps to the top-level
folder engine/. So each package is staged under build/mutation/PACKAGE/ in the layout the tests
import, chainrule/PACKAGE/, with chainrule/__init__.py copied beside it (mutmut's `also_copy`:
without it mutants/chainrule would be a namespace package, and `from chainrule import Value`
would fail), and mutmut finds `chainrule` (and so `chainrule.PACKAGE`) in its mutants/ folder
before the editable install's finder is asked; the other packages (`chainrule.viz`, …) still come
from the editable install. mutmut's own forced-fail run checks that the tests really call mutated code,
and `check_a_known_mutant` below checks that a mutant every test run must notice was killed.

PyTorch is in the `mutation` extra (pyproject.toml), so nn/torch_bridge.py is mutated and tested
like any other file: tests/nn/test_torch_bridge.py skips itself without torch, and then every
mutant of that file would survive (or, excluded, go unmeasured). A run of nn/ without torch stops
at once and says so (`check_torch`).

A mutant that cannot change anything a caller can observe is listed in mutation/equivalent.txt with
one line of why; the score is killed / (mutants − equivalent). Survivors are written, with their
diffs, to build/mutation/survivors.txt.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mutation"
PACKAGES = ("engine", "nn")
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
# For each package, a mutant that every run must kill: if it survives, the tests are not importing the
# mutated copy. a·b computed as a/b; the mean squared error's squares as D/D.
KNOWN = {
    "engine": ("engine/value.py", 'return Value(self.data * other.data, "", "*", (self, other.data, other, self.data))',
               'return Value(self.data / other.data, "", "*", (self, other.data, other, self.data))'),
    "nn": ("nn/arrays.py", "return scale * float(np.mean(D * D)), (2.0 * scale / D.size) * D",
           "return scale * float(np.mean(D / D)), (2.0 * scale / D.size) * D"),
}
KILLED, SURVIVED, NO_TESTS, TIMEOUT = "killed", "survived", "no tests", "timeout"

PYPROJECT = """\
[tool.mutmut]
source_paths = ["chainrule/{package}"]
also_copy = ["chainrule/__init__.py", "chainrule/__main__.py"]
{only}pytest_add_cli_args = ["-n", "0", "-p", "no:cacheprovider"]
pytest_add_cli_args_test_selection = ["tests/{package}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-q --import-mode=importlib"
"""


@dataclass
class Mutant:
    name: str  # mutmut's name: chainrule.engine.value.xǁValueǁelu__mutmut_10
    file: str  # engine/value.py
    function: str  # Value.elu
    status: str
    before: list[str]  # the changed lines, stripped
    after: list[str]

    def key(self) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        return self.file, self.function, tuple(self.before), tuple(self.after)


def stage(package: str, files: list[str]) -> Path:
    """build/mutation/PACKAGE/: chainrule/PACKAGE, chainrule/__init__.py, tests/PACKAGE, and mutmut's settings."""
    where = BUILD / package
    shutil.rmtree(where, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    (where / "chainrule").mkdir(parents=True)
    for name in ("__init__.py", "__main__.py"):
        shutil.copy2(ROOT / "chainrule" / name, where / "chainrule" / name)
    shutil.copytree(ROOT / package, where / "chainrule" / package, ignore=ignore)
    (where / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "__init__.py", where / "tests" / "__init__.py")
    shutil.copytree(ROOT / "tests" / package, where / "tests" / package, ignore=ignore)
    only = ""
    if files:
        paths = ", ".join(json.dumps("chainrule/" + f) for f in files)
        only = f"only_mutate = [{paths}]\n"
    (where / "pyproject.toml").write_text(PYPROJECT.format(package=package, only=only))
    return where


def run_mutmut(where: Path, children: int) -> None:
    log = where / "mutmut.log"
    with open(log, "w") as out:
        mutmut = Path(sys.executable).parent / "mutmut"  # its script: `python -m mutmut` runs its main module twice
        code = subprocess.call([str(mutmut), "run", "--max-children", str(children)],
                               cwd=where, stdout=out, stderr=subprocess.STDOUT)
    if code:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"mutmut failed in {where} (exit {code}); the end of {log}:\n{tail}")


def collect(where: Path) -> list[Mutant]:
    """Every mutant's status and changed lines, read with mutmut's own functions (in the staged folder)."""
    out = subprocess.run([sys.executable, __file__, "--collect"], cwd=where, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"reading mutmut's results in {where} failed:\n{out.stderr}")
    return [Mutant(**m) for m in json.loads(out.stdout)]


def _collect_here() -> None:  # runs inside build/mutation/PACKAGE
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    mutants = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        source = meta.relative_to("mutants/chainrule").as_posix()[: -len(".meta")]
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            status = status_by_exit_code[code]
            diff = get_diff_for_mutant(name).splitlines()
            before = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
            after = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
            function = name.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[1]  # xǁValueǁelu or x_relu
            function = function[2:].replace("ǁ", ".") if function.startswith("xǁ") else function[2:]
            mutants.append({"name": name, "file": source, "function": function, "status": status,
                            "before": before, "after": after})
    json.dump(mutants, sys.stdout, ensure_ascii=False)


def read_equivalents(path: Path = EQUIVALENT) -> dict[tuple, str]:
    """mutation/equivalent.txt: blocks of

        engine/value.py  Value.__repr__
          - the original line(s)
          + the mutated line(s)
          why: one line

    Matched by file, function and the changed lines (not by mutmut's numbers, which move when code is added)."""
    found: dict[tuple, str] = {}
    block: list[str] = []
    for line in path.read_text().splitlines() + [""]:
        if line.strip() and not line.startswith("#"):
            block.append(line)
            continue
        if block:
            file, function = block[0].split()
            before = [b.strip()[2:].strip() for b in block[1:] if b.strip().startswith("- ")]
            after = [b.strip()[2:].strip() for b in block[1:] if b.strip().startswith("+ ")]
            why = [b.strip()[4:].strip() for b in block[1:] if b.strip().startswith("why:")]
            if not why:
                raise ValueError(f"{path}: the equivalent mutant of {file} {function} says no why")
            found[(file, function, tuple(before), tuple(after))] = why[0]
            block = []
    return found


def check_torch(package: str) -> None:
    """nn/torch_bridge.py's tests need PyTorch (the `mutation` extra installs it): without it they skip."""
    if package != "nn":
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("PyTorch is not installed, so tests/nn/test_torch_bridge.py would skip and every mutant of "
                 "nn/torch_bridge.py survive: run `make mutation` (it installs the mutation extra, torch included)")


def check_a_known_mutant(package: str, mutants: list[Mutant], files: list[str]) -> None:
    """The tests import the mutated copy: a mutant that any test of the package must notice was killed."""
    file, before, after = KNOWN[package]
    if files and file not in files:
        return
    known = [m for m in mutants if m.file == file and m.before == [before] and m.after == [after]]
    if not known:  # the code moved on: say so rather than check nothing in silence
        sys.exit(f"the known mutant of {file} ({before!r} → {after!r}) was not made: update KNOWN in mutation/run.py")
    if known[0].status != KILLED:
        sys.exit(f"the known mutant {known[0].name} ({after!r}) {known[0].status}: the tests are not running the "
                 "mutated copy")
    print(f"  check: the known mutant {after!r} of {file} was killed, so the tests ran the mutated copy")


def report(package: str, mutants: list[Mutant], equivalents: dict[tuple, str], seconds: float) -> tuple[int, int]:
    by_file: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_file.setdefault(m.file, []).append(m)
    print(f"\n{package}/: {len(mutants)} mutants in {seconds / 60:.1f} min "
          f"(mutmut {_version()}, default operators; tests/{package} only)")
    print(f"  {'file':28} {'mutants':>8} {'killed':>7} {'equiv.':>7} {'survived':>9} {'no test':>8} {'score':>7}")
    total_killed = total_counted = 0
    for file, ms in sorted(by_file.items()):
        killed = sum(m.status in (KILLED, TIMEOUT) for m in ms)
        equivalent = sum(m.status not in (KILLED, TIMEOUT) and m.key() in equivalents for m in ms)
        survived = sum(m.status == SURVIVED and m.key() not in equivalents for m in ms)
        untested = sum(m.status == NO_TESTS and m.key() not in equivalents for m in ms)
        counted = len(ms) - equivalent
        total_killed, total_counted = total_killed + killed, total_counted + counted
        score = f"{100 * killed / counted:.1f}%" if counted else "-"
        print(f"  {file:28} {len(ms):>8} {killed:>7} {equivalent:>7} {survived:>9} {untested:>8} {score:>7}")
    score = 100 * total_killed / total_counted if total_counted else 100.0
    print(f"  {package + '/ (all files)':28} {len(mutants):>8} {total_killed:>7} "
          f"{len(mutants) - total_counted:>7} {'':>9} {'':>8} {score:>6.1f}%")
    return total_killed, total_counted


def write_survivors(all_mutants: dict[str, list[Mutant]], equivalents: dict[tuple, str]) -> Path:
    path = BUILD / "survivors.txt"
    lines = []
    for package, mutants in all_mutants.items():
        for m in mutants:
            if m.status in (KILLED, TIMEOUT) or m.key() in equivalents:
                continue
            lines.append(f"{m.file}  {m.function}   [{m.status}; mutmut show {m.name}]")
            lines += [f"  - {b}" for b in m.before] + [f"  + {a}" for a in m.after] + [""]
    path.write_text("\n".join(lines))
    return path


def _version() -> str:
    from importlib.metadata import version

    return version("mutmut")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="engine, nn, or files such as engine/value.py (default: both packages)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 if a package scores below this percent")
    parser.add_argument("--no-run", action="store_true", help="report the last run again (after editing equivalent.txt)")
    parser.add_argument("--collect", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.collect:
        _collect_here()
        return
    plan: dict[str, list[str]] = {}
    for target in args.targets or PACKAGES:
        target = target.rstrip("/")
        package = target.split("/")[0]
        if package not in PACKAGES or (target != package and not (ROOT / target).is_file()):
            parser.error(f"{target!r}: expected engine, nn, or a file under them such as engine/value.py")
        plan.setdefault(package, [])
        if target != package:
            plan[package].append(target)
    equivalents = read_equivalents()
    results: dict[str, list[Mutant]] = {}
    below = []
    for package, files in plan.items():
        if not args.no_run:
            print(f"mutating {', '.join(files) or package + '/'} against tests/{package} "
                  f"(log: build/mutation/{package}/mutmut.log) …", flush=True)
        start = time.monotonic()
        where = BUILD / package
        if not args.no_run:
            check_torch(package)
            where = stage(package, files)
            run_mutmut(where, args.max_children)
        mutants = [m for m in collect(where) if not files or m.file in files]
        check_a_known_mutant(package, mutants, files)
        results[package] = mutants
        killed, counted = report(package, mutants, equivalents, time.monotonic() - start)
        if args.fail_under is not None and counted and 100 * killed / counted < args.fail_under:
            below.append(package)
    path = write_survivors(results, equivalents)
    print(f"\nsurvivors, with their diffs: {path.relative_to(ROOT)}")
    if below:
        sys.exit(f"below {args.fail_under:g}%: {', '.join(below)}")


if __name__ == "__main__":
    main()
