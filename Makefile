# Two commands do all of the set-up: `make demo` and `make test`.
# Each creates .venv (once) and installs chainrule into it with what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean browser

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

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) chainrule-out .pytest_cache .hypothesis
