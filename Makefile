# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make run SMTP=127.0.0.1:2526 HTTP=127.0.0.1:8081`: other listeners (base_url follows HTTP).
SMTP ?=
HTTP ?=

.PHONY: run test install bench clean messages system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kairan --data data init --if-missing
	$(BIN)/kairan --data data serve --demo $(if $(SMTP),--smtp $(SMTP)) $(if $(HTTP),--http $(HTTP))

# Debian's chromium, a CJK font and postfix, installed when missing (as root), else what to install.
system-packages:
	@sh tools/system-packages.sh

test: system-packages $(STAMP)
	$(BIN)/python -m pytest -q

# Every benchmark prints its figures (a few minutes in all).
bench: $(STAMP)
	for b in extract ingest search search_latency web digest inquiries ops assurance; do \
		echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) data

# Re-extract the UI strings and refresh the English catalog (web/locale); needs tools/translations_en.py filled in.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k translate:2 -k N_ -o web/locale/messages.pot --no-location --sort-output --project kairan .
	$(BIN)/pybabel update -i web/locale/messages.pot -d web/locale -D messages --no-fuzzy-matching
	$(BIN)/python tools/translations_en.py
