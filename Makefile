# One command surface for developers and CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CREDENTIALS := .touchpoint/credentials.json
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# pytest-xdist workers: each has its own databases (tests/conftest.py names them by process).
TEST_WORKERS ?= auto

.PHONY: install run test fuzz lint format check-migrations ci bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

## run: start the service on the embedded SQLite default, printing ready credentials
run: install
	@$(BIN)/touchpoint migrate
	@mkdir -p .touchpoint
	@test -s $(CREDENTIALS) || $(BIN)/touchpoint bootstrap --org-name "Demo Org" \
		--email demo@example.com --name "Demo Owner" > $(CREDENTIALS)
	@$(BIN)/python -m touchpoint.quickstart $(CREDENTIALS) http://$(HOST):$(PORT)
	@$(BIN)/touchpoint serve --host $(HOST) --port $(PORT)

## test: the whole suite, on PostgreSQL and SQLite, then the fuzzer against the OpenAPI document
test: install
	$(BIN)/pytest -n $(TEST_WORKERS)
	$(MAKE) fuzz

## fuzz: Schemathesis (every check, stateful included) against the served app on both engines
fuzz: install
	$(BIN)/python fuzz/run.py

lint: install
	$(BIN)/ruff format --check src tests bench fuzz
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench fuzz
	$(BIN)/ruff check --fix src tests bench fuzz

## check-migrations: the migrations build exactly the models' schema, on both engines
check-migrations: install
	@rm -rf .touchpoint/check && mkdir -p .touchpoint/check
	TOUCHPOINT_DATABASE_URL=sqlite:///.touchpoint/check/check.db $(BIN)/touchpoint migrate
	TOUCHPOINT_DATABASE_URL=sqlite:///.touchpoint/check/check.db $(BIN)/alembic check
	$(BIN)/python -m touchpoint.migrations.check_postgres $(TEST_POSTGRES_URL)

ci: lint check-migrations test

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .touchpoint .mypy_cache .ruff_cache .pytest_cache touchpoint.db*
