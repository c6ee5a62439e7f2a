"""Writing files whole or not at all (shared by nn's model files and viz's pictures)."""
from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

# Temporaries are named .NAME.PID.RANDOM.chainrule-tmp, beside NAME. RANDOM keeps apart threads saving
# the same file, and a leftover of a killed process whose pid the system has since given to this one.
TEMPORARY = ".chainrule-tmp"


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it into place; return `path`.

    - A failure at any point leaves the earlier file intact and no temporary file.
      A save killed outright (kill -9) leaves its temporary; the next save of the
      same path removes the temporaries of processes that no longer run.
    - A new file gets the usual permissions (0666 less the umask, which is never
      changed); a file written again keeps its permission bits.
    - If `path` is a symlink, its target is written and the link stays a link.
    - Missing folders are created.
    - An error the system raises names `path`, never the temporary file.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))  # the file itself, through any symlinks
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    try:
        keep_mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        keep_mode = None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMPORARY}")
    try:
        # O_EXCL with 0o666: a new file, and the kernel applies the umask
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if keep_mode is not None:
                os.fchmod(f.fileno(), keep_mode)
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise _naming(error, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (its class and errno: PermissionError stays PermissionError) about `path`, the file
    the caller asked for, instead of the temporary file the system was refusing."""
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror, str(path))


def _remove_stale_temporaries(target: Path) -> None:
    """Remove temporaries of `target` left by saves whose process is gone (killed mid-save).

    Best effort: a folder we may not list, or a temporary we may not remove, does not stop the save.
    """
    if os.name != "posix":  # os.kill(pid, 0) only asks "does it run?" on POSIX
        return
    ours = re.compile(re.escape(f".{target.name}.") + r"(\d+)\.[0-9a-f]+" + re.escape(TEMPORARY))
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            match = ours.fullmatch(entry.name)
            if match and not _running(int(match[1])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 sends nothing: it only asks whether the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # it exists, as another user's
        pass
    return True
