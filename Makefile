# Two commands set everything up from nothing: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the pinned dependencies or the package metadata change.
INSTALLED := $(VENV)/.installed

export DAGSTER_HOME := $(CURDIR)/.dagster
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test bench ui docs lock clean

# A set-up killed half-way (Ctrl-C during the first `make run`) starts again from nothing:
# a venv whose creation did not finish has no .created, and an install that did not finish
# left .installing behind; either would otherwise break every later run ("No module named pip").
$(INSTALLED): requirements.lock pyproject.toml
	if [ -e $(VENV) ] && { [ ! -f $(VENV)/.created ] || [ -f $(VENV)/.installing ]; }; then rm -rf $(VENV); fi
	test -f $(VENV)/.created || { $(PYTHON) -m venv $(VENV) && touch $(VENV)/.created; }
	touch $(VENV)/.installing
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm $(VENV)/.installing
	touch $@

run: $(INSTALLED)
	$(BIN)/wumeng refresh

test: $(INSTALLED)
	$(BIN)/python -m pytest

# Wumeng at 10k and 100k generated articles, against its floors: one JSON document on stdout
# (about 10 minutes on 2 cores; benchmarks/bench.py says what each figure is).
bench: $(INSTALLED)
	$(BIN)/python -m benchmarks.bench

ui: $(INSTALLED)
	$(BIN)/python -c "from pipelines.dbt_project import prepare_dbt_manifest; prepare_dbt_manifest()"
	$(BIN)/dagster dev -m pipelines.definitions

# dbt's documentation site for every model and column, from the last build (make run first).
docs: $(INSTALLED)
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir . --target-path ../warehouse/docs
	@echo "open warehouse/docs/index.html (or: cd warehouse/docs && python3 -m http.server)"

# Re-resolve the dependencies from pyproject.toml into requirements.lock.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	.lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check \
		| grep -v '^wumeng' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) warehouse/build warehouse/releases warehouse/wumeng.duckdb warehouse/pages warehouse/logs dbt_project/target
