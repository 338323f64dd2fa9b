# The quick start: `make run` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test clean peers-money peers-dates

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

# Score the money and dates components on the peer cases in ../shared/peers (read in place).
peers-money: install
	$(BIN)/python tools/peer_money.py

peers-dates: install
	$(BIN)/python tools/peer_dates.py

clean:
	rm -rf $(VENV) output .pytest_cache
