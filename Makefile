# The two commands a newcomer runs: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz lint bench docs-rules clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint,scipy]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

# generated programs against numbers, the long profile (S2SAD_FUZZ_EXAMPLES, S2SAD_FUZZ_SEED)
fuzz: $(STAMP)
	S2SAD_FUZZ_PROFILE=long S2SAD_FUZZ_LOG=fuzz.log $(BIN)/python -m pytest tests/fuzz -q -x

lint: $(STAMP)
	$(BIN)/ruff check s2sad tests examples benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/extras.py

docs-rules: $(STAMP)
	$(BIN)/python -m s2sad rules > docs/rules.md

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
