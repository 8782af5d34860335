"""A letter that reads like a person wrote it, in Debian's chromium: drafted beside its live preview, which
shows only what its kind needs, the customer's postal address, an apology for an upheld complaint, the reasons
written for the customer (never the internal note), the reply coach's reading, and the writer's signature."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNAL = "Customer charged twice: the retry job ran after the first payment succeeded."
FOR_CUSTOMER = "We took your payment twice because our system tried again after it had already gone through."


@pytest.fixture
def decided(complaints_team, case_handler):
    """A Housing Ombudsman complaint, acknowledged, investigated and upheld, the remedy chosen; the
    customer's postal address on their record."""
    from amends.cases.tests.factories import make_contact_case
    from amends.core.services import staff_job_title_set
    from amends.customers.details import AddressDetails, customer_update
    from amends.process import authority, steps
    from amends.process.services import process_start

    case = make_contact_case(text="You took my rent twice this month.", email="jordan.reeve@example.com").case
    customer = case.customer
    customer_update(
        customer=customer,
        actor=case_handler,
        expected_version=customer.version,
        postal_addresses=[
            AddressDetails(("Flat 4", "22 Canal Street"), "Manchester", "M1 3HE", for_letters=True)
        ],
    )
    staff_job_title_set(user=case_handler, job_title="Complaints Officer")
    process_start(case=case, regime_code="hos-2024", actor=case_handler)
    steps.finding_record(
        case=case,
        actor=case_handler,
        outcome="justified",
        facts="Two rent debits on 1 December",
        reasoning=INTERNAL,
        customer_explanation=FOR_CUSTOMER,
    )
    option = authority.option_add(
        case=case,
        actor=case_handler,
        title="Refund the second payment",
        remedy_type="refund",
        amount="95",
        benefits_customer="Money back",
    )
    authority.option_choose(option=option, actor=case_handler, reason="Puts them back where they were")
    return case


def _letters(page):
    step = page.locator("details#letters")
    step.evaluate("el => { el.open = true; }")
    return step


def test_a_letter_drafted_beside_its_preview_carries_the_postal_address_and_an_apology(
    page, live_server, case_handler, decided
):
    from amends.letters.models import Letter

    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{decided.reference}/")
    _letters(page).get_by_label("New letter").select_option(label="Stage1 response")
    _letters(page).get_by_role("button", name="Draft letter").click()
    page.locator(".messages").get_by_text("Letter drafted").wait_for()

    letter = Letter.objects.get(case=decided, kind="stage1_response")
    assert page.url.endswith(f"#letter-{letter.pk}")  # back at the draft, which stays open
    editor = page.locator(f"#letter-{letter.pk}")
    preview = editor.locator(f"#letter-preview-{letter.pk}")
    sheet = preview.locator("article.letter-sheet")
    sheet.wait_for()
    # Only what a stage 1 response needs, in the letter's order, the apology beside the decision.
    labels = editor.locator(".letter-form label").all_inner_texts()
    assert labels[:5] == ["Opening paragraph", "Stage", "What the complaint is about", "Decision", "Apology"]
    assert "Delay" not in " ".join(labels) and "New date" not in labels
    # The address block, the apology, the reasons written for the customer and the signature.
    recipient = sheet.locator("address.recipient").inner_text()
    assert recipient.splitlines() == ["Pat Customer", "Flat 4", "22 Canal Street", "MANCHESTER", "M1 3HE"]
    assert "I am sorry" in sheet.locator("section.apology").inner_text()
    assert FOR_CUSTOMER in sheet.inner_text() and "retry job" not in sheet.inner_text()
    assert "Hal Handler\nComplaints Officer" in sheet.locator(".signatory").inner_text()

    # The preview follows the form as the writer types, without saving.
    apology = editor.get_by_label("Apology")
    apology.fill("I am sorry, Pat: we took your rent twice and left you short before Christmas.")
    sheet.locator("section.apology", has_text="left you short before Christmas").wait_for()
    # The reply coach reads the letter as it reads a reply.
    editor.get_by_label("Reasons").fill(FOR_CUSTOMER + " Calm down, it is our policy to check twice.")
    coach = preview.locator(f"#letter-coach-{letter.pk}")
    coach.locator('[data-kind="provocative_or_dismissive"]').wait_for()
    editor.get_by_label("Reasons").fill(FOR_CUSTOMER)
    coach.locator('[data-kind="provocative_or_dismissive"]').wait_for(state="detached")
    assert Letter.objects.get(pk=letter.pk).version == 1  # previewing saved nothing

    editor.get_by_label("Outstanding actions").fill("None: the refund reached your account on 3 December.")
    editor.get_by_role("button", name="Save letter").click()
    page.locator(".messages").get_by_text("Letter updated").wait_for()
    page.locator(f"#letter-{letter.pk}").get_by_role("button", name="Send by email").click()
    page.locator(".messages").get_by_text("Letter sent").wait_for()

    sent = Letter.objects.get(pk=letter.pk)
    assert sent.status == Letter.Status.SENT
    assert re.search(r"Flat 4<br>22 Canal Street<br>MANCHESTER<br>M1 3HE</address>", sent.html)
    assert "left you short before Christmas" in sent.html and "retry job" not in sent.html
    pdf = page.request.get(f"{live_server.url}/cases/{decided.reference}/letters/{letter.pk}.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-1.7")


def test_an_acknowledgement_shows_no_decision_and_a_response_waits_for_the_customers_explanation(
    page, live_server, case_handler, decided
):
    from amends.process.models import Finding

    Finding.objects.filter(case=decided).update(customer_explanation="")
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{decided.reference}/")
    _letters(page).get_by_label("New letter").select_option(label="Acknowledgement")
    _letters(page).get_by_role("button", name="Draft letter").click()
    page.locator(".messages").get_by_text("Letter drafted").wait_for()
    form = page.locator(".letter-form").last
    labels = form.locator("label").all_inner_texts()
    assert "Decision" not in labels and "Remedy" not in labels and "Apology" not in labels
    assert "By email" not in page.locator("article.letter-sheet").last.inner_text()  # it has an address

    _letters(page).get_by_label("New letter").select_option(label="Stage1 response")
    _letters(page).get_by_role("button", name="Draft letter").click()
    said = page.locator(".messages")
    said.get_by_text("explanation for the customer before drafting").wait_for()
    assert "never the finding's internal facts and reasoning" in said.inner_text()


def test_the_coach_reads_a_progress_update_as_it_reads_a_reply(page, live_server, case_handler, decided):
    from django.utils import timezone

    from amends.process.models import CaseProcess

    CaseProcess.objects.filter(case=decided).update(next_update_due=timezone.now())
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{decided.reference}/")
    update = page.locator("#keep-informed")
    update.get_by_label("Drafted update (edit before sending)").fill(
        "Calm down. As I already said, it is our policy."
    )
    coach = update.locator("#progress-coach")
    coach.locator('[data-kind="provocative_or_dismissive"]').wait_for()
    assert page.locator("#coach").count() == 1  # the reply box keeps its own
