# trustlens — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TL := $(VENV)/bin/trustlens
export TRUSTLENS_DATA_DIR ?= $(CURDIR)/var
DEMO_ACADEMIES ?= 12
DEMO_SEED ?= 1
PYTEST_ARGS ?=

.PHONY: demo test install system-deps test-sqlite test-postgres lint format benchmarks clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	touch $@

install: $(VENV)/.installed

## demo: install, build a synthetic trust, load it, create demo logins, serve on 127.0.0.1:8000
demo: install
	$(TL) init
	$(TL) synth --out $(TRUSTLENS_DATA_DIR)/synth --academies $(DEMO_ACADEMIES) --seed $(DEMO_SEED)
	$(TL) import $(TRUSTLENS_DATA_DIR)/synth --trust demo
	$(TL) demo-users --trust demo
	$(TL) demo-workflow --trust demo --seed $(DEMO_SEED)
	@echo "Serving trustlens on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(TL) serve --host 127.0.0.1 --port 8000

## test: install what is missing, lint (ruff + the import layers), then the whole suite on
## SQLite and again on PostgreSQL
test: lint
	@DBURL=$$(bash scripts/ensure-system-deps.sh) && \
	echo "== test suite on SQLite ==" && \
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS) && \
	echo "== test suite on PostgreSQL ($$DBURL; the whole-app walk runs on SQLite only) ==" && \
	DATABASE_URL=$$DBURL $(PY) -m pytest -p no:cacheprovider -m "not walk" $(PYTEST_ARGS)

## lint: ruff (rules and format) and import-linter (the layers in pyproject's [tool.importlinter])
lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	PYTHONPATH=$(CURDIR)/src $(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

benchmarks: install
	$(PY) benchmarks/import_results.py
	$(PY) benchmarks/national_p8.py
	$(PY) benchmarks/dashboard_load.py

clean:
	rm -rf $(VENV) var .pytest_cache
