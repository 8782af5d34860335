import re

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case
from amends.intake.forms import new_form_token
from amends.messaging.models import Message
from amends.messaging.tasks import send_outbox

pytestmark = pytest.mark.django_db


def _form(**over):
    data = {
        "name": "Morgan Ellis",
        "email": "morgan@example.com",
        "phone": "",
        "nation": "scotland",
        "subject": "Boiler broken",
        "what_happened": "Three visits and still no hot water.",
        "outcome_wanted": "A new boiler",
        "form_token": new_form_token(),
    }
    data.update(over)
    return data


def test_a_complaint_becomes_a_case_and_the_customer_lands_on_their_status_page(
    complaints_team, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/complain/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complain/", {**_form(form_token=token), "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302 and "/status/" in response["Location"]
    case = Case.objects.get()
    assert case.kind == "complaint" and case.channel == "web_form" and case.team == complaints_team
    assert case.customer.nation == "scotland"
    assert case.outcome_wanted == "A new boiler"
    assert Message.objects.filter(case=case, direction="in").count() == 1
    assert mailoutbox == []  # the request sends nothing: the worker does
    send_outbox(timezone.now())
    assert len(mailoutbox) == 1 and case.public_token in mailoutbox[0].body
    status_page = client.get(response["Location"]).content.decode()
    assert case.reference in status_page and "Thank you" in status_page


def test_double_submit_files_one_complaint():
    client = Client()
    data = _form()
    first = client.post("/complain/", data)
    second = client.post("/complain/", data)
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1 and Message.objects.filter(direction="in").count() == 1


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/complain/", _form()).status_code == 403
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"email": "not-an-email"},
        {"phone": "call me maybe"},
        {"what_happened": ""},
        {"what_happened": "x" * 20_001},
        {"subject": "s" * 201},
        {"nation": "atlantis"},
        {"form_token": "forged"},
    ],
)
def test_invalid_input_is_explained_and_nothing_is_stored(bad):
    response = Client().post("/complain/", _form(**bad))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and 'role="alert"' in body
    assert Case.objects.count() == 0


def test_script_in_a_complaint_is_escaped_on_every_page(team_leader, complaints_team):
    response = Client().post(
        "/complain/", _form(subject="<script>alert(1)</script>", what_happened="<img src=x onerror=alert(2)>")
    )
    case = Case.objects.get()
    staff = Client()
    staff.force_login(team_leader)
    for url in [
        response["Location"],
        f"/cases/{case.reference}/",
        f"/customers/{case.customer_id}/",
        "/queue/",
    ]:
        body = (staff if not url.startswith("/status/") else Client()).get(url).content.decode()
        assert "<script>alert(1)</script>" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;" in body or "&lt;img" in body, url


def test_rate_limited_per_address(settings):
    settings.AMENDS_PUBLIC_FORM_RATE = (2, 3600)
    client = Client()
    assert client.post("/complain/", _form()).status_code == 302
    assert client.post("/complain/", _form()).status_code == 302
    limited = client.post("/complain/", _form())
    assert limited.status_code == 429 and "try again later" in limited.content.decode()
    assert Case.objects.count() == 2


def test_behind_a_trusted_proxy_each_customer_has_their_own_allowance(settings):
    settings.AMENDS_PUBLIC_FORM_RATE = (1, 3600)
    settings.AMENDS_TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(forwarded):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert via_proxy("198.51.100.1").post("/complain/", _form()).status_code == 302
    assert via_proxy("198.51.100.2").post("/complain/", _form()).status_code == 302
    assert via_proxy("198.51.100.1").post("/complain/", _form()).status_code == 429
    # A forged X-Forwarded-For (kept by the proxy, to the left of the real address) changes nothing.
    assert via_proxy("203.0.113.50, 198.51.100.1").post("/complain/", _form()).status_code == 429
    assert Case.objects.count() == 2


def test_login_is_throttled(adviser, settings):
    settings.AMENDS_LOGIN_RATE = (3, 900)
    client = Client()
    for _ in range(3):
        assert client.post("/login/", {"username": "ada", "password": "wrong"}).status_code == 200
    blocked = client.post("/login/", {"username": "ada", "password": "correct-horse-battery"})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_security_headers(client):
    response = client.get("/complain/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/").status_code == 302 and client.get("/")["Location"].startswith("/login/")


def test_static_files_are_served_by_the_app(client):
    for path in ["/static/amends/amends.css", "/static/amends/htmx-2.0.11.min.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content) if response.streaming else response.content
