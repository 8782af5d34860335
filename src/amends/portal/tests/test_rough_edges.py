"""Issue 10, fault 6: the rough edges a customer and an agent met, each pinned."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

import amends
from amends.conftest import PASSWORD

pytestmark = pytest.mark.django_db
REPO = Path(amends.__file__).resolve().parents[2]


def test_a_contact_says_where_it_came_from_in_words_not_codes():
    from amends.cases.tests.factories import make_contact_case
    from amends.demo.wording import kind_reason
    from amends.intake.contacts import given_kind_reason

    case = make_contact_case(channel="web_form").case
    assert case.kind_reason == "Web form: it arrived marked as a complaint"
    assert make_contact_case(channel="api").case.kind_reason == "API: it arrived marked as a complaint"
    # The demo writes what a live contact would have said.
    for channel in ["web_form", "api", "social", "chat"]:
        said = kind_reason(None, "problem", channel)
        assert said == given_kind_reason("problem", channel)
        assert "_" not in said and "feed" not in said


def test_the_customer_is_never_told_we_received_their_problem(complaints_team):
    from amends.cases.tests.factories import make_case
    from amends.intake.arrivals import acknowledgement_text

    said = {
        kind: acknowledgement_text(make_case(team=complaints_team, kind=kind))
        for kind in ["problem", "query"]
    }
    said["complaint"] = acknowledgement_text(make_case(team=complaints_team))
    assert said["problem"][0] == "We have received your message"
    assert said["query"][0] == "We have received your enquiry"
    assert said["complaint"][0] == "We have received your complaint"
    assert not any(
        "problem" in subject + body or "query" in subject + body for subject, body in said.values()
    )


def test_the_status_filter_lists_each_choice_once_and_each_can_be_chosen(complaints_team, adviser):
    from amends.cases.services import case_transition
    from amends.cases.tests.factories import make_case

    new = make_case(team=complaints_team, summary="Still new")
    opened = case_transition(
        case=make_case(team=complaints_team, summary="Being worked"), to="open", actor=adviser
    )
    client = Client()
    client.login(username=adviser.username, password=PASSWORD)
    page = client.get("/queue/?queue=team").content.decode()
    select = re.search(r'<select id="status".*?</select>', page, re.S).group(0)
    labels = re.findall(r">([^<]+)</option>", select)
    assert len(labels) == len(set(labels)) and labels.count("Open") == 1
    only_open = client.get("/queue/?queue=team&status=open_only").content.decode()
    assert opened.reference in only_open and new.reference not in only_open
    unfinished = client.get("/queue/?queue=team&status=open").content.decode()
    assert opened.reference in unfinished and new.reference in unfinished


def test_a_finding_has_no_default_and_root_causes_are_in_order(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case
    from amends.process.selectors import process_panel
    from amends.process.services import process_start

    case = make_case(team=complaints_team, owner=case_handler)
    process_start(case=case, regime_code="fca-disp", actor=case_handler)
    shown = [str(rc) for rc in process_panel(case, case_handler).root_causes]
    assert len(shown) > 3 and shown == sorted(shown, key=str.casefold)
    client = Client()
    client.login(username=case_handler.username, password=PASSWORD)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    outcome = re.search(r'<select id="f-outcome".*?</select>', page, re.S).group(0)
    assert "required" in outcome
    assert re.findall(r"<option ([^>]*)>", outcome)[0] == 'value="" selected disabled'


def test_every_page_names_an_icon_that_is_served():
    client = Client()
    page = client.get("/complain/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert client.get(icon).status_code == 200


def _described_ids_missing(page: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = [i for attr in re.findall(r'aria-describedby="([^"]+)"', page) for i in attr.split()]
    assert described, "the form describes its fields"
    return [i for i in described if i not in ids]


def test_the_public_form_describes_fields_only_with_ids_that_exist():
    client = Client()
    assert _described_ids_missing(client.get("/complain/").content.decode()) == []
    refused = client.post("/complain/", {"name": "", "email": "not an email", "subject": ""})
    assert refused.status_code == 400
    assert _described_ids_missing(refused.content.decode()) == []


def test_the_public_form_states_each_text_limit_and_loads_the_counter():
    page = Client().get("/complain/").content.decode()
    assert "Up to 20,000 characters." in page and "Up to 5,000 characters." in page
    assert re.search(r'<script src="[^"]*counter\.js"', page)


def test_make_demo_gives_every_step_the_port_it_serves_on(tmp_path):
    """The seed sends acknowledgements with status links too: SITE_URL must reach it, not only the server."""
    for name in ["Makefile", "pyproject.toml"]:
        (tmp_path / name).write_text((REPO / name).read_text())
    fake = tmp_path / ".venv" / "bin" / "amends"
    fake.parent.mkdir(parents=True)
    for program in ("amends", "gunicorn"):  # gunicorn serves the demo; its first argument is the app
        (fake.parent / program).write_text('#!/bin/sh\necho "$1 SITE_URL=$SITE_URL"\n')
        (fake.parent / program).chmod(0o755)
    os.utime(fake, (os.path.getmtime(tmp_path / "pyproject.toml") + 10,) * 2)
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "MAKEFLAGS", "MAKELEVEL"}}
    out = subprocess.run(  # noqa: S603 (our own Makefile, a fixed command)
        [shutil.which("make") or "make", "-s", "demo", "PORT=9123"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    steps = dict(line.split(" ", 1) for line in out.splitlines() if "SITE_URL=" in line)
    assert steps["demo_seed"] == "SITE_URL=http://127.0.0.1:9123"
    assert steps["amends.wsgi"] == "SITE_URL=http://127.0.0.1:9123"
