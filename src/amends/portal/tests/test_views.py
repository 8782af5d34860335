import pytest
from django.test import Client

from amends.process.models import Understanding
from amends.process.steps import understanding_record

pytestmark = pytest.mark.django_db


def test_customer_confirms_the_summary_on_their_status_page(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team)
    other = make_case(team=complaints_team)
    understanding = understanding_record(
        case=case,
        actor=case_handler,
        what_happened="Charged twice",
        impact="Overdrawn",
        outcome_wanted="Refund",
    )
    client = Client()
    page = client.get(f"/status/{case.public_token}/").content.decode()
    assert "Charged twice" in page and "Yes, this is right" in page
    assert "Charged twice" not in client.get(f"/status/{other.public_token}/").content.decode()
    # a stale or foreign summary id changes nothing
    client.post(f"/status/{other.public_token}/confirm", {"understanding": understanding.pk})
    assert Understanding.objects.get(pk=understanding.pk).confirmed_at is None
    response = client.post(f"/status/{case.public_token}/confirm", {"understanding": understanding.pk})
    assert response.status_code == 302
    confirmed = Understanding.objects.get(pk=understanding.pk)
    assert confirmed.confirmed_at is not None and confirmed.confirmed_via == "customer status page"
    assert "You confirmed this summary" in client.get(f"/status/{case.public_token}/").content.decode()
    assert client.post("/status/nope/confirm", {"understanding": understanding.pk}).status_code == 404


def test_the_status_link_stays_out_of_other_sites_referrers_but_not_out_of_our_own_forms(complaints_team):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team)
    response = Client().get(f"/status/{case.public_token}/")
    # "no-referrer" made chromium post the confirm form with `Origin: null`, which the CSRF check refuses.
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


def test_a_form_refused_by_the_csrf_check_says_what_to_do(complaints_team):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team)
    client = Client(enforce_csrf_checks=True)
    ours = f"http://testserver/status/{case.public_token}/"
    response = client.post(f"/status/{case.public_token}/confirm", {"understanding": "1"}, HTTP_REFERER=ours)
    page = response.content.decode()
    assert response.status_code == 403
    assert "We could not accept that form" in page and "CSRF" not in page
    assert f'href="{ours}"' in page
    # A link back only to our own pages, never to wherever the Referer says.
    elsewhere = client.post("/complain/", {}, HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in elsewhere and "Go back to the page" not in elsewhere
