"""The words a case is found by: its summary, its customer's name and the text of its messages.

One document per case, kept in step by the database itself (triggers), so every write path finds its way
into the index: the services, bulk intake, a merge of customers, the benchmarks' bulk inserts. SQLite keeps
an FTS5 table (`cases_search`, rowid = case id); PostgreSQL a tsvector column on the case with a GIN index,
the summary and name weighted above the messages for ranking.

A message's text counts up to MESSAGE_CHARS and a case's messages up to MESSAGES_CHARS (the first ones
that arrived, at most MESSAGES per case), which bounds the work a new message costs and keeps PostgreSQL's
tsvector well under its 1 MB limit.

SQLite drops a table's triggers when a migration rebuilds the table (adding a column with a constraint, for
one), so `ensure_search_index` runs after every `migrate` and puts back any that are missing, rebuilding
the index if it had to. A migration that rebuilds `cases_case` itself (adding any NOT NULL column does)
must first drop them all (`drop_sqlite_triggers`): the triggers on customers and messages name the table,
and SQLite refuses to rename the rebuilt table into place while they do.
"""

# The SQL here is assembled from this module's own constants only; nothing a user types reaches it.
# ruff: noqa: S608

from __future__ import annotations

MESSAGES = 100
MESSAGE_CHARS = 20_000
MESSAGES_CHARS = 100_000

# The messages' text of case id X, as one string, in the order they arrived.
_SQLITE_MESSAGES = (
    f"coalesce((SELECT substr(group_concat(t, char(10)), 1, {MESSAGES_CHARS}) FROM ("
    f"SELECT substr(m.subject || ' ' || m.body_text, 1, {MESSAGE_CHARS}) AS t FROM messaging_message m "
    f"WHERE m.case_id = {{case}} ORDER BY m.id LIMIT {MESSAGES})), '')"
)
_SQLITE_NAME = "coalesce((SELECT name FROM customers_customer WHERE id = {customer}), '')"

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search USING fts5(summary, name, messages, "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = {
    "cases_search_case_ai": "AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_search(rowid, summary, name, messages) VALUES (new.id, new.summary, "
    + _SQLITE_NAME.format(customer="new.customer_id")
    + ", "
    + _SQLITE_MESSAGES.format(case="new.id")
    + "); END",
    "cases_search_case_au": "AFTER UPDATE OF summary, customer_id ON cases_case "
    "WHEN old.summary IS NOT new.summary OR old.customer_id IS NOT new.customer_id BEGIN "
    "UPDATE cases_search SET summary = new.summary, name = "
    + _SQLITE_NAME.format(customer="new.customer_id")
    + " WHERE rowid = new.id; END",
    "cases_search_case_ad": "AFTER DELETE ON cases_case BEGIN "
    "DELETE FROM cases_search WHERE rowid = old.id; END",
    "cases_search_customer_au": "AFTER UPDATE OF name ON customers_customer "
    "WHEN old.name IS NOT new.name BEGIN "
    "UPDATE cases_search SET name = new.name "
    "WHERE rowid IN (SELECT id FROM cases_case WHERE customer_id = new.id); END",
    "cases_search_message_ai": "AFTER INSERT ON messaging_message BEGIN "
    "UPDATE cases_search SET messages = "
    + _SQLITE_MESSAGES.format(case="new.case_id")
    + " WHERE rowid = new.case_id; END",
    "cases_search_message_au": "AFTER UPDATE OF case_id, subject, body_text ON messaging_message "
    "WHEN old.case_id IS NOT new.case_id "
    "OR old.subject IS NOT new.subject OR old.body_text IS NOT new.body_text BEGIN "
    "UPDATE cases_search SET messages = "
    + _SQLITE_MESSAGES.format(case="old.case_id")
    + " WHERE rowid = old.case_id; "
    "UPDATE cases_search SET messages = "
    + _SQLITE_MESSAGES.format(case="new.case_id")
    + " WHERE rowid = new.case_id; END",
    "cases_search_message_ad": "AFTER DELETE ON messaging_message BEGIN "
    "UPDATE cases_search SET messages = "
    + _SQLITE_MESSAGES.format(case="old.case_id")
    + " WHERE rowid = old.case_id; END",
}
SQLITE_REBUILD = [
    "DELETE FROM cases_search",
    "INSERT INTO cases_search(rowid, summary, name, messages) SELECT c.id, c.summary, "
    + _SQLITE_NAME.format(customer="c.customer_id")
    + ", "
    + _SQLITE_MESSAGES.format(case="c.id")
    + " FROM cases_case c",
]

