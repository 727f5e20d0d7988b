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
	@echo; echo "== Partners of IOM"; $(BIN)/peelgraph query partners-of -p entity=IOM
	@echo; echo "== Partners of SOCJAG"; $(BIN)/peelgraph query partners-of -p entity=SOCJAG
	@echo; echo "== Partners of the MASH"; $(BIN)/peelgraph query partners-of -p entity=MASH
	@echo; echo "== What rests on THRIVE"; $(BIN)/peelgraph query dependents-of -p entity=THRIVE
	@echo; echo "== Findings about the MASH"; $(BIN)/peelgraph query findings-about -p entity=MASH
	@echo; echo "== Brokers of the partner network"; $(BIN)/peelgraph network brokers --top 5
	@echo; echo "== Impact of the alliance"; $(BIN)/peelgraph network impact "strategic alliance"
	@echo; echo "== The rules alone against the gold annotation, and on the texts in other wording"; $(BIN)/peelgraph eval --other tests/data/other
	@echo; echo "== The rules alone on the held-out texts (expectations written before the rules ever saw them)"; $(BIN)/peelgraph eval --other tests/data/heldout
	@echo; echo "== The rules alone on the second held-out set (tests/data/heldout2, same rule)"; $(BIN)/peelgraph eval --other tests/data/heldout2
	@echo; echo "== The partner-network explorer and the Gephi file"
	@mkdir -p out
	$(BIN)/peelgraph viz -o out/partners.html
	$(BIN)/peelgraph export --view partners --format gexf -o out/partners.gexf
	@echo "Open out/partners.html in a browser (it works offline); load out/partners.gexf in Gephi."

# The suite runs in one process per core (at most 4), each taking whole test files, so that the
# fixtures a file builds once (a server, a store, a browser) are built once: TEST_JOBS=0 runs
# it in this process alone.
TEST_JOBS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --maxprocesses 4 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check peelgraph tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .peelgraph build dist *.egg-info
