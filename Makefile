# Tansiq: `make demo` serves a demo network, `make test` runs the checks. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-postgres test-scaleout e2e bench lint vendor lock messages clean

$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tansiq needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tansiq demo

lint: $(STAMP)
	$(BIN)/ruff check tansiq tests benchmarks
	$(BIN)/ruff format --check --quiet tansiq tests benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q -n 2 -m "not e2e and not scaleout"

test-postgres: $(STAMP)
	TANSIQ_TEST_DATABASE=postgres $(BIN)/pytest -q -m "not e2e and not scaleout" -p tests.postgres_server

# Tasks and cache on a temporary Redis server (Debian's redis-server), files on moto's S3 emulator.
test-scaleout: $(STAMP)
	$(BIN)/pytest -q -m scaleout

e2e: $(STAMP)
	$(BIN)/pytest -q -m e2e tests/e2e

bench: $(STAMP)
	$(BIN)/python -m benchmarks

vendor:
	$(PYTHON) scripts/vendor.py

# requirements-dev.lock: everything a developer or CI needs; requirements.lock: what a server needs,
# pinned to the same versions.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --generate-hashes --python-version 3.11 -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 -c requirements-dev.lock -o requirements.lock

messages: $(STAMP)
	cd tansiq && ../$(BIN)/tansiq makemessages -l ar -l ms --no-obsolete --no-location --ignore "static/vendor/*"
	cd tansiq && ../$(BIN)/tansiq compilemessages --ignore "static/vendor/*"

clean:
	rm -rf $(VENV) var/static
