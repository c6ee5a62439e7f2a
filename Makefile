# Two commands do all of the set-up: `make demo` and `make test`.
# Each creates .venv (once) and installs chainrule into it with what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean browser mutation

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/chainrule demo two-neuron

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The stepper's browser tests need Chromium: Debian's package, installed here when
# we can (root with apt-get); otherwise those tests are skipped with a reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "no chromium (and no root apt-get to install it): the browser tests will be skipped"; fi; }

# The benchmark compares with micrograd and PyTorch (CPU, one thread);
# it gets its own environment so that nothing is added to .venv.
BENCH := .venv-bench
$(BENCH)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $(BENCH)/.installed

bench: $(BENCH)/.installed
	$(BENCH)/bin/python benchmarks/run.py --markdown docs/speed.md

# Mutation testing of engine/ and nn/ (mutation/run.py): each package against its own unit tests.
# Slow (engine/ about 15 min, nn/ about 50 min on two cores), so not part of `make test` or CI.
# A subset: make mutation FILES="engine/value.py nn/optim.py" (or FILES=nn).
$(VENV)/.mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,mutation]'
	touch $@

mutation: $(VENV)/.mutation
	$(BIN)/python mutation/run.py $(FILES)

clean:
	rm -rf $(VENV) $(BENCH) chainrule-out .pytest_cache .hypothesis build/mutation
