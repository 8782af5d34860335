"""Every change to repeated problems: grouping (batch and incremental), problem records, product owners.

Each change writes an audit event (core `audit_record`); linking and unlinking a case also writes a case
event. The grouping runs after intake's transaction commits (`wiring.arrived`), so intake never fails
because of it.
"""

from __future__ import annotations

import io
import logging
import pickle  # noqa: S403 - our own fitted grouper, written and read only here
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent, CaseKind
from amends.cases.services import case_event, case_event_record, case_events_record
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.services import audit_record, notify
from amends.messaging.models import Message
from amends.messaging.services import message_send
from amends.process.models import RootCause

from .models import (
    ContactGroup,
    EarlyWarning,
    GroupingState,
    GroupMember,
    OpenedBy,
    Problem,
    ProblemCase,
    ProblemStatus,
    ProductOwner,
)

log = logging.getLogger(__name__)

REGROUP_DAYS = 365  # the batch regroups the inbound messages of the last year
FIRST_GROUPING = 20  # messages stored before the first (batch) grouping runs by itself
LIVE = (ProblemStatus.OPEN, ProblemStatus.INVESTIGATING)


# --- the grouping ------------------------------------------------------------------------------------


def _text(message: Message) -> str:
    return f"{message.subject}\n{message.body_text}".strip()


def _extra(case: Case) -> dict[str, str]:
    return {"product": case.product} if case.product else {}


def _inbound(since: datetime) -> Any:
    return (
        Message.objects.filter(direction=Message.Direction.INBOUND, occurred_at__gte=since)
        .select_related("case")
        .order_by("occurred_at", "pk")
    )


def _dump_centroids(sums: np.ndarray, counts: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, sums=sums, counts=counts)
    return buffer.getvalue()


_FITTED: dict[int, Any] = {}  # the unpickled representation per grouping state: read once per process


def _load(state: GroupingState) -> Any:
    from .grouping import Grouper

    if state.pk not in _FITTED:
        _FITTED.clear()
        _FITTED[state.pk] = pickle.loads(bytes(state.state))  # noqa: S301 - written by problems_regroup only
    fitted: Grouper = _FITTED[state.pk]
    grouper = Grouper(
        fitted.representation, fitted.threshold, fitted.extra_weight, rep=fitted.rep, extras=fitted.extras
    )
    arrays = np.load(io.BytesIO(bytes(state.centroids)))
    grouper.sums, grouper.counts = arrays["sums"], arrays["counts"]
    return grouper


@transaction.atomic
def problems_regroup(*, actor: Any, now: datetime | None = None) -> dict:
    """The batch: every inbound message of the last year grouped afresh; the new grouping becomes current
    (the incremental grouping continues from it). Problems keep their cases; thresholds are checked."""
    from .grouping import Grouper

    now = now or timezone.now()
    messages = [m for m in _inbound(now - timedelta(days=REGROUP_DAYS)) if _text(m)]
    GroupingState.objects.filter(current=True).update(current=False)
    if not messages:
        return {"messages": 0, "groups": 0, "problems_opened": 0, "warnings": 0}
    grouper = Grouper()
    extras = [_extra(m.case) for m in messages]
    labels = grouper.fit([_text(m) for m in messages], extras if any(extras) else None)
    sums, counts = grouper.sums, grouper.counts
    grouper.sums, grouper.counts = np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
    state = GroupingState.objects.create(
        fitted_at=now,
        fitted_messages=len(messages),
        fitted_groups=len(counts),
        messages=len(messages),
        state=pickle.dumps(grouper),
        centroids=_dump_centroids(sums, counts),
    )
    groups = _groups(state, {int(x) for x in labels}, now)
    _members(groups, list(zip(messages, (int(x) for x in labels), strict=True)), every_group_of=state)
    opened, warned = _thresholds(groups.values(), now, every_group_of=state)
    audit_record(
        actor=actor,
        kind="problems.regrouped",
        obj=state,
        after={"messages": len(messages), "groups": len(groups)},
    )
    return {"messages": len(messages), "groups": len(groups), "problems_opened": opened, "warnings": warned}


