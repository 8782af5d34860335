"""Tags: one list for the organisation, one spelling per tag whatever its case, each change on the case's
history; the case page adds and removes them, the queue shows and filters by them, and so does the API."""

import pytest

from amends.cases.events import describe
from amends.cases.models import Case, CaseEvent, CaseTag, Tag
from amends.cases.tags import case_tag_add, case_tag_remove, tag_name
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import DomainError
from amends.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _tags(case) -> list[str]:
    return [tag.name for tag in Case.objects.get(pk=case.pk).tags.all()]


def test_a_new_name_makes_one_tag_for_the_organisation_and_records_who_and_when(complaints_team, adviser):
    first, second = make_case(team=complaints_team), make_case(team=complaints_team)

    assert case_tag_add(case=first, tag="  Vulnerable   customer ", actor=adviser) is True
    assert case_tag_add(case=second, tag="VULNERABLE customer", actor=adviser) is True

    (tag,) = Tag.objects.all()
    assert tag.name == "Vulnerable customer" and tag.normalised == "vulnerable customer"
    assert _tags(first) == _tags(second) == ["Vulnerable customer"]
    # The tag's creation is audited once; each case's history says it was tagged, and by whom.
    assert AuditEvent.objects.filter(kind="tag.created", object_id=str(tag.pk)).count() == 1
    for case in (first, second):
        event = CaseEvent.objects.get(case=case, kind="tag_added")
        assert event.actor == adviser and event.after == {"tag": "Vulnerable customer"}
    assert CaseTag.objects.get(case=first).added_by == adviser


def test_tagging_twice_or_removing_what_is_not_there_changes_nothing(complaints_team, adviser):
    case = make_case(team=complaints_team)
    case_tag_add(case=case, tag="Media", actor=adviser)
    version = Case.objects.get(pk=case.pk).version

    assert case_tag_add(case=case, tag="media", actor=adviser) is False
    assert case_tag_remove(case=case, tag="press", actor=adviser) is False

    assert CaseEvent.objects.filter(case=case, kind__startswith="tag_").count() == 1
    # A tag is not a change to the case: an open form on it is not made stale.
    assert Case.objects.get(pk=case.pk).version == version


def test_removing_a_tag_keeps_it_in_the_organisations_list_and_says_so_on_the_timeline(
    complaints_team, adviser
):
    case = make_case(team=complaints_team)
    case_tag_add(case=case, tag="Media interest", actor=adviser)

    assert case_tag_remove(case=case, tag=" MEDIA  interest", actor=adviser) is True

    assert _tags(case) == [] and Tag.objects.filter(name="Media interest").exists()
    event = CaseEvent.objects.get(case=case, kind="tag_removed")
    assert event.before == {"tag": "Media interest"}
    text = describe(event.kind, event.before, event.after, people={}, teams={})
    assert text == "Tag “Media interest” removed"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("", "required"),
        ("   ", "required"),
        ("x" * 41, "at most 40 characters"),
        ("bad\u200bname", "invisible character"),
    ],
)
def test_a_name_no_tag_can_have_is_refused_and_nothing_is_made(complaints_team, adviser, raw, field):
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as refused:
        case_tag_add(case=case, tag=raw, actor=adviser)
    assert refused.value.fields == {"tag": field}
    assert not Tag.objects.exists() and not CaseEvent.objects.filter(kind="tag_added").exists()


def test_casefolding_counts_towards_the_limit():
    assert tag_name("ß" * 20) == ("ß" * 20, "ss" * 20)
    with pytest.raises(DomainError):
        tag_name("ß" * 21)


