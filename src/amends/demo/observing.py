"""The demo assessor's observations: what Nadia (the assessor) saw of the complaints team's work on a few
worked cases, against the standards' criteria, recorded through `observation_record`.

Demo back-dating: the service stamps the observation, its audit row and the learner's notification with the
wall clock; each is moved to the day of the work observed (the last step of the case), as generate.py moves
every other row the seed writes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from amends.assessment.models import Observation
from amends.assessment.services import observation_record
from amends.cases.models import Case
from amends.core.models import AuditEvent, Notification
from amends.core.permissions import owner_refusal

from . import texts

if TYPE_CHECKING:
    from .generate import Context

PER_KIND = 3  # worked problems and complaints observed, each


def observe(ctx: Context) -> list[Observation]:
    """Observe the owners of the first few complaints-team problems worked to an agreement, and complaints
    worked to a chosen option."""
    assessor = ctx.users["assessor"]
    team = ctx.teams["complaints"]
    worked = {
        "problem": Case.objects.filter(kind="problem", agreements__isnull=False),
        "complaint": Case.objects.filter(kind="complaint", findings__isnull=False, options__status="chosen"),
    }
    made = []
    for kind, cases in worked.items():
        chosen = [
            case
            for case in cases.filter(team=team, owner__isnull=False)
            .select_related("owner", "customer")
            .distinct()
            .order_by("opened_at", "pk")
            if owner_refusal(case.owner, team_id=case.team_id) is None
        ][:PER_KIND]
        for n, case in enumerate(chosen):
            criteria, seen = texts.OBSERVATIONS[kind][n % len(texts.OBSERVATIONS[kind])]
            observed = timezone.localtime(case.updated_at)
            observation = observation_record(
                case=case,
                assessor=assessor,
                learner=case.owner,
                criteria=criteria,
                seen=seen.format(first=case.customer.name.split()[0]),
                observed_on=observed.date(),
            )
            _backdate(observation, observed, ctx.started)
            made.append(observation)
    return made


def _backdate(observation: Observation, observed: datetime, started: datetime) -> None:
    """Recorded at the end of the day of the work observed (before now); read by the learner next day."""
    recorded = min(
        datetime.combine(observed.date(), time(17, 30), tzinfo=observed.tzinfo),
        timezone.now() - timedelta(minutes=5),
    )
    recorded = max(recorded, observed)
    Observation.objects.filter(pk=observation.pk).update(recorded_at=recorded)
    AuditEvent.objects.filter(kind="observation.recorded", object_id=str(observation.pk)).update(at=recorded)
    read = recorded + timedelta(days=1)
    Notification.objects.filter(
        user_id=observation.learner_id,
        link=reverse("case_detail", args=[observation.case.reference]) + "#observations",
        created_at__gte=started,
    ).update(created_at=recorded, read_at=read if read < timezone.now() else None)