def _groups(state: GroupingState, numbers: Iterable[int], now: datetime) -> dict[int, ContactGroup]:
    existing = {g.number: g for g in ContactGroup.objects.filter(state=state, number__in=list(numbers))}
    new = [ContactGroup(state=state, number=n, created_at=now) for n in numbers if n not in existing]
    ContactGroup.objects.bulk_create(new)
    existing.update(
        {g.number: g for g in ContactGroup.objects.filter(state=state, number__in=[g.number for g in new])}
    )
    return existing


LABEL_FROM = 200  # a group is described by the words of its first 200 messages (by id)


def _among(groups: Iterable[int], every_group_of: GroupingState | None) -> Q:
    """Members of these groups, as a filter: by their grouping when they are all its groups (a regrouping
    makes thousands: more ids than a statement may hold), else by id."""
    return Q(group__state=every_group_of) if every_group_of else Q(group__in=list(groups))


def _members(
    groups: dict[int, ContactGroup],
    placed: list[tuple[Message, int]],
    *,
    every_group_of: GroupingState | None = None,
) -> None:
    """Place the messages in their groups, then describe again each group that had fewer than
    `LABEL_FROM` messages (a fuller group's first messages, and so its label, cannot change). Set-wise:
    a query for the sizes, one for the texts and one update, however many groups a batch touched."""
    by_pk = {g.pk: g for g in groups.values()}
    before = dict(
        GroupMember.objects.filter(_among(by_pk, every_group_of))
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(
                group=groups[number],
                message=message,
                case=message.case,
                customer_id=message.customer_id,
                complaint=message.case.kind == CaseKind.COMPLAINT,
                at=message.occurred_at,
            )
            for message, number in placed
        ],
        ignore_conflicts=True,
    )
    short = [pk for pk in by_pk if before.get(pk, 0) < LABEL_FROM]
    texts: dict[int, list[str]] = {pk: [] for pk in short}
    rows = (
        GroupMember.objects.filter(_among(short, every_group_of if len(short) == len(by_pk) else None))
        .order_by("group_id", "message_id")
        .values_list("group_id", "message__subject", "message__body_text")
    )
    for group_id, subject, body in rows.iterator(chunk_size=2000):
        if len(texts[group_id]) < LABEL_FROM:
            texts[group_id].append(f"{subject}\n{body}".strip())
    changed = []
    for pk, group_texts in texts.items():
        label = _describe(group_texts)
        if label != by_pk[pk].label:
            by_pk[pk].label = label
            changed.append(by_pk[pk])
    ContactGroup.objects.bulk_update(changed, ["label"], batch_size=500)


def _describe(texts: Sequence[str]) -> str:
    from .grouping import describe

    return describe(texts)[:200]


