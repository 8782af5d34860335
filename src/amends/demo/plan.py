"""Plans the demo cases: who writes, on which channel, about what, and everything that happens after.

Framework-free and deterministic: the same seed and the same `now` give the same plans. generate.py then
carries each plan out through the services.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo
from random import Random

from . import texts, wording
from .people import Identities, Person, needs, plan_people
from .wording import Staff, Writer

CHANNELS = ("email", "web_form", "phone", "face_to_face", "letter", "social", "chat", "api")
CHANNEL_WEIGHTS = (30, 20, 20, 5, 6, 6, 8, 5)
OFFLINE_CHANNELS = ("phone", "face_to_face", "letter")
KINDS = ("query", "problem", "complaint")
KIND_WEIGHTS = (22, 28, 50)
STATUSES = ("new", "open", "awaiting_customer", "resolved", "closed")
HISTORY_DAYS = 270  # about nine months
MAX_MESSAGES = 6
MESSAGE_ACTIONS = {"first", "inbound", "note", "reply", "ack"}
CASES_PER_CUSTOMER = 2.5

# The first cases cycle through every channel, kind and status, so even a tiny demo shows them all.
COVERAGE = 40

# Status by age of the case in days: old cases are mostly finished, new ones mostly still open.
STATUS_BY_AGE = [
    (2, (55, 30, 10, 5, 0)),
    (7, (15, 35, 20, 20, 10)),
    (30, (3, 22, 15, 30, 30)),
    (90, (0, 8, 5, 17, 70)),
    (HISTORY_DAYS + 1, (0, 2, 1, 5, 92)),
]
AGE_FOR_STATUS = {
    "new": (0.05, 3),
    "open": (0.5, 20),
    "awaiting_customer": (1, 25),
    "resolved": (3, 60),
    "closed": (10, 250),
}

STAFF = {
    username: Staff(first, f"{first} {last}", (team or "complaints").capitalize())
    for username, first, last, _role, team in texts.STAFF
}
ADVISERS = {
    "complaints": ["adviser", "marcus.reid"],
    "billing": ["rachel.owusu"],
    "repairs": ["sunita.mehta"],
}
HANDLERS = {
    "complaints": ["handler", "eilidh.campbell"],
    "billing": ["tom.gallagher"],
    "repairs": ["dave.pritchard"],
}

OPEN_REASONS = [
    "Picked up from the queue",
    "Initial review done; investigating",
    "Acknowledged and under investigation",
]
WAIT_REASONS = ["Asked the customer for more information", "Waiting for details from the customer"]
CLOSE_REASONS = [
    "No further contact within 14 days of the outcome",
    "Customer confirmed they are happy with the outcome",
    "Final response issued; referral rights given",
]
CLOSE_REASONS_NOT_UPHELD = [
    "No further contact within 14 days of the outcome",
    "Final response issued; referral rights given",
]
# Organisations write about accounts and services, not about the home they live in.
ORGANISATION_CATEGORIES = [
    c for c in texts.CATEGORIES if c.name not in {"Repairs", "Anti-social behaviour", "Mortgage"}
]
QUICK_CLOSE_REASONS = [
    "Duplicate of an earlier case from the same customer",
    "Customer withdrew the complaint",
    "Sent to us in error",
    "Sorted at first contact",
]
ASSIGN_REASONS = ["Allocated by workload", "Specialist in this area", "New case for the team", ""]


@dataclass
class Step:
    at: datetime
    action: str  # first, inbound, note, reply, ack, assign, status, reclassify
    actor: str | None = None  # a username from texts.STAFF
    data: dict = field(default_factory=dict)


@dataclass
class CasePlan:
    number: int
    person: Person
    channel: str
    kind: str  # as opened; a reclassify step may change it
    category: str
    status: str  # where the case ends up
    opened_at: datetime
    summary: str
    outcome_wanted: str
    kind_reason: str
    taken_by: str | None  # who took the call, the visit or the letter
    steps: list[Step]

    @property
    def details(self) -> dict:
        """Who this contact is from: the email when they have one (so a returning customer is matched, as
        intake matches them), a phone number for calls and visits, a handle for social posts."""
        p = self.person
        details = {"name": p.name, "nation": p.nation, "email": p.email}
        if self.channel == "social":
            details["handle"] = p.handle
        if self.channel in OFFLINE_CHANNELS or not p.email:
            details["phone"] = p.phone
        return details


@dataclass
class Clock:
    now: datetime
    tz: tzinfo

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def at(self, day, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def working(self, when: datetime) -> datetime:
        """The next moment in office hours (Monday to Friday, 8:00 to 18:00) at or after `when`."""
        local = self.local(when)
        # Out of hours, the work is done the next working day, at an hour spread by the planned minute.
        day, minute, hour = local.date(), local.minute, 9 + (local.minute * 7 + local.second) % 8
        if local.hour >= 18:
            day += timedelta(days=1)
        if local.hour >= 18 or local.hour < 8:
            local = self.at(day, hour, minute)
        while local.weekday() >= 5:
            day = local.date() + timedelta(days=1)
            local = self.at(day, hour, minute)
        return local


def plan_cases(rng: Random, count: int, clock: Clock) -> list[CasePlan]:
    people, ids = plan_people(rng, max(1, round(count / CASES_PER_CUSTOMER)))
    writers = allocate(rng, count, people)
    return [plan_case(rng, i, writers[i], ids, clock) for i in range(count)]


def allocate(rng: Random, count: int, people: list[Person]) -> list[Person]:
    """Each customer has a case; some have several (a few have many)."""
    weights = [rng.paretovariate(1.6) for _ in people]
    order = list(people) + rng.choices(people, weights=weights, k=count - len(people))
    rng.shuffle(order)
    return order


def plan_case(rng: Random, number: int, person: Person, ids: Identities, clock: Clock) -> CasePlan:
    channel, kind = _channel(rng, number, person), _pick(rng, number, KINDS, KIND_WEIGHTS)
    needs(ids, person, channel)
    status, opened_at = _status_and_opened(rng, number, channel, clock)
    category = rng.choice(ORGANISATION_CATEGORIES if person.is_organisation else texts.CATEGORIES)
    issue = rng.choice(
        {"query": category.queries, "problem": category.problems, "complaint": category.complaints}[kind]
    )
    tone = wording.tone_for(rng, kind)
    writer = Writer(
        name=person.signature,
        first=person.first,
        who=person.who,
        category=category,
        issue=issue,
        kind=kind,
        tone=tone,
        slots=wording.slots(rng, category),
        escalates=rng.random() < _escalation_chance(kind, tone),
    )
    team = _team(rng, kind, category.team)
    taken_by = rng.choice(ADVISERS[team]) if channel in OFFLINE_CHANNELS else None
    office = rng.choice(texts.OFFICES[person.nation])
    plan = CasePlan(
        number=number,
        person=person,
        channel=channel,
        kind=kind,
        category=category.name,
        status=status,
        opened_at=opened_at,
        summary=_summary(rng, issue.summary, kind),
        outcome_wanted=wording.sentence_case(wording.fill(issue.outcome, writer)) + ".",
        kind_reason=wording.kind_reason(rng, kind, channel),
        taken_by=taken_by,
        steps=[],
    )
    script = Script(rng, clock, plan, writer, team, office, allow_reclassify=number >= COVERAGE)
    plan.steps = script.build()
    return plan


def _pick(rng: Random, number: int, values: tuple, weights: tuple) -> str:
    return values[number % len(values)] if number < COVERAGE else rng.choices(values, weights=weights)[0]


def _channel(rng: Random, number: int, person: Person) -> str:
    channel = _pick(rng, number, CHANNELS, CHANNEL_WEIGHTS)
    if number >= COVERAGE and not person.email and channel not in OFFLINE_CHANNELS:
        channel = rng.choice(OFFLINE_CHANNELS)  # people without email phone, call in or write
    if number >= COVERAGE and person.is_organisation and channel in {"social", "chat"}:
        channel = "email"
    return channel


def _status_and_opened(rng: Random, number: int, channel: str, clock: Clock) -> tuple[str, datetime]:
    if number < COVERAGE:
        status = STATUSES[number % len(STATUSES)]
        age = rng.uniform(*AGE_FOR_STATUS[status])
    else:
        age = HISTORY_DAYS * rng.random() ** 1.15  # a little busier lately
        weights = next(w for limit, w in STATUS_BY_AGE if age < limit)
        status = rng.choices(STATUSES, weights=weights)[0]
    return status, _opened_at(rng, age, channel, clock)


def _opened_at(rng: Random, age_days: float, channel: str, clock: Clock) -> datetime:
    day = clock.local(clock.now - timedelta(days=age_days)).date()
    if channel in OFFLINE_CHANNELS:
        hour = rng.randint(9, 16)
        while day.weekday() >= 5:  # offices are shut at the weekend: the Friday before
            day -= timedelta(days=1)
    else:
        hour = rng.choices(range(7, 24), weights=(2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 5, 5, 6, 7, 7, 5, 3))[0]
    opened = clock.at(day, hour, rng.randint(0, 59))
    while opened > clock.now - timedelta(minutes=30):
        opened -= timedelta(days=1)
    return opened


def _escalation_chance(kind: str, tone: str) -> float:
    if kind != "complaint":
        return 0.03 if kind == "problem" else 0.0
    return {"angry": 0.5, "distressed": 0.25, "frustrated": 0.25}.get(tone, 0.05)


def _team(rng: Random, kind: str, category_team: str) -> str:
    if kind == "complaint" and category_team != "complaints" and rng.random() < 0.6:
        return "complaints"
    return category_team


def _summary(rng: Random, summary: str, kind: str) -> str:
    if kind == "complaint" and rng.random() < 0.15:
        return f"Complaint: {summary}"
    return summary


class Script:
    """Everything that happens to one case after it is opened, in time order, ending in its status."""

    def __init__(
        self,
        rng: Random,
        clock: Clock,
        plan: CasePlan,
        writer: Writer,
        team: str,
        office: str,
        *,
        allow_reclassify: bool,
    ):
        self.rng, self.clock, self.plan, self.w = rng, clock, plan, writer
        self.team, self.office, self.allow_reclassify = team, office, allow_reclassify
        self.kind = plan.kind
        self.t = plan.opened_at
        self.steps: list[Step] = []
        self.messages = 0
        self.owner: str | None = None
        self.finding = ""
        self.worker = plan.taken_by or rng.choice(ADVISERS[team])
        self.has_email = bool(plan.person.email)
        self.thread_subject = wording.subject(rng, writer)

    # --- the storyline -------------------------------------------------------------------------------------

    def build(self) -> list[Step]:
        self.first()
        if self.has_email and (self.plan.channel not in OFFLINE_CHANNELS or self.plan.channel == "letter"):
            self.later(minutes=(1, 4), staff=False)
            self.add("ack")
        status = self.plan.status
        if status == "new":
            return self.stay_new()
        if status == "closed" and self.rng.random() < 0.08:
            return self.quick_close()
        self.assign(self._assignment(status))
        self.later(minutes=(2, 40))
        self.add("status", self.worker, to="open", reason=self.rng.choice(OPEN_REASONS))
        self.maybe_reclassify()
        if self.room() and self.rng.random() < 0.7:
            self.first_contact()
        if status == "open":
            return self.stay_open()
        if status == "awaiting_customer" or (self.rng.random() < 0.3 and self.room(3)):
            self.ask_for_information()
            if status == "awaiting_customer":
                return self.finish()
            self.customer_replies(wording.info_given(self.rng, self.w), hours=(3, 240))
        self.resolve()
        if self.room(2) and self.rng.random() < 0.08:
            self.customer_replies(wording.come_back(self.rng, self.w), hours=(24, 500))
            self.resolve(again=True)
        if status == "closed":
            self.close()
        return self.finish()

    def stay_new(self) -> list[Step]:
        roll = self.rng.random()
        if roll < 0.3:
            self.assign("team")
        if self.room() and self.rng.random() < 0.25:
            self.customer_replies(wording.chaser(self.rng, self.w), hours=(20, 70))
        return self.finish()

    def stay_open(self) -> list[Step]:
        if self.room() and self.rng.random() < 0.3:
            self.customer_replies(wording.chaser(self.rng, self.w), hours=(48, 240))
        elif self.room() and self.kind == "complaint" and self.rng.random() < 0.3:
            self.later(hours=(72, 300))
            self.staff_writes(wording.holding_reply(self.rng, self.w, self.staff()))
        return self.finish()

    def quick_close(self) -> list[Step]:
        self.later(hours=(1, 48))
        self.add("status", self.worker, to="closed", reason=self.rng.choice(QUICK_CLOSE_REASONS))
        return self.finish()

    def finish(self) -> list[Step]:
        self._fit_before_now()
        return self.steps

    # --- the parts -----------------------------------------------------------------------------------------

    def first(self) -> None:
        w, channel = self.w, self.plan.channel
        if channel in {"phone", "face_to_face"}:
            body = wording.staff_note_first(self.rng, w, channel=channel, office=self.office)
            self.add("first", self.plan.taken_by, via="note", channel=channel, direction="in", body=body)
            return
        body = {
            "email": wording.email_body,
            "web_form": wording.form_body,
            "letter": wording.letter_body,
            "social": wording.social_body,
            "chat": wording.chat_body,
            "api": wording.api_body,
        }[channel](self.rng, w)
        subject = "" if channel in {"social", "chat"} else self.thread_subject
        self.add(
            "first",
            self.plan.taken_by,
            via="inbound",
            channel=channel,
            body=body,
            subject=subject,
            sender=self._sender(channel),
            key=self._key(channel),
        )

    def assign(self, how: str) -> None:
        if how == "none":
            return
        if how == "owner":
            self.owner = self._owner()
            self.worker = self.owner
        allocator = "leader" if self.team == "complaints" and self.rng.random() < 0.7 else "lead"
        self.later(hours=(0.2, 30))
        self.add(
            "assign", allocator, owner=self.owner, team=self.team, reason=self.rng.choice(ASSIGN_REASONS)
        )

    def maybe_reclassify(self) -> None:
        if not self.allow_reclassify or self.rng.random() >= 0.08:
            return
        options = [(a, b) for a, b in wording.RECLASSIFY if a == self.kind]
        _, new_kind = self.rng.choice(options)
        self.later(hours=(0.5, 48))
        self.add("reclassify", self.worker, kind=new_kind, reason=wording.RECLASSIFY[(self.kind, new_kind)])
        self.kind = new_kind
        self.w = replace(self.w, kind=new_kind)  # staff now write about it as what it has become

    def first_contact(self) -> None:
        self.later(hours=(1, 72))
        if self.has_email and self.rng.random() < 0.7:
            self.staff_writes(wording.first_reply(self.rng, self.w, self.staff()))
        else:
            self.note(wording.call_note_out(self.rng, self.w), "phone", "out")

    def ask_for_information(self) -> None:
        self.later(hours=(2, 96))
        if self.room():
            if self.has_email:
                self.staff_writes(wording.info_request(self.rng, self.w, self.staff()))
            else:
                self.note(f"Called {self.w.first} and asked for {wording.ask_for(self.w)}.", "phone", "out")
        self.later(minutes=(1, 10))
        self.add("status", self.worker, to="awaiting_customer", reason=self.rng.choice(WAIT_REASONS))

    def resolve(self, *, again: bool = False) -> None:
        finding = self.finding = "upheld" if again else wording.finding_for(self.rng)
        span = {"query": (2, 60), "problem": (12, 200), "complaint": (48, 600)}[self.kind]
        self.later(hours=span)
        if self.room():
            if self.has_email and again:
                self.staff_writes(wording.second_look(self.rng, self.w, self.staff()))
            elif self.has_email:
                self.staff_writes(
                    wording.outcome_reply(self.w, self.staff(), self.kind, finding),
                    purpose="final_response" if self.kind == "complaint" else "reply",
                )
            elif self.rng.random() < 0.6:
                self.note(wording.outcome_note(self.rng, self.w, self.kind, finding), "phone", "out")
            else:
                self.note(wording.letter_note(self.w, self.kind), "letter", "out")
        self.later(minutes=(1, 20))
        self.add("status", self.worker, to="resolved", reason=self._resolved_reason(finding))

    def close(self) -> None:
        self.later(hours=(7 * 24, 28 * 24))
        reasons = CLOSE_REASONS_NOT_UPHELD if self.finding == "not_upheld" else CLOSE_REASONS
        self.add("status", self.worker, to="closed", reason=self.rng.choice(reasons))

    def customer_replies(self, body: str, *, hours: tuple[float, float]) -> None:
        channel = self.plan.channel
        by_phone = channel in {"phone", "face_to_face"} or (
            not self.has_email and channel not in {"social", "letter"}
        )
        self.later(hours=hours, staff=by_phone)  # calls and visits happen in office hours
        if by_phone:
            note = wording.call_note_in(self.rng, self.w, channel=channel, office=self.office)
            self.note(note, "face_to_face" if channel == "face_to_face" else "phone", "in")
            return
        via = channel if channel in {"social", "letter", "chat"} else "email"
        subject = "" if via in {"social", "chat", "letter"} else f"Re: {self.thread_subject}"
        actor = self.worker if via == "letter" else None
        self.add(
            "inbound",
            actor,
            channel=via,
            body=body,
            subject=subject,
            sender=self._sender(via),
            key=self._key(via),
        )

    def staff_writes(self, body: str, purpose: str = "reply") -> None:
        self.add("reply", self.worker, body=body, purpose=purpose)

    def note(self, body: str, channel: str, direction: str) -> None:
        self.add("note", self.worker, channel=channel, direction=direction, body=body)

    # --- helpers -------------------------------------------------------------------------------------------

    def add(self, action: str, actor: str | None = None, **data) -> None:
        self.steps.append(Step(self.t, action, actor, data))
        if action in MESSAGE_ACTIONS:
            self.messages += 1

    def room(self, more: int = 1) -> bool:
        return self.messages + more <= MAX_MESSAGES

    def later(
        self,
        *,
        hours: tuple[float, float] = (0, 0),
        minutes: tuple[float, float] = (0, 0),
        staff: bool = True,
    ) -> None:
        self.t += timedelta(hours=self.rng.uniform(*hours), minutes=self.rng.uniform(*minutes))
        if staff and hours != (0, 0):
            self.t = self.clock.working(self.t)

    def staff(self) -> Staff:
        return STAFF[self.worker]

    def _fit_before_now(self) -> None:
        """Move a story that would end in the future back by whole weeks, keeping its days and hours."""
        limit = self.clock.now - timedelta(minutes=2)
        while self.steps[-1].at > limit:
            weeks = max(1, math.ceil((self.steps[-1].at - limit) / timedelta(weeks=1)))
            # Wall-clock arithmetic in local time: the same hour on the same weekday, whatever the DST.
            for step in self.steps:
                step.at -= timedelta(weeks=weeks)
            self.plan.opened_at -= timedelta(weeks=weeks)

    def _assignment(self, status: str) -> str:
        weights = {"open": (5, 15, 80), "awaiting_customer": (0, 5, 95)}.get(status, (0, 8, 92))
        return self.rng.choices(("none", "team", "owner"), weights=weights)[0]

    def _owner(self) -> str:
        roll = self.rng.random()
        if self.team == "complaints" and self.kind == "complaint" and roll < 0.09:
            return "leader" if roll < 0.05 else "lead"
        handler_share = 0.75 if self.kind == "complaint" else 0.3
        pool = HANDLERS if self.rng.random() < handler_share else ADVISERS
        return self.rng.choice(pool[self.team])

    def _resolved_reason(self, finding: str) -> str:
        if self.kind == "query":
            return "Question answered"
        if self.kind == "problem":
            return "Put right and confirmed with the customer"
        return {
            "upheld": "Final response sent: upheld",
            "partly": "Final response sent: partly upheld",
            "not_upheld": "Final response sent: not upheld",
        }[finding]

    def _sender(self, channel: str) -> str:
        p = self.plan.person
        if channel == "email":
            return f"{p.name} <{p.email}>"
        if channel == "social":
            return p.handle
        return p.name

    def _key(self, channel: str) -> str:
        n = f"{self.plan.number}.{len(self.steps)}"
        return {
            "email": f"email:<demo.{n}@mail.example.net>",
            "web_form": f"web_form:demo-form-{n}",
            "social": f"social:demo-post-{n}",
            "chat": f"chat:demo-chat-{n}",
            "api": f"api:demo-partner-{n}",
            "letter": f"letter:demo-scan-{n}",
        }[channel]
