# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,all

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

demo: install
	KOEMBED="$(BIN)/koembed" scripts/demo.sh

test: install
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check koembed tests bench
	$(BIN)/ruff format --check koembed tests bench

bench: install
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
