# mppsite: `make build` builds the bundled site into output/; `make test` runs the test suite.
# Both create .venv and install the pinned requirements first.
VENV := .venv
PY := $(VENV)/bin/python

# The interpreter the venv is made from: Debian's own python3 where it can make one (3.11 or
# newer, with the venv module: package python3-venv), else python3 on the PATH. Debian builds
# CPython with profile-guided and link-time optimisation; on one built without them (pyenv's
# default build) a cold build of 1,000 services takes 8 % longer.
# `make PYTHON=...` picks another.
SYSTEM_PYTHON := /usr/bin/python3
ifndef PYTHON
PYTHON := $(shell $(SYSTEM_PYTHON) -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
	>/dev/null 2>&1 && echo $(SYSTEM_PYTHON) || echo python3)
endif

.PHONY: build test check serve bench lint schema screenshots lighthouse clean FORCE

# Which interpreter the venv was made from: rewritten (and the venv made again, its packages
# being installed for that one) only when it is another.
$(VENV)/.interpreter: FORCE
	@[ "$$(cat $@ 2>/dev/null)" = '$(PYTHON)' ] || { mkdir -p $(VENV) && echo '$(PYTHON)' > $@; }

$(VENV)/.runtime: requirements.txt $(VENV)/.interpreter
	$(PYTHON) -m venv --clear $(VENV)
	echo '$(PYTHON)' > $(VENV)/.interpreter
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# mppsite's own compiled bytecode, made ahead as pip does for installed packages: without it,
# where PYTHONDONTWRITEBYTECODE is set, every build compiled the package again (0.1 s).
$(VENV)/.compiled: $(shell find mppsite -name '*.py') $(VENV)/.runtime
	$(PY) -m compileall -q mppsite
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The form editor's script and fonts at the pinned versions (tests/cms/package-lock.json), which
# the offline end-to-end test serves in place of the CDN; only the tests need Node.
NPM_STAMP := tests/cms/node_modules/.installed
$(NPM_STAMP): tests/cms/package.json tests/cms/package-lock.json
	cd tests/cms && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

build: $(VENV)/.compiled
	$(PY) build.py

check: $(VENV)/.compiled
	$(PY) build.py check

serve: $(VENV)/.compiled
	$(PY) build.py serve

schema: $(VENV)/.compiled
	$(PY) build.py schema

test: $(VENV)/.dev $(VENV)/.compiled $(NPM_STAMP)
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

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
