# Workbench: `make run` starts it, `make test` tests it. Both install what is missing first (`make setup`).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Built wheels and trained models outlive a checkout, so a fresh clone on the same machine reuses them.
CACHE ?= $(HOME)/.cache/workbench
# llama.cpp built for the CPU it compiles on would use instructions (AMX) that some virtual machines refuse
# at run time: the portable build runs on any x86-64 with AVX2, and gets a folder of its own.
WHEELS := $(CACHE)/wheels/portable
LLAMA := llama-cpp-python==0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF
INSTALLED := $(VENV)/.installed

.PHONY: setup run test bench system-packages services venv clean

setup: system-packages $(INSTALLED) .env services
	@grep -q '^AUDIT_CHECKPOINT_KEY=' .env || echo "AUDIT_CHECKPOINT_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')" >> .env
	@grep -q '^BACKUP_KEY=' .env || echo "BACKUP_KEY=$$($(PYTHON) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')" >> .env
	$(BIN)/python workbench/ops/database_roles.py
	DATABASE_AS_OWNER=true $(BIN)/python manage.py migrate --no-input  # the owner migrates; the workbench runs as the runtime role
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' -v 0
	$(BIN)/python manage.py collectstatic --no-input -v 0
	NAME_LEXICON_DIR=$(CACHE) $(BIN)/python -c 'from worker.pii.name_lexicon import name_lexicon; name_lexicon()'

system-packages:
	@bash workbench/ops/system-packages.sh $(if $(filter test,$(MAKECMDGOALS)),test,)

services:
	@set -a; [ -f .env ] && source .env; set +a; bash workbench/ops/services.sh

# llama.cpp compiles from source (minutes): build its wheel once into the cache, then install from there.
$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@ls $(WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || \
	  { echo "Building $(LLAMA) once (a few minutes)"; CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip wheel -q --no-cache-dir --no-deps $(LLAMA) -w $(WHEELS); }
	$(BIN)/pip install -q --find-links $(WHEELS) -e '.[llm,dev]'
	@touch $@

.env:
	@umask 077; { \
	  echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1"; \
	  echo "DJANGO_HTTPS=false"; \
	  echo "WORKBENCH_DEMO_PASSWORD=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(12))')"; \
	} > $@; echo "Wrote .env (local settings for this machine)"

# Demo data, sanctions lists, the model register, and the two embedded models registered (the classifier
# trains on first use).
run: setup
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_sanctions_lists
	$(BIN)/python manage.py seed_model_register
	$(BIN)/python manage.py register_model_file embedded
	$(BIN)/python manage.py register_clause_model --approve-first
	@set -a; source .env; set +a; bash workbench/ops/run.sh

# The browser tests load axe-core (accessibility checks) from npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

test: setup node_modules/.installed
	$(BIN)/python -m pytest

$(VENV)/.bench-installed: $(INSTALLED)
	$(BIN)/pip install -q --find-links $(WHEELS) -e '.[llm,dev,bench]'
	@touch $@

bench: setup $(VENV)/.bench-installed
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
