"""A fixture history built through the services, back-dated with time_machine: FCA and Housing Ombudsman
complaints received, answered and closed on known dates, so the returns' figures can be computed by hand."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from amends.cases.models import Case
from amends.cases.services import case_open, case_reclassify, case_transition
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.letters.services import text_block_update
from amends.process import authority, services, steps
from amends.process.letters import process_compose_letter
from amends.process.models import Finding, Option, RootCause

LONDON = ZoneInfo("Europe/London")
BLOCKS = {
    "fca.disp1.annex3.waiver": "You may refer your complaint to the FOS ...",
    "fca.fos.leaflet": "We enclose the FOS leaflet.",
    "org.contact_details": "Complaints team, 1 High Street",
    "org.signature": "The complaints team",
}


HOS_FIELDS = {
    "stage": "Stage 1",
    "complaint_definition": "The repair was not done",
    "timescales": "We will answer within 10 working days",
    "outstanding_actions": "None",
    "how_to_escalate": "Reply to ask for stage 2",
}


def regime_of(case) -> str:
    from amends.process.models import CaseProcess

    return (
        CaseProcess.objects.select_related("regime_version__regime").get(case=case).regime_version.regime.code
    )


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


class Book:
    """Writes a fixture history: each step at its own moment, through the services."""

    def __init__(self, actor, on_commit=None):
        self.actor = actor
        self.n = 0
        self.on_commit = on_commit  # pytest-django's django_capture_on_commit_callbacks, where there is one

    @contextmanager
    def travel(self, moment):
        """At `moment`, running what waits for the commit (the returns' stored states) at the end, as a
        real request's commit would."""
        with time_machine.travel(moment, tick=False):
            if self.on_commit is None:
                yield
            else:
                with self.on_commit(execute=True):
                    yield

    def blocks(self, moment) -> None:
        with self.travel(moment):
            for code, body in BLOCKS.items():
                text_block_update(code=code, body=body, actor=self.actor)

    def receive(self, moment, *, product: str, regime: str = "fca-disp", category: str = "") -> Case:
        self.n += 1
        with self.travel(moment):
            customer, _ = customer_match_or_create(
                details=ContactDetails(name=f"Customer {self.n}", email=f"returns{self.n}@example.com")
            )
            case = case_open(
                customer=customer,
                kind="complaint",
                channel="email",
                summary=f"Complaint {self.n}",
                product=product,
                category=category,
            )
            services.process_start(case=case, regime_code=regime, actor=self.actor)
        return case

    def letter(self, case, moment, kind: str) -> None:
        with self.travel(moment):
            fields = {} if kind == "acknowledgement" else {"remedy": "Our apology"}
            if regime_of(case) == "hos-2024":
                fields = {**HOS_FIELDS, **fields}
            letter = process_compose_letter(case=case, kind=kind, actor=self.actor, fields=fields)
            services.process_send_letter(letter=letter, actor=self.actor, by="print")

    def find(self, case, moment, outcome: str, cause: str | None) -> Finding:
        with self.travel(moment):
            return steps.finding_record(
                case=case,
                actor=self.actor,
                outcome=outcome,
                facts="What happened",
                reasoning="Why",
                customer_explanation="What we found.",
                root_cause=RootCause.objects.get(code=cause) if cause else None,
            )

    def remedy(self, case, moment, **remedy) -> Option:
        with self.travel(moment):
            option = authority.option_add(
                case=case, actor=self.actor, title="Put it right", benefits_customer="Money back", **remedy
            )
            authority.option_choose(option=option, actor=self.actor, reason="Fair")
            return option

    def respond(self, case, moment, outcome: str, cause: str | None, *, redress=None) -> None:
        """A finding, any redress chosen, and the final response: the complaint is resolved (closed for
        the return) at `moment`."""
        self.find(case, moment, outcome, cause)
        if redress:
            self.remedy(case, moment, **redress)
        self.letter(case, moment, "final_response")

    def close(self, case, moment) -> None:
        with self.travel(moment):
            case_transition(case=Case.objects.get(pk=case.pk), to="closed", actor=self.actor, reason="Done")

    def reopen(self, case, moment) -> None:
        with self.travel(moment):
            case_transition(
                case=Case.objects.get(pk=case.pk), to="open", actor=self.actor, reason="Customer came back"
            )

    def reclassify(self, case, moment, product: str) -> None:
        with self.travel(moment):
            case_reclassify(
                case=Case.objects.get(pk=case.pk),
                actor=self.actor,
                kind="complaint",
                product=product,
                reason="It was about the current account",
            )


@pytest.fixture
def book(complaints_lead, django_capture_on_commit_callbacks):
    b = Book(complaints_lead, django_capture_on_commit_callbacks)
    b.blocks(at(2025, 1, 1, 9, 0))
    return b


@pytest.fixture
def fca_history(book):
    """The first half of 2026 (1 January to 30 June), by hand. Case: product; received; answered (closed
    for the return); finding and root cause; redress.

    A: Classic current account; Mon 2 Feb; Wed 4 Feb (2 BD); not justified, staff-error.
    B: Classic credit card; Mon 2 Mar; Mon 13 Apr (6 weeks); justified, charges; refund £120.
    C: Classic current account; Mon 5 Jan; Mon 9 Mar (9 weeks); partly justified, delay; goodwill £50.
    D: Tracker mortgage; Mon 1 Jun; still open on 30 June; no finding.
    E: Classic current account; Mon 4 May; Wed 6 May (2 BD); not justified, system-fault.
    F: Fixed-rate mortgage; Mon 11 May; Tue 2 Jun (3 weeks); justified, unclear-information.
    G: Rewards credit card; Mon 1 Dec 2025; Tue 20 Jan (7 weeks); not justified, handoff.

    G was outstanding on 1 January. Easter 2026 (Good Friday 3 April, Easter Monday 6 April) falls in B's
    weeks; it changes nothing for calendar weeks.
    """
    b = book
    cases = {}
    cases["G"] = b.receive(at(2025, 12, 1, 10, 0), product="Rewards credit card")
    cases["C"] = b.receive(at(2026, 1, 5, 10, 0), product="Classic current account")
    b.respond(cases["G"], at(2026, 1, 20, 15, 0), "not_justified", "handoff")
    cases["A"] = b.receive(at(2026, 2, 2, 9, 30), product="Classic current account")
    b.respond(cases["A"], at(2026, 2, 4, 16, 0), "not_justified", "staff-error")
    b.close(cases["A"], at(2026, 2, 6, 9, 0))
    cases["B"] = b.receive(at(2026, 3, 2, 11, 0), product="Classic credit card")
    b.respond(
        cases["C"],
        at(2026, 3, 9, 12, 0),
        "partly_justified",
        "delay",
        redress={"remedy_type": "goodwill", "amount": "50"},
    )
    b.respond(
        cases["B"],
        at(2026, 4, 13, 12, 0),
        "justified",
        "charges",
        redress={"remedy_type": "refund", "amount": "120"},
    )
    cases["E"] = b.receive(at(2026, 5, 4, 10, 0), product="Classic current account")
    b.respond(cases["E"], at(2026, 5, 6, 10, 0), "not_justified", "system-fault")
    b.close(cases["E"], at(2026, 5, 8, 10, 0))
    cases["F"] = b.receive(at(2026, 5, 11, 10, 0), product="Fixed-rate mortgage")
    cases["D"] = b.receive(at(2026, 6, 1, 10, 0), product="Tracker mortgage")
    b.respond(cases["F"], at(2026, 6, 2, 10, 0), "justified", "unclear-information")
    return cases


def change_everything_after(b: Book, cases: dict) -> None:
    """What happens after the period: E re-opened, F re-classified to another product, B's finding
    corrected, C given more redress, D answered, A re-opened and answered again."""
    b.reopen(cases["E"], at(2026, 7, 10, 10, 0))
    b.reclassify(cases["F"], at(2026, 7, 15, 10, 0), "Classic current account")
    b.find(cases["B"], at(2026, 7, 20, 10, 0), "not_justified", "staff-error")
    b.remedy(cases["C"], at(2026, 8, 3, 10, 0), remedy_type="compensation", amount="500")
    b.respond(
        cases["D"],
        at(2026, 7, 2, 10, 0),
        "justified",
        "delay",
        redress={"remedy_type": "refund", "amount": "75"},
    )
    b.reopen(cases["A"], at(2026, 9, 1, 10, 0))
    b.letter(cases["A"], at(2026, 9, 3, 10, 0), "final_response")


@pytest.fixture
def hos_history(book):
    """The financial year 1 April 2025 to 31 March 2026 under the Housing Ombudsman Code, by hand:

    H1 (Repairs): received Mon 2 Jun, acknowledged Tue 3 Jun, stage 1 response Mon 9 Jun (within):
       justified, contractor, compensation £100.
    H2 (Repairs): received Mon 7 Jul, acknowledged Wed 9 Jul, stage 1 response Mon 4 Aug (due 23 Jul:
       late): not justified, delay. Escalated Tue 12 Aug, acknowledged 13 Aug, stage 2 response Wed 3 Sep
       (within): partly justified, delay. Referred to the Ombudsman 1 Oct.
    H3 (Rent and service charges): received Mon 2 Mar, acknowledged Tue 3 Mar, extended 10 Mar, stage 1
       response Wed 25 Mar (within the extension): partly justified, staff-error.
    H4 (Anti-social behaviour): received Mon 23 Mar, acknowledged Tue 24 Mar, answered Wed 1 Apr 2026
       (after the year).
    F: an FCA complaint received in the year: not counted.
    """
    from amends.process.models import CaseClock

    b = book
    c = {}
    c["H1"] = b.receive(
        at(2025, 6, 2, 10, 0), product="General needs tenancy", regime="hos-2024", category="Repairs"
    )
    b.letter(c["H1"], at(2025, 6, 3, 10, 0), "acknowledgement")
    b.find(c["H1"], at(2025, 6, 9, 10, 0), "justified", "contractor")
    b.remedy(c["H1"], at(2025, 6, 9, 10, 0), remedy_type="compensation", amount="100")
    b.letter(c["H1"], at(2025, 6, 9, 11, 0), "stage1_response")

    c["H2"] = b.receive(
        at(2025, 7, 7, 10, 0), product="General needs tenancy", regime="hos-2024", category="Repairs"
    )
    b.letter(c["H2"], at(2025, 7, 9, 10, 0), "acknowledgement")
    b.find(c["H2"], at(2025, 8, 4, 10, 0), "not_justified", "delay")
    b.letter(c["H2"], at(2025, 8, 4, 11, 0), "stage1_response")
    with b.travel(at(2025, 8, 12, 10, 0)):
        services.process_escalate(
            case=Case.objects.get(pk=c["H2"].pk), actor=b.actor, to="next_stage", reason="Unhappy"
        )
    b.letter(c["H2"], at(2025, 8, 13, 10, 0), "acknowledgement")
    b.find(c["H2"], at(2025, 9, 3, 10, 0), "partly_justified", "delay")
    b.letter(c["H2"], at(2025, 9, 3, 11, 0), "stage2_response")
    with b.travel(at(2025, 10, 1, 10, 0)):
        services.process_escalate(
            case=Case.objects.get(pk=c["H2"].pk), actor=b.actor, to="ombudsman", reason="Went to HOS"
        )

    c["H3"] = b.receive(
        at(2026, 3, 2, 10, 0),
        product="General needs tenancy",
        regime="hos-2024",
        category="Rent and service charges",
    )
    b.letter(c["H3"], at(2026, 3, 3, 10, 0), "acknowledgement")
    with b.travel(at(2026, 3, 10, 10, 0)):
        clock = CaseClock.objects.get(case=c["H3"], stage="stage1", code="stage1_response")
        services.clock_extend(clock=clock, actor=b.actor, reason="We need the contractor's report")
    b.find(c["H3"], at(2026, 3, 25, 10, 0), "partly_justified", "staff-error")
    b.letter(c["H3"], at(2026, 3, 25, 11, 0), "stage1_response")

    c["H4"] = b.receive(
        at(2026, 3, 23, 10, 0),
        product="General needs tenancy",
        regime="hos-2024",
        category="Anti-social behaviour",
    )
    b.letter(c["H4"], at(2026, 3, 24, 10, 0), "acknowledgement")
    b.find(c["H4"], at(2026, 4, 1, 10, 0), "justified", "delay")
    b.letter(c["H4"], at(2026, 4, 1, 11, 0), "stage1_response")

    c["F"] = b.receive(at(2026, 2, 2, 10, 0), product="Classic current account")
    return c
