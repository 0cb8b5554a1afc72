# Relais — the two README commands: `make run` (demo) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# One address for the demo: printed at start, where the server listens, and in email links.
SITE_URL ?= http://127.0.0.1:8000
DEMO_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: install run test lint bench securite audit traductions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py import_territoires
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --procfile Procfile start

# pytest exits 5 when it collects nothing: that is a failure, not a green run.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "Aucun test collecté : échec."; exit 1; fi; exit $$status

# Benchmark at the scale of a national programme (issue #10): PostgreSQL and Redis required.
# The database named in BENCH_DATABASE_URL is dropped and recreated. ECHELLE=0.1 for a quick run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/relais_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13
ECHELLE ?= 1
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
		$(BIN)/python bench/run.py --echelle $(ECHELLE) $(BENCH_ARGS)

# The English catalogue: collects every marked string into locale/en/LC_MESSAGES/django.po
# and, for the scripts, djangojs.po (translations kept), then compiles them. Needs GNU gettext (Debian package `gettext`); the
# compiled .mo is committed, so running the application does not.
MESSAGES_IGNORE := -i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'var/*' -i 'node_modules/*' \
	-i 'static/*' -i 'relais.egg-info/*'
traductions: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs -l en --no-obsolete \
		-i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'var/*' -i 'node_modules/*' -i 'relais.egg-info/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en -i .venv -i node_modules
	$(BIN)/python -m aap.textes_a_traduire templates aap accompagnement activite candidatures \
		comptes evaluation journal messagerie programmes relances structures territoires noyau demo \
		echanges annotations crochets api donnees_ouvertes

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# bandit on the application code; .bandit-baseline.json lists the accepted findings, each with
# its reason: only a new finding fails.
securite: install
	$(BIN)/bandit -c pyproject.toml -r . -q -b .bandit-baseline.json

# pip-audit on the pinned dependencies (scripts/audit_dependances.sh says when PyPI's API is
# out of reach and nothing could be judged).
audit: install
	scripts/audit_dependances.sh
