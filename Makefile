# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test setup install stop clean-db serve-prod backup restore bench loadtest

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The interface translations: each locale/*/LC_MESSAGES/django.po (the only source) compiled to the .mo Django
# reads, by Babel from requirements.txt, so neither running nor testing needs GNU gettext; rebuilt when a .po changes
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/pybabel --quiet compile --domain django --locale $* --input-file $< --output-file $@

install: $(BIN)/.installed $(CATALOGUES)

## setup: virtualenv, embedded PostgreSQL (manage.py starts it), migrations, the bundled replies (skipped when
## already imported; an interrupted import left nothing, it is one transaction, so the next run imports it whole)
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) import_replies --if-new

## run: set everything up and serve the portal on 127.0.0.1:$(PORT)
run: setup
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## test: set up and run the whole test suite against real PostgreSQL
test: install
	$(BIN)/python -m pytest

## serve-prod: gunicorn with the production settings and whitenoise (variables: README.md "Production")
BIND ?= 127.0.0.1:$(PORT)
WORKERS ?= 4
TIMEOUT ?= 1800
serve-prod: setup
	DJANGO_DEBUG=0 $(MANAGE) collectstatic --noinput
	DJANGO_DEBUG=0 $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_DEBUG=0 $(BIN)/gunicorn portal.wsgi:application --bind $(BIND) --workers $(WORKERS) --preload \
		--access-logfile - --timeout $(TIMEOUT)

## backup: pg_dump the portal's database (embedded or DATABASE_URL) to backups/portal-YYYYmmdd-HHMMSS.dump
backup: install
	$(MANAGE) backup_db

## restore: make restore FILE=backups/portal-….dump replaces the database's contents by the dump's
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/portal-YYYYmmdd-HHMMSS.dump"; exit 2; }
	$(MANAGE) restore_db "$(FILE)"

## bench: build the benchmark corpora (263 real; 20,000 and 200,000 of 20 bureaux; 200,000 technology only;
## reused when present) in their own databases, measure them side by side, rewrite docs/BENCHMARKS.md and
## docs/bench-latency.svg (BENCH_ARGS: --help)
bench: install
	$(BIN)/python -m tools.benchmark $(BENCH_ARGS)

## loadtest: 32 clients for 60 s on gunicorn (production settings, loopback) against the portal's database, then
## the same on a throw-away PostgreSQL stopped for 10 s midway (503s in the gap, recovery without a restart)
loadtest: setup
	$(BIN)/python -m tools.loadtest $(LOADTEST_ARGS)
	$(BIN)/python -m tools.loadtest --outage $(LOADTEST_ARGS)

## stop: stop the embedded PostgreSQL (the next `make run`, `make test` or manage.py command starts it again)
stop:
	@if test -x $(BIN)/python; then $(BIN)/python -m portal.embedded_db stop; fi

## clean-db: stop and delete the embedded database (it is rebuilt by the next `make run`)
clean-db:
	@if test -x $(BIN)/python; then $(BIN)/python -m portal.embedded_db delete; else rm -rf .data; fi
