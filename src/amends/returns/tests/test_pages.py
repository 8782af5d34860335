"""The returns pages and endpoints: who may use them, the same figures on the page, in the file and over the
API, and every download recorded and audited."""

import csv
import io
import json

import pytest

from amends.conftest import api_client, login
from amends.core.models import AuditEvent
from amends.returns.models import ReturnMapping, ReturnProduced, SelfAssessmentAnswer

pytestmark = pytest.mark.django_db

H1 = "first=2026-01-01&last=2026-06-30"


def test_the_page_previews_the_figures_and_the_download_is_the_same_and_recorded(
    fca_history, complaints_lead
):
    client = login(complaints_lead)
    page = client.get(f"/returns/?report=fca&{H1}&preview=1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Banking and credit cards" in html and "Terms and disputed sums/charges" in html
    assert "170.00" in html  # the total redress
    assert not ReturnProduced.objects.exists()  # a preview is no download

    download = client.get(f"/returns/download/?report=fca&{H1}&format=csv")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "fca-complaints-return-2026-01-01-to-2026-06-30.csv" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert rows[-1]["opened"] == "6" and rows[-1]["redress_paid_gbp"] == "170.00"
    produced = ReturnProduced.objects.get()
    assert (produced.report, produced.format, produced.produced_by) == ("fca", "csv", complaints_lead)
    assert produced.figures[-1]["closed"] == "6"
    audit = AuditEvent.objects.get(kind="returns.produced")
    assert audit.actor == complaints_lead and audit.after["period"] == ["2026-01-01", "2026-06-30"]
    assert "Produced lately" in client.get("/returns/").content.decode()


def test_the_api_gives_the_same_figures_and_files(fca_history, complaints_lead):
    api = api_client(complaints_lead)
    body = api.get(f"/api/v1/returns/fca?{H1}").json()
    assert body["rows"][-1]["upheld"] == "3" and body["columns"][0] == "period_start"
    text = api.get(f"/api/v1/returns/fca.csv?{H1}").content.decode()
    assert text.splitlines()[0].startswith("period_start,period_end,product_group,cause")
    assert ReturnProduced.objects.filter(produced_by=complaints_lead).count() == 2
    assert api.get("/api/v1/returns/fca?first=2026-07-01&last=2026-06-01").status_code == 400


def test_the_annual_report_and_self_assessment_download_as_pdf(hos_history, complaints_lead):
    client = login(complaints_lead)
    pdf = client.get("/returns/download/?report=hos&first=2025-04-01&last=2026-03-31&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get("/returns/?report=hos&first=2025-04-01&last=2026-03-31&preview=1").content.decode()
    assert "Referred to the Housing Ombudsman" in html and "Repairs: 2" in html
    api = api_client(complaints_lead)
    figures = api.get("/api/v1/returns/hos?first=2025-04-01&last=2026-03-31").json()
    assert figures["stage1"]["received"] == 4 and figures["stage2"]["within_timescale"] == 1
    assert api.get("/api/v1/returns/self-assessment.pdf?year=2025").content.startswith(b"%PDF")
    assert set(ReturnProduced.objects.values_list("report", flat=True)) == {"hos", "self_assessment"}


def test_the_self_assessment_is_answered_in_versions_and_audited(complaints_lead):
    client = login(complaints_lead)
    response = client.post(
        "/returns/self-assessment/",
        {"year": "2025", "complies-6.2": "yes", "how-6.2": "Within five working days", "version-6.2": "0"},
    )
    assert response.status_code == 302
    client.post(
        "/returns/self-assessment/",
        {"year": "2025", "complies-6.2": "partly", "how-6.2": "Mostly", "version-6.2": "1"},
    )
    # Someone else's answer came in between: a stale version changes nothing.
    client.post("/returns/self-assessment/", {"year": "2025", "complies-6.2": "no", "version-6.2": "1"})
    answers = SelfAssessmentAnswer.objects.filter(year=2025, provision="6.2").order_by("version")
    assert [(a.version, a.complies) for a in answers] == [(1, "yes"), (2, "partly")]
    assert AuditEvent.objects.filter(kind="returns.self_assessment_answered").count() == 2
    page = client.get("/returns/self-assessment/?year=2025").content.decode()
    assert "Mostly" in page and "version 2" in page
    preview = client.get("/returns/?report=self_assessment&year=2025&preview=1").content.decode()
    assert "Partly" in preview and "Not yet answered" in preview
    assert SelfAssessmentAnswer.objects.filter(year=2026).count() == 0  # years apart

    api = api_client(complaints_lead)
    put = api.put(
        "/api/v1/returns/self-assessment",
        json.dumps({"year": 2026, "answers": {"9.1": {"complies": "yes", "how": "Cllr Lee", "version": 0}}}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json() == [{"provision": "9.1", "version": 1, "complies": "yes"}]
    bad = api.put(
        "/api/v1/returns/self-assessment",
        json.dumps({"year": 2026, "answers": {"99.9": {"complies": "yes"}}}),
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_the_mapping_moves_a_product_to_another_group(fca_history, complaints_lead):
    client = login(complaints_lead)
    client.post(
        "/returns/mapping/", {"kind": "product", "key": "Tracker mortgage", "value": "Credit related"}
    )
    assert ReturnMapping.objects.get(key="Tracker mortgage").value == "Credit related"
    html = client.get(f"/returns/?report=fca&{H1}&preview=1").content.decode()
    assert "Credit related" in html
    client.post("/returns/mapping/", {"kind": "product", "key": "Tracker mortgage", "value": "Nonsense"})
    assert ReturnMapping.objects.get(key="Tracker mortgage").value == "Credit related"
    client.post("/returns/mapping/", {"kind": "product", "key": "Tracker mortgage", "value": ""})
    assert not ReturnMapping.objects.exists()
    kinds = list(AuditEvent.objects.filter(kind__startswith="returns.mapping").values_list("kind", flat=True))
    assert kinds == ["returns.mapping_set", "returns.mapping_cleared"]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("adviser", False),
        ("case_handler", False),
        ("team_leader", False),
        ("assessor", False),
        ("complaints_lead", True),
        ("admin_user", True),
    ],
)
def test_only_complaints_leads_and_administrators_produce_returns(request, persona, allowed):
    user = request.getfixturevalue(persona)
    client = login(user)
    for url in ("/returns/", "/returns/self-assessment/", "/returns/download/?report=fca"):
        assert client.get(url).status_code == (200 if allowed else 404), url
    client.post("/returns/self-assessment/", {"year": "2025", "complies-6.2": "yes"})
    client.post("/returns/mapping/", {"kind": "product", "key": "X", "value": "Investments"})
    assert SelfAssessmentAnswer.objects.exists() == allowed
    assert ReturnMapping.objects.exists() == allowed
    api = api_client(user)
    assert api.get("/api/v1/returns/fca").status_code == (200 if allowed else 403)
    assert api.get("/api/v1/returns/hos.pdf").status_code == (200 if allowed else 403)
    assert ("Returns</a>" in client.get("/notifications/").content.decode()) == allowed
    assert ReturnProduced.objects.count() == (3 if allowed else 0)
