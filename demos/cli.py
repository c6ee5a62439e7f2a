"""The `chainrule` command: `chainrule demo --list`, `chainrule demo NAME [options]`, `chainrule demo all`,
`chainrule lessons [DIR]`."""
from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

from chainrule import __version__

from . import DEMOS
from .common import (INTERRUPTED, READER_GONE, OneLineParser, add_common_options, checked_out, interrupted,
                     reader_went_away)
from .console import tolerate_any_encoding

USAGE = ("usage: chainrule demo --list | chainrule demo NAME [options] | "
         "chainrule demo all [--out DIR] [--seed N] [--quiet]")
ALL = "all"  # not a demo: every demo, one after another
STOP = (INTERRUPTED, READER_GONE)  # Ctrl-C, or the reader of stdout went away: `all` stops too
COMMANDS = {"demo": "run a teaching demo (chainrule demo --help lists them)",
            "lessons": "open the lessons (the notebooks) in JupyterLab (chainrule lessons --help)"}


def demo_main(argv: list[str]) -> int:
    """Run one demo by name, passing it the remaining arguments; or list the demos.

    Returns the exit status (see `common.run_demo`); a missing or unknown name is
    one line on stderr and status 2.
    """
    tolerate_any_encoding()
    if argv and argv[0] in ("--list", "-l"):
        print("\n".join(["Demos (run one with: chainrule demo NAME [--help]):", *_demo_lines()]))
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print(demo_help())
        return 0
    if argv and argv[0] == ALL:
        return all_main(argv[1:])
    if not argv or argv[0] not in DEMOS:
        said = f"no demo named {argv[0]!r}." if argv else "which demo?"
        print(f"chainrule demo: {said} Choose one of: {', '.join(DEMOS)}, or {ALL} for every one "
              "(chainrule demo --list tells what each shows)", file=sys.stderr)
        return 2
    return _launch(argv[0], argv[1:])


def demo_help() -> str:
    """`chainrule demo --help`: the usage, every demo, and the options they share."""
    options = argparse.ArgumentParser(prog="chainrule demo", usage=argparse.SUPPRESS, add_help=False)
    shared = options.add_argument_group("options (every demo, and all)")
    add_common_options(shared, "folder for the pictures (default ./chainrule-out/NAME; all: DIR/NAME)",
                       "print only the summary and the files written")
    shared.add_argument("--list", "-l", action="store_true", help="the demos, one line each")
    shared.add_argument("--help", "-h", action="store_true", help="this help; chainrule demo NAME --help: that "
                        "demo's own options too (two-neuron: --step, --epochs N)")
    return "\n".join([
        USAGE, "",
        "Run a teaching demo: it prints its story with the numbers it computed, writes its pictures and says how "
        "to open them.", "",
        "demos:", *_demo_lines(), "",
        options.format_help().strip(),
    ])


def _demo_lines() -> list[str]:
    width = max(len(name) for name in DEMOS)
    return [*(f"  {name:<{width}}  {line}" for name, (_, line) in DEMOS.items()),
            f"  {ALL:<{width}}  every demo above in one process, each into DIR/NAME, then a table of their times"]


def _launch(name: str, argv: list[str]) -> int:
    """Import demo `name` and run it with `argv`; its exit status."""
    try:
        return importlib.import_module(DEMOS[name][0]).main(argv)
    except KeyboardInterrupt:  # while the demo's modules load; once it runs, run_demo handles Ctrl-C
        return interrupted(f"chainrule demo {name}")


def all_main(argv: list[str]) -> int:
    """`chainrule demo all`: every demo in this one process, each into OUT/NAME, then each one's wall time.

    One process pays Python's and matplotlib's start-up once instead of once per demo. A demo
    that fails is reported (its traceback on stderr) and the others still run; the status is
    then 1 and the last line on stderr names the failed demos. Bad usage is one line and status 2;
    Ctrl-C (130) or a closed stdout (141) stops the whole run.
    """
    parser = OneLineParser(prog=f"chainrule demo {ALL}", description="Run every demo, one after another, in one process.")
    add_common_options(parser, "folder for the pictures: each demo writes into OUT/NAME (default ./chainrule-out)",
                       "print only each demo's summary and the files written", out_default=Path("chainrule-out"))
    args = parser.parse_args(argv)
    checked_out(parser, args.out)
    options = ["--seed", str(args.seed)] + (["--quiet"] if args.quiet else [])
    times: list[tuple[str, float, int]] = []
    started = time.perf_counter()
    for number, name in enumerate(DEMOS, 1):
        if number > 1:
            print()
        print(f"== {name} ({number}/{len(DEMOS)}) ==")
        begin = time.perf_counter()
        status = _run_one(name, ["--out", str(args.out / name), *options])
        times.append((name, time.perf_counter() - begin, status))
        if status in STOP:
            return status
    total = time.perf_counter() - started
    width = max(len(name) for name in DEMOS)
    print("\nWall time of each demo in this one process (seconds; start-up and imports come before the first):")
    for name, seconds, status in times:
        print(f"  {name:<{width}}  {seconds:6.2f}" + ("" if status == 0 else f"  FAILED (exit status {status})"))
    print(f"  {'all ' + str(len(times)):<{width}}  {total:6.2f}")
    failed = [f"{name} (exit status {status})" for name, _, status in times if status != 0]
    if failed:
        print(f"chainrule demo {ALL}: {len(failed)} of {len(times)} demos failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _run_one(name: str, argv: list[str]) -> int:
    """Run one demo inside `all`; its exit status (1 for an exception, whose traceback goes to stderr)."""
    try:
        return _launch(name, argv)
    except SystemExit as stop:  # a demo that exits (e.g. its own usage error) ends only itself
        return 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
    except Exception:  # a bug in one demo: show it, and go on with the others
        traceback.print_exc()
        print(f"chainrule demo {name}: failed (the traceback above says where)", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    """The `chainrule` command; returns its exit status."""
    tolerate_any_encoding()  # Windows' cp1252 has no η or ∂: a character it lacks is written as ASCII
    argv = sys.argv[1:] if argv is None else argv
    parser = OneLineParser(prog="chainrule", description="Learn how neural networks learn.",
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           epilog="commands:\n" + "\n".join(f"  {name:<8}  {text}" for name, text in COMMANDS.items()))
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
    parser.add_argument("command", choices=list(COMMANDS), help="demo or lessons")
    command = parser.parse_args(argv[:1]).command  # checks the command (and answers --help)
    if command == "lessons":
        from .lessons import lessons_main
        return until_the_reader_leaves(lessons_main, argv[1:])
    return until_the_reader_leaves(demo_main, argv[1:])


def until_the_reader_leaves(command: Callable[[list[str]], int], argv: list[str]) -> int:
    """Run `command`; if the reader of stdout goes away (`chainrule demo --list | head -1`), stop quietly
    with status 141, as a program stopped by SIGPIPE, instead of a BrokenPipeError traceback."""
    try:
        status = command(argv)
        sys.stdout.flush()  # what is still buffered goes now, while a closed pipe can be caught
    except BrokenPipeError:
        return reader_went_away()
    return status


if __name__ == "__main__":
    sys.exit(main())
