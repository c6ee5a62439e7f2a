"""chainrule: a scalar reverse-mode autograd engine for learning how neural networks learn.

    >>> from chainrule import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad          # dy/dx = 2x + 3
    7.0

The packages: `chainrule.engine` (Value, backward, stepping, explain, gradcheck),
`chainrule.nn` (modules, losses, optimizers, fit), `chainrule.viz` (graphs, the
stepper page, plots) and `chainrule.demos` (`chainrule demo --list`).
Only the engine is imported here: nn, viz and demos load when you import them.
"""
try:
    from .engine import Value, explain, gradcheck, no_grad
except ModuleNotFoundError as missing:  # the repository's chainrule/ folder, in a Python without chainrule installed
    if missing.name != f"{__name__}.engine":
        raise
    import sys
    raise ImportError(f"this Python ({sys.executable}) found the repository's chainrule/ folder, which is not chainrule "
                      "installed: in the repository run `make repl` (or .venv/bin/python), or pip install -e . "
                      "first") from None

__version__ = "0.1.0"  # as in pyproject.toml (a test checks); a literal, as importlib.metadata costs 50 ms at start-up

__all__ = ["Value", "explain", "gradcheck", "no_grad", "__version__"]
