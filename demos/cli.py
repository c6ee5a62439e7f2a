"""The `chainrule` command: `chainrule demo --list`, `chainrule demo NAME [options]`, `chainrule demo all`."""
from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from chainrule import __version__

from . import DEMOS
from .common import INTERRUPTED, OneLineParser, add_common_options, checked_out, interrupted

USAGE = ("usage: chainrule demo --list | chainrule demo NAME [options] | "
         "chainrule demo all [--out DIR] [--seed N] [--quiet]")
ALL = "all"  # not a demo: every demo, one after another
STOP = (INTERRUPTED, 141)  # Ctrl-C, or the reader of stdout went away: `all` stops too


def demo_main(argv: list[str]) -> int:
    """Run one demo by name, passing it the remaining arguments; or list the demos.

    Returns the exit status (see `common.run_demo`); a missing or unknown name is
    one line on stderr and status 2.
    """
    if argv and argv[0] in ("--list", "-l"):
        width = max(len(name) for name in DEMOS)
        print("Demos (run one with: chainrule demo NAME [--help]):")
        for name, (_, line) in DEMOS.items():
            print(f"  {name:<{width}}  {line}")
        print(f"  {ALL:<{width}}  every demo above in one process, each into OUT/NAME, then a table of their times")
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv and argv[0] == ALL:
        return all_main(argv[1:])
    if not argv or argv[0] not in DEMOS:
        said = f"no demo named {argv[0]!r}." if argv else "which demo?"
        print(f"chainrule demo: {said} Choose one of: {', '.join(DEMOS)}, or {ALL} for every one "
              "(chainrule demo --list tells what each shows)", file=sys.stderr)
        return 2
    return _launch(argv[0], argv[1:])


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
    argv = sys.argv[1:] if argv is None else argv
    parser = OneLineParser(prog="chainrule", description="Learn how neural networks learn.")
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
    parser.add_argument("command", choices=["demo"], help="demo: run a teaching demo (chainrule demo --list)")
    parser.parse_args(argv[:1])  # checks the command (and answers --help)
    return demo_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
