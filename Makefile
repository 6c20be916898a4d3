# The two commands of the README: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
# The lock tool lives in its own venv, never in the product's.
LOCK_VENV := .venv-lock
UV_VERSION := 0.13.9
UV_COMPILE := $(LOCK_VENV)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 --no-config

.PHONY: setup test-setup run test browser services lock clean jstest lint bench-fanout messages

## setup: build .venv with the runtime dependencies (idempotent, quick when nothing changed).
## requirements.txt is the lock (every transitive dependency, with hashes): pip refuses
## anything that does not match it.
setup: $(VENV)/.runtime-installed

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements.txt
	touch $@

## test-setup: add the test-only dependencies (their lock includes the shared ones)
test-setup: setup $(VENV)/.test-installed

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.runtime-installed
	$(PIP) install --require-hashes -r requirements.txt -r requirements-test.txt
	touch $@

## lock: regenerate requirements.txt / requirements-test.txt from the human lists
## (requirements.in / requirements-test.in): exact versions, hashes of every file on the
## package index (uv reads no pip configuration, so local wheel folders never leak in)
lock:
	test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install -q uv==$(UV_VERSION); }
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-test.in -o requirements-test.txt

## run: the embedded default (dashboard + bridge + built-in simulator) on http://127.0.0.1:8000
## First the project's bytecode: where PYTHONDONTWRITEBYTECODE is set (as on this team's
## machines) every start otherwise compiles ~210 modules from source; compileall skips
## what is up to date (~0.05 s of CPU), so only changed files cost (issue 20).
RUN_COMPILE := -m compileall -q dashboard statsbridge manage.py
run: setup
	$(PY) $(RUN_COMPILE) >/dev/null
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

## jstest: the front end's ESLint and node unit tests (tests/js; npm ci when the lock changed)
JS := tests/js
jstest: $(JS)/node_modules/.package-lock.json
	cd $(JS) && npm run -s lint && npm test

$(JS)/node_modules/.package-lock.json: $(JS)/package-lock.json $(JS)/package.json | services
	cd $(JS) && npm ci --no-audit --no-fund
	touch $@

test: $(JS)/node_modules/.package-lock.json  # pytest then runs the JS tests as items (tests/js/conftest.py)

## services: what the tests run besides Python: PostgreSQL (the tests use the server on
## 127.0.0.1:5432, or start a private one in a temporary directory: tests/support/postgres.py),
## redis-server (tests start private ones) and node/npm (the stock CometD client test).
## Debian's packages, installed when missing and we are root.
services:
	@missing=""; \
	{ command -v initdb || ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's$$missing for the tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	    || { echo "ERROR: apt-get install$$missing failed" >&2; exit 1; }; \
	else \
	  echo "ERROR: missing$$missing and we are not root: run 'sudo apt-get install -y$$missing'" >&2; \
	  exit 1; \
	fi

## test: every test, browser tests included
test: test-setup lint browser services
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(LOCK_VENV) staticfiles staticfiles.lock db.sqlite3 db.sqlite3.migrate-lock test-artifacts

## bench-fanout: the scale-out harness's fan-out figures, to rerun whenever the fan-out changes
## (steady state, the two connect storms, 5,000 sockets over 100 dashboards as a storm and
## in steady state, with the load generator at equal priority and yielding, Redis mode;
## docs/performance.md "Round two", "Round three", "Round four"). Minutes.
bench-fanout: setup
	$(PY) bench/e2e_latency.py --mode redis --sockets 200 --timed-every 10
	$(PY) bench/connect_storm.py --mode redis --sockets 200 --residents 0
	$(PY) bench/connect_storm.py --mode redis --sockets 1000 --residents 100 --storm-timed-every 5
	$(PY) bench/connect_storm.py --mode redis --dashboards 100 --sockets 5000 --residents 0 \
		--storm-concurrency 200 --client-processes 4 --storm-timed-every 10 --after 30
	$(PY) bench/e2e_latency.py --mode redis --dashboards 100 --sockets 5000 --client-processes 4 \
		--timed-every 10 --connect-concurrency 200 --seconds 30 --client raw --timed-apart
	$(PY) bench/e2e_latency.py --mode redis --dashboards 100 --sockets 5000 --client-processes 4 \
		--timed-every 10 --connect-concurrency 200 --seconds 30 --client raw --timed-apart --bulk-nice 19
## messages: re-extract the strings to translate into locale/*/LC_MESSAGES/*.po (needs GNU
## gettext's xgettext: apt-get install gettext), then compile the .mo files in pure Python
## (dashboard/i18n/po.py). The .mo files are committed: running the product needs neither.
I18N_IGNORE := -i tests -i bench -i staticfiles -i 'static/vendor' -i test-artifacts -i node_modules
messages: setup
	$(PY) manage.py makemessages -a --no-obsolete --no-location $(I18N_IGNORE)
	$(PY) manage.py makemessages -d djangojs -a --no-obsolete --no-location $(I18N_IGNORE)
	$(PY) -m dashboard.i18n.po locale

## lint: ruff (lint + format check) and mypy over the typed packages (pyproject.toml)
lint: test-setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
