"""The conduct pages: reporting behaviour and safety (two clicks from the case and customer pages), a
customer's conduct record with the decision form, a decision with its notice, review and appeal, the
manager's overview, and the policy's settings. Every change goes through services.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.core.errors import DomainError, NotFound
from amends.core.models import Role
from amends.core.permissions import (
    WORKING_ROLES,
    can_configure_conduct,
    can_decide_at,
    can_give_senior_check,
    can_keep_markers,
    can_report_behaviour,
    can_see_conduct,
    staff_of,
)
from amends.core.web import report, staff_required
from amends.customers.models import Channel, Customer
from amends.customers.selectors import visible_customer

from . import defaults, selectors, services
from .models import (
    Appeal,
    BehaviourCategory,
    BehaviourIncident,
    ConductDecision,
    DecisionReview,
    PolicyLevel,
    RestrictionType,
    WarningMarker,
    WellbeingFollowUp,
)
from .selectors import (
    arrangements_for,
    case_arrangement,
    decisions_visible,
    emergency_contact,
    follow_ups_for,
    incidents_visible,
    markers_for,
)

# --- parts of the case and customer pages (registered on their hooks in wiring.py) -------------------


def _panel(user, customer_id: int, case: Case | None) -> dict:
    seeing = can_see_conduct(user)
    query = f"?customer={customer_id}" + (f"&case={case.reference}" if case else "")
    arrangement = None
    if seeing:
        arrangement = (
            case_arrangement(case, fresh=False) if case else arrangements_for([customer_id]).get(customer_id)
        )
    return {
        "conduct": {
            "can_report": can_report_behaviour(user),
            "can_see": seeing,
            "report_url": reverse("conduct_report") + query,
            "safety_url": reverse("conduct_safety") + query,
            "page_url": reverse("conduct_customer", args=[customer_id]),
            "arrangement": arrangement,
            "emergency": emergency_contact(),
        }
    }


def case_page_context(request, case: Case) -> dict:
    return _panel(request.user, case.customer_id, case)


def customer_page_context(request, customer: Customer) -> dict:
    return _panel(request.user, customer.pk, None)


# --- helpers ------------------------------------------------------------------------------------------


def _customer(user, pk: Any) -> Customer:
    customer = visible_customer(user, int(pk)) if str(pk).isdigit() else None
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    return customer


def _case(user, reference: str, customer: Customer) -> Case | None:
    if not reference:
        return None
    case = case_for(user, reference)
    if case.customer_id != customer.pk:
        raise Http404("That case is not this customer's")
    return case


def _allowed(allowed: bool, message: str) -> None:
    """A page this user may not use is not there for them (as the other apps' pages answer)."""
    if not allowed:
        raise Http404(message)


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise DomainError(f"{name.replace('_', ' ').capitalize()} is not a date", fields={name: "a date"})
    return parsed


def _moment(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise DomainError("When it happened is not a date and time", fields={"occurred_at": "invalid"})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _staff_list() -> list:
    return list(
        get_user_model()
        .objects.filter(is_active=True, staff__role__in=WORKING_ROLES)
        .select_related("staff")
        .order_by("first_name", "last_name", "username")
    )


def _back(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else default


# --- reporting ------------------------------------------------------------------------------------------
def _given(request):
    """What the form posted, or what the link that opened it carried."""
    return request.POST if request.method == "POST" else request.GET


def _reported_on(request):
    """The customer (and case) a report is about, from the form or the link that opened it, and the page to
    go back to: the case's, else the customer's."""
    source = _given(request)
    customer = _customer(request.user, source.get("customer", ""))
    case = _case(request.user, source.get("case", ""), customer)
    back = (
        reverse("case_detail", args=[case.reference])
        if case
        else reverse("customer_detail", args=[customer.pk])
    )
    return customer, case, back


@staff_required
def conduct_report(request):
    """Report behaviour: the short form, pre-filled with the customer, the case and its channel."""
    customer, case, back = _reported_on(request)
    if request.method == "POST":
        try:
            incident = services.incident_report(
                actor=request.user,
                customer=customer,
                case=case,
                category=request.POST.get("category", ""),
                severity=request.POST.get("severity", "medium"),
                channel=request.POST.get("channel", ""),
                occurred_at=_moment(request.POST.get("occurred_at", "")),
                description=request.POST.get("description", ""),
                verbatim=request.POST.get("verbatim", ""),
                immediate_action=request.POST.get("immediate_action", "none"),
                staff=_colleagues(request.user, request.POST.getlist("staff")),
            )
        except DomainError as exc:
            report(request, exc)
        else:
            told = " Your team leader has been told." if incident.alerted_at else ""
            messages.success(request, f"Behaviour reported: {incident.category.name.lower()}.{told}")
            return redirect(back)
    _allowed(can_report_behaviour(request.user), "Only those who work cases report behaviour")
    return render(
        request,
        "conduct/report.html",
        {
            "customer": customer,
            "case": case,
            "back": back,
            "categories": BehaviourCategory.objects.filter(active=True),
            "channels": Channel.choices,
            "channel": _given(request).get("channel") or (case.channel if case else "phone"),
            "severities": BehaviourIncident.Severity.choices,
            "actions": BehaviourIncident.Action.choices,
            "posted": request.POST,
            "colleagues": _team_colleagues(request.user),
        },
    )


def _team_colleagues(user) -> list:
    """Who may have faced it with the reporter: the working members of their team (they themselves first)."""
    staff = staff_of(user)
    people = get_user_model().objects.filter(is_active=True, staff__role__in=WORKING_ROLES)
    people = (
        people.filter(staff__team_id=staff.team_id) if staff and staff.team_id else people.filter(pk=user.pk)
    )
    return sorted(people, key=lambda u: (u.pk != user.pk, u.get_full_name() or u.username))


def _colleagues(user, ids: list[str]) -> list:
    """The staff involved the form named, among those it offered; the reporter when none."""
    offered = {str(u.pk): u for u in _team_colleagues(user)}
    return [offered[i] for i in ids if i in offered] or [user]


@staff_required
def conduct_safety(request):
    """The one-step safety report: the incident, the team leader told, a wellbeing follow-up, a marker."""
    customer, case, back = _reported_on(request)
    if request.method == "POST":
        post = request.POST
        try:
            marker = None
            if post.get("add_marker"):
                marker = services.MarkerRequest(
                    reason=post.get("marker_reason", "") or post.get("description", ""),
                    basis=post.get("marker_basis", "") or defaults.MARKER_BASIS,
                    visible_to=post.getlist("marker_roles") or list(defaults.MARKER_ROLES),
                    review_due=_date(post.get("marker_review_due", ""), "marker_review_due"),
                )
            done = services.safety_report(
                actor=request.user,
                customer=customer,
                case=case,
                description=post.get("description", ""),
                verbatim=post.get("verbatim", ""),
                channel=post.get("channel", ""),
                occurred_at=_moment(post.get("occurred_at", "")),
                immediate_action=post.get("immediate_action", "none"),
                marker=marker,
            )
        except DomainError as exc:
            report(request, exc)
        else:
            names = ", ".join(u.get_full_name() or u.username for u in done.told)
            messages.success(
                request,
                f"Safety report made: {names} told at once; a wellbeing follow-up is open"
                + ("; a warning marker was added." if done.marker else "."),
            )
            return redirect(back)
    _allowed(can_report_behaviour(request.user), "Only those who work cases make safety reports")
    return render(
        request,
        "conduct/safety.html",
        {
            "customer": customer,
            "case": case,
            "back": back,
            "channels": Channel.choices,
            "channel": _given(request).get("channel") or (case.channel if case else "phone"),
            "actions": BehaviourIncident.Action.choices,
            "roles": [(r.value, r.label) for r in Role],
            "marker_roles": defaults.MARKER_ROLES,
            "marker_basis": defaults.MARKER_BASIS,
            "posted": request.POST,
        },
    )


# --- a customer's conduct record ---------------------------------------------------------------------


def _terms_context(user) -> dict:
    levels = list(PolicyLevel.objects.all())
    return {
        "levels": levels,
        "levels_i_decide": [lv for lv in levels if can_decide_at(user, lv.decided_by)],
        "restriction_types": list(RestrictionType.objects.filter(active=True)),
        "restrictable_channels": [(c, Channel(c).label) for c in defaults.RESTRICTABLE_CHANNELS],
        "officers": _staff_list(),
        "can_senior_check": can_give_senior_check(user),
        "today": timezone.localdate(),
    }


@staff_required
def conduct_customer(request, pk: int):
    customer = _customer(request.user, pk)
    _allowed(can_see_conduct(request.user), "You cannot see conduct records")
    context = {
        "customer": customer,
        "incidents": list(
            incidents_visible(request.user).filter(customer=customer).prefetch_related("staff_involved")
        ),
        "decisions": list(
            decisions_visible(request.user).filter(customer=customer).prefetch_related("restrictions__type")
        ),
        "markers": markers_for(request.user, [customer.pk]),
        "removed_markers": WarningMarker.objects.none(),
        "cases": list(customer.cases.order_by("-opened_at")[:50]),
        "can_keep_markers": can_keep_markers(request.user),
        "can_report": can_report_behaviour(request.user),
        "roles": [(r.value, r.label) for r in Role],
        "marker_roles": defaults.MARKER_ROLES,
        "marker_basis": defaults.MARKER_BASIS,
        **_terms_context(request.user),
    }
    return render(request, "conduct/customer.html", context)


def _terms(post, prefix: str = "") -> dict:
    """The level, restrictions, dates and considerations a decision form posted."""
    restrictions = []
    for code in post.getlist(f"{prefix}restriction"):
        rtype = RestrictionType.objects.filter(code=code).first()
        names = rtype.parameters if rtype else []
        params: dict[str, Any] = {}
        for name in names:
            key = f"{prefix}param-{code}-{name}"
            params[name] = post.getlist(key) if name == "channels" else post.get(key, "")
        restrictions.append(services.RestrictionIn(code, params))
    senior = None
    if post.get(f"{prefix}senior_check"):
        senior = post.get("_actor")
    return {
        "level": post.get(f"{prefix}level", ""),
        "restrictions": restrictions,
        "adjustments_considered": post.get(f"{prefix}adjustments_considered", ""),
        "review_due": _date(post.get(f"{prefix}review_due", ""), "review_due"),
        "senior_check": bool(senior),
    }


@require_POST
@staff_required
def conduct_decide(request, pk: int):
    customer = _customer(request.user, pk)
    post = request.POST
    try:
        terms = _terms(post)
        incidents = list(
            incidents_visible(request.user).filter(
                customer=customer, pk__in=[i for i in post.getlist("incidents") if i.isdigit()]
            )
        )
        decision = services.decision_make(
            actor=request.user,
            customer=customer,
            level=terms["level"],
            reasons=post.get("reasons", ""),
            incidents=incidents,
            restrictions=terms["restrictions"],
            adjustments_considered=terms["adjustments_considered"],
            vulnerability_considered=post.get("vulnerability_considered", ""),
            senior_check_by=request.user if terms["senior_check"] else None,
            effective_from=_date(post.get("effective_from", ""), "effective_from"),
            review_due=terms["review_due"],
            case=_case(request.user, post.get("case", ""), customer),
        )
    except DomainError as exc:
        report(request, exc)
        return redirect(reverse("conduct_customer", args=[customer.pk]) + "#decide")
    messages.success(request, f"Decision recorded: {decision.level}.")
    return redirect("conduct_decision", pk=decision.pk)


def _decision(user, pk: int) -> ConductDecision:
    decision = decisions_visible(user).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision, or not one you can see")
    return decision


@staff_required
def conduct_decision(request, pk: int):
    decision = _decision(request.user, pk)
    appeals = list(decision.appeals.select_related("recorded_by", "decided_by").order_by("received_at"))
    open_appeal = next((a for a in appeals if a.is_open), None)
    involved = services.involved_in(decision)
    context = {
        "decision": decision,
        "restrictions": list(decision.restrictions.select_related("type")),
        "incidents": list(decision.incidents.select_related("category")),
        "reviews": list(decision.reviews.select_related("reviewed_by").order_by("reviewed_at")),
        "appeals": appeals,
        "open_appeal": open_appeal,
        "can_decide": can_decide_at(request.user, decision.level.decided_by),
        "can_decide_appeal": open_appeal is not None
        and can_decide_at(request.user, decision.level.decided_by)
        and request.user.pk not in involved
        and request.user.pk != open_appeal.recorded_by_id,
        "can_report": can_report_behaviour(request.user),
        "review_outcomes": DecisionReview.Outcome.choices,
        "appeal_outcomes": Appeal.Outcome.choices,
        "arrangement": arrangements_for([decision.customer_id]).get(decision.customer_id),
        **_terms_context(request.user),
    }
    return render(request, "conduct/decision.html", context)


def _decision_action(request, pk: int, act, success: str):
    decision = _decision(request.user, pk)
    try:
        act(decision)
        messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect("conduct_decision", pk=decision.pk)


def _variation(post, actor) -> services.Variation | None:
    terms = _terms(post, "vary-")
    if not terms["level"]:
        return None
    return services.Variation(
        level=terms["level"],
        reasons=post.get("reasons", ""),
        restrictions=terms["restrictions"],
        adjustments_considered=terms["adjustments_considered"],
        review_due=terms["review_due"],
        senior_check_by=actor if terms["senior_check"] else None,
    )


@require_POST
@staff_required
def conduct_notice(request, pk: int):
    return _decision_action(
        request,
        pk,
        lambda d: services.notice_send(actor=request.user, decision=d),
        "Notice letter sent: it is in the customer's letters on the case",
    )


@require_POST
@staff_required
def conduct_review(request, pk: int):
    post = request.POST
    return _decision_action(
        request,
        pk,
        lambda d: services.decision_review(
            actor=request.user,
            decision=d,
            outcome=post.get("outcome", ""),
            reasons=post.get("reasons", ""),
            next_review_due=_date(post.get("next_review_due", ""), "next_review_due"),
            variation=_variation(post, request.user),
        ),
        "Review recorded",
    )


@require_POST
@staff_required
def conduct_appeal(request, pk: int):
    return _decision_action(
        request,
        pk,
        lambda d: services.appeal_lodge(
            actor=request.user, decision=d, grounds=request.POST.get("grounds", "")
        ),
        "Appeal recorded: someone not involved will decide it",
    )


@require_POST
@staff_required
def conduct_appeal_decide(request, pk: int):
    appeal = Appeal.objects.filter(pk=pk).first()
    if appeal is None:
        raise Http404("No such appeal")
    post = request.POST
    return _decision_action(
        request,
        appeal.decision_id,
        lambda d: services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=post.get("outcome", ""),
            reasons=post.get("reasons", ""),
            variation=_variation(post, request.user),
        ),
        "Appeal decided: the customer has been told",
    )


@staff_required
def conduct_incident(request, pk: int):
    try:
        incident = selectors.incident_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "conduct/incident.html",
        {
            "incident": incident,
            "staff": list(incident.staff_involved.all()),
            "follow_ups": list(incident.follow_ups.select_related("owner", "staff_member", "done_by")),
            "markers": [
                m for m in markers_for(request.user, [incident.customer_id]) if m.incident_id == incident.pk
            ],
        },
    )


# --- markers and follow-ups ----------------------------------------------------------------------------


@require_POST
@staff_required
def conduct_marker_add(request, pk: int):
    customer = _customer(request.user, pk)
    post = request.POST
    try:
        services.marker_add(
            actor=request.user,
            customer=customer,
            reason=post.get("reason", ""),
            basis=post.get("basis", ""),
            visible_to=post.getlist("visible_to"),
            review_due=_date(post.get("review_due", ""), "review_due"),
        )
        messages.success(request, "Warning marker added")
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("conduct_customer", args=[customer.pk]) + "#markers")


