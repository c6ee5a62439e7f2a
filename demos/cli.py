"""The `chainrule` command: `chainrule demo --list`, `chainrule demo NAME [options]`."""
from __future__ import annotations

import argparse
import importlib
import sys

from chainrule import __version__

from . import DEMOS


def demo_main(argv: list[str]) -> int:
    """Run one demo by name, passing it the remaining arguments; or list the demos."""
    if not argv or argv[0] in ("--list", "-l"):
        width = max(len(name) for name in DEMOS)
        print("Demos (run one with: chainrule demo NAME [--help]):")
        for name, (_, line) in DEMOS.items():
            print(f"  {name:<{width}}  {line}")
        return 0 if argv else 2
    if argv[0] in ("-h", "--help"):
        print("usage: chainrule demo --list | chainrule demo NAME [options]")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in DEMOS:
        print(f"chainrule: no demo named {name!r}; choose one of: {', '.join(DEMOS)}", file=sys.stderr)
        return 2
    module = importlib.import_module(DEMOS[name][0])
    return module.main(rest)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="chainrule", description="Learn how neural networks learn.")
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
    parser.add_argument("command", choices=["demo"], help="demo: run a teaching demo (chainrule demo --list)")
    parser.parse_args(argv[:1])  # checks the command (and answers --help)
    return demo_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
