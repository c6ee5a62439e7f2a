"""write_atomically: whole files or none, without touching the umask, through symlinks, keeping permissions."""
import os
import stat
import subprocess
import sys

import pytest

from chainrule.engine.files import write_atomically


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".chainrule-tmp"))


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_new_files_get_the_umask_without_the_umask_ever_changing(tmp_path, umask_027, monkeypatch):
    # another thread creating a folder while the umask is briefly 0 would get a 0o777 folder
    def no_umask(_mask):
        raise AssertionError("write_atomically changed the process umask")
    monkeypatch.setattr(os, "umask", no_umask)
    path = write_atomically(tmp_path / "sub" / "a.txt", b"hello")
    assert path.read_bytes() == b"hello" and mode(path) == 0o640
    assert mode(tmp_path / "sub") == 0o750


def test_a_re_save_keeps_the_files_permissions(tmp_path):
    path = write_atomically(tmp_path / "model.json", b"old")
    os.chmod(path, 0o600)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new" and mode(path) == 0o600


def test_a_symlink_is_written_through_and_stays_a_symlink(tmp_path):
    target = write_atomically(tmp_path / "real" / "model.json", b"old")
    link = tmp_path / "model.json"
    link.symlink_to(target)
    assert write_atomically(link, b"new") == link
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"new" and leftovers(target.parent) == [] and leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = write_atomically(tmp_path / "model.json", b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, b"new")
    with pytest.raises(TypeError):
        write_atomically(path, "text, not bytes")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_the_temporary_of_a_killed_save_is_removed_by_the_next_save(tmp_path):
    path = tmp_path / "model.json"
    write_atomically(path, b"old")
    # a save killed (kill -9) just before its rename
    killed = subprocess.Popen([sys.executable, "-c", (
        "import os, signal, sys\n"
        "from chainrule.engine.files import write_atomically\n"
        "os.replace = lambda src, dst: os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_atomically(sys.argv[1], b'half')\n"
    ), str(path)])
    assert killed.wait(timeout=60) == -9
    stale = leftovers(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".model.json.")  # recognisably ours, beside the file
    # a temporary of a process still running (this one) is another save in progress: left alone
    busy = tmp_path / f".model.json.{os.getpid()}.7a.chainrule-tmp"
    busy.write_bytes(b"in progress")
    # temporaries of other files (model.json.5 too) are not this save's to judge
    others = [tmp_path / f".{name}.{killed.pid}.0b.chainrule-tmp" for name in ("other.json", "model.json.5")]
    for other in others:
        other.write_bytes(b"")
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert leftovers(tmp_path) == sorted([busy.name] + [other.name for other in others])


def test_a_stale_temporary_that_cannot_be_removed_does_not_stop_the_save(tmp_path, monkeypatch):
    path = write_atomically(tmp_path / "model.json", b"old")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(timeout=60)
    stale = tmp_path / f".model.json.{dead.pid}.0c.chainrule-tmp"  # e.g. another user's, in a sticky /tmp
    stale.write_bytes(b"half")

    def refuse(path, *args, **kwargs):
        raise PermissionError(1, "Operation not permitted", str(path))
    monkeypatch.setattr(os, "unlink", refuse)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new" and leftovers(tmp_path) == [stale.name]


def test_missing_folders_are_made_however_deep(tmp_path):
    path = write_atomically(tmp_path / "a" / "b" / "c" / "model.json", b"deep")
    assert path.read_bytes() == b"deep"


def test_a_new_file_is_read_write_for_everyone_less_the_umask(tmp_path):
    """0666 less the umask: never executable."""
    old = os.umask(0o002)
    try:
        path = write_atomically(tmp_path / "model.json", b"x")
    finally:
        os.umask(old)
    assert mode(path) == 0o664


def test_the_temporary_is_named_after_the_file_this_process_and_32_random_bits(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(os.path.basename(src))
        real_replace(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    write_atomically(tmp_path / "model.json", b"x")
    import re
    assert re.fullmatch(rf"\.model\.json\.{os.getpid()}\.[0-9a-f]{{8}}\.chainrule-tmp", seen[0])


def test_an_interrupt_before_the_temporary_exists_is_raised_as_it_is(tmp_path, monkeypatch):
    """Ctrl-C while opening the temporary: the KeyboardInterrupt itself, not a complaint that there is no
    temporary to remove."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "model.json", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_listed_does_not_stop_the_save(tmp_path, monkeypatch):
    """Looking for stale temporaries is best effort."""
    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(os, "scandir", refuse)
    path = write_atomically(tmp_path / "model.json", b"new")
    assert path.read_bytes() == b"new"
