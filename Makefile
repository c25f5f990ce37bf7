# newsargs make targets. Every target bootstraps .venv itself, so a fresh machine with
# Python 3.11, pip and make needs nothing else.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out
JOBS   ?= 2

.PHONY: setup run test test-all eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH" >&2; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/newsargs extract corpora/samples -o $(OUT) --jobs $(JOBS)

test: setup
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m ''

eval: setup
	$(VENV)/bin/newsargs extract corpora/gold/test -o $(OUT)/eval-test --jobs $(JOBS)
	$(VENV)/bin/newsargs eval --gold corpora/gold/test --pred $(OUT)/eval-test --json $(OUT)/eval-test.json

bench: setup
	$(PY) -m pipeline.bench --out bench.json

clean:
	rm -rf $(OUT) .cache build *.egg-info
