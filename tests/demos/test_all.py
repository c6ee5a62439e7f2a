"""`chainrule demo all`: every demo in one process, each into OUT/NAME, a table of times at the end; a demo that
fails does not stop the others but makes the status non-zero and is named. Two cheap demos stand in for all."""
import subprocess
import sys
import types

import pytest

from chainrule.demos import DEMOS, cli

CHEAP = ("topological-order", "two-neuron")  # a few tenths of a second together


@pytest.fixture
def two_demos(monkeypatch):
    monkeypatch.setattr(cli, "DEMOS", {name: DEMOS[name] for name in CHEAP})


def test_all_runs_each_demo_into_its_own_folder_and_ends_with_their_times(tmp_path, two_demos, capsys):
    assert cli.demo_main(["all", "--quiet", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "topological-order" / "reused_node.svg").is_file()
    assert (tmp_path / "two-neuron" / "graph.svg").is_file()
    assert "== topological-order (1/2) ==" in out and "== two-neuron (2/2) ==" in out
    assert "two-neuron: ∂E/∂w1 = 0.001021" in out  # each demo's summary
    table = out.splitlines()[-3:]
    assert [line.split()[0] for line in table] == ["topological-order", "two-neuron", "all"]
    assert all(float(line.split()[-1]) >= 0 for line in table)


def test_a_failing_demo_does_not_stop_the_others_and_is_named(tmp_path, monkeypatch, capsys):
    broken = types.ModuleType("broken_demo")

    def main(argv):
        raise ZeroDivisionError("a bug in the demo")
    broken.main = main
    monkeypatch.setitem(sys.modules, "broken_demo", broken)
    monkeypatch.setattr(cli, "DEMOS", {"broken": ("broken_demo", "fails"), "topological-order": DEMOS["topological-order"]})
    assert cli.demo_main(["all", "--quiet", "--out", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert (tmp_path / "topological-order" / "reused_node.svg").is_file()  # ran after the failure
    assert "ZeroDivisionError: a bug in the demo" in err
    assert err.splitlines()[-1] == "chainrule demo all: 1 of 2 demos failed: broken (exit status 1)"
    assert "FAILED (exit status 1)" in out.splitlines()[-3]


@pytest.mark.parametrize("args,expected", [
    (["--bogus"], "chainrule demo all: unrecognized arguments: --bogus"),
    (["--seed", "-1"], "chainrule demo all: argument --seed: must be a whole number from 0 to 4294967295"),
])
def test_bad_usage_of_all_is_one_line_and_status_2(args, expected):
    result = subprocess.run([sys.executable, "-m", "chainrule", "demo", "all", *args], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(expected), result.stderr


def test_out_naming_a_file_is_refused_before_any_demo_runs(tmp_path, capsys):
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    with pytest.raises(SystemExit) as stop:
        cli.demo_main(["all", "--out", str(existing)])
    assert stop.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{existing} is a file, not a folder" in err


def test_all_is_listed_and_named_in_the_usage(capsys):
    cli.demo_main(["--list"])
    assert capsys.readouterr().out.splitlines()[-1].split()[0] == "all"
    cli.demo_main(["--help"])
    assert "chainrule demo all [--out DIR] [--seed N] [--quiet]" in capsys.readouterr().out
