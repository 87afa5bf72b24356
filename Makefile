# The two commands of README.md: `make run` and `make test`. Everything they need is installed here,
# at the exact versions of the lock files (the ones the suite runs on), so both work on a fresh clone
# with nothing installed by hand. `make lock` re-pins after requirements*.txt change (docs/dependencies.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
UV     := uv>=0.13,<0.14
LOCK   := $(BIN)/uv pip compile --quiet --python-version 3.11 --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

.PHONY: run test lint install install-test chromium node lock

run: install
	$(BIN)/python -m components.sign_in_config
	$(BIN)/python -m data_access init
	$(BIN)/python -m data_access seed --if-empty
	$(BIN)/python serve.py --server.port $(PORT) --server.headless true

test: lint chromium node
	$(BIN)/python -m pytest

# ruff's settings are in pyproject.toml; `ruff format .` fixes what the format check finds.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

# The project's own modules, compiled ahead: where PYTHONDONTWRITEBYTECODE is set Python never writes
# them while importing, so every command recompiled the ~70 modules it imports (~0.1 s CPU per
# `python -m data_access import`); it still reads .pyc files written here. Only changed files are redone.
SOURCES := app.py serve.py components data_access monitoring reference sample_data

install: $(VENV)/.installed
	$(BIN)/python -m compileall -q $(SOURCES)

install-test: $(VENV)/.installed-test
	$(BIN)/python -m compileall -q $(SOURCES)

# Exact versions for the ranges of requirements*.txt. Versions already in a lock are kept (uv prefers
# them), so adding a dependency pins only it and what it needs; `make lock UPGRADE=1` moves every pin to
# the newest version the ranges allow (then raise the lower bounds to the new pins: the test of the
# lock files says which). The test lock is constrained by the runtime lock, so both pin the same versions.
lock: | $(BIN)/python
	$(BIN)/pip install -q "$(UV)"
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) -c requirements.lock requirements-test.txt -o requirements-test.lock

# Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The sign-in browser test runs a local OpenID provider (npm oidc-provider, pinned in tests/package.json
# and tests/package-lock.json). Node and npm come from Debian when missing; `npm ci` installs exactly the lock.
node: tests/node_modules/.installed

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@
