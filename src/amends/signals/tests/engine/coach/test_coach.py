"""`coach()`: what it returns for a draft, in what order, and as JSON."""

import json

from amends.signals.engine.coach import CoachContext, coach, coach_to_dict
from amends.signals.tests.engine.coach.drafts import GOOD_REPLY, by_kind, words


def test_acceptance_example():
    draft = "calm down, as I already said it's our policy"
    found = by_kind(draft)
    assert words(draft, found["provocative_or_dismissive"]) == ["calm down", "as I already said"]
    assert words(draft, found["rules_without_explanation"]) == ["it's our policy"]
    assert found["no_next_step"].spans == []
    assert "CFACSC4 K7" in found["rules_without_explanation"].message


def test_a_good_reply_has_no_warnings_and_is_praised():
    context = CoachContext(
        customer_name="Mrs Patel",
        is_closing_reply=True,
        customer_text="I am furious, I took a day off for nothing!!",
        has_open_complaint=True,
    )
    findings = coach(GOOD_REPLY, context)
    assert [f for f in findings if f.severity == "warn"] == [], findings
    good = {f.kind: words(GOOD_REPLY, f) for f in findings if f.severity == "good"}
    assert good["apology_or_empathy"] == ["I'm so sorry", "I understand how frustrating"]
    assert good["clear_next_step_with_date"] == ["I will call you by 5pm tomorrow to confirm the slot"]


def test_only_quoted_text_or_nothing_gives_no_findings():
    assert coach("") == []
    assert coach("   \n") == []
    assert coach("> calm down\n> it's our policy") == []


def test_order_is_warn_then_info_then_good_with_sorted_spans():
    draft = "I'm sorry. Obviously, calm down. Pursuant to the SLA, it's our policy."
    findings = coach(draft)
    ranks = [{"warn": 0, "info": 1, "good": 2}[f.severity] for f in findings]
    assert ranks == sorted(ranks)
    assert {f.severity for f in findings} == {"warn", "info", "good"}
    for f in findings:
        assert f.spans == sorted(f.spans)


def test_coach_to_dict_is_json_ready():
    rows = coach_to_dict(coach("calm down. I'll call you back.", CoachContext(customer_upset=True)))
    assert json.loads(json.dumps(rows)) == rows
    assert set(rows[0]) == {"kind", "severity", "spans", "message", "suggestion", "data"}
    promise = next(r for r in rows if r["kind"] == "promise_without_date")
    assert promise["data"] == {"promise_text": "I'll call you back"} and promise["spans"] == [[11, 29]]
