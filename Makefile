# The two commands of the README:
#   make run   - sets up and runs the platform on the embedded default
#   make test  - sets up and runs the whole test suite
# Both create .venv and install everything they need on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(sort $(dir $(wildcard plugins/*/pyproject.toml)))
# The platform's parts, each a distribution with a src layout (pyproject.toml says why).
PARTS := proto/ $(sort $(dir $(wildcard services/*/pyproject.toml)))
STAMP := $(VENV)/.installed
# Twice the cores of the 2-core CI machine: most tests wait on real servers
# (processes starting, a broker, a browser), so 4 workers overlap those waits.
# --dist loadscope keeps a module's tests on one worker: a module-scoped
# platform (processes, the demo city scored) then starts once, not per worker.
# --no-loadscope-reorder keeps the modules in the order tests/helpers/schedule.py
# gives (the longest first): pytest-xdist 3.8 otherwise hands out the modules with
# the most tests first, and the longest modules started last, each alone at the end.
PYTEST_WORKERS ?= 4

.PHONY: run test test-fast setup proto translations system-packages clean

run: setup
	$(BIN)/jixiao up

test: setup system-packages
	$(BIN)/python proto/generate.py --check
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

# The bottom of the test pyramid: pure rules, the SDK and the plugins; no service,
# broker, browser or database server. Under 30 s on the 2-core machine.
test-fast: setup
	$(BIN)/pytest -q -n 2 -m "not integration" tests/unit sdk/tests plugins $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): pyproject.toml sdk/pyproject.toml $(addsuffix pyproject.toml,$(PARTS) $(PLUGINS))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./sdk $(addprefix -e ./,$(PARTS) $(PLUGINS)) -e '.[dev,gateway]'
	touch $@

# The Debian packages the tests use: kcat, the command-line Kafka client the
# end-to-end test publishes JSON with; chromium, the browser the portal tests
# drive with Playwright (never a downloaded browser), and fonts-noto-cjk so
# that it renders Chinese.
SYSTEM_PACKAGES = $(if $(shell command -v kcat),,kcat) \
                  $(if $(wildcard /usr/bin/chromium),,chromium) \
                  $(if $(wildcard /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc),,fonts-noto-cjk)

system-packages:
	@missing="$(strip $(SYSTEM_PACKAGES))"; [ -z "$$missing" ] || { \
	  echo "installing from the Debian packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }

proto: setup
	$(BIN)/python proto/generate.py

# The portal's message catalogues: extract the messages of its code and templates
# (services/gateway/babel.cfg), update the Chinese and English .po files, compile the
# .mo files Flask-Babel reads. Run after changing a message; then translate what is new
# (docs/portal.md#translations). tests/integration/portal/test_translations.py fails while they are stale.
translations: setup
	$(BIN)/python services/gateway/translations.py

clean:
	rm -rf $(VENV) .jixiao
