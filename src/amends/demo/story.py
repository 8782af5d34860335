"""The demo's customer with a long history, for the customer's view (README "The customer's view").

Ngozi Okafor, a housing tenant in Leeds, has been in touch for seven weeks about three matters: damp and
mould in her children's bedroom (a complaint, still open), arrears on her rent account that she had paid (a
query that was resolved, re-opened by her text and closed), and a contractor who did not turn up (a second
complaint, waiting for our reply). On the way she waited five days for a first reply and rang, visited the
office with photos, wrote a letter; a promise of a survey date was broken; her damp complaint changed hands
while its handler was on leave; she confirmed our summary on her status page. The rent query is the Billing
team's: a Complaints adviser's view of her shows two matters, the complaints lead's all three.

The plans are written by hand and carried out like every demo plan (generate.apply_plan): through the
services, then back-dated to their planned times. Times count back from the seed's "now".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .people import Person
from .plan import CasePlan, Clock, Step

NAME = "Ngozi Okafor"
EMAIL = "ngozi.okafor@example.net"
PERSON = Person(name=NAME, first="Ngozi", signature=NAME, nation="england", who="Mrs Okafor", email=EMAIL)
# Above every planned case's number (plan_cases numbers them from 0).
FIRST_NUMBER = 1_000_000
DAMP = (
    "Your complaint is about repairs: damp and mould in your children's bedroom, reported in the spring and "
    "still not put right. You would like the cause found and fixed, and the room redecorated."
)
NO_SHOW = (
    "Your complaint is about repairs: our contractor did not come to fix the bedroom window on the day we "
    "booked, and nobody told you. You would like a new date you can rely on."
)


class _Times:
    """Planned moments counted back from now; a member of staff's fall in office hours, in order."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.last: datetime | None = None

    def at(self, days_ago: float, hour: int, minute: int = 0, *, staff: bool = False) -> datetime:
        day = (self.clock.now - timedelta(days=days_ago)).astimezone(self.clock.tz).date()
        moment = self.clock.at(day, hour, minute)
        if staff:
            moment = self.clock.working(moment)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=7)
        self.last = moment
        return min(moment, self.clock.now - timedelta(minutes=5))


def _email(n: str, subject: str, body: str) -> dict:
    return {
        "channel": "email",
        "body": body,
        "subject": subject,
        "sender": f"{NAME} <{EMAIL}>",
        "key": f"email:<story-{n}@example.net>",
    }


def _taken_up(picked_up: datetime, acknowledged: datetime, *, by: str, definition: str) -> list[Step]:
    """The case handler picks the complaint up, applies the Housing Ombudsman Code and acknowledges it."""
    return [
        Step(picked_up, "status", "handler", {"to": "open", "reason": "Picked up"}),
        Step(picked_up + timedelta(minutes=5), "regime", "handler", {"regime": "hos-2024"}),
        Step(
            acknowledged,
            "letter",
            "handler",
            {"kind": "acknowledgement", "by": by, "fields": {"complaint_definition": definition}},
        ),
    ]


def _promise(at: datetime, description: str, *, days: int) -> Step:
    """The handler's first promise on the case, due `days` later."""
    return Step(
        at, "promise", "handler", {"index": 0, "description": description, "due": at + timedelta(days=days)}
    )


