"""Plans the demo cases: who writes, on which channel, about what, and everything that happens after.

Framework-free and deterministic: the same seed and the same `now` give the same plans. generate.py then
carries each plan out through the services.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo
from decimal import Decimal
from random import Random

from amends.process.rules import (
    PROMISE_LAPSED_NOTE,
    RESPONSE_LETTERS,
    STARTING_LIMITS,
    acknowledgement_event,
    limit_allows,
    next_stage,
    response_due,
)
from amends.regimes.clocks import compute, compute_extension
from amends.regimes.definition import RegimeDefinition, load_builtin

from . import texts, wording
from .people import Identities, Person, needs, plan_people
from .wording import Staff, Writer

CHANNELS = ("email", "web_form", "phone", "face_to_face", "letter", "social", "chat", "api", "sms")
CHANNEL_WEIGHTS = (30, 20, 20, 5, 6, 6, 8, 5, 4)
OFFLINE_CHANNELS = ("phone", "face_to_face", "letter")
# Where the customer writes from an account of theirs, and is answered there (the demo's integration
# carries social media and chat; SMS goes through the demo's file provider under `make demo`).
OWN_CHANNELS = ("social", "chat", "sms")
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

# --- the complaint process ---------------------------------------------------------------------------------
# Which regime a complaint follows, from what it is about. Payment-service complaints about a bank account or
# card follow the PSD rules (fca-psd), other financial ones DISP (fca-disp).
REGIMES = {
    "Current account": "fca-disp",
    "Credit card": "fca-disp",
    "Mortgage": "fca-disp",
    "Repairs": "hos-2024",
    "Rent and service charges": "hos-2024",
    "Anti-social behaviour": "hos-2024",
    "Energy supply": "ofgem",
    "Broadband": "ofcom",
    "Delivery": "internal-iso10002",
    "Refund": "internal-iso10002",
    "Billing": "internal-iso10002",
}
PAYMENT_ISSUES = {
    "Charged twice for one payment",
    "Payment I don't recognise",
    "Direct debit not set up",
    "Debit card declined",
    "Mortgage payment taken on the wrong date",
}
# What a payment issue is about, whichever account it went through: a payment service (the Payment Services
# Regulations), so its own regime (fca-psd), which the demo's first rule chooses by this product.
PAYMENT_PRODUCT = "Payments"
# What an organisation holds where a person holds one of the category's products.
BUSINESS_PRODUCTS = {"Current account": "Business current account", "Credit card": "Business credit card"}
# FCA responses carry prescribed wording; the demo sends them by post only (see generate.fill_demo_wording).
PRINT_ONLY = {"fca-disp", "fca-psd"}
# The share of complaints the regime is applied to: most, but some new ones are still waiting for it.
REGIME_SHARE = {"new": 0.55, "other": 0.93}
# Letters go by email to customers who have an address, for complaints of the last few weeks (each sent
# letter's PDF is rendered, which is slow); older letters were printed and posted.
EMAIL_LETTER_DAYS = 14
OUTCOMES = {"upheld": "justified", "partly": "partly_justified", "not_upheld": "not_justified"}
HOW_TO_ESCALATE = (
    "If you are not happy with our response, reply to this letter or call us within 14 days quoting your "
    "reference, and a manager who has not been involved will review your complaint."
)
INTAKE = ["adviser", "leader"]  # who applies the regime to complaints still in the intake queue
# A costlier way to put things right than the obvious one, by the category's kind of impact.
BIGGER = {
    "money": ["goodwill", "compensation", "fee_waiver"],
    "home": ["compensation", "service_change"],
    "service": ["goodwill", "compensation", "service_change"],
}
AMOUNTS = {
    "goodwill": [20, 25, 30, 50, 75, 100, 150, 200, 250, 300, 400],
    "compensation": [50, 75, 100, 150, 200, 250, 300, 400, 500, 650, 800, 1000],
    "fee_waiver": [15, 25, 35, 50, 75, 120, 180, 240, 300, 450],
}
# Typical risk likelihood that the option leaves the customer unhappy, and that it costs us (ombudsman,
# repeat complaint), each 1-5 before a little variation.
RISKS = {
    "refund": (2, 1),
    "fee_waiver": (2, 1),
    "goodwill": (3, 2),
    "compensation": (2, 2),
    "put_right": (2, 2),
    "apology": (4, 3),
    "explanation": (4, 3),
    "service_change": (3, 2),
}
LEAN_AFTER = timedelta(days=45)
# The share of problems worked step by step (WM57) rather than sorted in a reply: most recent ones, fewer of
# those long closed (seeding time). The coverage cases' problems all are.
PROBLEM_STEPS_SHARE = {"recent": 0.8, "lean": 0.3}
PROMISE_MISSED = [
    "Missed: the adviser was off sick and nobody picked it up; apologised to the customer",
    "Not done in time; called the customer to apologise",
]
PROMISE_AGREED = [
    "Customer agreed a new date; we are still waiting for the contractor",
    "Agreed with the customer to move it back a few days",
]

ROLES = {username: role for username, _first, _last, role, _team in texts.STAFF}
APPROVERS = ["leader", "lead"]


def allows(username: str, remedy: str, amount: Decimal | None) -> bool:
    """Whether this member of staff may offer the remedy alone, under the limits a new installation has."""
    limits = STARTING_LIMITS.get(ROLES[username], {})
    return remedy in limits and limit_allows(
        allowed=True, max_amount=limits[remedy], remedy_type=remedy, amount=amount
    )


def product_for(category: texts.Category, issue: texts.Issue, number: int, organisation: bool) -> str:
    """The product a case is about. Chosen by the case's number, not the random stream, so that adding it
    left every other planned detail as it was."""
    if issue.summary in PAYMENT_ISSUES:
        return PAYMENT_PRODUCT
    if organisation and category.name in BUSINESS_PRODUCTS:
        return BUSINESS_PRODUCTS[category.name]
    return category.products[number % len(category.products)]


def regime_for(category: texts.Category, issue: texts.Issue) -> str:
    code = REGIMES[category.name]
    return "fca-psd" if code == "fca-disp" and issue.summary in PAYMENT_ISSUES else code


@functools.cache
def regime_definitions() -> dict[str, RegimeDefinition]:
    """The shipped regime definitions, newest version of each (the ones the database loads)."""
    return {d.code: d for d in load_builtin()}


@dataclass
class Proc:
    """Where a planned complaint is in its regime, to plan each step against the regime's clocks."""

    code: str
    nation: str
    events: dict[str, datetime]
    stage: str = "stage1"
    extended: bool = False  # the current stage's response clock was extended
    paused: bool = False  # the case waited on the customer (internal targets pause then)

    @property
    def definition(self) -> RegimeDefinition:
        return regime_definitions()[self.code]

    def due(self) -> datetime | None:
        """When the current stage's response is due; None until the event it counts from has happened."""
        return response_due(compute(self.definition, self.stage, self.events, self.nation))

    def extended_due(self) -> datetime | None:
        """The latest the regime lets the current stage's response be put back to, if it allows that."""
        if self.definition.stage(self.stage).extension is None:
            return None
        extended = compute_extension(self.definition, self.stage, self.events, self.nation)
        return extended.due_at if extended else None

    def response_kind(self) -> str:
        letters = self.definition.letters
        return next(k for k in (f"{self.stage}_response", "final_response", "deadlock") if k in letters)

    def required(self, kind: str) -> tuple[str, ...]:
        return tuple(self.definition.letters[kind].required)

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.definition, self.stage)

    @property
    def referral_body(self) -> str:
        referral = self.definition.referral
        if referral is None or self.next_stage is not None:  # the ombudsman comes after the last stage
            return ""
        return referral.body


