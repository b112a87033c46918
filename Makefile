# The ESG Token Ecosystem: `make demo` brings the system up, `make test` runs every test.
# Both install what they need on first use (a Python venv in .venv, anvil in node_modules).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Debian packages are installed as root, or through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

FRONTEND := frontend
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig.json $(FRONTEND)/openapi.json

.PHONY: install deploy-tools demo test image-test lint bench-gas bench-indexer bench-api bench-frontend frontend openapi chromium clean

install: $(VENV)/.installed node_modules/.installed $(FRONTEND)/node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' || exit 1
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,deploy,oracle]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# promtool (Debian's prometheus package) checks the Prometheus configuration and rules; kubectl,
# kubernetes-validate, hadolint and the HCL parser come with the venv (the deploy extra).
deploy-tools:
	@command -v promtool >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) prometheus; }

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The web app's production build, served by `python -m esg.web`; its API types are generated
# from the committed OpenAPI document (`make openapi` writes it again after an API change).
frontend: $(FRONTEND)/dist/index.html

openapi: install
	$(BIN)/python -m api.openapi $(FRONTEND)/openapi.json

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(FRONTEND_SOURCES)
	cd $(FRONTEND) && npm run build

# The browser tests drive Debian's Chromium (no browser download); installed once, as root.
chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -q && $(APT_INSTALL) chromium; }

demo: install frontend
	$(BIN)/esg demo

test: install deploy-tools frontend chromium
	cd $(FRONTEND) && npx vitest run
	ape test tests -q -p no:randomly

# Builds the services image with podman from a local Debian bookworm + Python 3.11 base made with
# mmdebstrap and runs it (tests/deploy/test_image_build.py). Opt-in: it needs root, runc and the
# Debian mirror and PyPI from inside the build, which CI machines may not offer.
image-test: install
	@command -v podman >/dev/null 2>&1 && command -v mmdebstrap >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 \
	  || { $(SUDO) apt-get update -q && $(APT_INSTALL) podman buildah runc mmdebstrap uidmap fuse-overlayfs slirp4netns; }
	ESG_IMAGE_TEST=1 ape test tests/deploy/test_image_build.py -q -p no:randomly

lint: install
	ruff check esg indexer api bridge besu oracle scripts tests deploy benchmarks
	ruff format --check esg indexer api bridge besu oracle scripts tests deploy benchmarks
	cd $(FRONTEND) && npm run --silent lint

bench-gas: install
	ape run bench_gas

bench-indexer: install
	$(BIN)/python -m benchmarks.indexer

bench-api: install
	$(BIN)/python -m benchmarks.api

bench-frontend: install frontend chromium
	$(BIN)/python benchmarks/frontend_bench.py

clean:
	rm -rf .build .run .hypothesis $(FRONTEND)/dist
