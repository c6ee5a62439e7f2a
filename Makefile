# Each of these is the whole set-up: `make demo`, `make test`, `make lessons`, `make repl`.
# Each creates .venv (once) and installs into it chainrule with what that command needs, and no more:
# the demo and the REPL chainrule alone, the lessons JupyterLab too (the `lessons` extra), the tests
# the `dev` extra. A stamp per extra records what is installed, so that one never forces another.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
DEMO_STAMP    := $(VENV)/.installed-demo
LESSONS_STAMP := $(VENV)/.installed-lessons
DEV_STAMP     := $(VENV)/.installed

.PHONY: demo playground test lessons repl notebooks bench bench-docs clean browser python-version mutation

demo: $(DEMO_STAMP)
	$(BIN)/chainrule demo two-neuron

# the playground page (two moons, 2-16-16-1) written to chainrule-out/playground/ and opened in the browser
playground: $(DEMO_STAMP)
	$(BIN)/chainrule demo playground --open

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest

# JupyterLab on the repository's notebooks, opening lesson 1 in the browser
lessons: $(LESSONS_STAMP)
	$(BIN)/chainrule lessons notebooks

# a Python REPL with chainrule installed (typing `python` in the repository finds only the chainrule/ folder)
repl: $(DEMO_STAMP)
	@echo "Python with chainrule installed; try: from chainrule import Value"
	@$(BIN)/python

# Run every notebook in a fresh kernel and store its outputs in it (tests/test_notebooks.py checks that the
# stored outputs are what a fresh run gives): after editing a notebook, run this and commit the result.
notebooks: $(DEV_STAMP)
	$(BIN)/python -m tests.notebook_runs

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(LESSONS_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[lessons]'
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $@

# Python 3.10 or newer, checked before anything is installed: an older pip would otherwise search
# every version of every dependency for one that still supports it, for minutes, and then fail.
CHECK_PYTHON = @$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
  found=$$($(PYTHON) --version 2>&1) || found="not found"; \
  echo "chainrule needs Python 3.10 or newer and $(PYTHON) is $$found: run make $(or $(MAKECMDGOALS),demo) PYTHON=python3.12 (or any Python 3.10+)"; \
  exit 1; }

$(BIN)/python:
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)

python-version:
	$(CHECK_PYTHON)

# The browser tests need Chromium: Debian's package, which this installs system-wide when it can (when
# run as root, with apt-get); otherwise those tests are skipped with a reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "no chromium (and no root apt-get to install it): the browser tests will be skipped"; fi; }

# The benchmark compares with micrograd and PyTorch (CPU, one thread);
# it gets its own environment so that nothing is added to .venv.
# `make bench` writes its results into chainrule-out/bench/; `make bench-docs` writes the tracked
# benchmarks/results.json and docs/speed.md, on purpose, when the numbers are to be published.
BENCH := .venv-bench
BENCH_OUT := chainrule-out/bench
$(BENCH)/.installed: pyproject.toml
	$(CHECK_PYTHON)
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $(BENCH)/.installed

bench: $(BENCH)/.installed
	$(BENCH)/bin/python benchmarks/run.py --json $(BENCH_OUT)/results.json --markdown $(BENCH_OUT)/speed.md

bench-docs: $(BENCH)/.installed
	$(BENCH)/bin/python benchmarks/run.py --json benchmarks/results.json --markdown docs/speed.md

# Mutation testing of engine/ and nn/ (mutation/run.py): each package against its own unit tests.
# Slow (engine/ about 12 min, nn/ about 6 min on two cores: 17 min measured), so not part of `make test` or CI.
# A subset: make mutation FILES="engine/value.py nn/optim.py" (or FILES=nn).
$(VENV)/.mutation: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,mutation]'
	touch $@

mutation: $(VENV)/.mutation
	$(BIN)/python mutation/run.py $(FILES)

clean:
	rm -rf $(VENV) $(BENCH) chainrule-out .pytest_cache .hypothesis build/mutation
