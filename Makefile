# The two set-up commands of the README:  make serve  (run the product)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test install install-test chromium index bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Build the index from seeds/ (if missing or stale) and serve the search page.
serve: install
	$(BIN)/policy-search serve --host $(HOST) --port $(PORT)

index: install
	$(BIN)/policy-search index

## Debian's Chromium and a CJK font for the browser tests (Playwright cannot download browsers).
chromium:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq chromium fonts-noto-cjk fontconfig >/dev/null; }

## Run the whole test suite (engine, CLI, web, browser end-to-end, benchmark smoke test).
test: install-test chromium
	$(BIN)/python -m pytest

## Run the benchmark (see README): writes bench/out/results.{md,json} and a PNG chart.
bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) index/CURRENT index/build-* index/.lock .pytest_cache
