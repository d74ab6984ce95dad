# Kinerja: `make run` serves the demo on 127.0.0.1:8000, `make test` runs every check.
# Both set up everything on a fresh clone: the virtualenv, Python packages, axe-core (npm, for
# the accessibility check of the browser tests) and the few Debian packages the tests and
# documents need (Chromium for browser tests, Node.js and npm when missing, gettext, poppler).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KINERJA := $(VENV)/bin/kinerja
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# axe-core, exactly as package-lock.json pins it (docs/accessibility.md).
AXE := node_modules/axe-core/axe.min.js
APT_PACKAGES := chromium gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libreoffice-writer-nogui libreoffice-calc-nogui
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test processes: the machines have two cores, and the suite waits on subprocesses and the
# database as much as it computes. `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n 2

.PHONY: setup system run test lint typecheck deadcode migrations-check imports pytest bench messages clean

setup: system $(STAMP) $(AXE) messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# Debian packages, installed only when missing (we run as root on our machines; elsewhere run
# this line with sudo once). Node.js and npm only when no npm is on the PATH: a machine may
# have them from elsewhere than Debian.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(STAMP)
	$(KINERJA) compilemessages -v 0 --ignore '.venv' --ignore 'var' --ignore 'node_modules'

run: setup
	$(KINERJA) migrate --no-input -v 0
	$(KINERJA) demo load
	$(KINERJA) results iku  # the IKU table of the latest year with results
	@echo
	@echo "Kinerja is running at http://$(HOST):$(PORT)/  (demo login: admin / contoh-kinerja;"
	@echo "also camat, perencana, pemas, pelayanan, operator.wonoasih with the same password)"
	$(KINERJA) server run --bind $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Unused code; names Django, libraries or pytest use by name are listed in vulture_whitelist.py.
deadcode: $(STAMP)
	$(VENV)/bin/vulture kinerja kinerja_core vulture_whitelist.py --min-confidence 60

migrations-check: $(STAMP)
	$(KINERJA) makemigrations --check --dry-run

# Which floor may import which: the contracts in pyproject.toml ([tool.importlinter]).
imports: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: setup lint typecheck deadcode migrations-check imports pytest

# Benchmarks (not part of `make test`; BENCHMARKS.md explains each figure), at the issue's full
# scale: 10 million responses over 3 years, a 1-million-row import, a crash test of 10 000
# submissions with 20 SIGKILLs, a recompute of every plan year. About 16 minutes on a 2-core
# machine (bench/NOTES.md has the time of each phase); every figure can be made smaller for a
# quick look, e.g. `make bench BENCH_RESPONSES=2000000 BENCH_IMPORT_ROWS=50000`. Needs
# PostgreSQL on 127.0.0.1 (BENCH_PG_URL) unless BENCH_ENGINES=sqlite.
BENCH_RESPONSES ?= 10000000
BENCH_IMPORT_ROWS ?= 1000000
BENCH_CRASH_SUBMISSIONS ?= 10000
BENCH_RECOMPUTE_YEARS ?=
BENCH_RECOMPUTE_REPEATS ?= 3
BENCH_REPEATS ?= 3

bench: setup
	BENCH_RESPONSES=$(BENCH_RESPONSES) BENCH_IMPORT_ROWS=$(BENCH_IMPORT_ROWS) \
	BENCH_CRASH_SUBMISSIONS=$(BENCH_CRASH_SUBMISSIONS) BENCH_RECOMPUTE_YEARS=$(BENCH_RECOMPUTE_YEARS) \
	BENCH_RECOMPUTE_REPEATS=$(BENCH_RECOMPUTE_REPEATS) BENCH_REPEATS=$(BENCH_REPEATS) $(PY) -m bench

clean:
	rm -rf $(VENV) var/static node_modules
