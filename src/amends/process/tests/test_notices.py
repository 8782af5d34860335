"""What the worker tells people, and how: routine reminders as one digest per person and topic, never twice
for a case while it is unread; urgent notes on their own, apart and first.

The fault this guards (issue 10, 4): Tess, the team leader, had 62 unread, about 60 of them "due a progress
update", one row per case per sweep, duplicates included, and the two breaches among them were buried.
Hal, a case handler on her team, owns six FCA complaints received on Monday 2 November 2026.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.cases.selectors import QueueFilters, case_queue
from amends.cases.tests.factories import make_case
from amends.core.models import Notification
from amends.core.selectors import inbox
from amends.messaging.services import message_send
from amends.process import services, tasks
from amends.process.models import CaseClock, CaseProcess

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
RECEIVED = datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
FIRST_REMINDER = datetime(2026, 11, 17, 9, 0, tzinfo=LONDON)  # FCA: an update every 10 business days


@pytest.fixture
def six_complaints(complaints_team, case_handler, time_machine):
    time_machine.move_to(RECEIVED, tick=False)
    cases = [make_case(team=complaints_team, owner=case_handler, summary=f"Complaint {i}") for i in range(6)]
    for case in cases:
        services.process_start(case=case, regime_code="fca-disp", actor=case_handler)
    return cases


def sweep_at(time_machine, moment, step=tasks.keep_informed):
    time_machine.move_to(moment, tick=False)
    return step(moment)


def unread(user, **kwargs):
    return list(Notification.objects.filter(user=user, read_at__isnull=True, **kwargs).order_by("id"))


def test_progress_updates_owed_are_one_digest_per_person(
    six_complaints, case_handler, team_leader, adviser, time_machine, client
):
    assert sweep_at(time_machine, FIRST_REMINDER) == 6

    for person, queue in ((case_handler, "mine"), (team_leader, "team")):
        (digest,) = unread(person)
        assert digest.urgency == Notification.Urgency.ROUTINE and digest.topic == "progress_update"
        assert digest.text == "6 customers are due a progress update"
        assert digest.link == f"/queue/?queue={queue}&risk=update_due"
        assert sorted(digest.subjects) == sorted(c.reference for c in six_complaints)
    assert unread(adviser) == []
    # The link's list is exactly the customers still owed one: an update sent takes its case off.
    message_send(case=six_complaints[0], body="An update on where things stand.", actor=case_handler)
    listed = case_queue(team_leader, QueueFilters(queue="team", risk="update_due")).rows
    assert {c.reference for c in listed} == {c.reference for c in six_complaints[1:]}
    client.force_login(team_leader)
    page = client.get("/queue/?queue=team&risk=update_due").content.decode()
    assert six_complaints[1].reference in page and six_complaints[0].reference not in page


def test_a_case_already_in_an_unread_digest_is_not_told_again(
    six_complaints, case_handler, team_leader, time_machine
):
    sweep_at(time_machine, FIRST_REMINDER)
    (digest,) = unread(team_leader)
    second = CaseProcess.objects.get(case=six_complaints[0]).next_update_due
    for process in CaseProcess.objects.exclude(case=six_complaints[0]):
        process.next_update_due = second + timedelta(days=30)  # only the first case is due again
        process.save(update_fields=["next_update_due"])

    assert sweep_at(time_machine, second) == 1  # reminded (and recorded) again, but not a second row

    assert unread(team_leader) == [digest]
    digest.refresh_from_db()
    assert digest.text == "6 customers are due a progress update" and len(digest.subjects) == 6

    # Once she has read it, the next reminder is news again: a new digest, of the one case.
    Notification.objects.filter(pk=digest.pk).update(read_at=second)
    third = CaseProcess.objects.get(case=six_complaints[0]).next_update_due
    assert sweep_at(time_machine, third) == 1
    (again,) = unread(team_leader)
    assert again.pk != digest.pk
    assert again.text == f"{six_complaints[0].reference}: the customer is due a progress update"
    assert again.link == f"/cases/{six_complaints[0].reference}/"


def test_a_new_case_joins_the_unread_digest(six_complaints, case_handler, team_leader, time_machine):
    only_first = six_complaints[0]
    CaseProcess.objects.exclude(case=only_first).update(next_update_due=FIRST_REMINDER + timedelta(days=1))
    sweep_at(time_machine, FIRST_REMINDER)
    (digest,) = unread(case_handler)
    assert digest.text.startswith(only_first.reference) and digest.link == f"/cases/{only_first.reference}/"

    sweep_at(time_machine, FIRST_REMINDER + timedelta(days=1))

    assert unread(case_handler) == [digest]
    digest.refresh_from_db()
    assert digest.text == "6 customers are due a progress update"
    assert digest.link == "/queue/?queue=mine&risk=update_due"
    assert digest.created_at == FIRST_REMINDER + timedelta(days=1)  # moved up to when it last grew


def test_clock_warnings_are_a_digest_and_breaches_stand_apart_first(
    six_complaints, case_handler, team_leader, time_machine
):
    breach = max(c.due_at for c in CaseClock.objects.filter(code="acknowledgement"))
    warn = max(c.warn_at for c in CaseClock.objects.filter(code="final_response"))
    assert breach < warn  # the breaches are older, and still come first
    assert sweep_at(time_machine, breach, tasks.breach_clocks) == 6
    assert sweep_at(time_machine, warn, tasks.warn_clocks) == 6

    routine = unread(team_leader, urgency=Notification.Urgency.ROUTINE)
    urgent = unread(team_leader, urgency=Notification.Urgency.URGENT)
    assert [n.text for n in routine] == ["6 clocks are close to their due time"]
    assert routine[0].link == "/queue/?queue=team&risk=clock_at_risk"
    assert len(urgent) == 3 and all("breached" in n.text or "more cases" in n.text for n in urgent)
    shown = inbox(team_leader)
    assert shown["urgent"] == list(reversed(urgent))  # newest first
    assert shown["routine"] == routine
    assert shown["up_to"] == max(n.pk for n in routine + urgent)
