import json

import pytest
from django.test import Client

from amends.core.services import api_token_create
from amends.letters.services import text_block_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(case_handler):
    _, key = api_token_create(user=case_handler, name="t")
    client = Client()

    def do(method, url, body=None, key=key):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    return do


def test_fca_complaint_through_the_api(call, complaint, complaints_lead, mailoutbox):
    for code in ("fca.disp1.annex3.waiver", "fca.fos.leaflet"):
        text_block_update(code=code, body="Prescribed wording", actor=complaints_lead)
    base = f"/api/v1/cases/{complaint.reference}/process"
    out = call("post", f"{base}/regime", {"regime": "fca-disp"}).json()
    assert out["regime"] == "fca-disp" and any(c["code"] == "final_response" for c in out["clocks"])
    out = call(
        "post",
        f"{base}/understanding",
        {"what_happened": "Charged twice", "impact": "Overdrawn", "outcome_wanted": "Refund"},
    ).json()
    assert out["understanding_confirmed"] is False
    out = call("post", f"{base}/letters", {"kind": "acknowledgement"}).json()
    call("post", f"{base}/letters/send", {"letter": out["letters"][-1]["id"], "by": "email"})
    from amends.process.models import Understanding

    understanding = Understanding.objects.get(case=complaint)
    out = call(
        "post", f"{base}/understanding/confirm", {"understanding": understanding.pk, "via": "phone"}
    ).json()
    assert out["understanding_confirmed"] is True
    out = call(
        "post",
        f"{base}/finding",
        {
            "outcome": "justified",
            "facts": "Two debits",
            "reasoning": "Retry bug",
            "customer_explanation": "We took the payment twice because of a fault in our system.",
            "root_cause": "system-fault",
            "version": 0,
        },
    ).json()
    assert out["finding"] == "justified"
    out = call(
        "post",
        f"{base}/options",
        {"title": "Refund £120", "remedy_type": "refund", "amount": "120", "benefits_customer": "Money back"},
    ).json()
    option = out["options"][0]["id"]
    out = call("post", f"{base}/options/choose", {"option": option, "reason": "Fair"}).json()
    assert out["options"][0]["status"] == "chosen"
    out = call(
        "post", f"{base}/letters", {"kind": "final_response", "fields": {"reasons": "Our retry bug"}}
    ).json()
    letter = out["letters"][-1]["id"]
    out = call("post", f"{base}/letters/send", {"letter": letter, "by": "print"}).json()
    assert out["letters"][-1]["status"] == "printed"
    out = call("post", f"{base}/answer", {"accepted": True}).json()
    assert out["next_step"].startswith("Check the customer's satisfaction")


def test_process_errors_use_the_error_shape(call, complaint):
    base = f"/api/v1/cases/{complaint.reference}/process"
    unknown = call("post", f"{base}/regime", {"regime": "made-up"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    call("post", f"{base}/regime", {"regime": "fca-disp"})
    bad = call("post", f"{base}/finding", {"outcome": "guilty", "facts": "x", "reasoning": "y"})
    assert bad.status_code == 422 and "outcome" in bad.json()["error"]["fields"]
    over = call(
        "post",
        f"{base}/options",
        {"title": "Big", "remedy_type": "compensation", "amount": "9000", "benefits_customer": "x"},
    ).json()
    choose = call("post", f"{base}/options/choose", {"option": over["options"][0]["id"], "reason": "why not"})
    assert choose.status_code == 403 and choose.json()["error"]["code"] == "approval_required"
    closing = call(
        "post",
        f"/api/v1/cases/{complaint.reference}/transition",
        {"to": "closed", "reason": "done", "version": type(complaint).objects.get(pk=complaint.pk).version},
    )
    assert closing.status_code == 400 and closing.json()["error"]["code"] == "cannot_close"


def test_assessor_reads_but_cannot_act(call, complaint, assessor):
    _, key = api_token_create(user=assessor, name="a")
    base = f"/api/v1/cases/{complaint.reference}/process"
    assert call("get", base, key=key).status_code == 200
    assert call("post", f"{base}/regime", {"regime": "fca-disp"}, key=key).status_code == 403


def test_promises_through_the_api(call, complaint):
    base = f"/api/v1/cases/{complaint.reference}/process"
    out = call(
        "post", f"{base}/promises", {"description": "Call back", "due_at": "2030-01-01T10:00:00Z"}
    ).json()
    promise = out["promises"][0]["id"]
    out = call(
        "post",
        f"{base}/promises/renegotiate",
        {"promise": promise, "due_at": "2030-01-03T10:00:00Z", "note": "Customer away until the 3rd"},
    ).json()
    statuses = sorted(p["status"] for p in out["promises"])
    assert statuses == ["open", "renegotiated"]
    new = next(p["id"] for p in out["promises"] if p["status"] == "open")
    out = call("post", f"{base}/promises/keep", {"promise": new}).json()
    assert sorted(p["status"] for p in out["promises"]) == ["kept", "renegotiated"]
    past = call("post", f"{base}/promises", {"description": "Too late", "due_at": "2001-01-01T10:00:00Z"})
    assert past.status_code == 400 and past.json()["error"]["fields"] == {"due_at": "in the past"}
