"""`amends bench competence`: capture is measured as work (evidence made by the learner's events, none by
the other's), and the reading figures over exactly the items asked for, the same on a second run."""

import pytest

from amends.assessment.models import EvidenceItem
from amends.bench import competence

pytestmark = pytest.mark.django_db


def test_capture_and_reading_are_measured_over_the_same_work_each_run(monkeypatch):
    monkeypatch.setattr(competence, "CAPTURED", 20)
    monkeypatch.setattr(competence, "BATCH", 10)
    monkeypatch.setattr(competence, "CASES", 5)
    first = competence.measure(30, requests=2, log=lambda s: None)
    names = [f["name"] for f in first]
    assert names == [
        "capture: events by a learner",
        "capture: events by a non-learner",
        "portfolio page",
        "criterion page (WM57 13)",
        "portfolio PDF",
        "xAPI export",
    ]
    assert first[0]["evidence_made"] == 20 and first[0]["value"] > 0 and first[1]["value"] > 0
    assert all(f["n"] == 30 for f in first[2:])
    second = competence.measure(30, requests=2, log=lambda s: None)
    assert second[0]["evidence_made"] == 20 and all(f["n"] == 30 for f in second[2:])
    assert EvidenceItem.objects.count() == 30