def _grown(state: GroupingState) -> bool:
    """Many messages since the representation learnt its words (half as many again)."""
    return state.messages - state.fitted_messages >= max(FIRST_GROUPING, state.fitted_messages // 2)


def _new_groups(state: GroupingState, groups: int) -> bool:
    """Enough groups started since the representation learnt its words for a new problem to be among them."""
    return groups - state.fitted_groups >= max(settings.PROBLEMS_OPEN_CUSTOMERS, state.fitted_messages // 100)


def _relearn_inline(state: GroupingState) -> bool:
    """Whether a re-learning that is due runs at once, after the arrival's commit: only while the grouping
    has learnt from few messages (a regrouping reads every message of the last year, a few milliseconds
    each). Past that, arrivals are only assigned and the worker's step re-learns (`problems_relearn_due`),
    so intake never waits for the batch."""
    return state.fitted_messages < settings.PROBLEMS_RELEARN_INLINE_UP_TO


def problems_relearn_due(now: datetime) -> int:
    """The worker's step: re-learn and regroup if the current grouping is due (grown by half, or enough
    groups in unlearnt words) and was left for the worker; how many messages it regrouped (0: not due)."""
    state = GroupingState.objects.filter(current=True).order_by("-pk").first()
    if state is None or _relearn_inline(state):
        return 0  # nothing yet (the first grouping runs on arrival), or small enough to run on arrival
    groups = len(_load(state).counts)
    if not (_grown(state) or _new_groups(state, groups)):
        return 0
    return problems_regroup(actor=None, now=now)["messages"]


def worker_steps() -> dict:
    return {"problems_relearn": problems_relearn_due}


def messages_group(message_ids: Sequence[int], *, now: datetime | None = None) -> dict:
    """The incremental grouping: each new inbound message joins the nearest group within the threshold,
    else starts its own; then thresholds are checked on the groups it touched. With no grouping yet, the
    batch runs instead (it includes these messages)."""
    now = now or timezone.now()
    with transaction.atomic():
        state = GroupingState.objects.select_for_update().filter(current=True).order_by("-pk").first()
        if state is None:
            # No grouping yet: the batch groups everything once there is enough to learn words from.
            if _inbound(now - timedelta(days=REGROUP_DAYS)).count() < FIRST_GROUPING:
                return {"messages": 0, "groups": 0, "problems_opened": 0, "warnings": 0}
            return problems_regroup(actor=None, now=now)
        grouped = GroupMember.objects.filter(group__state=state, message_id__in=message_ids)
        messages = [
            m
            for m in Message.objects.filter(pk__in=message_ids, direction=Message.Direction.INBOUND)
            .exclude(pk__in=grouped.values("message_id"))  # a regrouping since they arrived took them
            .select_related("case")
            .order_by("occurred_at", "pk")
            if _text(m)
        ]
        if not messages:
            return {"messages": 0, "groups": 0, "problems_opened": 0, "warnings": 0}
        if _grown(state) and _relearn_inline(state):
            # Many messages since the representation learnt its words: learn them again, in full.
            return problems_regroup(actor=None, now=now)
        grouper = _load(state)
        numbers = grouper.assign([_text(m) for m in messages], [_extra(m.case) for m in messages])
        state.centroids = _dump_centroids(grouper.sums, grouper.counts)
        state.messages += len(messages)
        state.save(update_fields=["centroids", "messages"])
        groups = _groups(state, set(numbers), now)
        _members(groups, list(zip(messages, numbers, strict=True)))
        if _new_groups(state, len(grouper.counts)) and _relearn_inline(state):
            # Messages in words the representation never learnt each start a group of their own: when
            # enough have, a new problem may be among them, so the batch learns the words and regroups.
            return problems_regroup(actor=None, now=now)
        opened, warned = _thresholds(groups.values(), now)
    return {"messages": len(messages), "groups": len(groups), "problems_opened": opened, "warnings": warned}


def _leads() -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, staff__role=Role.COMPLAINTS_LEAD))


def product_owners(product: str) -> list[Any]:
    """Who is told about a problem with this product: its owner, else the complaints leads."""
    owner = (
        ProductOwner.objects.filter(product__iexact=product).select_related("owner").first()
        if product
        else None
    )
    if owner is not None and owner.owner.is_active:
        return [owner.owner]
    return _leads()


def _thresholds(
    groups: Iterable[ContactGroup], now: datetime, *, every_group_of: GroupingState | None = None
) -> tuple[int, int]:
    """A group with complaints from N customers in D days opens a problem (or adds its cases to the one
    it opened); queries and problem contacts from W customers in D days raise an early warning first.

    Set-wise, so a batch that touched hundreds of groups costs a handful of queries (customers per group,
    the groups' live problems, one bulk link); only a group crossing a threshold costs queries of its own."""
    touched = {g.pk: g for g in groups}
    since = now - timedelta(days=settings.PROBLEMS_OPEN_DAYS)
    recent = GroupMember.objects.filter(_among(touched, every_group_of), at__gte=since, at__lte=now)
    counts = {
        row["group_id"]: row
        for row in recent.values("group_id").annotate(
            complaints=Count("customer", filter=Q(complaint=True), distinct=True),
            others=Count("customer", filter=Q(complaint=False), distinct=True),
        )
    }
    problems = _live_problems(touched, recent, every_group_of)
    opened = warned = 0
    for pk, group in touched.items():
        n = counts.get(pk)
        if pk in problems or n is None:
            continue
        if n["complaints"] >= settings.PROBLEMS_OPEN_CUSTOMERS:
            _open_from_group(group, recent.filter(group=group), now)  # links the group's cases itself
            opened += 1
        elif (
            n["others"] >= settings.PROBLEMS_WARNING_CUSTOMERS
            and not group.warnings.filter(raised_at__gte=since).exists()
        ):
            _warn(group, recent.filter(group=group), n["others"], now)
            warned += 1
    _link_members(problems, recent, now)
    return opened, warned


