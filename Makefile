# kompass – two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
# Only this machine can reach the app unless told otherwise (make run ADDRESS=0.0.0.0):
# uploads and imports write to the database.
ADDRESS ?= 127.0.0.1

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install kompass with its test tools

chromium: ## Install Debian's chromium for the browser tests (needs root and apt-get)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# For `make test`: chromium when it can be had (root with apt-get), never a failure without
# it; the browser tests then skip and pytest says so at the end. KOMPASS_NO_BROWSER=1 runs
# the tests as on a machine without chromium.
try-chromium:
	@if [ -n "$$KOMPASS_NO_BROWSER" ] && [ "$$KOMPASS_NO_BROWSER" != 0 ]; then \
	  echo "KOMPASS_NO_BROWSER is set: the browser tests will be skipped."; \
	elif command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests (make chromium) ..."; \
	  $(MAKE) --no-print-directory chromium \
	    || echo "Could not install chromium: the browser tests will be skipped."; \
	else \
	  echo "No chromium, and no root with apt-get to install it: the browser tests will be skipped."; \
	fi

run: setup ## Build the store from data/reports if needed and start the app
	$(BIN)/kompass ingest --quiet
	$(BIN)/kompass serve --port $(PORT) --address $(ADDRESS)

lint: setup ## ruff, mypy, the floors' import contracts and the declared dependencies
	$(BIN)/ruff check kompass pages tests app.py
	$(BIN)/ruff format --check kompass pages tests app.py
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/deptry .

test: setup ## Lint, type-check and run all tests (installs chromium for the browser tests if it can)
	@$(MAKE) --no-print-directory try-chromium
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q

golden: setup ## Compare the parser with the hand-checked values in tests/golden
	$(BIN)/python tests/check_golden.py --cmd "$(BIN)/kompass parse --json"

bench: setup chromium ## Benchmark ingest, pages and memory (kompass bench)
	$(BIN)/kompass bench

clean: ## Remove the venv, the database and caches
	rm -rf $(VENV) data/kompass.duckdb data/kompass.duckdb.wal .pytest_cache .ruff_cache .mypy_cache screenshots

.PHONY: help setup chromium try-chromium run lint test golden bench clean