def _marker(request, pk: int) -> WarningMarker:
    marker = WarningMarker.objects.filter(pk=pk).select_related("customer").first()
    if marker is None or not any(m.pk == marker.pk for m in markers_for(request.user, [marker.customer_id])):
        raise Http404("No such marker, or not one you can see")
    _customer(request.user, marker.customer_id)
    return marker


@require_POST
@staff_required
def conduct_marker_review(request, pk: int):
    marker = _marker(request, pk)
    try:
        services.marker_review(
            actor=request.user,
            marker=marker,
            reasons=request.POST.get("reasons", ""),
            review_due=_date(request.POST.get("review_due", ""), "review_due"),
        )
        messages.success(request, "Marker reviewed: kept to the new review date")
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("conduct_customer", args=[marker.customer_id]) + "#markers")


@require_POST
@staff_required
def conduct_marker_remove(request, pk: int):
    marker = _marker(request, pk)
    try:
        services.marker_remove(actor=request.user, marker=marker, reason=request.POST.get("reason", ""))
        messages.success(request, "Marker removed")
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("conduct_customer", args=[marker.customer_id]) + "#markers")


@require_POST
@staff_required
def conduct_follow_up_done(request, pk: int):
    follow_up = WellbeingFollowUp.objects.filter(pk=pk).first()
    if follow_up is None or not incidents_visible(request.user).filter(pk=follow_up.incident_id).exists():
        raise Http404("No such follow-up")
    try:
        services.follow_up_done(actor=request.user, follow_up=follow_up, note=request.POST.get("note", ""))
        messages.success(request, "Follow-up done")
    except DomainError as exc:
        report(request, exc)
    return redirect(_back(request, reverse("conduct_overview")))


