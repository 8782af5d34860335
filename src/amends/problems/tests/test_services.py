"""Problem records and the grouping as messages arrive: thresholds, owners told, links, merges, splits."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError
from amends.core.models import AuditEvent, Notification
from amends.intake.contacts import intake_contact
from amends.intake.schemas import ContactIn
from amends.messaging.models import Message, OutboxItem
from amends.problems import services
from amends.problems.models import (
    ContactGroup,
    EarlyWarning,
    GroupingState,
    GroupMember,
    OpenedBy,
    Problem,
    ProblemStatus,
)

pytestmark = pytest.mark.django_db

BACKGROUND = [
    "My mortgage payment was taken twice this month",
    "I want to change the address on my account",
    "The branch on the high street closed without notice",
    "I was not told about the interest rate rise on my savings",
    "Your adviser was rude to me on the phone",
    "I need a copy of my statement from last year",
    "The cash machine kept my card",
    "My standing order to my landlord was not paid",
    "I applied for a loan weeks ago and heard nothing",
    "The letter about my pension was sent to the wrong house",
]
FAULT = [
    "Since the app update I cannot log in, the app crashes on the login screen",
    "The banking app crashes every time I try to log in after the update",
    "After updating the app it crashes at login, I cannot see my account",
    "Your app crashes whenever I log in since yesterday's update",
]


def _contact(n, text, kind="complaint", product="", email=None):
    contact = ContactIn(
        channel="web_form",
        external_id=f"p-{n}",
        text=text,
        customer={"name": f"Customer {n}", "email": email or f"c{n}@example.org"},
        kind=kind,
        product=product,
    )
    return intake_contact(contact)


def _arrive(django_capture_on_commit_callbacks, n, text, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return _contact(n, text, **kw)


def _background(django_capture_on_commit_callbacks):
    """Twenty messages from one regular correspondent: enough for the first grouping, no repeated problem."""
    for i, text in enumerate(BACKGROUND * 2):
        _arrive(django_capture_on_commit_callbacks, 1000 + i, text, email="regular@example.org")


def test_several_customers_about_one_fault_open_a_problem_and_tell_the_product_owner(
    django_capture_on_commit_callbacks, complaints_lead, adviser, settings
):
    settings.PROBLEMS_OPEN_CUSTOMERS = 3
    services.product_owner_set(product="Mobile app", owner=adviser, actor=complaints_lead)
    _background(django_capture_on_commit_callbacks)
    assert GroupingState.objects.filter(current=True).count() == 1  # the first grouping ran by itself
    assert not Problem.objects.exists()
    results = [
        _arrive(django_capture_on_commit_callbacks, i, text, product="Mobile app")
        for i, text in enumerate(FAULT)
    ]
    problem = Problem.objects.get()
    assert problem.opened_by == OpenedBy.GROUPING and problem.product == "Mobile app"
    assert problem.status == ProblemStatus.OPEN
    linked = set(problem.links.values_list("case_id", flat=True))
    assert {r.case.pk for r in results[:3]} <= linked
    assert {r.case.pk for r in results} == linked  # the fourth joined the open problem
    told = Notification.objects.filter(user=adviser, link=f"/problems/{problem.pk}/")
    assert told.count() == 1 and "Mobile app" in told.get().text
    assert CaseEvent.objects.filter(kind="problem_linked", case=results[0].case).exists()
    assert AuditEvent.objects.filter(kind="problem.opened", object_id=str(problem.pk)).exists()


def test_a_case_staff_unlinked_stays_unlinked_as_more_arrive(
    django_capture_on_commit_callbacks, complaints_lead, settings
):
    """Staff unlinking a case say it is not about the problem: later arrivals in the same group link
    themselves, never that case again."""
    settings.PROBLEMS_OPEN_CUSTOMERS = 3
    _background(django_capture_on_commit_callbacks)
    first = [_arrive(django_capture_on_commit_callbacks, i, text) for i, text in enumerate(FAULT)]
    problem = Problem.objects.get()
    services.problem_case_unlink(problem=problem, case=first[0].case, actor=complaints_lead)
    later = _arrive(django_capture_on_commit_callbacks, 9, "The app crashes when I log in after the update")
    linked = set(problem.links.values_list("case_id", flat=True))
    assert linked == {r.case.pk for r in first[1:]} | {later.case.pk}
    assert CaseEvent.objects.filter(kind="problem_linked", case=later.case).count() == 1


def test_a_batch_costs_the_same_queries_however_many_groups_it_touches(
    django_capture_on_commit_callbacks, django_assert_max_num_queries, settings
):
    """The thresholds and labels are checked set-wise: a batch of unrelated messages (each in a group of
    its own) costs a bounded number of queries, not a few per group."""
    _background(django_capture_on_commit_callbacks)
    settings.PROBLEMS_RELEARN_INLINE_UP_TO = 0  # assignment only: the batch is what is counted
    settings.PROBLEMS_OPEN_CUSTOMERS = 50  # checked, never crossed
    texts = [
        "Probate paperwork for my late father has been lost twice",
        "Travel insurance claim refused because of a volcano",
        "Cheque deposited a fortnight ago still not cleared",
        "Overseas transfer to Portugal vanished somewhere",
        "Fraud team froze everything during my honeymoon",
        "Isa allowance calculation looks completely wrong",
        "Overdraft buffer removed without any warning letter",
        "Safe deposit box key replacement costs ninety pounds",
        "Joint account holder deceased, bereavement team unhelpful",
        "Currency exchange rate applied differed from quoted",
        "Chequebook ordered months back never delivered",
        "Student account perks withdrawn mid semester",
    ]
    results = [_contact(200 + i, text, email=f"s{i}@example.org") for i, text in enumerate(texts)]
    ids = list(Message.objects.filter(case__in=[r.case for r in results]).values_list("pk", flat=True))
    with django_assert_max_num_queries(15):
        summary = services.messages_group(ids)
    assert summary["messages"] == len(texts) and summary["groups"] >= 6
    assert summary["problems_opened"] == 0


def _grouped(state, number, results):
    group = ContactGroup.objects.create(state=state, number=number, created_at=timezone.now())
    for r in results:
        message = Message.objects.filter(case=r.case, direction=Message.Direction.INBOUND).get()
        GroupMember.objects.create(
            group=group,
            message=message,
            case=r.case,
            customer=r.case.customer,
            complaint=False,
            at=message.occurred_at,
        )
    return group


def test_a_new_group_takes_over_a_live_problem_only_when_it_holds_half_the_groups_cases(complaints_lead):
    """After a regrouping, a group with no problem of its own follows the live problem that already holds
    most of its recent cases; one shared case (a customer chasing in general words) is not enough."""
    results = [_contact(300 + i, f"Text {i}") for i in range(6)]
    problem = services.problem_open(
        title="Card payments declined", actor=complaints_lead, cases=[r.case for r in results[:3]]
    )
    state = GroupingState.objects.create(fitted_at=timezone.now(), state=b"", centroids=b"")
    chasing = _grouped(state, 0, [results[0], *results[3:]])  # one of its four cases is the problem's
    same = _grouped(state, 1, results[1:3])  # both of its cases are
    services._thresholds([chasing, same], timezone.now())
    problem.refresh_from_db()
    assert problem.group == same
    assert set(problem.links.values_list("case_id", flat=True)) == {r.case.pk for r in results[:3]}


def test_the_grouping_failing_never_refuses_an_arrival(django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("grouping broke")

    monkeypatch.setattr(services, "messages_group", broken)
    result = _arrive(django_capture_on_commit_callbacks, 1, "Something is wrong")
    assert Message.objects.filter(case=result.case).exists()


def test_queries_on_one_theme_raise_an_early_warning_before_complaints(
    django_capture_on_commit_callbacks, complaints_lead, settings
):
    settings.PROBLEMS_WARNING_CUSTOMERS = 3
    _background(django_capture_on_commit_callbacks)
    for i, text in enumerate(FAULT):
        _arrive(django_capture_on_commit_callbacks, 50 + i, text, kind="query")
    warning = EarlyWarning.objects.get()
    assert warning.customers >= 3 and not Problem.objects.exists()
    assert Notification.objects.filter(user=complaints_lead, text__startswith="Early warning").count() == 1


def test_staff_open_a_problem_with_no_customer_then_link_unlink_rename(complaints_lead, adviser):
    problem = services.problem_open(
        title="Payments page down",
        description="Seen by the operations team",
        owner=adviser,
        actor=complaints_lead,
    )
    assert problem.opened_by == OpenedBy.STAFF and not problem.links.exists()
    assert Notification.objects.filter(user=adviser).count() == 1
    case = make_case(summary="Payment failed")
    assert services.problem_cases_link(problem=problem, cases=[case], actor=complaints_lead) == 1
    assert services.problem_cases_link(problem=problem, cases=[case], actor=complaints_lead) == 0  # once only
    services.problem_update(
        problem=problem, title="Payments page outage", status="investigating", actor=complaints_lead
    )
    problem.refresh_from_db()
    assert problem.title == "Payments page outage" and problem.status == "investigating"
    audit = AuditEvent.objects.get(kind="problem.updated")
    assert audit.before == {"title": "Payments page down", "status": "open"}
    services.problem_case_unlink(problem=problem, case=case, actor=complaints_lead)
    assert CaseEvent.objects.filter(case=case, kind="problem_unlinked").exists()
    with pytest.raises(DomainError, match="not linked"):
        services.problem_case_unlink(problem=problem, case=case, actor=complaints_lead)
    with pytest.raises(DomainError, match="needs a title"):
        services.problem_update(problem=problem, title="  ", actor=complaints_lead)
    with pytest.raises(DomainError, match="No status"):
        services.problem_update(problem=problem, status="forgotten", actor=complaints_lead)
    problem.refresh_from_db()
    assert problem.title == "Payments page outage"


def test_merge_and_split(complaints_lead):
    a = services.problem_open(title="Card declined", actor=complaints_lead)
    b = services.problem_open(title="Cards refused in shops", actor=complaints_lead)
    cases = [make_case(summary=f"Declined {i}") for i in range(3)]
    services.problem_cases_link(problem=a, cases=cases[:1], actor=complaints_lead)
    services.problem_cases_link(problem=b, cases=cases[1:], actor=complaints_lead)
    services.problems_merge(keep=a, others=[b], actor=complaints_lead)
    b.refresh_from_db()
    assert b.merged_into == a and b.status == "closed" and not b.links.exists()
    assert set(a.links.values_list("case_id", flat=True)) == {c.pk for c in cases}
    with pytest.raises(DomainError, match="already merged"):
        services.problems_merge(keep=a, others=[b], actor=complaints_lead)
    new = services.problem_split(problem=a, cases=cases[2:], title="Contactless only", actor=complaints_lead)
    assert list(new.links.values_list("case_id", flat=True)) == [cases[2].pk]
    assert a.links.count() == 2
    with pytest.raises(DomainError, match="Leave at least one case"):
        services.problem_split(problem=new, cases=cases[2:], title="x", actor=complaints_lead)


def test_telling_every_affected_customer_once(complaints_lead):
    problem = services.problem_open(title="Statements late", actor=complaints_lead)
    first = make_case(email="one@example.org", name="One")
    again = make_case(email="one@example.org", name="One")  # the same customer's second case
    other = make_case(email="two@example.org", name="Two")
    services.problem_cases_link(problem=problem, cases=[first, again, other], actor=complaints_lead)
    assert len(services.affected_cases(problem)) == 2
    with pytest.raises(DomainError, match="preview said 3"):
        services.problem_tell_customers(problem=problem, actor=complaints_lead, body="Sorry", expected=3)
    assert not Message.objects.filter(direction="out").exists()
    sent = services.problem_tell_customers(
        problem=problem, actor=complaints_lead, body="We fixed it. Sorry.", expected=2
    )
    assert sent == 2
    out = Message.objects.filter(direction="out", body_text__contains="We fixed it")
    assert out.count() == 2 and {m.case_id for m in out} == {again.pk, other.pk}
    assert OutboxItem.objects.filter(message__in=out).count() == 2
    assert AuditEvent.objects.filter(kind="problem.customers_told").get().after["customers"] == 2


def test_product_owners_fall_back_to_complaints_leads(complaints_lead, adviser):
    assert services.product_owners("Boilers") == [complaints_lead]
    services.product_owner_set(product="Boilers", owner=adviser, actor=complaints_lead)
    assert services.product_owners("boilers") == [adviser]
    services.product_owner_set(product="Boilers", owner=None, actor=complaints_lead)
    assert services.product_owners("Boilers") == [complaints_lead]
    assert AuditEvent.objects.filter(kind__startswith="product_owner.").count() == 2


def test_regroup_keeps_problems_and_their_cases(
    django_capture_on_commit_callbacks, complaints_lead, settings
):
    settings.PROBLEMS_OPEN_CUSTOMERS = 3
    _background(django_capture_on_commit_callbacks)
    for i, text in enumerate(FAULT):
        _arrive(django_capture_on_commit_callbacks, i, text)
    problem = Problem.objects.get()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        summary = services.problems_regroup(actor=complaints_lead)
    assert summary["messages"] == 24 and summary["problems_opened"] == 0
    assert Problem.objects.get() == problem and problem.links.count() == 4


def test_grouping_on_arrival_can_be_turned_off(django_capture_on_commit_callbacks, settings):
    settings.PROBLEMS_GROUP_ON_ARRIVAL = False
    _background(django_capture_on_commit_callbacks)
    assert not GroupingState.objects.exists()
    assert services.problems_regroup(actor=None)["messages"] == 20  # the batch still groups them


def test_past_the_inline_limit_arrivals_are_only_assigned_and_the_worker_relearns(
    django_capture_on_commit_callbacks, settings
):
    """A full regrouping reads every message of the year: once the grouping has learnt from many, an
    arrival that makes one due leaves it to the worker's step, which then runs it once."""
    _background(django_capture_on_commit_callbacks)  # the first grouping, 20 messages, on arrival
    first = GroupingState.objects.get(current=True)
    settings.PROBLEMS_RELEARN_INLINE_UP_TO = first.fitted_messages  # from now on, never inline
    assert services.problems_relearn_due(timezone.now()) == 0  # not due yet
    for i, text in enumerate(BACKGROUND * 2):  # twice as many messages: due
        _arrive(django_capture_on_commit_callbacks, 3000 + i, text, email=f"later{i}@example.org")
    state = GroupingState.objects.get(current=True)
    assert state.pk == first.pk and state.messages == 2 * first.fitted_messages  # assigned, not relearnt
    assert GroupMember.objects.filter(group__state=state).count() == state.messages
    assert services.problems_relearn_due(timezone.now()) == 2 * first.fitted_messages
    relearnt = GroupingState.objects.get(current=True)
    assert relearnt.pk != first.pk and relearnt.fitted_messages == 2 * first.fitted_messages
    assert services.problems_relearn_due(timezone.now()) == 0  # done: not due again
    assert "problems_relearn" in services.worker_steps()
