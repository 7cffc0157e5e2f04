# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test setup install clean-db

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(BIN)/.installed

## setup: virtualenv, embedded PostgreSQL, migrations, the bundled replies (skipped when already imported)
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_replies --if-new

## run: set everything up and serve the portal on 127.0.0.1:$(PORT)
run: setup
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## test: set up and run the whole test suite against real PostgreSQL
test: install
	$(BIN)/python -m pytest

## clean-db: stop and delete the embedded database (it is rebuilt by the next `make run`)
clean-db:
	-$(BIN)/python -c "import pgserver; pgserver.get_server('.data/pg', cleanup_mode='delete').cleanup()"
	rm -rf .data