# --- the overview and the settings ---------------------------------------------------------------------


@staff_required
def conduct_overview(request):
    _allowed(can_see_conduct(request.user), "You cannot see conduct records")
    today = timezone.localdate()
    decisions = decisions_visible(request.user).filter(status=ConductDecision.Status.ACTIVE)
    return render(
        request,
        "conduct/overview.html",
        {
            "follow_ups": follow_ups_for(request.user),
            "reviews_due": [
                d
                for d in decisions.filter(review_due__lte=today)
                if can_decide_at(request.user, d.level.decided_by)
            ],
            "active": list(decisions.order_by("review_due")[:100]),
            "appeals": list(
                Appeal.objects.filter(
                    decided_at__isnull=True, decision__in=decisions_visible(request.user)
                ).select_related("decision__customer", "decision__level")
            ),
            "incidents": list(incidents_visible(request.user)[:25]),
        },
    )


@staff_required
def conduct_settings(request):
    _allowed(
        can_configure_conduct(request.user), "Only complaints leads and administrators change the policy"
    )
    return render(
        request,
        "conduct/settings.html",
        {
            "categories": BehaviourCategory.objects.all(),
            "levels": PolicyLevel.objects.all(),
            "restriction_types": RestrictionType.objects.all(),
            "roles": [(r.value, r.label) for r in Role if r.value in WORKING_ROLES],
            "level_codes": list(PolicyLevel.objects.values_list("code", flat=True)),
            "emergency": emergency_contact(),
        },
    )