def _damp(t: _Times) -> CasePlan:
    opened = t.at(49, 7, 48)
    steps = [
        Step(
            opened,
            "first",
            data={"via": "inbound"}
            | _email(
                "damp-1",
                "Damp and mould in the children's bedroom",
                "I reported damp in my children's bedroom in April. Nothing has been done and there is now "
                "black mould on the wall behind the beds. My youngest has a cough that will not clear. "
                "Please send someone to find the cause and fix it.",
            ),
        ),
        Step(t.at(49, 7, 51), "ack"),
        # Five days without a reply: she rings.
        Step(
            t.at(44, 9, 20),
            "note",
            "adviser",
            {
                "channel": "phone",
                "direction": "in",
                "body": "Mrs Okafor rang: emailed five days ago about mould in the children's bedroom and "
                "has heard nothing. Took her through it again from the start; she is worried about her "
                "son's cough. Passed to the complaints team.",
            },
        ),
        Step(
            t.at(44, 9, 50, staff=True),
            "assign",
            "leader",
            {"owner": "handler", "team": "complaints", "reason": "A repairs complaint: to a case handler"},
        ),
        *_taken_up(t.at(44, 10, 5, staff=True), t.at(44, 10, 40, staff=True), by="email", definition=DAMP),
        _promise(t.at(44, 10, 50, staff=True), "Book a damp survey and tell you the date", days=3),
        # Nobody marked it kept: the worker broke it when it fell due.
        Step(
            t.at(41, 11, 2),
            "promise_break",
            None,
            {"index": 0, "note": "Due time passed without the promise being marked kept"},
        ),
        Step(
            t.at(39, 20, 14),
            "inbound",
            data=_email(
                "damp-2",
                "Re: Damp and mould in the children's bedroom",
                "I was promised a survey date by Friday and nobody has called. This is the third time I have "
                "written to you about this and I have had to explain it all again on the phone. The mould is "
                "spreading.",
            ),
        ),
        Step(
            t.at(38, 9, 5, staff=True),
            "assign",
            "leader",
            {
                "owner": "eilidh.campbell",
                "team": "complaints",
                "reason": "leave",
                "note": "Sam is on leave for two weeks. Mrs Okafor is waiting for the survey date we "
                "promised "
                "(it was missed); she is upset about the mould in her daughter's room. Call her first.",
            },
        ),
        Step(
            t.at(38, 10, 30, staff=True),
            "note",
            "eilidh.campbell",
            {
                "channel": "phone",
                "direction": "out",
                "body": "Called Mrs Okafor: apologised that the survey date was not booked as promised. "
                "Booked a surveyor to look at the damp this week.",
            },
        ),
    ]
    booked = t.at(38, 10, 40, staff=True)
    steps += [
        Step(
            booked,
            "promise",
            "eilidh.campbell",
            {
                "index": 1,
                "description": "Send a surveyor to look at the damp",
                "due": booked + timedelta(days=3),
            },
        ),
        Step(
            t.at(37, 11, 0, staff=True),
            "understand",
            "eilidh.campbell",
            {
                "what_happened": "Damp reported in April in the children's bedroom has turned to black "
                "mould; no repair has been done.",
                "impact": "Her son has a persistent cough; the children cannot sleep in the room.",
                "outcome_wanted": "The cause found and fixed, and the room redecorated.",
            },
        ),
        Step(t.at(36, 21, 12), "confirm", None, {"via": "customer status page"}),
        Step(
            t.at(35, 12, 30, staff=True),
            "promise_keep",
            "eilidh.campbell",
            {"index": 1, "note": "Surveyor attended; report due next week"},
        ),
        Step(
            t.at(30, 12, 15, staff=True),
            "note",
            "marcus.reid",
            {
                "channel": "face_to_face",
                "direction": "in",
                "body": "Mrs Okafor came to the office with photos of the mould. Went through the history "
                "with her from the start. She has not had the survey report.",
            },
        ),
        Step(
            t.at(29, 15, 40, staff=True),
            "reply",
            "eilidh.campbell",
            {
                "purpose": "reply",
                "body": "Dear Mrs Okafor, thank you for bringing in the photos. The survey found a leaking "
                "gutter above the bedroom; the repair is ordered and I will write with the date.",
            },
        ),
        Step(
            t.at(19, 11, 0, staff=True),
            "note",
            "adviser",
            {
                "channel": "letter",
                "direction": "in",
                "body": "Letter from Mrs Okafor: asks when the gutter will be repaired and the room "
                "treated; says she has written three times and has copied in her councillor.",
            },
        ),
    ]
    summary = "Damp and mould in the children's bedroom"
    return _plan(0, "complaint", "email", "Repairs", summary, opened, steps, "open", regime="hos-2024")


