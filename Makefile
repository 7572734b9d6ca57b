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

chromium: ## Install Debian's chromium for the browser tests (needs root/apt)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

run: setup ## Build the store from data/reports if needed and start the app
	$(BIN)/kompass ingest --quiet
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

lint: setup ## ruff, mypy, the floors' import contracts and the declared dependencies
	$(BIN)/ruff check kompass pages tests app.py
	$(BIN)/ruff format --check kompass pages tests app.py
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/deptry .

test: setup ## Lint, type-check and run all tests (browser tests included)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q

golden: setup ## Compare the parser with the hand-checked values in tests/golden
	$(BIN)/python tests/check_golden.py --cmd "$(BIN)/kompass parse --json"

bench: setup chromium ## Benchmark ingest, pages and memory (kompass bench)
	$(BIN)/kompass bench

clean: ## Remove the venv, the database and caches
	rm -rf $(VENV) data/kompass.duckdb data/kompass.duckdb.wal .pytest_cache .ruff_cache .mypy_cache screenshots

.PHONY: help setup chromium run lint test golden bench clean
