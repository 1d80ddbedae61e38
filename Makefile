# Two commands on a fresh machine: `make demo` and `make test`.
# Needs only Python 3.11+, Node.js with npm, and make; uv is installed with pip if missing.

SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
DEV_ENV := DJANGO_DEBUG=1
# DEMO=1 installs the demo app (demo/: its commands and its Celery task) for the demo's commands only.
DEMO_ENV := $(DEV_ENV) DEMO=1
# `make demo PORT=8101` serves the demo on another port (the links in its emails follow).
PORT ?= 8000
# demo_setup hands its background jobs (filing the demo's case letters as PDFs) to the broker rundemo's
# worker reads (the same folder, var/celery, without REDIS_URL) instead of running them itself: the first
# page answers about 12 s sooner and the worker files the letters as it starts.
DEMO_BROKER := $(if $(REDIS_URL)$(CELERY_BROKER_URL),,CELERY_BROKER_URL=filesystem://)

.PHONY: demo test test-fast lint format bench install css clean audit

install: .venv/.synced node_modules/.installed static/build/app.css

.tools/bin/uv:
	python3 -m venv .tools && .tools/bin/pip install --quiet uv

# The default `dev` group includes the `demo` group (faker), so one sync serves `make demo` and `make test`.
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/app.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css

css: static/build/app.css

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(DEMO_BROKER) $(PY) manage.py demo_setup
	$(DEMO_ENV) $(PY) manage.py rundemo --port $(PORT)

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow and not e2e"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Known vulnerabilities in uv.lock without network: OSV-Scanner v2 reads uv.lock and matches it against
# a local copy of the OSV database (fetch it beforehand, on a machine with network:
# `osv-scanner scan source --offline --download-offline-databases -L uv.lock`; the copy lives under
# OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY). pip-audit and `uv audit` need the network.
audit:
	@command -v osv-scanner >/dev/null || { echo "make audit needs osv-scanner (v2): https://google.github.io/osv-scanner/"; exit 2; }
	osv-scanner scan source --offline -L uv.lock

bench: install
	$(DEV_ENV) $(PY) manage.py run_benchmarks $(if $(SCALE),--scale $(SCALE)) $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf .venv .tools node_modules static/build var/staticfiles var/test
