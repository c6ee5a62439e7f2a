"""The layout program is found without the user doing anything, is the same on every machine, and its
absence is explained."""
import os
import shutil
import subprocess
import sys

import graphviz
import pytest

from chainrule.viz import dot_program


def test_a_layout_program_is_found_and_runs():
    program = dot_program.configure()
    result = subprocess.run([str(program), "-Tsvg"], input="digraph { a -> b }", capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "<svg" in result.stdout
    svg = graphviz.Digraph(body=["a -> b"]).pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg


def test_graphviz_pure_is_chosen_even_with_a_system_dot_on_path(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/dot" if name == "dot" else real_which(name))
    assert dot_program.find_dot().name == "graphviz-pure"


def test_a_system_dot_only_when_graphviz_pure_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/dot" if name == "dot" else None)
    monkeypatch.setattr(dot_program.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(dot_program.sys, "executable", str(tmp_path / "python"))
    assert str(dot_program.find_dot()) == "/usr/bin/dot"


def test_clear_error_when_nothing_is_found(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(dot_program.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(dot_program.sys, "executable", str(tmp_path / "python"))
    with pytest.raises(dot_program.GraphvizNotFound, match="graphviz-pure.*apt-get install graphviz"):
        dot_program.find_dot()


# A `dot` on PATH that lays every graph out tall and narrow (and leaves a mark when it runs): if it were
# used, rankdir="auto" would choose top-to-bottom and the picture would change with the machine.
FAKE_DOT = """#!{python}
import sys
open({mark!r}, "a").write("ran\\n")
sys.stdin.read()
if "-Tplain" in sys.argv:
    print("graph 1 1.0 20.0")
    print("stop")
else:
    sys.stdout.write('<svg xmlns="http://www.w3.org/2000/svg">fake dot</svg>')
"""

PICTURE = """
import sys
from chainrule.demos.two_neuron import build
from chainrule import viz
net = build(); net.E.backward()
print(viz.to_dot(net.E, contributions=True))
viz.render(net.E, sys.argv[1], contributions=True)
"""


@pytest.mark.skipif(os.name == "nt", reason="the fake dot is a script with a #! line")
def test_the_same_call_gives_the_same_dot_and_picture_whatever_dot_is_on_path(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    mark = tmp_path / "fake-dot-ran"
    fake = folder / "dot"
    fake.write_text(FAKE_DOT.format(python=sys.executable, mark=str(mark)))
    fake.chmod(0o755)
    pictures = {}
    for case, path in [("no dot", os.environ["PATH"]), ("a dot", f"{folder}{os.pathsep}{os.environ['PATH']}")]:
        picture = tmp_path / f"{case}.svg"
        result = subprocess.run([sys.executable, "-c", PICTURE, str(picture)], capture_output=True, text=True,
                                timeout=120, env={**os.environ, "PATH": path})
        assert result.returncode == 0, result.stderr
        pictures[case] = (result.stdout, picture.read_bytes())
    assert pictures["a dot"] == pictures["no dot"]
    dot_source, svg = pictures["no dot"]
    assert "rankdir=LR" in dot_source and b"fake dot" not in svg
    assert not mark.exists(), "the dot on PATH was run"
