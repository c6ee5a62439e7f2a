"""The command line's edges: an encoding without η (Windows' cp1252), a reader that goes away, a folder the
system refuses, stdin closed at --step, --step with the other options, and a --help that lists the demos."""
import os
import subprocess
import sys

import pytest

from chainrule.demos import DEMOS, cli, console


def chainrule(*args, cwd=None, env=None, stdin=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True, cwd=cwd, stdin=stdin,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def test_a_cp1252_file_gets_the_whole_story_in_ascii_where_it_must(tmp_path):
    result = chainrule("demo", "two-neuron", "--out", str(tmp_path), env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr.decode("cp1252")
    text = result.stdout.decode("cp1252")  # every byte is cp1252
    assert "learning rate eta = 0.4" in text  # η → eta
    assert "dE/da2  = a2 - T" in text  # ∂ → d, − → -
    assert "E  = \xbd(T - a2)\xb2" in text  # ½ and ² exist in cp1252 and stay
    assert "notes 0.415 OK" in text and "?" not in text  # ✓ → OK; every character had an ASCII form
    assert text.rstrip().endswith("training-step.html in a web browser")


# three of the five demos that stopped on a UnicodeEncodeError under cp1252 before (the other two, optimizers and
# classification, take 3 s each), through `demo all`, with their whole narratives
CP1252_ALL = """
import sys
from chainrule.demos import cli, DEMOS
cli.DEMOS = {name: DEMOS[name] for name in ("two-neuron", "gradient-descent", "activations")}
sys.exit(cli.main(["demo", "all", "--out", sys.argv[1]]))
"""


def test_demo_all_survives_cp1252(tmp_path):
    result = subprocess.run([sys.executable, "-c", CP1252_ALL, str(tmp_path)], capture_output=True, timeout=300,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr.decode("cp1252")[-2000:]
    out = result.stdout.decode("cp1252")
    assert "FAILED" not in out and out.splitlines()[-1].split()[:2] == ["all", "3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["activations", "gradient-descent", "two-neuron"]


def test_the_ascii_forms_are_ascii_and_unknown_characters_become_a_question_mark():
    assert all(form.isascii() for form in console.ASCII.values())
    assert "η∂−→✓ 💥".encode("ascii", errors=console.HANDLER) == b"etad-->OK ?"
    assert "½ × η".encode("cp1252", errors=console.HANDLER) == b"\xbd \xd7 eta"  # cp1252 keeps what it has


@pytest.mark.parametrize("reader", ["head -1", "true"])
def test_a_reader_that_goes_away_gets_no_traceback(reader):
    # `true` exits before the list is written; `head -1` after its first line: both close the pipe
    command = f"{sys.executable} -m chainrule demo --list | {reader}"
    for _ in range(5):
        result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=60)
        assert result.stderr == "" and result.returncode == 0, result.stderr
        assert result.stdout == ("Demos (run one with: chainrule demo NAME [--help]):\n" if reader == "head -1" else "")


def test_a_closed_stdout_stops_with_status_141_and_no_traceback():
    read, write = os.pipe()
    os.close(read)  # nobody will ever read: the first write fails
    child = subprocess.run([sys.executable, "-m", "chainrule", "demo", "--list"], stdout=write,
                           stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write)
    assert (child.returncode, child.stderr) == (141, "")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no folder can be made")
def test_all_into_a_folder_the_system_refuses_stops_before_any_demo_runs():
    result = chainrule("demo", "all", "--out", "/proc/chainrule-out")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == ("chainrule demo all: argument --out: cannot write into /proc/chainrule-out "
                                      "(No such file or directory); name a folder you may write into, which is "
                                      "created if missing (see chainrule demo all --help)\n")


def test_the_writability_check_leaves_nothing_behind(tmp_path):
    from chainrule.demos.common import folder_problem

    assert folder_problem(tmp_path / "a" / "b" / "c") is None
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "kept").mkdir()
    assert folder_problem(tmp_path / "kept") is None and list((tmp_path / "kept").iterdir()) == []


def test_step_with_stdin_closed_says_so_and_prints_every_step(tmp_path):
    result = chainrule("demo", "two-neuron", "--step", "--quiet", "--out", str(tmp_path), stdin=subprocess.DEVNULL,
                       env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    # stdin at end of input (/dev/null): every step printed without waiting, and nothing said on stderr
    assert result.stderr == b"" and result.stdout.decode().count("\nstep ") == 13
    closed = subprocess.run(["sh", "-c", f'"{sys.executable}" -m chainrule demo two-neuron --step --quiet '
                                         f'--out "{tmp_path}" <&-'], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert closed.returncode == 0, closed.stderr
    assert closed.stderr == ("chainrule demo two-neuron --step: stdin is closed, so there is no Enter to wait for; "
                             "printing every step\n")
    assert closed.stdout.count("\nstep ") == 13 and "Done: w2.grad = 0.05707" in closed.stdout


def test_step_honours_out_quiet_and_epochs_and_writes_the_pictures(tmp_path):
    result = subprocess.run([sys.executable, "-m", "chainrule", "demo", "two-neuron", "--step", "--quiet", "--epochs",
                             "3", "--out", str(tmp_path / "pics")], input="\n" * 5 + "q\n", capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Stepping through backward for E = ½(T − a2)².") and "step 13/13 at T" in out
    assert "Forward pass" not in out  # --quiet: the worked report is left out, the steps asked for are not
    assert "final E = " in out and out.split("final E = ")[1].split()[2:4] == ["3", "epochs"]
    assert sorted(p.name for p in (tmp_path / "pics").iterdir()) == ["backprop.html", "graph.svg",
                                                                     "training-step.html"]
    loud = subprocess.run([sys.executable, "-m", "chainrule", "demo", "two-neuron", "--step", "--epochs", "2",
                           "--out", str(tmp_path / "loud")], input="q\n", capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert "Forward pass" in loud.stdout and "after 2 epochs" in loud.stdout


def test_demo_help_lists_every_demo_and_the_options(capsys):
    assert cli.demo_main(["--help"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("usage: chainrule demo --list | chainrule demo NAME [options]")
    for name, (_, line) in DEMOS.items():
        assert any(row.split() and row.split()[0] == name and line in row for row in lines), name
    for option in ("--out DIR", "--seed N", "--quiet", "--list, -l", "--help, -h", "--step, --epochs N"):
        assert option in out, option
