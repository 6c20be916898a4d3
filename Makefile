# The two commands of the README: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: setup test-setup run test browser clean

## setup: build .venv with the runtime dependencies (idempotent, quick when nothing changed)
setup: $(VENV)/.runtime-installed

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	touch $@

## test-setup: add the test-only dependencies
test-setup: setup $(VENV)/.test-installed

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.runtime-installed
	$(PIP) install -r requirements-test.txt
	touch $@

## run: the embedded default (dashboard + bridge + built-in simulator) on http://127.0.0.1:8000
run: setup
	$(PY) manage.py rundashboard

## browser: Debian's Chromium for the browser tests (installed when missing and we are root)
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "ERROR: /usr/bin/chromium is missing and we are not root: run 'sudo apt-get install -y chromium'" >&2; \
	  exit 1; \
	fi
	@test -x /usr/bin/chromium || { echo "ERROR: chromium install failed" >&2; exit 1; }

## test: every test, browser tests included
test: test-setup browser
	$(PY) -m pytest
	node --test tests/js/unit/

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-artifacts