@dataclass(frozen=True)
class Scenario:
    """What one of the first cases must show of the complaint process, so a small demo shows it all."""

    regime: str | None
    approval: str = ""  # approved, declined, pending
    promises: tuple[str, ...] = ()  # kept, broken, renegotiated, open
    escalate: str = ""  # stage2, ombudsman
    extend: bool = False
    age: tuple[float, float] | None = None  # days, when the status's usual ages would not fit the story


# By case number: the coverage cases that are complaints (every third), with their planned status.
SCENARIOS = {
    2: Scenario("fca-disp", promises=("open",)),  # awaiting customer
    5: Scenario(None),  # new, the regime still to apply
    8: Scenario("hos-2024", approval="approved", promises=("kept", "open"), age=(20, 40)),  # resolved
    11: Scenario("internal-iso10002", approval="pending", age=(5, 8)),  # open
    14: Scenario(  # closed
        "hos-2024", approval="approved", promises=("kept", "broken"), escalate="stage2", age=(70, 120)
    ),
    17: Scenario("fca-psd", extend=True, age=(18, 22)),  # awaiting customer
    20: Scenario("ofgem"),  # new
    23: Scenario("fca-disp", promises=("renegotiated",), age=(15, 40)),  # resolved
    26: Scenario("ofcom", promises=("open",)),  # open
    29: Scenario("internal-iso10002", approval="declined", promises=("kept",), age=(30, 100)),  # closed
    32: Scenario("hos-2024", extend=True, age=(15, 20)),  # awaiting customer
    35: Scenario("fca-disp"),  # new
    38: Scenario("ofgem", escalate="ombudsman", age=(25, 50)),  # resolved
}


@dataclass
class Step:
    at: datetime
    action: str  # first, inbound, note, reply, ack, assign, status, reclassify, or a journey.RUNNERS step
    actor: str | None = None  # a username from texts.STAFF
    data: dict = field(default_factory=dict)


@dataclass
class CasePlan:
    number: int
    person: Person
    channel: str
    kind: str  # as opened; a reclassify step may change it
    category: str
    product: str
    status: str  # where the case ends up
    opened_at: datetime
    summary: str
    outcome_wanted: str
    kind_reason: str
    taken_by: str | None  # who took the call, the visit or the letter
    steps: list[Step]
    regime: str | None = None  # the complaints regime applied to it, if any

    @property
    def details(self) -> dict:
        """Who this contact is from: the email when they have one (so a returning customer is matched, as
        intake matches them), a phone number for calls and visits, a handle for social posts."""
        p = self.person
        details = {"name": p.name, "nation": p.nation, "email": p.email}
        if self.channel == "social":
            details["handle"] = p.handle
        if self.channel in OFFLINE_CHANNELS or self.channel == "sms" or not p.email:
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
    scenario = SCENARIOS.get(number) if number < COVERAGE else None
    categories = ORGANISATION_CATEGORIES if person.is_organisation else texts.CATEGORIES
    if scenario is not None and scenario.regime is not None:
        category, issue = rng.choice(
            [(c, i) for c in categories for i in c.complaints if regime_for(c, i) == scenario.regime]
        )
    else:
        category = rng.choice(categories)
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
        product=product_for(category, issue, number, person.is_organisation),
        status=status,
        opened_at=opened_at,
        summary=_summary(rng, issue.summary, kind),
        outcome_wanted=wording.sentence_case(wording.fill(issue.outcome, writer)) + ".",
        kind_reason=wording.kind_reason(rng, kind, channel),
        taken_by=taken_by,
        steps=[],
    )
    script = Script(
        rng, clock, plan, writer, team, office, allow_reclassify=number >= COVERAGE, scenario=scenario
    )
    plan.steps = script.build()
    return plan


def _pick(rng: Random, number: int, values: tuple, weights: tuple) -> str:
    return values[number % len(values)] if number < COVERAGE else rng.choices(values, weights=weights)[0]


