# Two commands for a newcomer on a fresh machine:
#   make run   - set up, import data/articles, run the named queries, write the views
#   make test  - set up and run all tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out
STORE ?= $(OUT)/store
QUERIES := events agreements people relations trilateral plans ties series office-holders

.PHONY: run test setup system-deps lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# Java runs the HermiT reasoner; Chromium and a CJK font run the browser tests; Virtuoso is one of
# the SPARQL servers of the remote-store tests (the other, Oxigraph server, comes from PyPI).
# Installed with apt-get where missing (needs root; otherwise a warning says what is missing).
system-deps:
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "warning: missing Debian packages:$$missing (install them as root)"; fi; \
	fi

run: setup
	$(BIN)/dkg --store $(STORE) import data/articles
	@mkdir -p $(OUT)/queries $(OUT)/views
	@for q in $(QUERIES); do \
		$(BIN)/dkg --store $(STORE) query $$q --format table > $(OUT)/queries/$$q.txt || exit 1; \
		$(BIN)/dkg --store $(STORE) query $$q --format json > $(OUT)/queries/$$q.json || exit 1; \
		echo "== $$q"; cat $(OUT)/queries/$$q.txt; \
	done
	$(BIN)/dkg --store $(STORE) viz trilateral KOR JPN USA --lang ko -o $(OUT)/views/trilateral-ko.html
	$(BIN)/dkg --store $(STORE) viz trilateral KOR JPN USA --lang en -o $(OUT)/views/trilateral-en.html
	$(BIN)/dkg --store $(STORE) viz network --lang ko -o $(OUT)/views/network-ko.html
	$(BIN)/dkg --store $(STORE) viz network --lang en -o $(OUT)/views/network-en.html
	$(BIN)/dkg --store $(STORE) viz actor KOR --lang ko -o $(OUT)/views/actor-KOR-ko.html
	$(BIN)/dkg --store $(STORE) viz actor JPN --hops 2 --lang en -o $(OUT)/views/actor-JPN-2hops-en.html
	$(BIN)/dkg --store $(STORE) viz actor yoon-suk-yeol --lang ko -o $(OUT)/views/actor-yoon-suk-yeol-ko.html
	$(BIN)/dkg --store $(STORE) viz timeline KOR --lang ko -o $(OUT)/views/timeline-KOR-ko.html
	$(BIN)/dkg --store $(STORE) viz timeline KOR JPN --lang en -o $(OUT)/views/timeline-KOR-JPN-en.html
	$(BIN)/dkg viz index $(OUT)/views
	@echo
	@echo "Store:   $(STORE)"
	@echo "Queries: $(OUT)/queries/ (table and JSON)"
	@echo "Views:   $(abspath $(OUT))/views/index.html links them all (offline; open in any browser)"

test: setup system-deps
	$(BIN)/ruff check kg viz tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check kg viz tests
	$(BIN)/mypy

clean:
	rm -rf $(OUT) .pytest_cache