POSTGRES_FUNCTIONS = [
    # The whole document of one case: summary and name weighted A, messages B.
    f"""CREATE OR REPLACE FUNCTION cases_search_vector(p_case bigint, p_summary text, p_customer bigint)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(p_summary, '')), 'A')
      || setweight(to_tsvector('simple',
           coalesce((SELECT name FROM customers_customer WHERE id = p_customer), '')), 'A')
      || setweight(to_tsvector('simple', left(coalesce((
           SELECT string_agg(t, E'\\n') FROM (
             SELECT left(m.subject || ' ' || m.body_text, {MESSAGE_CHARS}) AS t FROM messaging_message m
             WHERE m.case_id = p_case ORDER BY m.id LIMIT {MESSAGES}) AS first_messages), ''),
           {MESSAGES_CHARS})), 'B')
$$""",
    """CREATE OR REPLACE FUNCTION cases_search_case_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := cases_search_vector(NEW.id, NEW.summary, NEW.customer_id);
  RETURN NEW;
END $$""",
    """CREATE OR REPLACE FUNCTION cases_search_customer_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cases_case SET search_vector = cases_search_vector(id, summary, customer_id)
  WHERE customer_id = NEW.id;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION cases_search_message_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE cases_case SET search_vector = cases_search_vector(id, summary, customer_id)
    WHERE id = OLD.case_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE cases_case SET search_vector = cases_search_vector(id, summary, customer_id)
    WHERE id = NEW.case_id;
  END IF;
  RETURN NULL;
END $$""",
]
# Django saves every column, so an update trigger fires only when a column it reads really changed.
POSTGRES_TRIGGERS = {
    "cases_search_case_bi": "BEFORE INSERT ON cases_case "
    "FOR EACH ROW EXECUTE FUNCTION cases_search_case_trigger()",
    "cases_search_case_bu": "BEFORE UPDATE OF summary, customer_id ON cases_case FOR EACH ROW "
    "WHEN (OLD.summary IS DISTINCT FROM NEW.summary OR OLD.customer_id IS DISTINCT FROM NEW.customer_id) "
    "EXECUTE FUNCTION cases_search_case_trigger()",
    "cases_search_customer_au": "AFTER UPDATE OF name ON customers_customer FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION cases_search_customer_trigger()",
    "cases_search_message_aid": "AFTER INSERT OR DELETE ON messaging_message "
    "FOR EACH ROW EXECUTE FUNCTION cases_search_message_trigger()",
    "cases_search_message_au": "AFTER UPDATE OF case_id, subject, body_text ON messaging_message "
    "FOR EACH ROW "
    "WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.subject IS DISTINCT FROM NEW.subject "
    "OR OLD.body_text IS DISTINCT FROM NEW.body_text) EXECUTE FUNCTION cases_search_message_trigger()",
}


def create_search_index(schema_editor) -> None:
    """Replace the summary-only index of migrations 0002-0004 with the case's whole document."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "sqlite":
        for name in ("cases_case_fts_ai", "cases_case_fts_ad", "cases_case_fts_au"):
            run(f"DROP TRIGGER IF EXISTS {name}")
        run("DROP TABLE IF EXISTS cases_case_fts")
        run(SQLITE_TABLE)
        ensure_search_index(schema_editor.connection, rebuild=True)
        return
    run("DROP INDEX IF EXISTS cases_case_search_vector")
    run("ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector")
    run("ALTER TABLE cases_case ADD COLUMN search_vector tsvector")
    for sql in POSTGRES_FUNCTIONS:
        run(sql)
    for name, body in POSTGRES_TRIGGERS.items():
        run(f"CREATE TRIGGER {name} {body}")
    run("UPDATE cases_case SET search_vector = cases_search_vector(id, summary, customer_id)")
    run("CREATE INDEX cases_case_search_vector ON cases_case USING gin (search_vector)")


def drop_search_index(schema_editor) -> None:
    """Back to migration 0004's summary-only index."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            run(f"DROP TRIGGER IF EXISTS {name}")
        run("DROP TABLE IF EXISTS cases_search")
        return
    for name, body in POSTGRES_TRIGGERS.items():
        run(f"DROP TRIGGER IF EXISTS {name} ON {body.split(' ON ')[1].split()[0]}")
    for name in (
        "cases_search_case_trigger",
        "cases_search_customer_trigger",
        "cases_search_message_trigger",
    ):
        run(f"DROP FUNCTION IF EXISTS {name}()")
    run("DROP FUNCTION IF EXISTS cases_search_vector(bigint, text, bigint)")
    run("DROP INDEX IF EXISTS cases_case_search_vector")
    run("ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector")
    run(
        "ALTER TABLE cases_case ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', summary)) STORED"
    )
    run("CREATE INDEX cases_case_search_vector ON cases_case USING gin (search_vector)")


def drop_sqlite_triggers(schema_editor) -> None:
    """SQLite: drop the index's triggers before a migration rebuilds `cases_case` (the module says why);
    `ensure_search_index` puts them back after it."""
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure_search_index(connection, *, rebuild: bool = False) -> list[str]:
    """SQLite: create any of the index's triggers a table rebuild dropped, and rebuild the index if any
    were missing (rows written meanwhile were not indexed). Returns the names put back."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases_search'")
        if cursor.fetchone() is None:
            return []  # not migrated this far yet
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cases_search_%'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
        if missing or rebuild:
            for sql in SQLITE_REBUILD:
                cursor.execute(sql)
    return missing
