"""What every demo shares: its command-line options, its output folder, and how it talks."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, NoReturn, Optional, Sequence, Union

from .console import tolerate_any_encoding

SEEDS = 2**32  # a seed is an int in [0, 2**32): what numpy's generators and random.Random both take
INTERRUPTED = 130  # what a shell reports for a process stopped by Ctrl-C (128 + SIGINT)
READER_GONE = 141  # what a shell reports for a process stopped by SIGPIPE (128 + 13): `chainrule ... | head`


class Narrator:
    """Prints the narrative unless quiet; always prints the files written, the summary, and how to open the files."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.files: list[Path] = []

    def __call__(self, text: str = "") -> None:
        if not self.quiet:
            print(text)

    def wrote(self, path: Path) -> Path:
        self.files.append(path)
        print(f"wrote {path}")
        return path

    def summary(self, text: str) -> None:
        print(text)

    def how_to_open(self) -> None:
        """The closing lines: each file written and how to look at it."""
        if self.files:
            print(f"\n{len(self.files)} file{'s' if len(self.files) > 1 else ''} written:")
        for path in self.files:
            if path.suffix == ".html":
                print(f"  Open {path} in a web browser")
            elif path.suffix in (".svg", ".png"):
                print(f"  {path} is a picture: open it in an image viewer or a web browser")
            else:
                print(f"  {path}")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr, with exit status 2 (not the usage and a message)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def whole_number(low: int, high: Optional[int] = None) -> Callable[[str], int]:
    """An option's type: a whole number from `low` (to `high`), refused in words otherwise."""
    wanted = f"a whole number from {low} to {high}" if high is not None else f"a whole number, at least {low}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}")
        return value

    return parse


seed_option = whole_number(0, SEEDS - 1)  # the --seed option: what numpy's generators and random.Random take


def folder_problem(out: Path) -> Optional[str]:
    """Why `out` cannot be the output folder, or None if it can.

    It cannot when it or a folder above it is a file, or when the system refuses to create it or
    to write a file into it (a read-only disk, a folder of another user's, /proc). That is tried
    for real, as the rules are the system's (root may write where others may not): the missing
    folders are created, a file is written into `out` and removed, then those folders are removed
    again. The demo creates them once it writes its first picture.
    """
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder"
            break
    return _write_problem(out)


def _write_problem(out: Path) -> Optional[str]:
    missing = [folder for folder in (out, *out.parents) if not folder.exists()]
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
        handle, probe = tempfile.mkstemp(dir=out, prefix=".chainrule-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        return f"cannot write into {out} ({error.strerror or error})"
    finally:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
    return None


def add_common_options(parser: Union[argparse.ArgumentParser, argparse._ArgumentGroup], out_help: str, quiet_help: str,
                       out_default: Optional[Path] = None) -> None:
    """`--out DIR --seed N --quiet`, as every demo (and `chainrule demo all`) takes them."""
    parser.add_argument("--out", type=Path, default=out_default, metavar="DIR", help=out_help)
    parser.add_argument("--seed", type=seed_option, default=0, metavar="N",
                        help=f"seed for every random choice, 0 to {SEEDS - 1} (default 0)")
    parser.add_argument("--quiet", action="store_true", help=quiet_help)


def checked_out(parser: argparse.ArgumentParser, out: Path) -> Path:
    """`out` if it can be the output folder; else the parser's one-line usage error (status 2), before any work."""
    problem = folder_problem(out)
    if problem:
        parser.error(f"argument --out: {problem}; name a folder you may write into, which is created if missing")
    return out


def reader_went_away() -> int:
    """The reader of stdout went away (`chainrule demo xor | head`): stop quietly, with the status a shell
    reports for SIGPIPE. Python flushes stdout again at exit; pointing it at /dev/null lets that succeed."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return READER_GONE


def interrupted(prog: str) -> int:
    """Ctrl-C: one line instead of a traceback. Files are written whole or not at all, so none is half-written."""
    print(f"{prog}: interrupted", file=sys.stderr)
    return INTERRUPTED


def run_demo(name: str, description: str, run: Callable[..., dict], argv: Optional[Sequence[str]] = None,
             extra: Optional[Callable[[argparse.ArgumentParser], None]] = None) -> int:
    """Parse `--out DIR --seed N --quiet` (and any extra options), call `run`, then say how to open its files.

    Returns the exit status: 0 done; 2 bad usage (one line on stderr, nothing run);
    1 the system refused a file (OSError, one line); 130 Ctrl-C; 141 the reader of stdout went away.
    """
    tolerate_any_encoding()  # also when a demo's module is run directly (python -m chainrule.demos.xor)
    parser = OneLineParser(prog=f"chainrule demo {name}", description=description)
    add_common_options(parser, f"folder for pictures (default ./chainrule-out/{name})",
                       "print only the summary and the files written")
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in ("out", "seed", "quiet")}
    out = checked_out(parser, args.out or Path("chainrule-out") / name)  # created by the first picture written into it
    say = Narrator(args.quiet)
    try:
        run(out=out, seed=args.seed, say=say, **options)
        say.how_to_open()
        sys.stdout.flush()  # a reader that went away is found here, not at exit
    except KeyboardInterrupt:  # also at the --step prompt
        return interrupted(parser.prog)
    except BrokenPipeError:
        return reader_went_away()
    except OSError as e:  # e.g. a folder we may not write into: the system's message names the file
        print(f"{parser.prog}: stopped: {e}", file=sys.stderr)
        return 1
    return 0
