# Spec-first toolkit: `make gen` generates, `make test` tests. Each bootstraps .venv on first use.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
BENCH_VENV := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed-$(shell cksum < bench/requirements.txt | cut -d' ' -f1)

.PHONY: help gen check test lint format lock clean update-golden bench serve contract publish browser

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "installing pinned packages into $(VENV)/ (first run only)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed for Redocly CLI" >&2; exit 1; }
	@echo "installing pinned Node tools into node_modules/ (npm ci, first run only)"
	@npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $@

gen: $(STAMP) ## generate generated/client and generated/server from openapi.yaml (no-op when current)
	@$(PY) -m codegen gen --strict

serve: $(STAMP) ## run the sandbox on http://127.0.0.1:8000/v1.0 (SQLite in var/; ARGS="--tokens FILE ...")
	@$(PY) -m service $(ARGS)

# The contract report says what failed and why; ARGS="--tb=short" adds pytest's tracebacks. The tests of the
# suite itself (mutants, report, install...) are left out.
contract: $(STAMP) ## contract suite; against any server: BASE_URL=http://host:port/v1.0 TOKEN=... [READ_TOKEN=...]
	@CONTRACT_BASE_URL="$(BASE_URL)" CONTRACT_TOKEN="$(TOKEN)" CONTRACT_READ_TOKEN="$(READ_TOKEN)" \
		$(PY) -m pytest tests/contract -p no:cacheprovider --tb=no -rs -q $(ARGS) \
		$(foreach test,mutants socket report install,--deselect tests/contract/test_$(test).py)

check: $(STAMP) ## fail when generated/ differs from what `make gen` would write
	@$(PY) -m codegen check --strict

test: $(STAMP) $(NODE_STAMP) browser ## run every test (codegen, generated code, service, contract, publish)
	@$(PY) -m pytest

browser: ## install Debian's chromium + chromium-driver for the docs test, if missing (needs root or sudo)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo "sudo -n" ); \
		echo "installing chromium and chromium-driver (Debian packages) for the docs browser test"; \
		$$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -qq >/dev/null 2>&1 && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; } || \
		echo "could not install chromium: the docs browser test will be skipped (it fails in CI)"; }

# The peers (FastAPI, connexion, datamodel-code-generator) live in their own venv, rebuilt when their pins change,
# so that the product's requirements.lock stays lean.
$(BENCH_STAMP): bench/requirements.txt
	@echo "installing the benchmark's peers into $(BENCH_VENV)/ (bench/requirements.txt, first run only)"
	@rm -rf $(BENCH_VENV) && $(PYTHON) -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $@

bench: $(STAMP) $(BENCH_STAMP) ## benchmarks: the generated server against baselines and peers (ARGS="--only generated,floor")
	@command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null; }
	@$(PY) -m bench $(ARGS)

update-golden: $(STAMP) ## rewrite tests/codegen/cases/*/expected from the current generator (review the diff!)
	@$(PY) -m tests.codegen.golden

lint: $(STAMP) $(NODE_STAMP) ## Redocly lint of openapi.yaml, ruff and mypy --strict over the Python
	@node_modules/.bin/redocly lint openapi.yaml --format=stylish 2>&1 | grep -v '[║╔╚]'; exit $${PIPESTATUS[0]}
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) -m mypy

publish: $(STAMP) $(NODE_STAMP) ## dist/ for partners (JSON, YAML, HTML docs, CHANGELOG); fails when info.version is not bumped enough
	@$(PY) -m codegen publish

format: $(STAMP) ## format the hand-written Python with ruff
	@$(PY) -m ruff format codegen service tests bench
	@$(PY) -m ruff check --fix codegen service tests bench

lock: ## re-resolve requirements.lock from pyproject.toml (needs the package registries)
	@rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	@$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + [d for g in p["optional-dependencies"].values() for d in g]))' > .lock-venv/in.txt
	@.lock-venv/bin/pip install --quiet --disable-pip-version-check -r .lock-venv/in.txt
	@{ head -n 2 requirements.lock; .lock-venv/bin/pip freeze --all | grep -vE '^(pip|wheel)=='; } > .lock-venv/out.txt
	@mv .lock-venv/out.txt requirements.lock && rm -rf .lock-venv
	@echo "requirements.lock updated"

clean: ## remove the virtualenv and caches (generated/ stays: it is committed)
	rm -rf $(VENV) $(BENCH_VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
