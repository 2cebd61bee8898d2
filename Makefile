# CCHC Dashboard — developer entry points.
#
#   make run     set up .venv (runtime deps), migrate, load demo data if empty, serve http://localhost:8501
#   make test    set up .venv (dev deps), ruff, mypy, pytest (browser tests use /usr/bin/chromium)
#   make lint    ruff + mypy only
#   make bench   benchmarks (bench/run_all.py)
#   make fuzz    long fuzz/property tests (pytest -m fuzz, CCHC_FUZZ_EXAMPLES=10000)
#   make e2e-cluster  2 replicas + nginx + PostgreSQL on loopback, browser flow across replicas
#   make clean   remove caches and test/bench outputs;  make distclean  also removes .venv
#
# Every target uses .venv/bin/... explicitly; no activation needed. pip only reruns when a
# requirements file changes (tracked with stamp files inside .venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Prefer python3.11; fall back to python3. (Probe by running it: a pyenv shim may exist without the version.)
PYTHON ?= $(shell python3.11 -c 'import sys' >/dev/null 2>&1 && echo python3.11 || echo python3)

VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp

HOST ?= 127.0.0.1
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: help venv dev system run test lint bench fuzz e2e-cluster clean distclean

help:
	@sed -n '3,8p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

# --- environment --------------------------------------------------------------------------------------------------

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt $(VENV)/pyvenv.cfg
	$(PIP) install -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so a dev install also satisfies the runtime stamp.
$(DEV_STAMP): requirements-dev.txt requirements.txt $(VENV)/pyvenv.cfg
	$(PIP) install -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

venv: $(RUNTIME_STAMP)

# Debian packages the full test suite uses: Chromium (browser tests, chart images, PDF), fonts with every
# Vietnamese letter, PostgreSQL (the suite runs on it too), nginx (the replicas test). Only what is missing
# is installed; without root or password-less sudo it says what to install and goes on.
SYSTEM_PACKAGES := chromium fonts-dejavu-core postgresql nginx-light
system:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing="$$missing postgresql"; \
	{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || missing="$$missing nginx-light"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; else \
	  echo "Debian packages missing:$$missing — install them (sudo apt-get install$$missing) for the full suite"; \
	  exit 0; fi; \
	echo "Installing Debian packages:$$missing"; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing

dev: $(DEV_STAMP)

# --- app --------------------------------------------------------------------------------------------------------------

run: venv
	$(BIN)/python cli.py migrate
	$(BIN)/python cli.py demo --if-empty
	$(BIN)/python cli.py users ensure-demo
	$(BIN)/streamlit run serve.py --server.address $(HOST) --server.port $(PORT)

# --- quality ----------------------------------------------------------------------------------------------------------

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# pytest exit code 5 ("no tests collected") is non-zero, so make fails on it as well.
test: system lint
	$(BIN)/pytest $(PYTEST_ARGS)

# make bench BENCH_ARGS="--only server": the server-side load table alone (bench/wsload.py).
bench: dev
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

fuzz: dev
	CCHC_FUZZ_EXAMPLES=10000 $(BIN)/pytest -m fuzz --timeout=3600 $(PYTEST_ARGS)

# Two replicas behind nginx on a throwaway PostgreSQL, all on loopback, checked in Chromium (deploy/README.md).
e2e-cluster: dev
	$(BIN)/python deploy/cluster.py --replicas 2

# --- housekeeping -----------------------------------------------------------------------------------------------------

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis htmlcov .coverage bench/out screenshots test-artifacts
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
