"""The pages' JavaScript unit tests (tests/js/*.test.js) run by `node --test`, so that `make test` runs them."""
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).parents[1] / "js"


def test_node_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: the pages' JavaScript unit tests need Node 20 or later (`node --test`)")
    # the files by name: `node --test DIR` finds them in Node 20, but newer Nodes read arguments as globs
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    assert files, f"no *.test.js in {JS_TESTS}"
    done = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"node --test {JS_TESTS} failed:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout  # it ran tests, and none failed
