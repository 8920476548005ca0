# Jiafa: `make run` serves the demo, `make test` runs lint, types and the whole suite. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export JIAFA_DATA_DIR ?= var

.PHONY: run test lint fmt typecheck pytest bench browser-deps clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/jiafa migrate --no-input -v 0
	$(BIN)/jiafa demo --if-empty
	$(BIN)/jiafa serve

# Debian's Chromium drives the browser tests (Playwright uses it, never downloads one) and Noto CJK
# renders Chinese in screenshots. Installed when missing and we are root (as on a fresh machine and in CI).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium fonts-noto-cjk"; fi; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# The suite on SQLite, then on PostgreSQL when JIAFA_TEST_DATABASE_URL is set (.ci/run sets it).
pytest: $(VENV)/.installed-dev browser-deps
	$(BIN)/pytest
	@if [ -n "$$JIAFA_TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL: $$JIAFA_TEST_DATABASE_URL"; \
	  JIAFA_DATABASE_URL="$$JIAFA_TEST_DATABASE_URL" $(BIN)/pytest; \
	fi

test: lint typecheck pytest

bench: $(VENV)/.installed
	@for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
