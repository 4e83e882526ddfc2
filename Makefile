# 联村治理台账 — every task a developer or CI needs. `make run` and `make test` start from nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: the PDF subsetter and CJK fonts for running; a browser, poppler and a PostgreSQL server for testing.
SYSTEM_PACKAGES_RUN := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
SYSTEM_PACKAGES_TEST := $(SYSTEM_PACKAGES_RUN) chromium poppler-utils postgresql-15 postgresql-common libreoffice-calc-nogui gettext nginx
PYTEST := $(VENV)/bin/pytest
PYTEST_ARGS ?=

.PHONY: help install install-dev system-deps system-deps-test run demo migrate test test-sqlite test-postgres test-browser backup-drill lint messages bench bench-scale bench-background clean check-deploy

help:
	@echo "make run    — install, migrate the SQLite database, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   — install and run the whole suite: SQLite, PostgreSQL 15, headless Chromium"
	@echo "make bench  — print the PDF and Excel speed figures"
	@echo "make backup-drill — dump the demo county and its attachment files, restore them, compare every table and file"
	@echo "make bench-scale — build a province-sized data set on a throwaway PostgreSQL; print page, admin and load figures"

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed system-deps

install-dev: $(VENV)/.installed-dev system-deps-test

# Installs missing Debian packages when it can (as root with apt-get); otherwise says what is missing.
system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES_RUN)

system-deps-test:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES_TEST)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --if-empty

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ — demo accounts are listed in README.md"
	DEBUG=$${DEBUG:-true} TASKS_IMMEDIATE=$${TASKS_IMMEDIATE:-true} $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "Model changes without a migration: run manage.py makemigrations" && exit 1)

messages: $(VENV)/.installed-dev
	$(PY) scripts/i18n.py compile

test: install-dev lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-browser
	$(MAKE) backup-drill

test-sqlite: $(VENV)/.installed-dev
	@echo "== stage 1/3: SQLite"
	$(PYTEST) -m "not browser" -n 2 -q $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	@echo "== stage 2/3: PostgreSQL 15 (a throwaway server in a temporary directory)"
	bash scripts/with-postgres.sh $(PYTEST) -m "not browser" -n 2 -q $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev
	@echo "== stage 3/3: headless Chromium against a live server"
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) -m browser -q $(PYTEST_ARGS)

# Back up the demo county with pg_dump -Fc, restore it into a fresh database, compare every table.
backup-drill: $(VENV)/.installed-dev
	@echo "== backup drill: dump, restore, compare (a throwaway PostgreSQL 15)"
	PY=$(PY) bash scripts/with-postgres.sh bash scripts/backup-drill.sh

bench: install
	$(PY) bench/run.py

# Issue 14's province-sized data set on a throwaway PostgreSQL 15, pages against their goals, and a Locust load run.
bench-scale: $(VENV)/.installed-dev
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES_RUN) postgresql-15 postgresql-common
	bash scripts/with-postgres.sh $(PY) bench/scale.py

# The province data set again, then what background downloads cost: the request's share, the worker's, file sizes.
bench-background: $(VENV)/.installed-dev
	bash scripts/with-postgres.sh $(PY) bench/background.py

# With the file locations docker-compose.yml gives every web and worker container (shared volumes).
check-deploy: install
	PRODUCTION=true FILES_ROOT=/srv/lianchun/files ATTACHMENTS_ROOT=/srv/lianchun/attachments SECRET_KEY=$${SECRET_KEY:-check-deploy-only-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)} ALLOWED_HOSTS=example.gov.cn $(PY) manage.py check --deploy

clean:
	rm -rf $(VENV) var
