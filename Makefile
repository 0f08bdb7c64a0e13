# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,all

# Debian packages for the browser test of koembed serve (chromium driven by
# selenium, a Korean font so Hangul renders) and its load benchmark (wrk).
# Installed when missing and we are root with apt-get; otherwise the browser
# test skips and says why (CI sets KOEMBED_REQUIRE_BROWSER=1 so it fails instead).
SYSTEM_PACKAGES := chromium chromium-driver fonts-nanum wrk

.PHONY: install system demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

demo: install
	KOEMBED="$(BIN)/koembed" scripts/demo.sh

system:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	    || ! command -v wrk >/dev/null || ! ls /usr/share/fonts/truetype/nanum >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null \
	      || (apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null); \
	  else \
	    echo "note: install $(SYSTEM_PACKAGES) (Debian) for the browser test; it skips without them"; \
	  fi; \
	fi

test: install system
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -q --durations=10

lint: install
	$(BIN)/ruff check koembed tests bench
	$(BIN)/ruff format --check koembed tests bench

bench: install
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
