"""`python -m chainrule.demos NAME` runs a demo, `python -m chainrule.demos --list` lists them."""
import sys

from .cli import demo_main

sys.exit(demo_main(sys.argv[1:]))
