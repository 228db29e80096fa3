# Two commands do all set-up on a fresh machine with Python 3.11:
#   make demo   builds the bundled example notebook into examples/notebook/site/
#   make test   runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test serve bench clean

$(BIN)/tilbook-ready: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src  # an editable install under PYTHONDONTWRITEBYTECODE would never have it
	touch $@

demo: $(BIN)/tilbook-ready
	$(BIN)/tilbook -C examples/notebook check || true
	$(BIN)/tilbook -C examples/notebook build
	@echo "open examples/notebook/site/index.html, or run: $(BIN)/tilbook -C examples/notebook serve"

test: $(BIN)/tilbook-ready
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q
	$(BIN)/mypy

serve: $(BIN)/tilbook-ready
	$(BIN)/tilbook -C examples/notebook serve

clean:
	rm -rf $(VENV) examples/notebook/site examples/notebook/.tilbook-cache
