"""mypy is clean on engine/ and nn/, read as the packages chainrule.engine and chainrule.nn.

The folders sit at the repository's top level and are installed under `chainrule.` by a mapping
mypy cannot follow, so the test copies them into a `chainrule/` tree first, with the
configuration in pyproject.toml.
"""
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors_in_the_engine_and_nn(tmp_path, monkeypatch):
    api = pytest.importorskip("mypy.api")
    package = tmp_path / "chainrule"
    shutil.copytree(ROOT / "chainrule", package, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("engine", "nn", "viz", "demos"):
        shutil.copytree(ROOT / folder, package / folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)  # mypy looks for packages from the working directory
    report, errors, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                                      str(tmp_path / ".mypy_cache"), "-p", "chainrule.engine", "-p", "chainrule.nn"])
    assert status == 0, report.replace(str(package), "chainrule") + errors
