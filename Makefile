# The ESG Token Ecosystem: `make demo` brings the system up, `make test` runs every test.
# Both install what they need on first use (a Python venv in .venv, anvil in node_modules).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo test lint bench-gas bench-indexer bench-api clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' || exit 1
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(BIN)/python -m esg.demo

test: install
	ape test tests -q -p no:randomly

lint: install
	ruff check esg indexer api bridge besu scripts tests benchmarks
	ruff format --check esg indexer api bridge besu scripts tests benchmarks

bench-gas: install
	ape run bench_gas

bench-indexer: install
	$(BIN)/python -m benchmarks.indexer

bench-api: install
	$(BIN)/python -m benchmarks.api

clean:
	rm -rf .build .run .hypothesis
