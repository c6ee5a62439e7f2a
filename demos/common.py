"""What every demo shares: its command-line options, its output folder, and how it talks."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence


class Narrator:
    """Prints the narrative unless quiet; always prints the files written and the summary."""

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


def run_demo(name: str, description: str, run: Callable[..., dict], argv: Optional[Sequence[str]] = None,
             extra: Optional[Callable[[argparse.ArgumentParser], None]] = None) -> int:
    """Parse `--out DIR --seed N --quiet` (and any extra options), then call `run`."""
    parser = argparse.ArgumentParser(prog=f"chainrule demo {name}", description=description)
    parser.add_argument("--out", type=Path, default=None, help=f"folder for pictures (default ./chainrule-out/{name})")
    parser.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and the files written")
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in ("out", "seed", "quiet")}
    out = args.out or Path("chainrule-out") / name  # created by the first picture written into it
    try:
        run(out=out, seed=args.seed, say=Narrator(args.quiet), **options)
    except BrokenPipeError:  # the reader went away (`chainrule demo xor | head`): stop quietly
        # Python flushes stdout again at exit; point it at /dev/null so that this cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process stopped by SIGPIPE
    return 0


def compare_claim(computed: float, claimed: float, what: str, tolerance: float) -> str:
    """A sentence saying whether a claim of the notes holds for the computed number."""
    if abs(computed - claimed) <= tolerance:
        return f"{what}: computed {computed:.4g}, the notes say {claimed:g} ✓"
    return f"{what}: computed {computed:.4g}, the notes say {claimed:g} ✗ (the notes are off here)"
