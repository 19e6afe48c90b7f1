# make run   - set up and serve the demo county at http://127.0.0.1:8000 (SQLite store)
# make test  - set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test demo clean messages translations screenshots bench bench-full

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

PO := translations/zh_Hans_CN/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo)

run: $(VENV)/.run-deps $(MO)
	$(BIN)/flask demo --if-empty
	BANBAN_VIEW_RUNNER=1 $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: $(VENV)/.test-deps $(MO)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (bench/README.md): county scale and the smaller scripts, under 5 minutes once the
# county store is generated (bench/data/, kept between runs); bench-full adds province scale.
bench: $(VENV)/.test-deps $(MO)
	$(BIN)/python -m bench.run county
	$(BIN)/python -m bench.run county --store postgres
	$(BIN)/python -m bench.load_project
	$(BIN)/python -m bench.list_projects
	$(BIN)/python -m bench.dispatch_page
	$(BIN)/python -m bench.new_day
	$(BIN)/python -m bench.far_back county

bench-full: bench
	$(BIN)/python -m bench.run province
	$(BIN)/python -m bench.far_back province

# Screenshots of the main pages at desktop and phone width (needs Chromium; see README).
screenshots: $(VENV)/.test-deps $(MO)
	$(BIN)/python scripts/screenshots.py

# The Chinese catalogue, compiled for the app (the .mo is built, never committed).
$(MO): $(PO) | $(VENV)/.run-deps
	$(BIN)/pybabel -q compile -d translations -l zh_Hans_CN

translations: $(MO)

# After adding or changing interface text: extract it, then translate the new entries
# (python translations/fill.py <file.tsv>) until nothing is left untranslated.
messages: $(VENV)/.run-deps
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --omit-header -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations -l zh_Hans_CN \
	  --no-fuzzy-matching --ignore-obsolete --width 0
	$(BIN)/python translations/fill.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis screenshots