def _channel(rng: Random, number: int, person: Person) -> str:
    channel = _pick(rng, number, CHANNELS, CHANNEL_WEIGHTS)
    if number >= COVERAGE and not person.email and channel not in (*OFFLINE_CHANNELS, "sms"):
        channel = rng.choice(OFFLINE_CHANNELS)  # people without email phone, call in or write
    if number >= COVERAGE and person.is_organisation and channel in {"social", "chat"}:
        channel = "email"
    return channel


def _status_and_opened(rng: Random, number: int, channel: str, clock: Clock) -> tuple[str, datetime]:
    if number < COVERAGE:
        status = STATUSES[number % len(STATUSES)]
        scenario = SCENARIOS.get(number)
        age = rng.uniform(*(scenario.age if scenario and scenario.age else AGE_FOR_STATUS[status]))
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
        scenario: Scenario | None = None,
    ):
        self.rng, self.clock, self.plan, self.w = rng, clock, plan, writer
        self.team, self.office, self.allow_reclassify = team, office, allow_reclassify
        self.scenario = scenario
        self.kind = plan.kind
        self.t = plan.opened_at
        self.steps: list[Step] = []
        self.ahead: list[Step] = []  # planned for a moment the story has not reached yet (promise outcomes)
        self.messages = 0
        self.owner: str | None = None
        self.finding = ""
        self.worker = plan.taken_by or rng.choice(ADVISERS[team])
        self.has_email = bool(plan.person.email)
        self.thread_subject = wording.subject(rng, writer)
        # The complaint process: which regime, and whether it is applied at all.
        self.regime = regime_for(writer.category, writer.issue)
        if scenario is not None:
            self.wants_regime = scenario.regime is not None
        else:
            self.wants_regime = rng.random() < REGIME_SHARE["new" if plan.status == "new" else "other"]
        self.proc: Proc | None = None
        self.email_letters = self.has_email and (
            plan.number < COVERAGE or clock.now - plan.opened_at < timedelta(days=EMAIL_LETTER_DAYS)
        )
        self.chosen: dict | None = None
        self.works_problem = False  # a problem worked step by step (WM57), not sorted in a reply
        self.promised = 0  # promises made so far: the next one's index on the case
        self.outcomes = [o for o in (scenario.promises if scenario else ()) if o != "open"]
        self.deadline: datetime | None = None  # when the response is due out: steps are paced to reach it
        self.respond_after: datetime | None = None  # the holding letter of an extension
        self.reopened = False
        self.accepted = True
        self.referred = False
        # Complaints closed long ago are told in fewer steps (seeding time): the recent ones show everything.
        self.lean = scenario is None and plan.status == "closed" and clock.now - plan.opened_at > LEAN_AFTER

    # --- the storyline -------------------------------------------------------------------------------------

    def build(self) -> list[Step]:
        self.first()
        reachable = self.has_email or self.plan.channel in OWN_CHANNELS
        if reachable and (self.plan.channel not in OFFLINE_CHANNELS or self.plan.channel == "letter"):
            self.later(minutes=(1, 4), staff=False)
            self.add("ack")
        status = self.plan.status
        if status == "new":
            return self.stay_new()
        if status == "closed" and self.scenario is None and self.rng.random() < 0.08:
            return self.quick_close()
        self.assign(self._assignment(status))
        self.later(minutes=(2, 40))
        self.add("status", self.worker, to="open", reason=self.rng.choice(OPEN_REASONS))
        self.maybe_reclassify()
        self.start_process()
        self.works_problem = self._works_problem()
        if self.proc is not None or self.works_problem:
            self.check_back()
        if self.room() and self.rng.random() < (0.4 if self.lean and self.proc is not None else 0.7):
            self.first_contact()
        if status == "open":
            return self.stay_open()
        if self.proc is not None and status == "awaiting_customer":
            self.progress_open(until=self.clock.now - timedelta(days=self.rng.uniform(2, 5)))
        if status == "awaiting_customer" or (self.rng.random() < 0.3 and self.room(3)):
            self.ask_for_information()
            if status == "awaiting_customer":
                return self.finish()
            self.customer_replies(wording.info_given(self.rng, self.w), hours=(3, 240))
            if self.proc is not None:
                self.later(minutes=(5, 60))
                ask = wording.sentence_case(self.w.category.ask)
                self.add(
                    "evidence",
                    self.worker,
                    kind="document",
                    description=f"{ask}, sent in by {self.w.first}",
                    source="Customer",
                )
        if self.works_problem:
            self.work_problem(until=None)
        self.resolve()
        if self.proc is not None:
            self.after_response(until=None if status == "closed" else self.clock.now - timedelta(hours=1))
        elif self.room(2) and self.rng.random() < 0.08:
            self.customer_replies(wording.come_back(self.rng, self.w), hours=(24, 500))
            self.resolve(again=True)
        if status == "closed":
            self.close()
        return self.finish()

    def stay_new(self) -> list[Step]:
        if self.wants_regime and self.kind == "complaint":
            self.intake_process()
        roll = self.rng.random()
        if roll < 0.3:
            self.assign("team")
        if self.room() and self.rng.random() < 0.25:
            self.customer_replies(wording.chaser(self.rng, self.w), hours=(20, 70))
        return self.finish()

    def stay_open(self) -> list[Step]:
        # With a regime the story is paced against today, so nothing here may run past it.
        time_for_more = self.proc is None or self.t + timedelta(hours=300) < self.clock.now
        if time_for_more and self.room() and self.rng.random() < 0.3:
            self.customer_replies(wording.chaser(self.rng, self.w), hours=(48, 240))
        elif time_for_more and self.room() and self.kind == "complaint" and self.rng.random() < 0.3:
            self.later(hours=(72, 300))
            self.staff_writes(wording.holding_reply(self.rng, self.w, self.staff()))
        if self.proc is not None:
            self.progress_open(until=self.clock.now - timedelta(hours=self.rng.uniform(1, 30)))
        if self.works_problem:  # part way: as far as the time since it came in allows
            self.work_problem(until=self.clock.now - timedelta(hours=self.rng.uniform(1, 30)))
        return self.finish()

    def quick_close(self) -> list[Step]:
        self.later(hours=(1, 48))
        self.add("status", self.worker, to="closed", reason=self.rng.choice(QUICK_CLOSE_REASONS))
        return self.finish()

    def finish(self) -> list[Step]:
        self._settle_ahead()
        self._fit_before_now()
        if self.proc is not None and self.plan.status != "closed":
            wanted = self.scenario is not None and "open" in self.scenario.promises
            if wanted or (
                self.scenario is None and self.plan.status != "resolved" and self.rng.random() < 0.45
            ):
                self._open_promise()
        return self.steps

    # --- the complaint process -----------------------------------------------------------------------------

    def begin_process(self, actor: str) -> None:
        self.add("regime", actor, regime=self.regime)
        self.plan.regime = self.regime
        self.proc = Proc(self.regime, self.plan.person.nation, {"received": self.plan.opened_at})

    def intake_process(self) -> None:
        """A new complaint: the intake team applies the regime and acknowledges it, if it has had time."""
        start = self.clock.working(self.t + timedelta(hours=self.rng.uniform(0.2, 4)))
        if start > self.clock.now - timedelta(minutes=20):
            return
        self.t = start
        actor = self.rng.choice(INTAKE)
        self.begin_process(actor)
        acknowledge_at = self.t + timedelta(minutes=self.rng.uniform(5, 60))
        if acknowledge_at < self.clock.now - timedelta(minutes=5) and self.rng.random() < 0.8:
            self.t = acknowledge_at
            self.letter("acknowledgement", actor=actor)

    def start_process(self) -> None:
        """The regime is applied when the case is picked up, and the acknowledgement letter goes out."""
        if not self.wants_regime or self.kind != "complaint":
            return
        self.later(minutes=(2, 30))
        self.begin_process(self.worker)
        self.later(minutes=(10, 90))
        self.t = self.clock.working(self.t)
        self.letter("acknowledgement")

    def letter(self, kind: str, *, actor: str | None = None, fields: dict | None = None, **extra) -> None:
        proc = self.proc
        # Ours for every letter: the process's own prefill of it reads awkwardly with most case summaries.
        fields = {**(fields or {}), "complaint_definition": wording.complaint_definition(self.w)}
        by = self._letter_by(kind)
        self.add("letter", actor or self.worker, kind=kind, by=by, fields=fields, **extra)
        if kind == "acknowledgement":
            proc.events[acknowledgement_event(proc.events)] = self.t
        elif kind in RESPONSE_LETTERS:
            proc.events["response_sent"] = self.t

    def _letter_by(self, kind: str) -> str:
        """Email (counted as one of the case's messages) or post. FCA responses go by post in the demo."""
        prints = self.proc.code in PRINT_ONLY and kind != "acknowledgement"
        if self.email_letters and not prints and self.room():
            self.messages += 1
            return "email"
        return "print"

    def check_back(self) -> None:
        """Write the check-back summary soon after the acknowledgement (the initial assessment); the customer
        confirms it later, online or by phone, or has not yet."""
        self.later(minutes=(10, 240))
        self.t = self.clock.working(self.t)
        self.add("understand", self.worker, **wording.understanding(self.rng, self.w))
        if self.rng.random() < (0.6 if self.lean else 0.85):
            online = self.rng.random() < 0.55
            actor = None if online else self.worker
            when = self.t + timedelta(hours=self.rng.uniform(1, 72))
            self.schedule(when, "confirm", actor, via="status page" if online else "phone")
        if self.outcomes or self.rng.random() < (0.12 if self.lean else 0.4):
            due = self.clock.working(self.t + timedelta(days=self.rng.uniform(1.5, 4)))
            self.promise(wording.call_promise(self.rng, self.w), due)

    def promise(self, description: str, due: datetime) -> int:
        """Make a promise now and plan what becomes of it: kept, broken or renegotiated with the customer."""
        if self.outcomes:
            outcome = self.outcomes.pop(0)
        else:
            outcome = self.rng.choices(("kept", "broken", "renegotiated"), weights=(76, 12, 12))[0]
        index = self.promised
        self.promised += 1
        self.add("promise", self.worker, index=index, description=description, due=due)
        span = due - self.t
        if outcome == "kept":
            note = self.rng.choice(["", "Done", "Called as promised", "Confirmed with the customer"])
            self.schedule(
                self.t + span * self.rng.uniform(0.2, 0.95),
                "promise_keep",
                self.worker,
                index=index,
                note=note,
            )
        elif outcome == "broken" and self.rng.random() < 0.6:
            # The worker marks it broken a minute or so after it falls due.
            at = due + timedelta(minutes=self.rng.uniform(1, 50))
            self.schedule(at, "promise_break", None, index=index, note=PROMISE_LAPSED_NOTE)
        elif outcome == "broken":
            at = due + timedelta(hours=self.rng.uniform(2, 30))
            self.schedule(at, "promise_break", self.worker, index=index, note=self.rng.choice(PROMISE_MISSED))
        else:
            at = self.clock.working(self.t + span * self.rng.uniform(0.3, 0.8))
            new_due = self.clock.working(due + timedelta(days=self.rng.uniform(1, 4)))
            new_index = self.promised
            self.promised += 1
            note = self.rng.choice(PROMISE_AGREED)
            self.schedule(
                at,
                "promise_renegotiate",
                self.worker,
                index=index,
                new_index=new_index,
                due=new_due,
                note=note,
            )
            kept = at + (new_due - at) * self.rng.uniform(0.3, 0.9)
            self.schedule(kept, "promise_keep", self.worker, index=new_index, note="")
        return index

    def progress_open(self, *, until: datetime) -> None:
        """A complaint still open today: as far along as its age allows, answered on time where it had to."""
        proc = self.proc
        while True:
            due = proc.due()
            if due is None or due > until:
                break
            extended = proc.extended_due()
            forced = self.scenario is not None and self.scenario.extend
            if (
                extended is not None
                and not proc.extended
                and extended > until
                and (forced or self.rng.random() < 0.7)
            ):
                at = max(self.t + timedelta(hours=1), due - timedelta(days=self.rng.uniform(1, 3)))
                if at < due - timedelta(hours=2):
                    self.extend(at)
                    break
            overdue = until - due
            if overdue < timedelta(days=3) or (overdue < timedelta(days=21) and self.rng.random() < 0.3):
                break  # still unanswered past its deadline, lately: breached, as the queue shows
            # Answered on time, and the customer came back about it.
            self.deadline = due - timedelta(hours=self.rng.uniform(6, 40))
            self.respond()
            self.deadline = None
            self.come_back()
            self.later(minutes=(10, 90))
            self.add("answer", self.worker, accepted=False, note=self.rng.choice(texts.ANSWER_REFUSED))
            self.accepted = False
            if proc.code == "internal-iso10002":  # its satisfaction check is a step with a clock
                comment = self.rng.choice(texts.SATISFACTION["not_satisfied"])
                self.add("satisfaction", self.worker, answer="not_satisfied", comment=comment)
            if proc.next_stage is not None:
                self.escalate_stage()
                continue
            if not self.reopened:
                self.later(minutes=(5, 30))
                self.add("status", self.worker, to="open", reason="Customer not happy with our response")
            return
        if "response_sent" in proc.events:
            return
        due = proc.due()
        if self.scenario is not None and self.scenario.extend and not proc.extended and due is not None:
            at = max(self.t + timedelta(hours=1), min(until, due - timedelta(days=1)))
            if at < due and at <= until:
                self.extend(at)
        if self.scenario is not None and self.scenario.approval:
            self.deadline = until - timedelta(hours=2)  # far enough along to have asked for approval
        self.respond(until=until)
        self.deadline = None

    def extend(self, at: datetime) -> None:
        """Put the response back as far as the regime allows, and tell the customer why (holding letter)."""
        reason = self.rng.choice(texts.EXTENSION_REASONS[self.proc.code])
        at = self.clock.working(at)
        self.schedule(at, "extend", self.worker, reason=reason)
        by = self._letter_by("holding")
        later = at + timedelta(minutes=self.rng.uniform(5, 30))
        fields = {"delay_reasons": reason, "complaint_definition": wording.complaint_definition(self.w)}
        self.schedule(later, "letter", self.worker, kind="holding", by=by, fields=fields)
        self.proc.extended = True
        self.respond_after = later

    def plan_deadline(self) -> None:
        """When the response will go: its natural time, brought forward to meet the clock or, where the regime
        allows and the case needs it, after an extension."""
        proc = self.proc
        natural = self.t + timedelta(hours=self.rng.uniform(30, 400))
        self.deadline = natural
        due = proc.due()
        if due is None:
            return
        margin = timedelta(hours=self.rng.uniform(6, 40))
        if natural <= due - margin:
            return
        extended = proc.extended_due()
        # Internal targets pause while waiting on the customer; the demo does not extend those.
        can = extended is not None and not proc.extended and not proc.paused
        wanted = (self.scenario is not None and self.scenario.extend) or self.rng.random() < 0.45
        at = max(self.t + timedelta(hours=1), due - timedelta(days=self.rng.uniform(1, 3)))
        if can and wanted and at < due - timedelta(hours=2):
            self.extend(at)
            self.deadline = min(natural, extended - margin)
        else:
            self.deadline = due - margin

    def step(self, *, hours: tuple[float, float], until: datetime | None = None) -> bool:
        """Move on by some working hours, paced toward the deadline; False, not moving, past `until`."""
        gap = timedelta(hours=self.rng.uniform(*hours))
        if self.deadline is not None:
            gap = min(gap, max((self.deadline - self.t) * 0.35, timedelta(minutes=20)))
        moved = self.clock.working(self.t + gap)
        if until is not None and moved > until:
            if self.t + gap > until:
                return False
            moved = self.t + gap  # working late to get it done
        self.t = moved
        return True

    def respond(self, *, until: datetime | None = None) -> bool:
        """Investigate, decide and send the stage's response. With `until` (a case still open today) it stops
        where time runs out, short of sending. Returns whether the response went out."""
        if not self.finding:
            self.finding = wording.finding_for(self.rng)
        if self.scenario is not None and self.scenario.approval and self.finding == "not_upheld":
            self.finding = "partly"
        planned = until is None and self.deadline is None
        if planned:
            self.plan_deadline()
        try:
            return self._respond(until)
        finally:
            if planned:
                self.deadline = None

    def _respond(self, until: datetime | None) -> bool:
        proc, rng = self.proc, self.rng
        if proc.stage == "stage1":
            items = wording.evidence(rng, self.w, rng.choice((1, 1, 2) if self.lean else (1, 2, 2, 3)))
        else:
            items = [rng.choice(texts.EVIDENCE_REVIEW)]
        for kind, description, source in items:
            if not self.step(hours=(4, 96), until=until):
                return False
            self.add("evidence", self.worker, kind=kind, description=description, source=source)
        if not self.step(hours=(4, 72), until=until):
            return False
        outcome = OUTCOMES[self.finding]
        causes = texts.ROOT_CAUSES[self.w.category.name]
        cause = None if outcome == "not_justified" and rng.random() < 0.6 else rng.choice(causes)
        words = wording.finding(rng, self.w, outcome, cause, items[0][1])
        self.add("finding", self.worker, outcome=outcome, root_cause=cause, **words)
        options, main = self.plan_options(outcome)
        for index, option in enumerate(options):
            self.later(minutes=(3, 25))
            self.add("option", self.worker, index=index, **option)
        chosen = self.choose(options, main, until)
        if chosen is None:
            return False
        if until is not None:
            if rng.random() < 0.5 and self.step(hours=(1, 24), until=until):
                kind = proc.response_kind()
                self.add("draft", self.worker, kind=kind, fields=self.response_fields(kind))
            return False
        self.step(hours=(1, 48))
        if self.respond_after is not None and self.t <= self.respond_after:
            # Extended: the response goes after the holding letter, by the new date.
            self.t = self.clock.working(self.respond_after + timedelta(hours=rng.uniform(2, 48)))
        self.respond_after = None
        self.send_response()
        return True

    def plan_options(self, outcome: str) -> tuple[list[dict], int]:
        """One to three ways to put it right, and which one the adviser means to choose."""
        rng, w = self.rng, self.w
        forced = self.scenario is not None and bool(self.scenario.approval)
        if outcome == "not_justified":
            options = [self._option("explanation")]
            if rng.random() < 0.4:
                options.append(self._option("goodwill", Decimal(rng.choice((20, 25, 30, 40, 50)))))
            return options, (len(options) - 1 if rng.random() < 0.3 else 0)
        impacts = w.category.impacts
        if impacts == "money":
            options = [self._option("refund", wording.slot_amount(w) or Decimal(rng.randrange(20, 400, 5)))]
        else:
            options = [self._option("put_right")]
        main = 0
        if forced or rng.random() < (0.2 if self.lean else 0.35):
            remedy = rng.choice(BIGGER[impacts])
            options.append(self._option(remedy, self._amount(remedy, beyond=forced or rng.random() < 0.6)))
            main = len(options) - 1
        if rng.random() < (0.3 if self.lean else 0.5):
            options.append(self._option("apology"))
        return options, main

    def _option(self, remedy: str, amount: Decimal | None = None) -> dict:
        rng = self.rng
        low, high = RISKS[remedy]
        return {
            "title": wording.option_title(rng, self.w, remedy, amount),
            "remedy_type": remedy,
            "amount": str(amount) if amount is not None else None,
            **wording.option_sides(remedy),
            "risk_customer": [max(1, min(5, low + rng.randint(-1, 1))), rng.randint(1, 4)],
            "risk_organisation": [max(1, min(5, high + rng.randint(-1, 1))), rng.randint(1, 4)],
        }

    def _amount(self, remedy: str, *, beyond: bool) -> Decimal | None:
        """An amount within the adviser's authority or (beyond) one a team leader or the lead must approve."""
        if remedy not in AMOUNTS:
            return None
        fits = [a for a in AMOUNTS[remedy] if allows(self.worker, remedy, Decimal(a)) != beyond]
        fits = [a for a in fits if any(allows(u, remedy, Decimal(a)) for u in APPROVERS if u != self.worker)]
        return Decimal(self.rng.choice(fits or AMOUNTS[remedy]))

    def choose(self, options: list[dict], main: int, until: datetime | None) -> dict | None:
        """Choose the option, asking for approval when it is beyond the adviser's authority. None: the
        approval is still awaited."""
        option = options[main]
        amount = Decimal(option["amount"]) if option["amount"] else None
        forced = self.scenario.approval if self.scenario is not None else ""
        if not allows(self.worker, option["remedy_type"], amount):
            self.later(minutes=(5, 40))
            self.add("approval", self.worker, option=main, reason=self.rng.choice(texts.APPROVAL_REASONS))
            waits = forced == "pending" or (until is not None and not forced and self.rng.random() < 0.4)
            if waits or not self.step(hours=(0.5, 30), until=until):
                return None  # still waiting for the decision
            approvers = [
                u for u in APPROVERS if u != self.worker and allows(u, option["remedy_type"], amount)
            ]
            approve = forced == "approved" or (forced != "declined" and self.rng.random() < 0.85)
            reason = self.rng.choice(texts.APPROVE_REASONS if approve else texts.DECLINE_REASONS)
            self.add("decide", approvers[0], option=main, approve=approve, reason=reason)
            if not approve:
                main = self._fallback(options, main)
        self.later(minutes=(5, 90))
        self.add("choose", self.worker, option=main, reason=self.rng.choice(texts.CHOOSE_REASONS))
        self.chosen = options[main]
        return self.chosen

    def _fallback(self, options: list[dict], declined: int) -> int:
        """After a refusal: an option the adviser may choose alone, added if none of them is."""
        for index, option in enumerate(options):
            amount = Decimal(option["amount"]) if option["amount"] else None
            if index != declined and allows(self.worker, option["remedy_type"], amount):
                return index
        options.append(self._option("apology"))
        self.later(minutes=(3, 25))
        self.add("option", self.worker, index=len(options) - 1, **options[-1])
        return len(options) - 1

    def response_fields(self, kind: str, *, outstanding: bool = False) -> dict:
        proc, chosen = self.proc, self.chosen
        amount = Decimal(chosen["amount"]) if chosen["amount"] else None
        fields = {"remedy": wording.remedy_text(self.w, chosen["title"], amount, OUTCOMES[self.finding])}
        fields["timescales"] = texts.NEXT_AFTER_RESPONSE["final" if proc.next_stage is None else "stage1"]
        fields["complaint_definition"] = wording.complaint_definition(self.w)
        required = proc.required(kind)
        if "how_to_escalate" in required and proc.next_stage is None:
            fields["how_to_escalate"] = HOW_TO_ESCALATE
        if "outstanding_actions" in required and not outstanding:
            fields["outstanding_actions"] = texts.OUTSTANDING_NONE
        return fields

    def send_response(self) -> None:
        """The stage's response letter; anything still to do after it is a promise it names."""
        proc, rng = self.proc, self.rng
        kind = proc.response_kind()
        extra = {}
        if self.outcomes or rng.random() < (0.12 if self.lean else 0.35):
            action = wording.promise_action(rng, self.w)
            due = self.clock.working(self.t + timedelta(days=rng.uniform(2, 8)))
            index = self.promise(wording.sentence_case(action), due)
            self.later(minutes=(2, 20))
            if "outstanding_actions" in proc.required(kind):
                extra["outstanding"] = {"promise": index, "action": action}
        self.letter(kind, fields=self.response_fields(kind, outstanding=bool(extra)), **extra)
        if not self.has_email and self.room() and rng.random() < 0.5:
            self.later(minutes=(5, 60))
            self.note(wording.outcome_note(rng, self.w, "complaint", self.finding), "phone", "out")

    def come_back(self) -> None:
        """The customer tells us they do not accept the response; their message re-opens the case."""
        self.reopened = self.room()
        if self.reopened:
            self.customer_replies(wording.come_back(self.rng, self.w), hours=(4, 150))
        else:
            self.later(hours=(4, 150))

    def escalate_stage(self) -> None:
        """To the regime's next stage, reviewed by a team leader who was not involved at the first."""
        proc, rng = self.proc, self.rng
        self.later(hours=(1, 48))
        self.add("escalate", self.worker, to="next_stage", reason=rng.choice(texts.ESCALATION_REASONS))
        proc.stage, proc.extended = proc.next_stage, False
        proc.events["escalated"] = self.t
        proc.events.pop("escalation_acknowledged", None)
        proc.events.pop("response_sent", None)
        self.worker = "leader"
        self.later(hours=(1, 30))
        self.letter("acknowledgement")
        if self.finding != "upheld" and rng.random() < 0.5:
            self.finding = "upheld" if self.finding == "partly" else "partly"

    def after_response(self, *, until: datetime | None) -> None:
        """The customer's answer, an escalation or referral if they refuse it, and a satisfaction check."""
        proc, rng = self.proc, self.rng
        if not self.step(hours=(4, 120), until=until):
            return
        forced = self.scenario.escalate if self.scenario is not None else ""
        refuses = {"upheld": 0.08, "partly": 0.3, "not_upheld": 0.5}[self.finding]
        refused = (forced == "stage2" and proc.next_stage is not None) or forced == "ombudsman"
        if not refused and rng.random() < refuses:
            refused = until is None or self.t + timedelta(days=12) < until
        if refused:
            self.accepted = False
            self.come_back()
            self.later(minutes=(10, 90))
            self.add("answer", self.worker, accepted=False, note=rng.choice(texts.ANSWER_REFUSED))
            if proc.next_stage is not None and (forced == "stage2" or rng.random() < 0.65):
                self.escalate_stage()
                self.respond()
                self.reopened = False
                self.after_response(until=until)
                return
            if proc.referral_body and (forced == "ombudsman" or rng.random() < 0.55):
                self.later(hours=(2, 200))
                reason = rng.choice(texts.REFERRAL_REASONS).format(body=proc.referral_body)
                self.add("escalate", self.worker, to="ombudsman", reason=reason)
                self.referred = True
            if self.reopened:
                self.later(minutes=(10, 120))
                reason = "Our response stands; the customer has been told where they can take it"
                self.add("status", self.worker, to="resolved", reason=reason)
        else:
            self.add("answer", self.worker, accepted=True, note=rng.choice(texts.ANSWER_ACCEPTED))
        checked = rng.random() < (0.45 if self.lean else 0.85) or proc.code == "internal-iso10002"
        if checked and self.step(hours=(20, 150), until=until):
            if self.accepted:
                answer = rng.choices(("satisfied", "partly", "no_reply"), weights=(70, 25, 5))[0]
            else:
                answer = rng.choices(("not_satisfied", "partly", "no_reply"), weights=(60, 20, 20))[0]
            self.add(
                "satisfaction", self.worker, answer=answer, comment=rng.choice(texts.SATISFACTION[answer])
            )

    # --- a problem resolved step by step (WM57) -------------------------------------------------------------

    def _works_problem(self) -> bool:
        if self.kind != "problem":
            return False
        if self.plan.number < COVERAGE:
            return True
        return self.rng.random() < PROBLEM_STEPS_SHARE["lean" if self.lean else "recent"]

    def work_problem(self, *, until: datetime | None) -> None:
        """Options weighed for both sides, the best one picked (WM57 5-8), the customer's agreement (10), a
        task that carries it out (11) and the satisfaction check (14). With `until` (a problem still open
        today) it stops part way, where the time runs out or the task is still to do."""
        rng = self.rng
        if not self.step(hours=(72, 100), until=until):  # after the customer has confirmed the summary
            return
        options = [self._problem_option("fix")]
        if rng.random() < 0.5:
            options.append(self._problem_option("explain"))
        for index, option in enumerate(options):
            self.later(minutes=(3, 25))
            self.add("option", self.worker, index=index, **option)
        if not self.step(hours=(0.5, 6), until=until):
            return
        self.add("choose", self.worker, option=0, reason=rng.choice(texts.CHOOSE_REASONS))
        if not self.step(hours=(1, 30), until=until):
            return
        name = self.plan.person.name
        agreed_by = name if rng.random() < 0.85 else rng.choice(texts.AGREED_FOR).format(name=name)
        via = "email" if self.has_email and rng.random() < 0.4 else "phone"
        note = rng.choice(texts.AGREEMENT_NOTES)
        self.add("agree", self.worker, option=0, agreed_by=agreed_by, via=via, note=note)
        self.later(minutes=(5, 40))
        owner = self._task_owner()
        due = self.clock.working(self.t + timedelta(days=rng.uniform(1, 5)))
        title = wording.task_title(wording.promise_action(rng, self.w), self.w)
        self.add("task", self.worker, index=0, title=title, owner=owner, due=due, option=0)
        if until is not None and (due > until or rng.random() < 0.5):
            return  # part way: the task is still to do
        self.t = self.clock.working(self.t + (due - self.t) * rng.uniform(0.3, 0.95))
        if until is not None and self.t > until:
            return
        self.add("task_done", owner, index=0, note=rng.choice(texts.TASK_DONE_NOTES))
        if not self.step(hours=(4, 72), until=until):
            return
        answer = rng.choices(("satisfied", "partly", "not_satisfied"), weights=(80, 15, 5))[0]
        self.add("satisfaction", self.worker, answer=answer, comment=rng.choice(texts.SATISFACTION[answer]))

    def _problem_option(self, kind: str) -> dict:
        """Putting it right with a goodwill payment for the trouble (two remedies, within an adviser's own
        authority), or explaining what happened."""
        rng, w = self.rng, self.w
        if kind == "fix":
            goodwill = Decimal(rng.choice(texts.PROBLEM_GOODWILL))
            title = f"Put it right and {wording.money(goodwill)} for the trouble"
            remedies = [
                {
                    "kind": "put_right",
                    "description": wording.sentence_case(wording.fill(w.issue.outcome, w))[:300],
                },
                {"kind": "goodwill", "description": "For the trouble it caused", "amount": str(goodwill)},
            ]
        else:
            title = "Explain what happened and what happens next"
            remedies = [{"kind": "explanation", "description": "A call going through what went wrong"}]
        benefit, drawback, ours, cost = texts.PROBLEM_OPTION_SIDES[kind]
        low, high = RISKS["put_right" if kind == "fix" else "explanation"]
        return {
            "title": title,
            "remedies": remedies,
            "benefits_customer": benefit,
            "drawbacks_customer": drawback,
            "benefits_organisation": ours,
            "drawbacks_organisation": cost,
            "risk_customer": [max(1, min(5, low + rng.randint(-1, 1))), rng.randint(1, 4)],
            "risk_organisation": [max(1, min(5, high + rng.randint(-1, 1))), rng.randint(1, 4)],
        }

    def _task_owner(self) -> str:
        """A colleague in the team where there is one: the work behind the agreed option is shared."""
        colleagues = [u for u in ADVISERS[self.team] + HANDLERS[self.team] if u != self.worker]
        return self.rng.choice(colleagues) if colleagues else self.worker

    def schedule(self, at: datetime, action: str, actor: str | None = None, **data) -> None:
        """A step for a moment the story has not reached yet: it joins the story when the story gets there."""
        if actor is not None:
            at = self.clock.working(at)
        self.ahead.append(Step(at, action, actor, data))

    def _settle_ahead(self) -> None:
        """Steps planned beyond the story's end: before the close on a closed case; otherwise those that have
        happened by now (a promise not yet due stays open, one overdue is left for the worker to break)."""
        ahead, self.ahead = sorted(self.ahead, key=lambda s: s.at), []
        if not ahead:
            return
        if self.plan.status == "closed" and self.steps[-1].action == "status":
            close = self.steps.pop()
            for step in ahead:
                step.at = min(step.at, close.at - timedelta(minutes=1))
            self.steps += [*ahead, close]
            return
        limit = self.clock.now - timedelta(minutes=3)
        self.steps += [s for s in ahead if s.at <= limit]

    def _open_promise(self) -> None:
        """A promise made lately and due in the next few days, so the worker's reminders have work to do."""
        last = self.steps[-1].at
        made = max(
            last,
            min(last + timedelta(minutes=self.rng.uniform(5, 60)), self.clock.now - timedelta(minutes=3)),
        )
        due = self.clock.working(self.clock.now + timedelta(hours=self.rng.uniform(4, 96)))
        description = wording.call_promise(self.rng, self.w)
        data = {"index": self.promised, "description": description, "due": due}
        self.steps.append(Step(made, "promise", self.worker, data))
        self.promised += 1

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
            "sms": wording.sms_body,
        }[channel](self.rng, w)
        subject = "" if channel in OWN_CHANNELS else self.thread_subject
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
        if self.proc is not None:
            self.proc.paused = True

    def resolve(self, *, again: bool = False) -> None:
        if self.proc is not None:
            self.respond()  # the response letter resolves the case
            return
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
        if self.proc is not None:
            key = "referred" if self.referred else "accepted" if self.accepted else "not_accepted"
            body = self.proc.definition.referral.body if self.proc.definition.referral else ""
            reason = self.rng.choice(texts.CLOSE_REASONS_PROCESS[key]).format(body=body)
        else:
            reasons = CLOSE_REASONS_NOT_UPHELD if self.finding == "not_upheld" else CLOSE_REASONS
            reason = self.rng.choice(reasons)
        self.add("status", self.worker, to="closed", reason=reason)

    def customer_replies(self, body: str, *, hours: tuple[float, float]) -> None:
        channel = self.plan.channel
        by_phone = channel in {"phone", "face_to_face"} or (
            not self.has_email and channel not in {"social", "letter", "sms"}
        )
        self.later(hours=hours, staff=by_phone)  # calls and visits happen in office hours
        if by_phone:
            note = wording.call_note_in(self.rng, self.w, channel=channel, office=self.office)
            self.note(note, "face_to_face" if channel == "face_to_face" else "phone", "in")
            return
        via = channel if channel in {*OWN_CHANNELS, "letter"} else "email"
        subject = "" if via in {*OWN_CHANNELS, "letter"} else f"Re: {self.thread_subject}"
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
        if self.ahead:
            reached = sorted((s for s in self.ahead if s.at <= self.t), key=lambda s: s.at)
            self.ahead = [s for s in self.ahead if s.at > self.t]
            self.steps += reached
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
                for key, value in step.data.items():
                    if isinstance(value, datetime):  # a promise's due time
                        step.data[key] = value - timedelta(weeks=weeks)
            self.plan.opened_at -= timedelta(weeks=weeks)

    def _assignment(self, status: str) -> str:
        if self.scenario is not None and self.scenario.approval:
            return "owner"
        weights = {"open": (5, 15, 80), "awaiting_customer": (0, 5, 95)}.get(status, (0, 8, 92))
        return self.rng.choices(("none", "team", "owner"), weights=weights)[0]

    def _owner(self) -> str:
        if self.scenario is not None and self.scenario.approval:
            return self.rng.choice(HANDLERS[self.team])  # someone whose authority the scenario goes beyond
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
        if channel == "sms":
            return p.phone
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
            "sms": f"sms:demo-text-{n}",
        }[channel]