def _settings_action(request, act, success: str):
    try:
        act()
        messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect("conduct_settings")


@require_POST
@staff_required
def conduct_settings_category(request):
    post = request.POST
    category = (
        BehaviourCategory.objects.filter(pk=post.get("pk")).first() if post.get("pk", "").isdigit() else None
    )
    return _settings_action(
        request,
        lambda: services.category_save(
            actor=request.user,
            category=category,
            name=post.get("name", ""),
            examples=post.get("examples", ""),
            severity_floor=post.get("severity_floor", "L1"),
            alerts_team_leader=bool(post.get("alerts_team_leader")),
            verbatim_required=bool(post.get("verbatim_required")),
            active=bool(post.get("active")) if category is not None else True,
        ),
        "Behaviour category saved",
    )


@require_POST
@staff_required
def conduct_settings_level(request, code: str):
    level = PolicyLevel.objects.filter(code=code).first()
    if level is None:
        raise Http404("No such level")
    post = request.POST
    days = post.get("review_days", "").strip()
    return _settings_action(
        request,
        lambda: services.level_save(
            actor=request.user,
            level=level,
            name=post.get("name", ""),
            allows=post.get("allows", ""),
            decided_by=post.getlist("decided_by"),
            notice_required=bool(post.get("notice_required")),
            review_days=int(days) if days.isdigit() else None,
        ),
        f"{level.code} saved",
    )


@require_POST
@staff_required
def conduct_settings_restriction(request, code: str):
    rtype = RestrictionType.objects.filter(code=code).first()
    if rtype is None:
        raise Http404("No such restriction")
    post = request.POST
    return _settings_action(
        request,
        lambda: services.restriction_type_save(
            actor=request.user,
            rtype=rtype,
            name=post.get("name", ""),
            description=post.get("description", ""),
            active=bool(post.get("active")),
        ),
        "Restriction saved",
    )
