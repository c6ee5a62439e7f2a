"""The `chainrule` command: `chainrule demo --list`, `chainrule demo NAME [options]`."""
from __future__ import annotations

import importlib
import sys

from chainrule import __version__

from . import DEMOS
from .common import OneLineParser, interrupted

USAGE = "usage: chainrule demo --list | chainrule demo NAME [options]"


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
        return 0
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if not argv or argv[0] not in DEMOS:
        said = f"no demo named {argv[0]!r}." if argv else "which demo?"
        print(f"chainrule demo: {said} Choose one of: {', '.join(DEMOS)} (chainrule demo --list tells what each shows)",
              file=sys.stderr)
        return 2
    name, rest = argv[0], argv[1:]
    try:
        return importlib.import_module(DEMOS[name][0]).main(rest)
    except KeyboardInterrupt:  # while the demo's modules load; once it runs, run_demo handles Ctrl-C
        return interrupted(f"chainrule demo {name}")


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
