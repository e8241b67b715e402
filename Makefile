# Every target sets up .venv on first use, so a fresh clone needs only
# Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: diagrams check test lint docs bench browser postgresql typescript clean

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

diagrams: $(STAMP)  ## regenerate every artifact configured in pyproject.toml
	$(BIN)/statusdoc generate

check: $(STAMP)  ## exit 1 when any committed artifact is stale
	$(BIN)/statusdoc check --diff

browser: $(STAMP)  ## Chromium for the browser test (Debian package; needs root)
	@$(BIN)/python tools/ensure_chromium.py

postgresql: $(STAMP)  ## PostgreSQL server for the database tests (Debian package; needs root)
	@$(BIN)/python tools/ensure_postgresql.py

lint: $(STAMP)  ## ruff, and mypy --strict over the package ([tool.mypy])
	$(BIN)/ruff check statusdoc tests bench tools docs/conf.py docs/database
	$(BIN)/mypy

# The TypeScript compiler the tests run (package.json, pinned by package-lock.json).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(BIN)/python tools/ensure_node.py
	npm ci --no-audit --no-fund
	@touch $@

typescript: node_modules/.installed  ## tsc for the tests of the typescript output (npm ci)

# One pytest worker per core (pytest-xdist): the suite is mostly real builds,
# renders and browsers, which run side by side.
test: lint browser postgresql typescript  ## the whole suite, as CI runs it
	$(BIN)/statusdoc check
	$(BIN)/python -m pytest -n auto

docs: $(STAMP)  ## the project's own docs, warnings are errors
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

bench: $(STAMP)  ## prints ratios and rewrites docs/performance.rst
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py --write docs/performance.rst

clean:
	rm -rf docs/_build build dist
