# Two commands set everything up on a fresh machine:
#   make run   - serve the app with demo data at http://127.0.0.1:8000 (SQLite, no Redis)
#   make test  - run the whole test suite
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast bench system-deps browser-deps migrate demo check-deploy clean

# The settings keep DEBUG off unless it is set; the local demo (and the benchmark's own process, which
# turns it off again before measuring) run with it on. The tests set it themselves (tests/settings.py).
run demo migrate bench: export DEBUG = 1

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@scripts/system-deps.sh

browser-deps:
	@WITH_BROWSER=1 scripts/system-deps.sh

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_catalogs
	$(PY) manage.py create_demo
	$(PY) manage.py create_demo_signer --images
	$(PY) manage.py send_reminders

run: system-deps demo
	@echo "Đề án 06: http://$(HOST):$(PORT)/  (tài khoản demo: xem README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# On every core (pytest-xdist), a test file's tests together on one worker: consecutive tests share the
# catalogs they load (tests/shared_catalogs.py).
PARALLEL := -n auto --dist loadfile

test: browser-deps $(STAMP)
	$(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest $(PARALLEL) -m "not browser" $(PYTEST_ARGS)

# Benchmarks on a generated city-scale dataset, on the local PostgreSQL and Redis (started if down), each
# against a baseline measured in the same run; one table, also written to benchmarks/RESULTS.md.
# The goals of issue 20 are set at the whole country's scale; BENCH_ARGS= runs the catalog's 2024 city.
BENCH_ARGS ?= --units 3347
bench: $(STAMP)
	@WITH_OFFICE=1 scripts/system-deps.sh
	scripts/services.sh
	$(PY) -m benchmarks $(BENCH_ARGS)

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=example.gov.vn \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
