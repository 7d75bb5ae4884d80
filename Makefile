# tocsin: `make test` and `make demo` work on a fresh machine with only python3 and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
HYPOTHESIS_PROFILE ?= ci

.PHONY: test lint typecheck unit doctest docs demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip learned dependency groups (PEP 735) in 25.1.
$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e . --group dev
	touch $(STAMP)

test: lint typecheck unit doctest docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests

# PYTHONTZPATH="" makes zoneinfo use only the pinned tzdata package, so every DST
# test runs against the same rules on every machine.
unit: $(STAMP)
	PYTHONTZPATH="" HYPOTHESIS_PROFILE=$(HYPOTHESIS_PROFILE) $(BIN)/pytest

doctest: $(STAMP)
	PYTHONTZPATH="" $(BIN)/sphinx-build -q -W --keep-going -b doctest docs docs/_build/doctest

docs: $(STAMP)
	PYTHONTZPATH="" $(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html

demo: $(STAMP)
	$(PY) -m tocsin demo

$(BENCH_STAMP): $(STAMP) $(wildcard benchmarks/requirements*.txt)
	for f in benchmarks/requirements*.txt; do [ -f "$$f" ] && $(PY) -m pip install --quiet -r "$$f" || exit 1; done
	touch $(BENCH_STAMP)

# Benchmarks are never part of `make test`: they measure, they do not assert.
bench: $(BENCH_STAMP)
	@for f in benchmarks/bench_*.py; do \
		[ -f "$$f" ] || continue; \
		echo "== $$f"; PYTHONTZPATH="" $(PY) "$$f" || exit 1; \
	done

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
