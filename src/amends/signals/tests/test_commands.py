"""`amends signals analyse` and `amends coach`: one line out per line in, a bad line answered with an
error."""

import io
import json

import pytest
from django.core.management import call_command

from amends.signals.engine.analyser import SIGNAL_TYPES
from amends.signals.tests.messages import ANGRY


def test_cli_analyse_and_coach_write_one_line_per_input():
    lines = [
        json.dumps({"id": 1, "text": ANGRY}),
        "not json",
        json.dumps({"id": "b", "text": "Thanks, all sorted."}),
    ]
    out = io.StringIO()
    import sys

    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO("\n".join(lines) + "\n")
        with pytest.raises(Exception, match="1 line"):
            call_command("signals", "analyse", stdout=out)
    finally:
        sys.stdin = stdin
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [1, None, "b"]
    assert rows[1]["line"] == 2 and "error" in rows[1]
    for row in (rows[0], rows[2]):
        assert [s["type"] for s in row["signals"]] == list(SIGNAL_TYPES)
        assert all(0 <= s["score"] <= 1 for s in row["signals"])
    positives = [s for s in rows[0]["signals"] if s["score"] >= 0.5]
    assert positives and all(s["spans"] for s in positives if s["type"] in {"complaint", "escalation_legal"})

    out = io.StringIO()
    try:
        sys.stdin = io.StringIO(
            json.dumps({"id": 7, "text": "calm down, as I already said it's our policy"}) + "\n"
        )
        call_command("coach", stdout=out)
    finally:
        sys.stdin = stdin
    row = json.loads(out.getvalue())
    assert row["id"] == 7 and "provocative_or_dismissive" in {f["kind"] for f in row["findings"]}


def test_train_one_head_needs_existing_artifacts(tmp_path):
    """`signals train --heads abuse` refits into artifacts that already hold the other heads; an empty
    folder is refused with a reason, and nothing is written."""
    from django.core.management.base import CommandError

    (tmp_path / "data").mkdir()
    with pytest.raises(CommandError, match="existing artifacts"):
        call_command(
            "signals", "train", "--heads", "abuse", "--data", str(tmp_path / "data"), "--out", str(tmp_path)
        )
    assert [p.name for p in tmp_path.iterdir()] == ["data"]
