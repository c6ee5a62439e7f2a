"""What pip users get: the sdist carries everything needed to build, run and test chainrule (all of the
tests, the Makefile, the notebooks, the licence); the wheel carries the packages, the lessons and the digits
with the licences, and metadata that works on a package index (an SPDX licence, a long description without
links into the repository). Built as pip builds them: the sdist from the source tree, the wheel from the
unpacked sdist (setuptools in-process, ~2 s)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NAME = "chainrule-0.1.0"
JUNK = shutil.ignore_patterns(".venv*", ".git", "chainrule-out", "__pycache__", ".pytest_cache", ".hypothesis",
                              "build", "dist", "*.egg-info", ".ipynb_checkpoints", "*.pyc")
BUILD = "import sys; from setuptools import build_meta; print(getattr(build_meta, sys.argv[1])(sys.argv[2]))"
PACKAGES = {"chainrule": "chainrule", "engine": "chainrule/engine", "nn": "chainrule/nn", "viz": "chainrule/viz",
            "demos": "chainrule/demos", "notebooks": "chainrule/notebooks"}


def build(kind: str, source: Path, out: Path) -> Path:
    pytest.importorskip("setuptools", minversion="77")
    result = subprocess.run([sys.executable, "-c", BUILD, kind, str(out)], cwd=source, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Package would be ignored" not in result.stderr, result.stderr
    return out / result.stdout.splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(the sdist, the wheel built from the unpacked sdist)."""
    folder = tmp_path_factory.mktemp("packaging")
    shutil.copytree(ROOT, folder / "source", ignore=JUNK)
    sdist = build("build_sdist", folder / "source", folder / "dist")
    with tarfile.open(sdist) as archive:
        archive.extractall(folder / "unpacked", filter="data") if sys.version_info >= (3, 12) else \
            archive.extractall(folder / "unpacked")
    wheel = build("build_wheel", folder / "unpacked" / NAME, folder / "dist")
    return sdist, wheel


def repository_files(*folders: str) -> set[str]:
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT)
            if path.is_file() and not any(part in ("__pycache__", ".ipynb_checkpoints") for part in relative.parts) \
                    and path.suffix != ".pyc":
                found.add(relative.as_posix())
    return found


def test_the_sdist_ships_all_of_the_tests_the_makefile_the_notebooks_and_the_licence(built):
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(f"{NAME}/") for name in archive.getnames()}
    assert repository_files("tests") <= names, sorted(repository_files("tests") - names)
    assert {"tests/viz/conftest.py", "tests/viz/measure.py", "tests/viz/dot_json.py", "tests/notebook_runs.py"} <= names
    assert repository_files("notebooks", "nn/datasets", "docs", "benchmarks") <= names
    assert {"Makefile", "LICENSE", "README.md", "pyproject.toml", "MANIFEST.in"} <= names
    for package in ("chainrule", "engine", "nn", "viz", "demos"):
        assert {p for p in repository_files(package) if p.endswith(".py")} <= names


def test_the_wheel_carries_the_packages_the_lessons_the_digits_and_the_licences(built):
    _, wheel = built
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {name.split("/")[0] for name in names} == {"chainrule", f"{NAME}.dist-info"}  # nothing else at the top
    for folder, package in PACKAGES.items():
        expected = {f"{package}/{p.removeprefix(folder + '/')}" for p in repository_files(folder) if p.endswith(".py")}
        assert expected <= names, sorted(expected - names)
    lessons = {f"chainrule/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert len(lessons) == 11 and lessons | {"chainrule/notebooks/README.md"} <= names
    assert {"chainrule/nn/datasets/digits.csv.gz", "chainrule/nn/datasets/README.md",
            "chainrule/nn/datasets/LICENSE-scikit-learn.txt"} <= names
    assert {f"{NAME}.dist-info/licenses/LICENSE", f"{NAME}.dist-info/licenses/nn/datasets/LICENSE-scikit-learn.txt"} \
        <= names
    assert not any(name.startswith(("tests/", "chainrule/tests")) for name in names)


def metadata(wheel: Path):
    return HeaderParser().parsestr(zipfile.ZipFile(wheel).read(f"{NAME}.dist-info/METADATA").decode("utf-8"))


def test_the_metadata_an_index_shows(built):
    _, wheel = built
    meta = metadata(wheel)
    assert meta["License-Expression"] == "MIT" and "License" not in meta  # the SPDX string, not the old table
    assert meta.get_all("License-File") == ["LICENSE", "nn/datasets/LICENSE-scikit-learn.txt"]
    assert meta["Author"] == "the chainrule developers"
    assert "autograd" in meta["Keywords"] and "backpropagation" in meta["Keywords"]
    classifiers = meta.get_all("Classifier")
    assert "Intended Audience :: Education" in classifiers and not any(c.startswith("License ::") for c in classifiers)
    assert meta["Requires-Python"] == ">=3.10"
    requires = meta.get_all("Requires-Dist")
    assert not any(r.startswith(("scikit-learn", "scipy")) for r in requires)
    assert 'jupyterlab<5,>=4; extra == "lessons"' in requires
    assert "Project-URL" not in meta and "Home-page" not in meta  # there is no project address to give
    assert meta["Description-Content-Type"] == "text/markdown"


def test_the_long_description_has_no_link_that_goes_dead_on_an_index(built):
    _, wheel = built
    description = metadata(wheel).get_payload()
    assert description.strip() == (ROOT / "docs" / "pypi.md").read_text(encoding="utf-8").strip()
    targets = re.findall(r"\]\(([^)]*)\)", description) + re.findall(r"src=[\"']([^\"']*)", description)
    assert all(target.startswith("https://") for target in targets), targets
    assert "pip install chainrule" in description and "chainrule lessons" in description
