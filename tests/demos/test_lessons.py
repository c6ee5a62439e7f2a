"""`chainrule lessons [DIR]`: the lessons copied into DIR when they are not there (a learner's copy is never
overwritten), then a Jupyter server that serves lesson 1; without JupyterLab, one line saying what to run."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from chainrule.demos import lessons

SHIPPED = Path(__file__).resolve().parents[2] / "notebooks"
FIRST = "01_derivatives_and_the_chain_rule.ipynb"


def test_the_package_ships_the_eleven_lessons_and_their_list():
    assert lessons.shipped_folder().resolve() == SHIPPED  # an editable install: the repository's folder
    names = [p.name for p in lessons.shipped_files()]
    assert names == sorted(p.name for p in SHIPPED.glob("*.ipynb")) + ["README.md"]
    assert len(names) == 12 and names[0] == FIRST


def test_copies_what_is_missing_and_never_overwrites_a_learners_copy(tmp_path):
    folder = tmp_path / "my lessons"
    copied, kept = lessons.copy_lessons(folder)
    assert (len(copied), kept) == (12, [])
    assert lessons.what_was_done(folder, copied, kept) == f"chainrule lessons: copied the 11 lessons into {folder}"
    for name in copied:
        assert (folder / name).read_bytes() == (SHIPPED / name).read_bytes()
    mine = folder / "02_two_neuron_example.ipynb"
    mine.write_text("my edited notebook")
    (folder / "05_vanishing_gradients.ipynb").unlink()
    copied, kept = lessons.copy_lessons(folder)
    assert copied == ["05_vanishing_gradients.ipynb"] and len(kept) == 11
    assert mine.read_text() == "my edited notebook"
    assert lessons.what_was_done(folder, copied, kept) == (
        f"chainrule lessons: copied 1 missing file into {folder} (05_vanishing_gradients.ipynb); "
        "kept the 11 already there as they are")
    assert lessons.what_was_done(folder, [], kept + copied) == (
        f"chainrule lessons: {folder} has all 11 lessons already (kept as they are)")


def test_only_unchanged_lessons_are_trusted(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    folder = tmp_path / "lessons"
    lessons.copy_lessons(folder)
    edited = folder / "03_gradient_descent_and_the_learning_rate.ipynb"
    nb = nbformat.read(edited, as_version=4)
    nb.cells[0].source += "\nmy note"
    nbformat.write(nb, edited)
    lessons.trust_unchanged(folder)
    notary = NotebookNotary()
    assert notary.check_signature(nbformat.read(folder / FIRST, as_version=4))
    assert not notary.check_signature(nbformat.read(edited, as_version=4))


def test_without_jupyterlab_one_line_says_what_to_run(tmp_path, monkeypatch, capsys):
    real = lessons.importlib.util.find_spec
    monkeypatch.setattr(lessons.importlib.util, "find_spec", lambda name: None if name == "jupyterlab" else real(name))
    assert lessons.lessons_main([str(tmp_path / "lessons")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == ('chainrule lessons: JupyterLab is not installed in this Python: run pip install '
                                 '"chainrule[lessons]" (in a clone of chainrule: make lessons), then chainrule '
                                 'lessons again\n')
    assert not (tmp_path / "lessons").exists()


@pytest.mark.parametrize("args,expected", [
    (["--port", "abc"], "chainrule lessons: argument --port: must be a whole number from 1 to 65535, got 'abc'"),
    (["a", "b"], "chainrule lessons: unrecognized arguments: b"),
])
def test_bad_usage_is_one_line(args, expected):
    result = subprocess.run([sys.executable, "-m", "chainrule", "lessons", *args], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and result.stderr.startswith(expected) and result.stderr.count("\n") == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.skipif(os.name == "nt", reason="the server is stopped through its API; POSIX paths in the test")
def test_the_command_starts_a_server_that_serves_lesson_1_then_stops(tmp_path):
    pytest.importorskip("jupyterlab")
    port, token = free_port(), "chainrule-test-token"
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython"), "JUPYTER_PLATFORM_DIRS": "1"}
    folder = tmp_path / "lessons"
    server = subprocess.Popen([sys.executable, "-m", "chainrule", "lessons", str(folder), "--no-browser",
                               "--port", str(port)], env=env, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = get(f"{base}/api/contents/{FIRST}?token={token}")
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        assert status == 200, f"no answer from the server ({server.poll()=})"
        served = json.loads(body)
        assert served["name"] == FIRST and served["type"] == "notebook"
        shipped = json.loads((SHIPPED / FIRST).read_text(encoding="utf-8"))["cells"]
        assert [(c["id"], c["source"]) for c in served["content"]["cells"]] == [
            (c["id"], "".join(c["source"])) for c in shipped]
        assert all(c["metadata"].get("trusted") for c in served["content"]["cells"] if c["cell_type"] == "code")
        status, raw = get(f"{base}/files/{FIRST}?token={token}")
        assert status == 200 and raw == (SHIPPED / FIRST).read_bytes()
        assert get(f"{base}/lab/tree/{FIRST}?token={token}")[0] == 200  # the page the browser would open
        request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.terminate()
            server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert out.splitlines() == [f"chainrule lessons: copied the 11 lessons into {folder}",
                                f"chainrule lessons: starting JupyterLab in {folder} with {FIRST} (Ctrl-C stops it)"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(p.name for p in SHIPPED.glob("*.ipynb")),
                                                               "README.md"])