def _live_problems(
    groups: dict[int, ContactGroup], recent: Any, every_group_of: GroupingState | None
) -> dict[int, Problem]:
    """Each group's live problem: the one it opened, else (after a regrouping made new groups) the live
    problem already holding at least half the group's recent cases, which from now on follows that group.
    (A group whose cases merely include one of a problem's, say a customer chasing in general words, is
    not that problem: linking every case of it would be wrong.)"""
    problems: dict[int, Problem] = {}
    live = Problem.objects.filter(status__in=LIVE, merged_into=None)
    for problem in live.filter(_among(groups, every_group_of)):
        problems.setdefault(problem.group_id, problem)  # the newest (the model's order) if several
    if len(problems) == len(groups) or not live.exists():
        return problems
    orphans = recent.exclude(group__in=list(problems))
    shared = (
        ProblemCase.objects.filter(problem__status__in=LIVE, problem__merged_into=None)
        .filter(case__in=orphans.values("case_id"))
        .values_list("problem_id", "case_id")
    )
    holders: dict[int, set[int]] = {}
    for problem_id, case_id in shared:
        holders.setdefault(case_id, set()).add(problem_id)
    tally: dict[int, Counter] = {}
    sizes: Counter = Counter()
    for group_id, case_id in orphans.values_list("group_id", "case_id").distinct():
        sizes[group_id] += 1
        for problem_id in holders.get(case_id, ()):
            tally.setdefault(group_id, Counter())[problem_id] += 1
    chosen = {}
    for group_id, held in tally.items():
        problem_id, shared_cases = min(held.items(), key=lambda item: (-item[1], item[0]))
        if 2 * shared_cases >= sizes[group_id]:  # most of it: one chaser in a group is no reason
            chosen[group_id] = problem_id
    found = Problem.objects.in_bulk(set(chosen.values()))
    for group_id, problem_id in chosen.items():
        problems[group_id] = found[problem_id]
        Problem.objects.filter(pk=problem_id).update(group=groups[group_id])
    return problems


def _link_members(problems: dict[int, Problem], recent: Any, now: datetime) -> None:
    """Link each group's recent cases to its live problem, all groups at once, leaving out any case staff
    unlinked from that problem (they said it is not about it: the grouping does not say otherwise)."""
    if not problems:
        return
    members = recent.filter(group__in=list(problems))
    wanted = {
        (problems[group_id].pk, case_id)
        for group_id, case_id in members.values_list("group_id", "case_id").distinct()
    }
    cases = members.values("case_id")
    have = set(
        ProblemCase.objects.filter(problem__in=[p.pk for p in problems.values()], case__in=cases).values_list(
            "problem_id", "case_id"
        )
    )
    refused = {
        (before.get("problem"), case_id)
        for case_id, before in CaseEvent.objects.filter(
            kind=EventKind.PROBLEM_UNLINKED, case__in=cases
        ).values_list("case_id", "before")
        if isinstance(before, dict)
    }
    new = sorted(wanted - have - refused)
    if not new:
        return
    by_pk = {p.pk: p for p in problems.values()}
    found = Case.objects.in_bulk({case_id for _, case_id in new})
    _links_write([(by_pk[problem_id], found[case_id]) for problem_id, case_id in new], actor=None, now=now)


