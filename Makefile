# LIC Commons: the few commands a newcomer needs.
#   make run    install, migrate, seed the demo community, serve it on http://127.0.0.1:8000
#   make test   install, then run every test in PYTEST_WORKERS processes (2; 0 for one process)
#               (PYTEST_ARGS="-k invitation" to pick some)
#   make lint   ruff check and ruff format --check
#   make bench  seed PostgreSQL database lic_bench at SCALE (full; small for a quick run) and
#               print the performance table (see bench/README.md); never part of make test

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
SCALE ?= full

.PHONY: install run test lint bench

install: $(STAMP)

# npm brings axe-core for the browser tests' accessibility check (package-lock.json); without
# npm the app still installs and runs, and the browser tests say what is missing.
$(STAMP): pyproject.toml package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the browser tests need it (apt-get install npm)"; fi
	touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m bench.seed --scale $(SCALE)
	$(BIN)/python -m bench.run
