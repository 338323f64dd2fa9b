# The quick start: `make run` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-dask-corpus bench bench-dask bench-memory bench-hostile bench-ladder fuzz peers-money peers-dates peers-files clean

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

# The same peer cases as a user meets them: one file per case in a temporary folder, through `extract run`.
peers-files: install
	$(BIN)/python tools/peer_files.py

# Speed against bare spaCy on ../shared/corpora/bbc-news-2005 (minutes; never part of `make test`).
# A quick look: make bench BENCH_ARGS="--limit 300"
bench: install
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

# The Dask tests alone; EXTRACT_CORPUS_TEXTS=N sets the corpus test's BBC texts (make test: 500).
EXTRACT_CORPUS_TEXTS ?= 500
test-dask-corpus: install
	EXTRACT_CORPUS_TEXTS=$(EXTRACT_CORPUS_TEXTS) $(BIN)/python -m pytest -q tests/test_cluster.py

# One process, --workers 2 and a Dask LocalCluster of 2 workers on the BBC corpus, each twice (A B C C B A).
bench-dask: install
	$(BIN)/python tools/bench.py --dask $(BENCH_ARGS)

# Peak memory on ../shared/corpora/reuters-21578: a tenth of it, then all 19,043 articles.
bench-memory: install
	$(BIN)/python tools/bench.py --memory $(BENCH_ARGS)

# How the money and dates stages' CPU time grows on hostile input, n vs 10n characters (about a minute of CPU).
bench-hostile: install
	$(BIN)/python tools/bench_hostile.py

# Time per 100 KB and peak memory of one document of each shape (acronym definitions, comma lists, amounts,
# joined corpus articles) from 7.8 KB to 1 MB, made at run time in a temporary folder (minutes).
bench-ladder: install
	$(BIN)/python tools/bench.py --ladder $(BENCH_ARGS)

# Adversarial input (issue 20) at ten times its sizes, made in a temporary folder: no hang, no crash,
# no row lost from the good documents, within the time and memory budget it prints (many minutes;
# never part of `make test`). A quick look: make fuzz FUZZ_ARGS="--scale 0.05"
fuzz: install
	$(BIN)/python tools/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) output .pytest_cache