def _main_product(cases: Any) -> str:
    products = Counter(c.product for c in cases if c.product)
    return products.most_common(1)[0][0] if products else ""


def _open_from_group(group: ContactGroup, recent: Any, now: datetime) -> Problem:
    cases = list(Case.objects.filter(pk__in=recent.values("case_id")))
    product = _main_product(cases)
    customers = len({c.customer_id for c in cases})
    problem = Problem.objects.create(
        title=f"Repeated problem: {group.label or 'similar contacts'}"[:200],
        description=(
            f"{customers} customers wrote about the same thing within {settings.PROBLEMS_OPEN_DAYS} days "
            "(found by the grouping)."
        ),
        product=product,
        opened_by=OpenedBy.GROUPING,
        group=group,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=None, kind="problem.opened", obj=problem, after=_snapshot(problem))
    _link(problem, cases, actor=None, now=now)
    about = f" with {product}" if product else ""
    notify(
        users=product_owners(product),
        text=f"A repeated problem{about} ({customers} customers): {problem.title}",
        link=f"/problems/{problem.pk}/",
        urgent=True,
    )
    return problem


def _warn(group: ContactGroup, recent: Any, customers: int, now: datetime) -> EarlyWarning:
    contacts = recent.filter(complaint=False).count()
    warning = EarlyWarning.objects.create(
        group=group, raised_at=now, contacts=contacts, customers=customers, label=group.label
    )
    audit_record(
        actor=None,
        kind="problem.early_warning",
        obj=warning,
        after={"customers": customers, "label": group.label},
    )
    product = _main_product(Case.objects.filter(pk__in=recent.values("case_id")))
    notify(
        users=product_owners(product),
        text=f"Early warning: {customers} customers asked about one thing ({group.label}), no complaint yet",
        link="/problems/",
        urgent=False,
    )
    return warning


# --- problem records ---------------------------------------------------------------------------------


def _snapshot(problem: Problem) -> dict:
    return {
        "title": problem.title,
        "description": problem.description,
        "owner": problem.owner_id,
        "status": problem.status,
        "product": problem.product,
        "root_cause": problem.root_cause_id,
    }


def _check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("A problem needs a title")
    if len(title) > 200:
        raise DomainError("A problem's title is at most 200 characters")
    return title


def _check_root_cause(root_cause: Any) -> RootCause | None:
    if root_cause is None or isinstance(root_cause, RootCause):
        return root_cause
    found = RootCause.objects.filter(pk=root_cause, active=True).first()
    if found is None:
        raise DomainError("No such root cause")
    return found