def _rent(t: _Times) -> CasePlan:
    opened = t.at(27, 14, 5, staff=True)
    steps = [
        Step(
            opened,
            "first",
            "rachel.owusu",
            {
                "via": "note",
                "channel": "phone",
                "direction": "in",
                "body": "Mrs Okafor rang: her rent statement shows £312 arrears, but she paid by standing "
                "order every month. Asked her to explain the payments; she will send bank statements.",
            },
        ),
        Step(
            t.at(27, 14, 30, staff=True),
            "assign",
            "rachel.owusu",
            {"owner": "tom.gallagher", "team": "billing", "reason": "Rent account query"},
        ),
        Step(
            t.at(26, 10, 20, staff=True),
            "reply",
            "tom.gallagher",
            {
                "purpose": "reply",
                "body": "Dear Mrs Okafor, your March payment was put on the wrong account. I have moved it "
                "and your rent account is now clear.",
            },
        ),
        Step(t.at(26, 10, 25, staff=True), "status", "tom.gallagher", {"to": "resolved", "reason": ""}),
        Step(
            t.at(24, 18, 40),
            "inbound",
            data={
                "channel": "sms",
                "body": "My online account still says I owe £312. Ngozi Okafor",
                "subject": "",
                "sender": "Ngozi Okafor",
                "key": "sms:story-rent-2",
            },
        ),
        Step(
            t.at(20, 9, 30, staff=True),
            "reply",
            "tom.gallagher",
            {
                "purpose": "reply",
                "body": "Dear Mrs Okafor, sorry: the online account takes a few days to catch up. It now "
                "shows a nil balance.",
            },
        ),
        Step(t.at(20, 9, 35, staff=True), "status", "tom.gallagher", {"to": "resolved", "reason": ""}),
        Step(
            t.at(13, 9, 0, staff=True),
            "status",
            "tom.gallagher",
            {"to": "closed", "reason": "Balance confirmed clear; no reply from the customer"},
        ),
    ]
    summary = "Rent account shows arrears already paid"
    category = "Rent and service charges"
    return _plan(1, "query", "phone", category, summary, opened, steps, "closed", taken_by="rachel.owusu")


def _no_show(t: _Times) -> CasePlan:
    opened = t.at(12, 13, 2)
    steps = [
        Step(
            opened,
            "first",
            data={"via": "inbound"}
            | _email(
                "window-1",
                "Nobody came to fix the window",
                "I took the day off work for the window repair and nobody came or rang. This is not the "
                "first time. I want a date that you will keep.",
            ),
        ),
        Step(t.at(12, 13, 5), "ack"),
        Step(
            t.at(11, 9, 20, staff=True),
            "assign",
            "leader",
            {
                "owner": "handler",
                "team": "complaints",
                "reason": "other",
                "note": "Sam is back from leave and takes the complaint back: the survey is booked, the "
                "visit "
                "notes and photos are on the case.",
            },
        ),
        *_taken_up(t.at(11, 9, 25, staff=True), t.at(11, 10, 0, staff=True), by="print", definition=NO_SHOW),
        _promise(t.at(11, 10, 10, staff=True), "Ring you with a new appointment", days=2),
        Step(
            t.at(10, 15, 0, staff=True),
            "note",
            "handler",
            {
                "channel": "phone",
                "direction": "out",
                "body": "Rang Mrs Okafor with a new appointment for the window.",
            },
        ),
        Step(t.at(10, 15, 5, staff=True), "promise_keep", "handler", {"index": 0, "note": "Rang her"}),
        Step(
            t.at(6, 22, 31),
            "inbound",
            data=_email(
                "window-2",
                "Re: Nobody came to fix the window",
                "The new appointment was for a day I told Sam I work. I have asked three times now for an "
                "afternoon appointment. Please ring after 4pm.",
            ),
        ),
    ]
    summary = "Contractor did not come to fix the bedroom window"
    return _plan(2, "complaint", "email", "Repairs", summary, opened, steps, "open", regime="hos-2024")


def _plan(n, kind, channel, category, summary, opened, steps, status, *, regime=None, taken_by=None):
    return CasePlan(
        number=FIRST_NUMBER + n,
        person=PERSON,
        channel=channel,
        kind=kind,
        category=category,
        product="General needs tenancy",
        status=status,
        opened_at=opened,
        summary=summary,
        outcome_wanted="",
        kind_reason="",
        taken_by=taken_by,
        steps=steps,
        regime=regime,
    )


def story_plans(clock: Clock) -> list[CasePlan]:
    """Her three matters, in the order they began: generate.py carries them out with its own plans'."""
    return sorted((build(_Times(clock)) for build in (_damp, _rent, _no_show)), key=lambda p: p.opened_at)
