"""A Graphviz program is found without the user doing anything, and its absence is explained."""
import shutil
import subprocess

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


def test_graphviz_pure_is_used_when_no_system_dot(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "dot" else real_which(name))
    assert dot_program.find_dot().name == "graphviz-pure"


def test_clear_error_when_nothing_is_found(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(dot_program.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(dot_program.sys, "executable", str(tmp_path / "python"))
    with pytest.raises(dot_program.GraphvizNotFound, match="apt-get install graphviz.*graphviz-pure"):
        dot_program.find_dot()
