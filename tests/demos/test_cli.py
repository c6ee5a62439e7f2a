"""The command line as a learner meets it: one clear line and exit status 2 for a mistake, 130 and no
traceback (nor half-written file) for Ctrl-C, and at the end of a demo the files it wrote and how to open them."""
import os
import signal
import subprocess
import sys

import pytest

from chainrule.demos import DEMOS

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}  # see each line as the child prints it


def chainrule(*args, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def one_line_error(result, *expected):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.mark.parametrize("name,seed", [(name, "-1") for name in DEMOS] + [("xor", str(2**32)), ("xor", "seven")])
def test_every_demo_refuses_a_seed_out_of_range_in_one_line(tmp_path, name, seed):
    result = chainrule("demo", name, "--seed", seed, "--out", str(tmp_path / "out"))
    one_line_error(result, f"chainrule demo {name}: argument --seed: must be a whole number from 0 to 4294967295, "
                           f"got '{seed}'")
    assert not (tmp_path / "out").exists()


def test_the_largest_seed_is_fine(tmp_path):
    # gradient-accumulation draws its model's weights from the seed
    result = chainrule("demo", "gradient-accumulation", "--quiet", "--seed", str(2**32 - 1), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("below", ["", "sub"])
def test_out_naming_a_file_is_refused_in_one_line(tmp_path, below):
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    result = chainrule("demo", "two-neuron", "--out", str(existing / below))
    one_line_error(result, f"chainrule demo two-neuron: argument --out: {existing} is a file, not a folder; name a "
                           "folder")
    assert existing.read_text() == "mine"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no folder can be made")
def test_a_folder_the_system_refuses_is_one_line_and_status_2_before_any_work():
    result = chainrule("demo", "second-derivatives", "--out", "/proc/chainrule-out")
    one_line_error(result, "chainrule demo second-derivatives: argument --out: cannot write into /proc/chainrule-out "
                           "(No such file or directory); name a folder you may write into")
    assert result.stdout == ""


@pytest.mark.parametrize("args,expected", [
    (["demo", "nope"], "chainrule demo: no demo named 'nope'. Choose one of: two-neuron, gradient-descent"),
    (["demo"], "chainrule demo: which demo? Choose one of: two-neuron"),
    (["demo", "two-neuron", "--bogus"], "chainrule demo two-neuron: unrecognized arguments: --bogus"),
    (["demo", "two-neuron", "--epochs", "0"], "chainrule demo two-neuron: argument --epochs: must be a whole number, "
                                              "at least 1, got '0'"),
    (["demo", "two-neuron", "--epochs", "abc"], "chainrule demo two-neuron: argument --epochs: must be a whole "
                                                "number, at least 1, got 'abc'"),
    (["play"], "chainrule: argument command: invalid choice: 'play'"),
    ([], "chainrule: the following arguments are required: command"),
])
def test_bad_usage_is_one_line_and_status_2(args, expected):
    one_line_error(chainrule(*args), expected)


def test_a_demo_ends_by_saying_what_it_wrote_and_how_to_open_it(tmp_path):
    result = chainrule("demo", "two-neuron", "--quiet", "--out", "pictures", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-4:] == [
        "3 files written:",
        f"  {os.path.join('pictures', 'graph.svg')} is a picture: open it in an image viewer or a web browser",
        f"  Open {os.path.join('pictures', 'backprop.html')} in a web browser",
        f"  Open {os.path.join('pictures', 'training-step.html')} in a web browser",
    ]
    assert sorted(p.name for p in (tmp_path / "pictures").iterdir()) == ["backprop.html", "graph.svg",
                                                                         "training-step.html"]


def interrupt(child, after_line_starting):
    """Send Ctrl-C's signal to `child` once it printed a line starting so; return its (status, stdout, stderr)."""
    seen = []
    for line in child.stdout:
        seen.append(line)
        if line.startswith(after_line_starting):
            break
    else:
        pytest.fail(f"the child ended before printing {after_line_starting!r}: {''.join(seen)}")
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    return child.returncode, "".join(seen) + out, err


def test_ctrl_c_at_the_step_prompt_is_one_line_and_status_130():
    child = subprocess.Popen([sys.executable, "-m", "chainrule", "demo", "two-neuron", "--step"], env=ENV, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    status, out, err = interrupt(child, "step 1/")  # stdin stays open: the demo waits for Enter
    child.stdin.close()
    assert (status, err) == (130, "chainrule demo two-neuron: interrupted\n")


def test_ctrl_c_while_a_demo_computes_is_one_line_and_leaves_only_whole_files(tmp_path):
    child = subprocess.Popen([sys.executable, "-m", "chainrule", "demo", "optimizers", "--out", str(tmp_path)],
                             env=ENV, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    status, out, err = interrupt(child, "Two moons")  # its first line; then it trains for seconds
    assert (status, err) == (130, "chainrule demo optimizers: interrupted\n")
    assert "files written" not in out and list(tmp_path.iterdir()) == []


def test_ctrl_c_in_the_middle_of_writing_a_file_leaves_no_part_of_it(tmp_path):
    # a demo whose second file is being written (renamed into place) when Ctrl-C comes
    script = (
        "import os, sys, time\n"
        "from chainrule.demos.common import run_demo\n"
        "from chainrule.engine.files import write_atomically\n"
        "def run(out, seed, say):\n"
        "    say.wrote(write_atomically(out / 'first.txt', b'whole'))\n"
        "    os.replace = lambda src, dst: (print('renaming', flush=True), time.sleep(60))\n"
        "    say.wrote(write_atomically(out / 'second.txt', b'never whole'))\n"
        "sys.exit(run_demo('writer', 'writes two files', run, sys.argv[1:]))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, "--out", str(tmp_path)], env=ENV, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    status, out, err = interrupt(child, "renaming")
    assert (status, err) == (130, "chainrule demo writer: interrupted\n")
    assert [(p.name, p.read_bytes()) for p in tmp_path.iterdir()] == [("first.txt", b"whole")]
