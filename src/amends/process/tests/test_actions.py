"""The process steps as typed actions: the case page and the API run the same ones with the same input."""

import pytest
from django.contrib.messages import get_messages

from amends.cases.models import CaseEvent
from amends.conftest import api_client, login
from amends.letters.models import Letter
from amends.process.actions import ACTIONS
from amends.process.api import STEPS
from amends.process.letters import process_compose_letter
from amends.process.models import Option, Promise
from amends.process.services import process_start

pytestmark = pytest.mark.django_db


def test_every_step_on_the_case_page_has_an_api_endpoint():
    assert sorted(name for _, name, _ in STEPS) == sorted(ACTIONS)


def _api(user):
    client = api_client(user)
    return lambda url, body: client.post(url, body, content_type="application/json")


_page = login


@pytest.fixture
def draft(complaint, case_handler):
    process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    process_compose_letter(case=complaint, kind="holding", actor=case_handler, fields={"delay_reasons": "x"})
    return Letter.objects.get(case=complaint, kind="holding")


def test_a_draft_letter_is_updated_through_the_api_as_on_the_page(draft, complaint, case_handler):
    url = f"/api/v1/cases/{complaint.reference}/process/letters/update"
    body = {"letter": draft.pk, "fields": {"delay_reasons": "Awaiting a report"}, "version": draft.version}
    response = _api(case_handler)(url, body)
    assert response.status_code == 200
    assert [letter["id"] for letter in response.json()["letters"]] == [draft.pk]
    draft.refresh_from_db()
    assert draft.fields["delay_reasons"] == "Awaiting a report"
    # The page posts the same input as field_<name> boxes.
    _page(case_handler).post(
        f"/cases/{complaint.reference}/process/update-letter",
        {"letter": draft.pk, "field_delay_reasons": "The engineer is booked", "version": draft.version},
    )
    draft.refresh_from_db()
    assert draft.fields["delay_reasons"] == "The engineer is booked"


def test_updating_a_letter_needs_what_the_page_needs(draft, complaint, assessor, other_team_adviser):
    url = f"/api/v1/cases/{complaint.reference}/process/letters/update"
    body = {"letter": draft.pk, "fields": {"delay_reasons": "Changed"}, "version": draft.version}
    assert _api(assessor)(url, body).status_code == 403
    assert _api(other_team_adviser)(url, body).status_code == 404
    draft.refresh_from_db()
    assert draft.fields["delay_reasons"] == "x"


def test_an_unknown_letter_is_not_found(draft, complaint, case_handler):
    url = f"/api/v1/cases/{complaint.reference}/process/letters/update"
    response = _api(case_handler)(url, {"letter": draft.pk + 1000, "fields": {}, "version": 1})
    assert (
        response.status_code == 404 and response.json()["error"]["message"] == "No such letter on this case"
    )


def test_the_page_reports_input_the_schema_refuses(complaint, case_handler):
    response = _page(case_handler).post(
        f"/cases/{complaint.reference}/process/promise", {"description": "Call back", "due_at": "next week"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#process")
    [said] = [str(m) for m in get_messages(response.wsgi_request)]
    assert said.startswith("Some values are missing or of the wrong type (due_at: ")
    assert not Promise.objects.filter(case=complaint).exists()


def test_the_page_leaves_out_empty_boxes_that_are_not_text(complaint, case_handler):
    process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    _page(case_handler).post(
        f"/cases/{complaint.reference}/process/option",
        {"title": "Apologise", "remedy_type": "apology", "amount": "", "benefits_customer": "Heard"},
    )
    option = Option.objects.get(case=complaint)
    assert option.amount is None and option.risk_customer == 1  # the defaults, as over the API
    _page(case_handler).post(
        f"/cases/{complaint.reference}/process/promise",
        {"description": "Call back", "due_at": "2030-01-02T10:00"},  # a datetime-local box: no zone
    )
    promise = Promise.objects.get(case=complaint)
    assert promise.due_at.isoformat() == "2030-01-02T10:00:00+00:00"  # 10:00 in London in January


# Every form that names a row on the case by its id, with the field that carries it (issue 10, fault 17).
ID_FORMS = {
    "keep-promise": ("promises/keep", "promise", {"note": "Done"}),
    "renegotiate-promise": ("promises/renegotiate", "promise", {"due_at": "2030-01-02T10:00", "note": "OK"}),
    "extend-clock": ("clocks/extend", "clock", {"reason": "Customer asked"}),
    "choose-option": ("options/choose", "option", {"reason": "Fair"}),
    "request-approval": ("options/request-approval", "option", {"reason": "Over my limit"}),
    "decide-approval": ("approvals/decide", "request", {"decision": "approve", "reason": "Fair"}),
    "confirm-understanding": ("understanding/confirm", "understanding", {"via": "phone"}),
    "update-letter": ("letters/update", "letter", {"field_reasons": "Our error"}),
    "send-letter": ("letters/send", "letter", {"by": "print"}),
}


@pytest.mark.parametrize("value", ["abc", "²", "٣", "1e3", "", "0", "9223372036854775808"])
@pytest.mark.parametrize("action", sorted(ID_FORMS))
def test_an_id_that_is_not_one_is_refused_by_name_on_the_page_and_the_api(
    complaint, case_handler, action, value
):
    process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    path, field, rest = ID_FORMS[action]
    events = CaseEvent.objects.count()
    response = _page(case_handler).post(
        f"/cases/{complaint.reference}/process/{action}", {field: value, **rest}
    )
    assert response.status_code == 302 and response["Location"].endswith("#process")
    [said] = [str(m) for m in get_messages(response.wsgi_request)]
    assert said.startswith(f"Some values are missing or of the wrong type ({field}: "), said
    body = {k.removeprefix("field_"): v for k, v in rest.items()} | {field: value}
    if action == "update-letter":
        body = {field: value, "fields": {"reasons": "Our error"}}
    api = _api(case_handler)(f"/api/v1/cases/{complaint.reference}/process/{path}", body)
    assert api.status_code == 422 and field in api.json()["error"]["fields"], api.json()
    assert CaseEvent.objects.count() == events
