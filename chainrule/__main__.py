"""`python -m chainrule demo NAME`: the same as the `chainrule` command."""
import sys

from chainrule.demos.cli import main

sys.exit(main())
