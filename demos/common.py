"""What every demo shares: its command-line options, its output folder, and how it talks."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, NoReturn, Optional, Sequence

SEEDS = 2**32  # a seed is an int in [0, 2**32): what numpy's generators and random.Random both take
INTERRUPTED = 130  # what a shell reports for a process stopped by Ctrl-C (128 + SIGINT)


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


def seed_option(text: str) -> int:
    """The --seed option: an int from 0 to 2**32 − 1."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value < SEEDS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {SEEDS - 1}, got {text!r}")
    return value


def folder_problem(out: Path) -> Optional[str]:
    """Why `out` cannot be the output folder (it or a folder above it is a file), or None if it can."""
    for folder in (out, *out.parents):
        if folder.exists():
            return None if folder.is_dir() else f"{folder} is a file, not a folder"
    return None


def add_common_options(parser: argparse.ArgumentParser, out_help: str, quiet_help: str,
                       out_default: Optional[Path] = None) -> None:
    """`--out DIR --seed N --quiet`, as every demo (and `chainrule demo all`) takes them."""
    parser.add_argument("--out", type=Path, default=out_default, help=out_help)
    parser.add_argument("--seed", type=seed_option, default=0,
                        help=f"seed for every random choice, 0 to {SEEDS - 1} (default 0)")
    parser.add_argument("--quiet", action="store_true", help=quiet_help)


def checked_out(parser: argparse.ArgumentParser, out: Path) -> Path:
    """`out` if it can be the output folder; else the parser's one-line usage error (status 2)."""
    problem = folder_problem(out)
    if problem:
        parser.error(f"argument --out: {problem}; name a folder, which is created if missing")
    return out


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
    except KeyboardInterrupt:  # also at the --step prompt
        return interrupted(parser.prog)
    except BrokenPipeError:  # the reader went away (`chainrule demo xor | head`): stop quietly
        # Python flushes stdout again at exit; point it at /dev/null so that this cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process stopped by SIGPIPE
    except OSError as e:  # e.g. a folder we may not write into: the system's message names the file
        print(f"{parser.prog}: stopped: {e}", file=sys.stderr)
        return 1
    return 0
