# The two commands a newcomer runs: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-all test-fast test-lowest fuzz lint bench docs-rules lecture-page clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint,scipy,numba,scaling]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

# the suite's files shared among the machine's cores (pytest-xdist), each file on one
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# the suite on every supported Python found (3.10 to 3.13), each in .venvs/X.Y (.ci/matrix)
test-all:
	.ci/matrix

# what CI runs on the Pythons besides the default: emission, the golden files, the API,
# the CLI, packaging, the doctests (PYTHONS="3.10 3.12" picks versions)
FAST_TESTS := tests/compiler/test_printers.py tests/compiler/test_emit.py \
	tests/compiler/test_golden.py tests/compiler/test_api_arguments.py \
	tests/compiler/test_jax_conventions.py tests/custom/test_jax_forms.py \
	tests/compiler/test_cli_files.py tests/test_packaging.py s2sad
test-fast:
	.ci/matrix $(FAST_TESTS)

# the suite once with the lowest versions pyproject.toml allows, on the lowest Python found
LOWEST := .venvs/lowest
test-lowest:
	test -f $(LOWEST)/.installed -a $(LOWEST)/.installed -nt pyproject.toml || { \
	  $$(.ci/pythons | head -n 1 | cut -d" " -f2) -m venv $(LOWEST) \
	  && $(LOWEST)/bin/python -m pip install --quiet --upgrade pip \
	  && $(LOWEST)/bin/python .ci/lowest_pins.py > $(LOWEST)/constraints.txt \
	  && $(LOWEST)/bin/python -m pip install --quiet -c $(LOWEST)/constraints.txt -e ".[test,scipy]" \
	  && touch $(LOWEST)/.installed; }
	$(LOWEST)/bin/python -m pip list --format=freeze | grep -i -E '^(numpy|scipy|gast|astor)='
	$(LOWEST)/bin/python -W error -c "import s2sad"
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider -n auto --dist loadfile

# generated programs against numbers, the long profile (S2SAD_FUZZ_EXAMPLES, S2SAD_FUZZ_SEED)
fuzz: $(STAMP)
	S2SAD_FUZZ_PROFILE=long S2SAD_FUZZ_LOG=fuzz.log $(BIN)/python -m pytest tests/fuzz -q -x

lint: $(STAMP)
	$(BIN)/ruff check s2sad tests examples benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/extras.py

# the lecture example's page (s2sad html) and, where a headless Chromium or Chrome is
# installed, a screenshot of it, to see how the page reads
LECTURE_PAGE := examples/output/lecture.html
lecture-page: $(STAMP)
	$(BIN)/python -m s2sad html examples/lecture_traces.py f lecture_loss -o $(LECTURE_PAGE)
	@for browser in chromium chromium-browser google-chrome google-chrome-stable; do \
	  if command -v $$browser > /dev/null; then \
	    $$browser --headless --disable-gpu --no-first-run --disable-background-networking \
	      --disable-component-update --disable-sync --window-size=1400,1000 \
	      $$( [ "$$(id -u)" = 0 ] && echo --no-sandbox ) \
	      --screenshot=examples/output/lecture.png "file://$(CURDIR)/$(LECTURE_PAGE)" \
	      && echo "wrote examples/output/lecture.png"; exit; \
	  fi; \
	done; echo "no headless Chromium found: open $(LECTURE_PAGE) in a browser"

docs-rules: $(STAMP)
	$(BIN)/python -m s2sad rules > docs/rules.md

clean:
	rm -rf $(VENV) .venvs .pytest_cache build dist *.egg-info