@transaction.atomic
def problem_open(
    *,
    title: str,
    actor: Any,
    description: str = "",
    product: str = "",
    owner: Any = None,
    root_cause: Any = None,
    cases: Sequence[Case] = (),
) -> Problem:
    """A problem staff saw themselves (a system fault seen internally), with or without customers yet."""
    now = timezone.now()
    problem = Problem.objects.create(
        title=_check_title(title),
        description=description.strip(),
        product=product.strip()[:100],
        owner=owner,
        root_cause=_check_root_cause(root_cause),
        opened_by=OpenedBy.STAFF,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=actor, kind="problem.opened", obj=problem, after=_snapshot(problem))
    _link(problem, cases, actor=actor, now=now)
    if owner is not None and getattr(owner, "pk", None) != getattr(actor, "pk", None):
        notify(
            users=[owner],
            text=f"You own the problem \u201c{problem.title}\u201d",
            link=f"/problems/{problem.pk}/",
            urgent=False,
        )
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, actor: Any, reason: str = "", **changes: Any) -> Problem:
    """Rename, describe, set the owner, status, product or root cause: one audit event, before and after."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.merged_into_id:
        raise DomainError("This problem was merged into another: change that one")
    allowed = {"title", "description", "owner", "status", "product", "root_cause"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"A problem has no {', '.join(sorted(unknown))}")
    if "title" in changes:
        changes["title"] = _check_title(changes["title"])
    if "status" in changes and changes["status"] not in ProblemStatus.values:
        raise DomainError(f"No status {changes['status']!r}: open, investigating, fixed or closed")
    if "root_cause" in changes:
        changes["root_cause"] = _check_root_cause(changes["root_cause"])
    if "product" in changes:
        changes["product"] = (changes["product"] or "").strip()[:100]
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    before = _snapshot(problem)
    for field, value in changes.items():
        setattr(problem, field, value)
    after = _snapshot(problem)
    if after == before:
        return problem
    problem.updated_at = timezone.now()
    problem.save()
    audit_record(
        actor=actor,
        kind="problem.updated",
        obj=problem,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        reason=reason,
    )
    owner = changes.get("owner")
    if owner is not None and before["owner"] != owner.pk and owner.pk != getattr(actor, "pk", None):
        notify(
            users=[owner],
            text=f"You own the problem \u201c{problem.title}\u201d",
            link=f"/problems/{problem.pk}/",
            urgent=False,
        )
    return problem


def _link(problem: Problem, cases: Iterable[Case], *, actor: Any, now: datetime) -> int:
    linked = set(ProblemCase.objects.filter(problem=problem).values_list("case_id", flat=True))
    new = [case for case in {c.pk: c for c in cases}.values() if case.pk not in linked]
    _links_write([(problem, case) for case in new], actor=actor, now=now)
    return len(new)


def _links_write(pairs: Sequence[tuple[Problem, Case]], *, actor: Any, now: datetime) -> None:
    """New links in one insert, each with its case event (in one insert too)."""
    by = actor if getattr(actor, "pk", None) else None
    ProblemCase.objects.bulk_create(
        [ProblemCase(problem=problem, case=case, linked_at=now, linked_by=by) for problem, case in pairs]
    )
    case_events_record(
        case_event(
            case,
            kind=EventKind.PROBLEM_LINKED,
            actor=actor,
            at=now,
            after={"problem": problem.pk, "title": problem.title},
        )
        for problem, case in pairs
    )


@transaction.atomic
def problem_cases_link(*, problem: Problem, cases: Sequence[Case], actor: Any) -> int:
    if problem.merged_into_id:
        raise DomainError("This problem was merged into another: link cases to that one")
    if not cases:
        raise DomainError("Name at least one case to link")
    count = _link(problem, cases, actor=actor, now=timezone.now())
    if count:
        audit_record(
            actor=actor,
            kind="problem.cases_linked",
            obj=problem,
            after={"cases": [c.reference for c in cases]},
        )
    return count


@transaction.atomic
def problem_case_unlink(*, problem: Problem, case: Case, actor: Any) -> None:
    deleted, _ = ProblemCase.objects.filter(problem=problem, case=case).delete()
    if not deleted:
        raise DomainError(f"{case.reference} is not linked to this problem")
    case_event_record(
        case,
        kind=EventKind.PROBLEM_UNLINKED,
        actor=actor,
        before={"problem": problem.pk, "title": problem.title},
    )
    audit_record(actor=actor, kind="problem.case_unlinked", obj=problem, before={"case": case.reference})


@transaction.atomic
def problems_merge(*, keep: Problem, others: Sequence[Problem], actor: Any) -> Problem:
    """Several records of one problem become one: their cases move to `keep`, they close, merged into it."""
    others = [p for p in others if p.pk != keep.pk]
    if not others:
        raise DomainError("Choose another problem to merge into this one")
    if keep.merged_into_id or any(p.merged_into_id for p in others):
        raise DomainError("A problem already merged cannot be merged again")
    now = timezone.now()
    for other in others:
        cases = [link.case for link in ProblemCase.objects.filter(problem=other).select_related("case")]
        _link(keep, cases, actor=actor, now=now)
        ProblemCase.objects.filter(problem=other).delete()
        before = _snapshot(other)
        other.merged_into, other.status, other.updated_at = keep, ProblemStatus.CLOSED, now
        other.save()
        audit_record(
            actor=actor,
            kind="problem.merged",
            obj=other,
            before=before,
            after={"merged_into": keep.pk, "status": "closed"},
        )
    audit_record(actor=actor, kind="problem.merged_in", obj=keep, after={"merged": [p.pk for p in others]})
    return keep


@transaction.atomic
def problem_split(*, problem: Problem, cases: Sequence[Case], title: str, actor: Any) -> Problem:
    """Some of a problem's cases are another problem: they move to a new record with this title."""
    linked = set(ProblemCase.objects.filter(problem=problem).values_list("case_id", flat=True))
    if not cases:
        raise DomainError("Choose the cases that are another problem")
    if any(c.pk not in linked for c in cases):
        raise DomainError("Only this problem's own cases can be split off")
    if len({c.pk for c in cases}) == len(linked):
        raise DomainError("Leave at least one case: to rename the problem, change its title")
    new = problem_open(
        title=title,
        actor=actor,
        description=f"Split from \u201c{problem.title}\u201d.",
        product=problem.product,
        owner=problem.owner,
        root_cause=problem.root_cause,
    )
    for case in cases:
        problem_case_unlink(problem=problem, case=case, actor=actor)
    _link(new, cases, actor=actor, now=timezone.now())
    audit_record(
        actor=actor,
        kind="problem.split",
        obj=problem,
        after={"into": new.pk, "cases": [c.reference for c in cases]},
    )
    return new


