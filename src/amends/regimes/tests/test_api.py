import json

import pytest

from amends.conftest import api_client

pytestmark = pytest.mark.django_db


_client = api_client


def test_list_get_and_due(adviser):
    client = _client(adviser)
    codes = [r["code"] for r in client.get("/api/v1/regimes").json()]
    assert {"fca-disp", "hos-2024", "spso", "internal-iso10002"} <= set(codes)
    detail = client.get("/api/v1/regimes/hos-2024").json()
    assert detail["definition"]["stages"][0]["code"] == "stage1"
    due = client.get(
        "/api/v1/regimes/hos-2024/due", {"received": "2026-12-23T15:30:00+00:00", "nation": "scotland"}
    ).json()
    ack = next(d for d in due if d["code"] == "acknowledgement")
    assert ack["due"].startswith("2027-01-05")  # Christmas, Boxing Day (28th), 1 and 4 Jan are holidays
    assert client.get("/api/v1/regimes/nope").status_code == 404
    bad = client.get("/api/v1/regimes/hos-2024/due", {"received": "2026-12-23T15:30:00", "nation": "kent"})
    assert bad.status_code == 422


def test_only_leads_add_their_own_regime(adviser, complaints_lead):
    with open(
        __import__("amends.regimes.definition", fromlist=["x"]).DEFINITIONS_DIR / "internal-iso10002.v1.json"
    ) as f:
        definition = json.load(f)
    definition.pop("code"), definition.pop("name")
    body = {
        "code": "our-targets",
        "name": "Our service targets",
        "effective_from": "2026-01-01",
        "definition": definition,
    }
    refused = _client(adviser).post("/api/v1/regimes", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    made = _client(complaints_lead).post("/api/v1/regimes", json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["version"] == 1 and made.json()["is_builtin"] is False
    builtin = _client(complaints_lead).post(
        "/api/v1/regimes", json.dumps({**body, "code": "fca-disp"}), content_type="application/json"
    )
    assert builtin.status_code == 409
    broken = _client(complaints_lead).post(
        "/api/v1/regimes",
        json.dumps({**body, "code": "our-broken", "definition": {"stages": "x"}}),
        content_type="application/json",
    )
    assert broken.status_code == 400 and broken.json()["error"]["fields"]


def test_due_for_a_stage_the_regime_does_not_have_is_a_400_naming_its_stages(adviser):
    response = _client(adviser).get(
        "/api/v1/regimes/hos-2024/due", {"received": "2026-12-23T15:30:00+00:00", "stage": "stage9"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "stage1, stage2" in error["fields"]["stage"]
