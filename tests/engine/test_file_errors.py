"""A write the system refuses names the file the caller asked for, never write_atomically's temporary
file, keeps the error's kind (PermissionError stays PermissionError), and leaves nothing behind."""
import errno
import os

import pytest

from chainrule import Value, viz
from chainrule.engine import files
from chainrule.engine.files import write_atomically


def refuse(monkeypatch, name, code):
    """Make os.NAME fail as the system does, naming the file it was given (the temporary one)."""
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(args[0]))
    monkeypatch.setattr(files.os, name, fail)


@pytest.mark.parametrize("name,code,kind", [
    ("open", errno.EACCES, PermissionError),   # a folder we may not write into
    ("replace", errno.EXDEV, OSError),         # the rename into place
    ("fchmod", errno.EPERM, PermissionError),  # keeping the old file's permissions
])
def test_the_error_names_the_target_and_keeps_its_kind(tmp_path, monkeypatch, name, code, kind):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")
    refuse(monkeypatch, name, code)
    with pytest.raises(kind) as raised:
        write_atomically(target, b"new")
    assert (raised.value.errno, raised.value.filename) == (code, str(target))
    assert ".chainrule-tmp" not in str(raised.value) and raised.value.__cause__ is None
    assert str(raised.value) == f"[Errno {code}] {os.strerror(code)}: '{target}'"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"] and target.read_bytes() == b"old"


def test_a_full_disk_while_writing_names_the_target(tmp_path, monkeypatch):
    class FullDisk:
        def __init__(self, fd, mode):
            self.fd = fd

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            os.close(self.fd)

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as the system raises it: no file name

    monkeypatch.setattr(files.os, "fdopen", FullDisk)
    with pytest.raises(OSError) as raised:
        write_atomically(tmp_path / "graph.svg", b"<svg/>")
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(tmp_path / "graph.svg"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no file can be made")
def test_render_into_proc_names_the_picture():
    y = Value(2.0, label="x") * 3
    with pytest.raises(FileNotFoundError) as raised:
        viz.render(y, "/proc/g.svg")
    assert str(raised.value) == "[Errno 2] No such file or directory: '/proc/g.svg'"