def affected_cases(problem: Problem) -> list[Case]:
    """One case per customer affected (their latest linked case): who the problem message goes to."""
    chosen: dict[int, Case] = {}
    for link in (
        ProblemCase.objects.filter(problem=problem)
        .select_related("case__customer")
        .order_by("case__opened_at")
    ):
        chosen[link.case.customer_id] = link.case
    return list(chosen.values())


def problem_tell_customers(
    *, problem: Problem, actor: Any, body: str, subject: str = "", expected: int
) -> int:
    """One message to every affected customer (one per customer, on their latest linked case), through
    messaging's `message_send` (and so the outbox), each audited. `expected` is the count the preview
    showed: if it changed since, nothing is sent."""
    body = (body or "").strip()
    if not body:
        raise DomainError("Write the message to send")
    cases = affected_cases(problem)
    if not cases:
        raise DomainError("No customer is affected yet: link their cases first")
    if expected != len(cases):
        raise DomainError(
            f"The preview said {expected} customers but there are now {len(cases)}: check it again"
        )
    with transaction.atomic():
        for case in cases:
            message_send(case=case, actor=actor, body=body, subject=subject or problem.title, purpose="reply")
        audit_record(
            actor=actor,
            kind="problem.customers_told",
            obj=problem,
            after={"customers": len(cases), "subject": subject or problem.title},
        )
    return len(cases)


@transaction.atomic
def product_owner_set(*, product: str, owner: Any, actor: Any) -> ProductOwner | None:
    """Who owns a product or service (told when a problem about it opens); no owner removes the entry."""
    product = " ".join((product or "").split())
    if not product:
        raise DomainError("Name the product or service")
    existing = ProductOwner.objects.filter(product__iexact=product).first()
    if owner is None:
        if existing is None:
            raise DomainError(f"No one owns {product}")
        audit_record(
            actor=actor,
            kind="product_owner.removed",
            obj=existing,
            before={"product": existing.product, "owner": existing.owner_id},
        )
        existing.delete()
        return None
    if not owner.is_active or not hasattr(owner, "staff"):
        raise DomainError("The owner must be an active member of staff")
    if existing is None:
        row = ProductOwner.objects.create(product=product[:100], owner=owner)
        audit_record(
            actor=actor, kind="product_owner.set", obj=row, after={"product": row.product, "owner": owner.pk}
        )
        return row
    before = {"owner": existing.owner_id}
    existing.owner = owner
    existing.save(update_fields=["owner"])
    audit_record(
        actor=actor, kind="product_owner.set", obj=existing, before=before, after={"owner": owner.pk}
    )
    return existing
