# mppsite: `make build` builds the bundled site into output/; `make test` runs the test suite.
# Both create .venv and install the pinned requirements first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: build test check serve bench lint schema screenshots lighthouse clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# mppsite's own compiled bytecode, made ahead as pip does for installed packages: without it,
# where PYTHONDONTWRITEBYTECODE is set, every build compiled the package again (0.1 s). The
# built-in templates likewise (a first build compiled them: 0.13 s).
$(VENV)/.compiled: $(wildcard mppsite/*.py) $(wildcard data/*.yaml data/strings/*.yaml) \
		$(wildcard templates/*.html templates/partials/*.html) $(VENV)/.runtime
	$(PY) -m compileall -q mppsite
	$(PY) -m mppsite.compile_templates
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

build: $(VENV)/.compiled
	$(PY) build.py

check: $(VENV)/.compiled
	$(PY) build.py check

serve: $(VENV)/.compiled
	$(PY) build.py serve

schema: $(VENV)/.compiled
	$(PY) build.py schema

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .

bench: $(VENV)/.dev $(VENV)/.compiled
	$(PY) bench/run.py

screenshots: $(VENV)/.dev
	$(PY) build.py
	$(PY) tests/tools/screenshots.py

lighthouse: $(VENV)/.dev
	$(PY) build.py
	$(PY) tests/tools/lighthouse.py

clean:
	rm -rf output output-screenshots .pytest_cache .ruff_cache .hypothesis bench/work
