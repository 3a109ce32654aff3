# Two commands do all set-up on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: help install run test test-quick lint format lock check-python clean bench load

help:
	@echo "make run      install, migrate, load the catalogue, create a demo editor, serve on http://$(HOST):$(PORT)"
	@echo "make test     install what the tests need and run the whole suite"
	@echo "make test-quick  the suite without browser tests and tests marked slow, for a quick loop"
	@echo "make install  build the environment (.venv) that run and test use"
	@echo "make lint     ruff (lint, format, complexity), django-upgrade and djade (templates) checks"
	@echo "make format   apply their fixes and formatting"
	@echo "make lock     re-pin requirements/*.txt from pyproject.toml"
	@echo "make bench    time every page against the floor on SQLite and PostgreSQL (BENCH_SIZES=1000 for a quick run)"
	@echo "make load     gunicorn x2 + Redis + PostgreSQL, 50 clients at 10,000 cases: 60 s undisturbed, 60 s beside junk booklet requests"
	@echo "make production-setup  with production settings: deploy checks, migrate, collectstatic (needs DJANGO_SECRET_KEY)"
	@echo "make backup / make restore  copy the database to / from $(BACKUP) (pg_dump/pg_restore or an SQLite file copy)"

check-python:
	@scripts/find-python >/dev/null

# One environment serves run, test and lint (requirements/dev.txt is the runtime set plus the test tools);
# it is rebuilt when the pinned requirements change. Production installs requirements/base.txt alone.
STAMP := $(VENV)/.installed

$(STAMP): requirements/dev.txt | check-python
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		rm -rf $(VENV); "$$(scripts/find-python)" -m venv $(VENV); fi
	@$(PY) -m pip install --quiet --disable-pip-version-check -r $< 2>&1 | grep -v "is ignored" || true
	@$(PY) -c 'import django' # fail here, not later, if the install did not work
	@touch $@

install: $(STAMP)

run: $(STAMP)
	@scripts/ensure-system-packages --runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_catalogue
	$(PY) manage.py ensure_demo_editor --address http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite, browser and slow tests included: the one test command, which CI runs. The browser tests drive
# the system's Chromium with pytest-playwright; axe-playwright-python brings axe-core for the accessibility audits.
test: $(STAMP)
	@scripts/ensure-system-packages
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --numprocesses=auto $(PYTEST_ARGS)

# A quick loop while working: the suite without the browser tests and the tests marked slow (each takes more than
# a few seconds; see the markers in pyproject.toml). Not a substitute for `make test`, which runs them all.
test-quick: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --numprocesses=auto -m "not slow and not browser" $(PYTEST_ARGS)

# Python: ruff (lint, format, complexity), django-upgrade (idioms of the Django version we run); templates: djade.
DJANGO_TARGET := 6.1

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	git ls-files -z '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) --check
	git ls-files -z 'templates/*.html' | xargs -0 $(VENV)/bin/djade --target-version $(DJANGO_TARGET) --check

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	git ls-files -z '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) --exit-zero-even-if-changed
	git ls-files -z 'templates/*.html' | xargs -0 $(VENV)/bin/djade --target-version $(DJANGO_TARGET) >/dev/null

lock: $(STAMP)
	$(PY) -m piptools compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements/base.txt pyproject.toml
	$(PY) -m piptools compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements/dev.txt pyproject.toml

bench: $(STAMP)
	@scripts/ensure-system-packages --runtime
	$(PY) -m bench.run

load: $(STAMP)
	bench/load.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules

# Production set-up (SECURITY.md): refuses to go on unless the deploy checks pass, then migrates and collects the
# static files with hashed names (whitenoise serves them with year-long cache lifetimes).
PRODUCTION_SETTINGS := config.settings.production
BACKUP ?= backups/catalogue.backup

.PHONY: production-setup collectstatic backup restore

production-setup: $(STAMP)
	DJANGO_SETTINGS_MODULE=$(PRODUCTION_SETTINGS) $(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=$(PRODUCTION_SETTINGS) $(PY) manage.py migrate --noinput
	@$(MAKE) --no-print-directory collectstatic

collectstatic: $(STAMP)
	DJANGO_SETTINGS_MODULE=$(PRODUCTION_SETTINGS) $(PY) manage.py collectstatic --noinput --verbosity 1

# Whole-database backup to one file, and restore from it (all or nothing). BACKUP=path chooses the file.
backup: $(STAMP)
	$(PY) manage.py backup_database $(BACKUP)

restore: $(STAMP)
	$(PY) manage.py restore_database $(BACKUP)
