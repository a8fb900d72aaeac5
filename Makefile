# The two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
SCALE ?= medium

.PHONY: demo test test-fast lint format bench install install-test requirements check-migrations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installed when requirements change (the stamp files track it).
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
	bash scripts/install-system-deps.sh

demo: install
	$(BIN)/amina demo --scale $(SCALE) --port $(PORT)

# The whole suite: lint, migrations and catalogue gates, unit, API and browser tests.
test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/amina makemigrations --check --dry-run
	$(BIN)/python scripts/messages.py --check
	$(BIN)/pytest -q

test-fast: install-test
	$(BIN)/pytest -q -m "not browser" -x

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

messages: install-test
	$(BIN)/python scripts/messages.py --update

bench: install-test
	$(BIN)/python -m bench

# Re-pin requirements*.txt from pyproject.toml (no hashes or download addresses).
requirements: | $(BIN)/python
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links -o requirements.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --extra test --extra bench --no-emit-index-url --no-emit-trusted-host --no-emit-find-links -o requirements-test.txt pyproject.toml

clean:
	rm -rf $(VENV) var test-artifacts
