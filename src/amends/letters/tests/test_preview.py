"""A draft letter beside its live preview: the server renders the letter with the form's fields (saving
nothing), and whatever reads drafts (the reply coach, through letters.hooks.draft_readers) says its piece."""

import re

import pytest
from django.test import Client

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.letters.hooks import draft_readers
from amends.letters.models import Letter
from amends.letters.services import letter_compose

pytestmark = pytest.mark.django_db

FINAL = ["reference", "decision", "reasons", "remedy", "referral_rights"]


@pytest.fixture
def letter(complaints_team, case_handler):
    case = make_case(team=complaints_team, owner=case_handler, name="Robin Ashby")
    return letter_compose(
        case=case,
        kind="final_response",
        fields={"decision": "upheld", "reasons": "We were late.", "remedy": "£50"},
        required=FINAL,
        referral=None,
        actor=case_handler,
    )


def preview(user, letter, **fields):
    client = Client()
    client.force_login(user)
    data = {f"field_{name}": value for name, value in fields.items()}
    return client.post(f"/cases/{letter.case.reference}/letters/{letter.pk}/preview", data)


def test_the_preview_shows_the_form_as_typed_and_saves_nothing(letter, case_handler):
    response = preview(case_handler, letter, reasons="Our courier lost the parcel.", remedy="")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="letter-sheet" lang="en-GB"' in page
    assert "Our courier lost the parcel." in page and "We were late." not in page
    assert "Putting things right" not in page  # the remedy emptied in the form is gone from the preview
    assert "DRAFT" in page and "<style>" not in page  # the page's CSP allows no inline style
    # Its headings sit under the case page's: one h1 on the page, the case's.
    assert "<h1" not in page and "<h3>Our final response to your complaint</h3>" in page
    saved = Letter.objects.get(pk=letter.pk)
    assert saved.fields["reasons"] == "We were late." and saved.version == 1
    assert not CaseEvent.objects.filter(kind="letter_updated").exists()


def test_a_field_a_letter_cannot_hold_is_said_in_the_preview(letter, case_handler):
    response = preview(case_handler, letter, tone="warm")
    assert response.status_code == 200
    assert (
        "The preview cannot show this draft: A letter has no field &#x27;tone&#x27;"
        in response.content.decode()
    )


def test_a_draft_reader_reads_the_letter_as_the_customer_would(letter, case_handler):
    read = []

    def reader(request, case, text, *, closing, target):
        read.append((case.pk, closing, target, text))
        return f'<div id="{target}">read it</div>'

    draft_readers.register(reader)
    try:
        page = preview(case_handler, letter, reasons="Our courier lost the parcel.").content.decode()
    finally:
        draft_readers.unregister(reader)
    (case_id, closing, target, text), *_ = read
    assert case_id == letter.case_id and closing is True and target == f"letter-coach-{letter.pk}"
    assert "Dear Robin Ashby," in text and "Our courier lost the parcel." in text
    assert "DRAFT" not in text  # what only the writer sees is not read as the letter
    assert f'<div id="letter-coach-{letter.pk}">read it</div>' in page


def test_the_reply_coach_reads_letters_as_it_reads_replies(letter, case_handler):
    page = preview(
        case_handler,
        letter,
        reasons="Calm down. As I already said, it is our policy and there is nothing more.",
    ).content.decode()
    coach = re.search(rf'<div id="letter-coach-{letter.pk}" class="coach".*?</div>', page, re.S)
    assert coach is not None
    assert 'data-kind="provocative_or_dismissive"' in coach.group(0)
    assert "calm down" in coach.group(0).lower()


def test_a_sent_letter_has_no_preview_and_another_cases_letter_is_not_found(
    letter, case_handler, complaints_team
):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.PRINTED)
    assert "has been sent" in preview(case_handler, letter).content.decode()
    other = make_case(team=complaints_team, owner=case_handler)
    client = Client()
    client.force_login(case_handler)
    assert client.post(f"/cases/{other.reference}/letters/{letter.pk}/preview").status_code == 404


def test_only_those_who_may_see_the_case_preview_its_letters(letter, other_team_adviser, assessor):
    assert preview(other_team_adviser, letter).status_code == 404
    assert preview(assessor, letter).status_code == 200  # reading, not writing