def test_the_case_page_adds_and_removes_tags_for_those_who_work_it(complaints_team, adviser, assessor):
    case = make_case(team=complaints_team)
    page = login(adviser)

    added = page.post(f"/cases/{case.reference}/tags", {"tag": "Vulnerable"}, follow=True)
    assert "Tag added" in added.content.decode() and _tags(case) == ["Vulnerable"]
    shown = page.get(f"/cases/{case.reference}/").content.decode()
    assert 'class="tag case-tag">Vulnerable<' in shown and "Remove the tag Vulnerable" in shown
    refused = page.post(f"/cases/{case.reference}/tags", {"tag": ""}, follow=True)
    assert "Give the tag a name" in refused.content.decode()

    reader = login(assessor)
    read = reader.get(f"/cases/{case.reference}/").content.decode()
    assert "Vulnerable" in read and "Remove the tag" not in read and "Add a tag" not in read
    reader.post(f"/cases/{case.reference}/tags/remove", {"tag": "Vulnerable"})
    reader.post(f"/cases/{case.reference}/tags", {"tag": "Assessed"})
    assert _tags(case) == ["Vulnerable"]

    page.post(f"/cases/{case.reference}/tags/remove", {"tag": "vulnerable"})
    assert _tags(case) == []


def test_a_case_of_another_team_cannot_be_tagged(complaints_team, billing_team, other_team_adviser):
    case = make_case(team=complaints_team)
    response = login(other_team_adviser).post(f"/cases/{case.reference}/tags", {"tag": "Mine now"})
    assert response.status_code == 404 and not Tag.objects.exists()


def test_the_queue_shows_tags_and_filters_by_one_in_any_case(complaints_team, adviser):
    tagged, other = make_case(team=complaints_team), make_case(team=complaints_team)
    case_tag_add(case=tagged, tag="Media interest", actor=adviser)
    page = login(adviser)

    everything = page.get("/queue/").content.decode()
    assert tagged.reference in everything and other.reference in everything
    assert 'class="tag case-tag">Media interest<' in everything
    assert '<option value="Media interest" >Media interest</option>' in everything  # the filter offers it

    filtered = page.get("/queue/?tag=MEDIA+interest").content.decode()
    assert tagged.reference in filtered and other.reference not in filtered
    assert '<option value="Media interest" selected>' in filtered
    assert other.reference not in page.get("/queue/?tag=nothing+like+it").content.decode()


def test_the_api_tags_lists_and_filters(complaints_team, adviser, assessor):
    case, other = make_case(team=complaints_team), make_case(team=complaints_team)
    api = api_client(adviser)

    tagged = api.post(
        f"/api/v1/cases/{case.reference}/tags", {"tag": "Priority"}, content_type="application/json"
    )
    assert tagged.status_code == 200 and tagged.json()["tags"] == ["Priority"]
    listing = api.get("/api/v1/cases?queue=all&tag=priority").json()["items"]
    assert [c["reference"] for c in listing] == [case.reference] and listing[0]["tags"] == ["Priority"]
    assert other.reference in [c["reference"] for c in api.get("/api/v1/cases?queue=all").json()["items"]]

    bad = api.post(f"/api/v1/cases/{case.reference}/tags", {"tag": " "}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"tag": "required"}
    read_only = api_client(assessor).post(
        f"/api/v1/cases/{case.reference}/tags/remove", {"tag": "Priority"}, content_type="application/json"
    )
    assert read_only.status_code == 403

    removed = api.post(
        f"/api/v1/cases/{case.reference}/tags/remove", {"tag": "PRIORITY"}, content_type="application/json"
    )
    assert removed.status_code == 200 and removed.json()["tags"] == []


def test_the_queue_and_case_page_queries_do_not_grow_with_tags(complaints_team, adviser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = login(adviser)
    case = make_case(team=complaints_team)

    def counts() -> tuple[int, int]:
        sizes = []
        for url in ("/queue/", f"/cases/{case.reference}/"):
            with CaptureQueriesContext(connection) as ctx:
                assert page.get(url).status_code == 200
            sizes.append(len(ctx.captured_queries))
        return sizes[0], sizes[1]

    case_tag_add(case=case, tag="First", actor=adviser)
    small = counts()
    for n in range(10):
        other = make_case(team=complaints_team)
        for name in ("First", f"Tag {n}", f"Other {n}"):
            case_tag_add(case=other, tag=name, actor=adviser)
            case_tag_add(case=case, tag=name, actor=adviser)
    assert counts() == small
