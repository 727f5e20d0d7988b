# peelgraph: two commands do all the set-up.
#   make run    create .venv, install, build the graph of the shipped report and print what it found
#   make test   create .venv with the test dependencies and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/peelgraph build

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check peelgraph tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .peelgraph build dist *.egg-info
