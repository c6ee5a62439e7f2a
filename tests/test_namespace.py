"""One import name: chainrule. Nothing called engine, nn, viz or demos is importable on its own."""
import subprocess
import sys

import chainrule
from chainrule.demos import DEMOS


def _run(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_one_top_level_package(tmp_path):
    for bare in ("engine", "nn", "viz", "demos"):
        result = _run(f"import {bare}", tmp_path)
        assert result.returncode != 0 and "No module named" in result.stderr, bare
    result = _run("import chainrule, chainrule.engine, chainrule.nn, chainrule.viz, chainrule.demos; "
                  "from chainrule import Value; print(chainrule.__version__)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == chainrule.__version__
    from importlib.metadata import version

    assert chainrule.__version__ == version("chainrule")  # the installed distribution's, from pyproject.toml


def test_importing_chainrule_loads_no_heavy_library(tmp_path):
    code = ("import sys, chainrule, chainrule.engine; "
            "print(sorted(m for m in ('matplotlib', 'sklearn', 'graphviz', 'numpy', 'tqdm') if m in sys.modules))")
    result = _run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_command_line_version_and_module_forms(tmp_path):
    result = subprocess.run([sys.executable, "-m", "chainrule", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"chainrule {chainrule.__version__}"
    result = subprocess.run([sys.executable, "-m", "chainrule.demos", "--list"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and all(name in result.stdout for name in DEMOS)
