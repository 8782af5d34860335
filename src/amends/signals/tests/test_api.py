"""The signals API: analyse any text, coach a draft, read and judge a case's signals, export verdicts."""

import pytest

from amends.cases.models import Case
from amends.cases.tests.factories import make_contact_case
from amends.signals.tests.messages import ANGRY

pytestmark = pytest.mark.django_db


def test_api_analyse_coach_and_case_signals(complaints_team, adviser, complaints_lead):
    from amends.core.services import api_token_create

    _, key = api_token_create(user=adviser, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    from django.test import Client

    client = Client()
    body = client.post(
        "/api/v1/signals/analyse", {"text": ANGRY}, content_type="application/json", **auth
    ).json()
    types = {s["type"]: s for s in body["signals"]}
    assert types["escalation_ombudsman"]["score"] > 0.5 and types["escalation_ombudsman"]["spans"]
    assert types["self_harm"]["score"] == 0
    findings = client.post(
        "/api/v1/coach",
        {"draft": "calm down, as I already said it's our policy"},
        content_type="application/json",
        **auth,
    ).json()
    assert "provocative_or_dismissive" in {f["kind"] for f in findings}
    bad = client.post("/api/v1/signals/analyse", {"words": 1}, content_type="application/json", **auth)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    # the API reads as much as the reply box and intake accept, and refuses more
    from django.conf import settings

    long_draft = "We will refund you. " * (settings.AMENDS_MAX_TEXT_CHARS // 20)
    ok = client.post("/api/v1/coach", {"draft": long_draft}, content_type="application/json", **auth)
    too_long = client.post(
        "/api/v1/coach", {"draft": long_draft + "!"}, content_type="application/json", **auth
    )
    assert (ok.status_code, too_long.status_code) == (200, 422)

    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    stored = client.get(f"/api/v1/cases/{case.reference}/signals", **auth).json()
    legal = next(s for s in stored if s["type"] == "escalation_legal")
    judged = client.post(
        f"/api/v1/cases/{case.reference}/signals/{legal['id']}/feedback",
        {"verdict": "dismissed", "note": "quoting an old letter"},
        content_type="application/json",
        **auth,
    ).json()
    assert judged["verdict"] == "dismissed"
    assert client.get("/api/v1/signals/feedback", **auth).status_code == 403
    _, lead_key = api_token_create(user=complaints_lead, name="t")
    rows = client.get("/api/v1/signals/feedback", HTTP_AUTHORIZATION=f"Bearer {lead_key}").json()
    assert rows[0]["note"] == "quoting an old letter"


@pytest.mark.parametrize("flag", [0, 1, "yes", "off"])
def test_the_coach_takes_true_or_false_only(adviser, flag):
    """The document offers a boolean; a lax one also took 0, 1, "yes" and "off" (schemathesis found it)."""
    from django.test import Client

    from amends.core.services import api_token_create

    _, key = api_token_create(user=adviser, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for field in ("is_closing_reply", "customer_upset"):
        answer = Client().post("/api/v1/coach", {"draft": "Hello", field: flag}, "application/json", **auth)
        assert answer.status_code == 422 and field in answer.json()["error"]["fields"]
    ok = Client().post(
        "/api/v1/coach", {"draft": "Hello", "is_closing_reply": True}, "application/json", **auth
    )
    assert ok.status_code == 200
