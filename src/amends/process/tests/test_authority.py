"""process.authority: options, the authority limits, approvals. Each refusal with its code, each event.

The limits are the ones migration 0002 seeds: an adviser may refund up to £100 alone, a case handler £500,
a team leader £2,000, the complaints lead £25,000; compensation starts at the case handler (£250).
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from amends.cases.models import CaseEvent
from amends.core.emails import other_callbacks
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification
from amends.process import authority
from amends.process.models import ApprovalRequest, AuthorityLimit, Option

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def add(case, actor, **given):
    kwargs = {
        "title": "Refund the duplicate payment",
        "remedy_type": "refund",
        "amount": "450",
        "benefits_customer": "Money back",
        **given,
    }
    return authority.option_add(case=case, actor=actor, **kwargs)


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def notes_for(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# --- options ------------------------------------------------------------------------------------------------


def test_an_option_is_weighed_for_both_sides_and_recorded(complaint, adviser):
    option = add(
        complaint,
        adviser,
        amount="450.5",
        drawbacks_customer=" Takes 3 days ",
        benefits_organisation="Keeps the customer",
        risk_customer=("2", 3),
        risk_organisation=(4, "5"),
        cost="12",
    )

    assert option.status == "proposed" and option.created_by == adviser and option.created_at == NOW
    assert option.amount == Decimal("450.50") and option.cost == Decimal("12.00")
    assert option.drawbacks_customer == "Takes 3 days"
    assert (option.risk_customer, option.risk_organisation) == (6, 20)
    assert option.is_monetary
    (event,) = CaseEvent.objects.filter(case=complaint, kind="option_added")
    assert event.actor == adviser
    assert event.after == {
        "option": option.pk,
        "title": "Refund the duplicate payment",
        "remedies": [{"kind": "refund", "amount": "450.50"}],
    }
    assert [(r.kind, r.amount, r.description) for r in option.remedies.all()] == [
        ("refund", Decimal("450.50"), "")
    ]


def test_a_remedy_without_money_needs_no_amount(complaint, adviser):
    option = add(complaint, adviser, title="Apologise", remedy_type="apology", amount=None)
    assert option.amount is None and not option.is_monetary
    assert CaseEvent.objects.get(case=complaint, kind="option_added").after["remedies"] == [
        {"kind": "apology", "amount": None}
    ]


def test_an_option_gives_several_remedies_in_order(complaint, adviser):
    option = add(
        complaint,
        adviser,
        title="Put it right",
        remedy_type="",
        amount=None,
        remedies=[
            authority.Remedy("apology", "A written apology from the branch manager"),
            authority.Remedy("refund", "The £35 overdraft fee", "35"),
            authority.Remedy("goodwill", amount="20"),
        ],
    )
    assert [(r.kind, r.amount, r.position) for r in option.remedies.all()] == [
        ("apology", None, 0),
        ("refund", Decimal("35.00"), 1),
        ("goodwill", Decimal("20.00"), 2),
    ]
    assert option.amount == Decimal("55.00") and option.is_monetary
    totals = {"apology": None, "refund": Decimal("35.00"), "goodwill": Decimal("20.00")}
    assert option.remedy_totals() == totals
    (event,) = CaseEvent.objects.filter(case=complaint, kind="option_added")
    assert event.after["remedies"] == [
        {"kind": "apology", "amount": None},
        {"kind": "refund", "amount": "35.00"},
        {"kind": "goodwill", "amount": "20.00"},
    ]


def test_authority_covers_every_remedy_of_an_option_with_each_kind_added_up(
    complaint, adviser, case_handler, team_leader, complaints_lead
):
    """An adviser may refund £100 and offer £50 goodwill alone: two refunds of £60 are beyond them, and so
    is an apology with a service change (which no adviser may offer)."""
    two_refunds = add(
        complaint,
        adviser,
        remedy_type="",
        remedies=[authority.Remedy("refund", "Fee", "60"), authority.Remedy("refund", "Charge", "60")],
    )
    within = add(
        complaint,
        adviser,
        remedy_type="",
        remedies=[authority.Remedy("apology"), authority.Remedy("refund", amount="100")],
    )
    service = add(
        complaint,
        adviser,
        remedy_type="",
        remedies=[authority.Remedy("apology"), authority.Remedy("service_change", "New process")],
    )
    adviser_limits = authority.limits_for("adviser")
    assert authority.option_within(adviser_limits, within)
    assert not authority.option_within(adviser_limits, two_refunds)
    assert not authority.option_within(adviser_limits, service)
    with pytest.raises(PermissionDenied) as err:
        authority.option_choose(option=two_refunds, actor=adviser, reason="Both charges were ours")
    assert err.value.code == "approval_required"
    # £120 of refunds is within a case handler's £500; a service change needs a team leader or above.
    assert set(authority.approvers_for(two_refunds)) == {case_handler, team_leader, complaints_lead}
    assert set(authority.approvers_for(service)) == {team_leader, complaints_lead}
    assert authority.option_choose(option=within, actor=adviser, reason="Fair").status == "chosen"


@pytest.mark.parametrize(
    ("remedies", "fields"),
    [
        ([], {"remedies": "required"}),
        ([authority.Remedy("apology")] * 11, {"remedies": "at most 10"}),
        ([authority.Remedy("apology"), authority.Remedy("bribe")], {"remedy_type": "unknown remedy"}),
        ([authority.Remedy("goodwill")], {"amount": "required"}),
        ([authority.Remedy("apology", "x" * 301)], {"description": "too long"}),
    ],
)
def test_remedy_refusals(complaint, adviser, remedies, fields):
    with pytest.raises(DomainError) as err:
        add(complaint, adviser, remedy_type="", amount=None, remedies=remedies)
    assert err.value.fields == fields
    assert not Option.objects.exists() and kinds(complaint) == ["opened"]


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"remedy_type": "bribe"}, {"remedy_type": "unknown remedy"}),
        ({"title": "  "}, {"title": "required"}),
        ({"title": "t" * 201}, {"title": "required"}),
        ({"benefits_customer": ""}, {"benefits_customer": "required"}),
        ({"drawbacks_organisation": "d" * 5001}, {"drawbacks_organisation": "at most 5000 characters"}),
        ({"amount": "lots"}, {"amount": "not a number"}),
        ({"amount": "-5"}, {"amount": "out of range"}),
        ({"amount": "10000000.01"}, {"amount": "out of range"}),
        ({"amount": None}, {"amount": "required"}),  # a refund is money
        ({"cost": "cheap"}, {"cost": "not a number"}),
        ({"risk_customer": (0, 1)}, {"risk_customer_likelihood": "1 to 5"}),
        ({"risk_organisation": (1, "high")}, {"risk_organisation_impact": "1 to 5"}),
    ],
)
def test_option_refusals(complaint, adviser, given, fields):
    with pytest.raises(DomainError) as err:
        add(complaint, adviser, **given)
    assert err.value.code == "invalid" and err.value.fields == fields
    assert not Option.objects.exists() and kinds(complaint) == ["opened"]


def test_choosing_within_authority_sets_the_other_proposals_aside(complaint, adviser, team_leader):
    apology = add(complaint, adviser, title="Apologise", remedy_type="apology", amount=None)
    refund = add(complaint, adviser, title="Refund £40", amount="40")
    waiting = add(complaint, adviser, title="Compensation", remedy_type="compensation", amount="300")
    authority.approval_request(option=waiting, actor=adviser)

    chosen = authority.option_choose(option=refund, actor=adviser, reason=" Puts them back where they were ")

    assert chosen.status == "chosen" and chosen.chosen_reason == "Puts them back where they were"
    statuses = dict(Option.objects.values_list("title", "status"))
    assert statuses == {"Apologise": "set_aside", "Refund £40": "chosen", "Compensation": "awaiting_approval"}
    (event,) = CaseEvent.objects.filter(case=complaint, kind="option_chosen")
    assert event.after == {"option": refund.pk, "title": "Refund £40"}
    assert event.reason == "Puts them back where they were" and event.actor == adviser
    assert apology.pk != chosen.pk


def test_choosing_needs_a_reason(complaint, adviser):
    option = add(complaint, adviser, amount="40")
    with pytest.raises(DomainError) as err:
        authority.option_choose(option=option, actor=adviser, reason="  ")
    assert err.value.fields == {"reason": "required"}
    assert Option.objects.get(pk=option.pk).status == "proposed"


def test_choosing_beyond_authority_is_refused_until_approved(complaint, adviser):
    option = add(complaint, adviser, amount="100.01")  # a penny over the adviser's £100
    with pytest.raises(PermissionDenied) as err:
        authority.option_choose(option=option, actor=adviser, reason="Fair")
    assert err.value.code == "approval_required"
    assert Option.objects.get(pk=option.pk).status == "proposed"
    assert "option_chosen" not in kinds(complaint)


@pytest.mark.parametrize("decided", ["chosen", "set_aside", "declined"])
def test_a_decided_option_cannot_be_chosen(complaint, adviser, case_handler, decided):
    option = add(complaint, adviser, amount="40")
    if decided == "chosen":
        authority.option_choose(option=option, actor=adviser, reason="Fair")
    elif decided == "set_aside":
        other = add(complaint, adviser, amount="30")
        authority.option_choose(option=other, actor=adviser, reason="Cheaper")
    else:
        option = add(complaint, adviser, amount="300")
        request = authority.approval_request(option=option, actor=adviser)
        authority.approval_decide(request=request, actor=case_handler, approve=False, reason="Not warranted")
    chosen_before = kinds(complaint).count("option_chosen")
    with pytest.raises(Conflict) as err:
        authority.option_choose(option=option, actor=case_handler, reason="Anyway")
    assert err.value.code == "conflict"
    assert Option.objects.get(pk=option.pk).status == decided
    assert kinds(complaint).count("option_chosen") == chosen_before


# --- approvals ----------------------------------------------------------------------------------------------


def test_asking_for_approval_notifies_those_who_hold_the_authority_in_the_same_transaction(
    complaint,
    adviser,
    case_handler,
    team_leader,
    complaints_lead,
    assessor,
    django_capture_on_commit_callbacks,
):
    option = add(complaint, adviser, amount="450")
    with django_capture_on_commit_callbacks() as callbacks:
        request = authority.approval_request(option=option, actor=adviser, reason=" Our error ")
    assert other_callbacks(callbacks) == []  # the notifications commit with the request (their emails after)

    assert request.status == "pending" and request.requested_by == adviser and request.reason == "Our error"
    assert Option.objects.get(pk=option.pk).status == "awaiting_approval"
    (event,) = CaseEvent.objects.filter(case=complaint, kind="approval_requested")
    assert event.after == {"option": option.pk, "request": request.pk} and event.reason == "Our error"
    text = f"Approval needed on {complaint.reference}: Refund the duplicate payment"
    for approver in (case_handler, team_leader, complaints_lead):
        assert notes_for(approver) == [text]
    assert notes_for(adviser) == [] and notes_for(assessor) == []
    assert set(Notification.objects.values_list("urgency", flat=True)) == {"urgent"}  # shown first


def test_approval_goes_only_to_those_whose_limit_covers_the_amount(
    complaint, adviser, case_handler, team_leader, complaints_lead, django_capture_on_commit_callbacks
):
    option = add(complaint, adviser, amount="1500")  # beyond a case handler's £500
    with django_capture_on_commit_callbacks(execute=True):
        authority.approval_request(option=option, actor=adviser)
    assert notes_for(case_handler) == []
    assert len(notes_for(team_leader)) == 1 and len(notes_for(complaints_lead)) == 1
    assert set(authority.approvers_for(option, excluding=team_leader)) == {complaints_lead}


def test_inactive_staff_are_not_approvers(complaint, adviser, case_handler, team_leader):
    option = add(complaint, adviser, amount="450")
    get_user_model().objects.filter(pk=case_handler.pk).update(is_active=False)  # they left
    assert set(authority.approvers_for(option)) == {team_leader}


def test_approval_request_refusals(complaint, adviser, case_handler, complaints_lead):
    within = add(complaint, adviser, amount="40")
    with pytest.raises(DomainError) as err:
        authority.approval_request(option=within, actor=adviser)
    assert err.value.code == "no_approval_needed"

    beyond_everyone = add(complaint, adviser, remedy_type="compensation", amount="20000")
    with pytest.raises(DomainError) as err:
        authority.approval_request(option=beyond_everyone, actor=adviser)
    assert err.value.code == "no_approver"
    assert Option.objects.get(pk=beyond_everyone.pk).status == "proposed"

    asked = add(complaint, adviser, amount="450")
    authority.approval_request(option=asked, actor=adviser)
    with pytest.raises(Conflict) as err:  # already waiting
        authority.approval_request(option=asked, actor=adviser)
    assert err.value.code == "conflict"
    assert ApprovalRequest.objects.count() == 1
    assert kinds(complaint).count("approval_requested") == 1


def test_an_approval_lets_the_requester_choose_and_tells_them(
    complaint, adviser, case_handler, django_capture_on_commit_callbacks
):
    option = add(complaint, adviser, amount="450")
    request = authority.approval_request(option=option, actor=adviser)

    with django_capture_on_commit_callbacks() as callbacks:
        decided = authority.approval_decide(
            request=request, actor=case_handler, approve=True, reason=" Clear error on our side "
        )
    assert other_callbacks(callbacks) == []  # the requester's notification commits with the decision

    assert decided.status == "approved" and decided.decided_by == case_handler
    assert decided.decided_at == NOW and decided.decision_reason == "Clear error on our side"
    assert Option.objects.get(pk=option.pk).status == "approved"
    (event,) = CaseEvent.objects.filter(case=complaint, kind="approval_decided")
    assert event.actor == case_handler and event.reason == "Clear error on our side"
    assert event.after == {"option": option.pk, "approved": True}
    assert notes_for(adviser) == [
        f"Refund the duplicate payment on {complaint.reference} was approved: Clear error on our side"
    ]
    assert Notification.objects.get(user=adviser).urgency == "urgent"
    assert authority.option_choose(option=option, actor=adviser, reason="Approved").status == "chosen"


def test_a_declined_option_stays_declined(
    complaint, adviser, case_handler, django_capture_on_commit_callbacks
):
    option = add(complaint, adviser, amount="450")
    request = authority.approval_request(option=option, actor=adviser)
    with django_capture_on_commit_callbacks(execute=True):
        authority.approval_decide(request=request, actor=case_handler, approve=False, reason="Too much")
    assert ApprovalRequest.objects.get(pk=request.pk).status == "declined"
    assert Option.objects.get(pk=option.pk).status == "declined"
    assert CaseEvent.objects.get(case=complaint, kind="approval_decided").after["approved"] is False
    assert notes_for(adviser) == [
        f"Refund the duplicate payment on {complaint.reference} was declined: Too much"
    ]


def test_approval_decision_refusals(complaint, adviser, case_handler, team_leader):
    option = add(complaint, adviser, remedy_type="compensation", amount="800")
    request = authority.approval_request(option=option, actor=adviser)

    with pytest.raises(PermissionDenied) as err:  # nobody approves their own request
        authority.approval_decide(request=request, actor=adviser, approve=True, reason="Fine")
    assert err.value.code == "forbidden"
    with pytest.raises(PermissionDenied) as err:  # a case handler's compensation limit is £250
        authority.approval_decide(request=request, actor=case_handler, approve=True, reason="Fine")
    assert "beyond your authority" in err.value.message
    with pytest.raises(DomainError) as err:
        authority.approval_decide(request=request, actor=team_leader, approve=True, reason=" ")
    assert err.value.fields == {"reason": "required"}
    assert ApprovalRequest.objects.get(pk=request.pk).status == "pending"
    assert "approval_decided" not in kinds(complaint)

    authority.approval_decide(request=request, actor=team_leader, approve=True, reason="Warranted")
    with pytest.raises(Conflict) as err:
        authority.approval_decide(request=request, actor=team_leader, approve=False, reason="Changed my mind")
    assert err.value.code == "conflict"
    assert ApprovalRequest.objects.get(pk=request.pk).status == "approved"
    assert kinds(complaint).count("approval_decided") == 1


# --- the limits ---------------------------------------------------------------------------------------------


def test_authority_follows_role_remedy_and_amount(adviser):
    assert authority.authority_allows(role="adviser", remedy_type="refund", amount=Decimal("100"))
    assert not authority.authority_allows(role="adviser", remedy_type="refund", amount=Decimal("100.01"))
    assert not authority.authority_allows(role="adviser", remedy_type="compensation", amount=Decimal("1"))
    assert not authority.authority_allows(role="adviser", remedy_type="service_change", amount=None)
    assert authority.authority_allows(role="team_leader", remedy_type="service_change", amount=None)
    assert not authority.authority_allows(role="assessor", remedy_type="apology", amount=None)
    assert not authority.authority_allows(role=None, remedy_type="apology", amount=None)
    assert set(authority.limits_for("adviser")) == {
        "apology",
        "explanation",
        "put_right",
        "service_change",
        "refund",
        "fee_waiver",
        "goodwill",
        "compensation",
    }
    assert authority.limits_for(None) == {}


def test_changing_a_limit_is_audited_and_takes_effect(complaints_lead):
    limit = authority.authority_limit_set(
        role="adviser", remedy_type="refund", max_amount="250", allowed=True, actor=complaints_lead
    )

    assert limit.max_amount == Decimal("250.00")
    assert authority.authority_allows(role="adviser", remedy_type="refund", amount=Decimal("200"))
    (audit,) = AuditEvent.objects.filter(kind="authority_limit.set")
    assert audit.actor == complaints_lead and audit.object_id == str(limit.pk)
    assert audit.before == {"max_amount": "100.00", "allowed": True}
    assert audit.after == {"max_amount": "250.00", "allowed": True}


def test_a_limit_can_be_withdrawn(complaints_lead):
    authority.authority_limit_set(
        role="adviser", remedy_type="goodwill", max_amount=None, allowed=False, actor=complaints_lead
    )
    limit = AuthorityLimit.objects.get(role="adviser", remedy_type="goodwill")
    assert not limit.allowed and limit.max_amount is None
    assert not authority.authority_allows(role="adviser", remedy_type="goodwill", amount=Decimal("1"))


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"role": "intern"}, {"role": "unknown", "remedy_type": "unknown"}),
        ({"remedy_type": "bribe"}, {"role": "unknown", "remedy_type": "unknown"}),
        ({"max_amount": "a lot"}, {"max_amount": "not a number"}),
        ({"max_amount": "-1"}, {"max_amount": "out of range"}),
    ],
)
def test_limit_refusals(complaints_lead, given, fields):
    kwargs = {"role": "adviser", "remedy_type": "refund", "max_amount": "200", "allowed": True, **given}
    with pytest.raises(DomainError) as err:
        authority.authority_limit_set(actor=complaints_lead, **kwargs)
    assert err.value.fields == fields
    assert AuthorityLimit.objects.get(role="adviser", remedy_type="refund").max_amount == Decimal("100")
    assert not AuditEvent.objects.filter(kind="authority_limit.set").exists()


def test_a_decision_after_the_option_was_chosen_does_not_unchoose_it(
    complaint, adviser, case_handler, team_leader
):
    option = add(complaint, adviser, amount="450")
    request = authority.approval_request(option=option, actor=adviser)
    authority.option_choose(option=option, actor=case_handler, reason="Within my limit: our error")

    with pytest.raises(Conflict):
        authority.approval_decide(request=request, actor=team_leader, approve=False, reason="Too much")
    assert Option.objects.get(pk=option.pk).status == "chosen"
