# The quick start: `make run` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test clean peers-money

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: install
	$(BIN)/extract run raw/

test: install
	$(BIN)/python -m pytest

# Score extract_money on the peer currency cases in ../shared/peers (read in place).
peers-money: install
	PYTHONPATH=src $(BIN)/python tools/peer_money.py

clean:
	rm -rf $(VENV) output .pytest_cache
