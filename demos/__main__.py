"""`python -m chainrule.demos NAME` runs a demo, `python -m chainrule.demos --list` lists them."""
import sys

from .cli import demo_main, until_the_reader_leaves

sys.exit(until_the_reader_leaves(demo_main, sys.argv[1:]))
