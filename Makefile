# One command each: make build · make test · make lint   (make help lists all)
PY := .venv/bin/python
SETUP_STAMP := .venv/.lock-sha256

.DEFAULT_GOAL := help
.PHONY: help setup build editions html preview test test-unit test-data lint format bench clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install Debian packages (needs root) and the Python environment (.venv)
	scripts/setup.sh all

build: setup ## the whole book from data/, redoing only what changed (FULL=1: all from scratch)
	$(PY) -m lib.build $(if $(FULL),--full)

editions: ## run chapters per sector where an input changed (book/editions/)
	$(PY) -m lib.editions

html: ## HTML only (quick look while writing)
	$(PY) -m lib.build --no-pdf

preview: setup ## live preview for authors on http://127.0.0.1:8000 (PORT=…): save a file, the page follows
	$(PY) -m lib.preview $(if $(PORT),--port $(PORT))

test: setup ## build from scratch (as CI does), lint, every test: unit, data, editions (nbval), site, PDFs
	$(PY) -m lib.build --full
	$(MAKE) --no-print-directory lint
	$(PY) -m pytest --nbval

test-unit: ## fast tests only (no build, no browser)
	$(PY) -m pytest tests/test_fmt.py tests/test_stats.py tests/test_data.py

test-data: ## check every data file against its schema and consistency rules
	$(PY) -m lib.data

lint: ## ruff on the Python code and the chapters' code cells; the claim scan of the chapters' prose
	.venv/bin/ruff check lib tests scripts
	$(PY) scripts/lint_chapters.py
	$(PY) -m lib.claims

format: ## ruff format
	.venv/bin/ruff format lib tests scripts

bench: setup ## benchmark: cold, no-change, one CSV, one unused lib function; floor; naive Jupyter Book
	$(PY) scripts/benchmark.py

clean: ## remove build output (not the editions of record)
	rm -rf _build
