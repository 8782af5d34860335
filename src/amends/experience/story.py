"""The customer's story, told from their side: framework-free, from plain facts the selectors load.

`tell` takes each case's contacts (either way, any channel), promises, hand-overs and re-opens, and works out
what the customer lived through: how long they waited each time for our next reply, when they gave up on a
channel and tried another, which contacts made them explain the matter to someone new, which promises we
kept. `summary` says it in a few plain sentences an adviser reads in ten seconds.

What counts (said on the page too, `DEFINITIONS`):
- a wait runs from a contact of theirs that wants an answer to our next reply on that case: a message, a
  logged call or visit, or a letter a person sent (an automatic acknowledgement and an email that never
  arrived are not replies). Further contacts before that reply are part of the same wait. Calendar time.
- an explanation is a contact of theirs that reached someone who had not dealt with that matter with them
  before (the person who took the call, or the case's owner when a message came in, else whoever answered
  it), or a message in which the analyser found them saying they had been in touch before.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEFINITIONS = {
    "wait": (
        "A wait runs from a contact of theirs that wants an answer to our next reply on that case: "
        "a message, a call or visit we logged, or a letter a person sent. An automatic acknowledgement, "
        "and an email that never arrived, are not replies. Contacts made while still waiting belong to "
        "the same wait. Calendar time, evenings and weekends included: that is how the customer lives it."
    ),
    "explained": (
        "We count an explanation each time a contact of theirs reached someone who had not dealt with "
        "that matter with them before (the person who took the call or visit; for a message, the case's "
        "owner at the time, or whoever answered it when nobody owned it), including the first time on "
        "each matter, and each message in which the analyser found them saying they had been in touch "
        "before (a repeat contact signal an adviser has not dismissed)."
    ),
    "switch": (
        "A channel switch is a contact on a different channel from their previous one on the same case; "
        "we say when it came while they were still waiting for our reply."
    ),
}

CHANNEL_NAMES = {
    "email": "email",
    "web_form": "the web form",
    "phone": "phone",
    "face_to_face": "a visit",
    "letter": "a letter",
    "social": "social media",
    "chat": "chat",
    "sms": "text message",
    "api": "a connected system",
    "portal": "their status page",
}


@dataclass
class Contact:
    """One contact with the customer, either way."""

    at: datetime
    direction: str  # "in" (from the customer) or "out" (to them)
    channel: str  # a customers.Channel value, or "portal" (their status page)
    what: str  # in plain words: "Email from the customer", "Letter: final response"
    person: int | None = None  # staff: who wrote it, or took the call / visit
    is_reply: bool = False  # out: counts as our reply
    wants_reply: bool = True  # in: starts (or joins) a wait
    repeat_phrasing: bool = False  # in: the analyser found "I have been in touch before"
    anchor: str = ""  # where it is on the case page ("message-12")
    excerpt: str = ""
    quoted: bool = True  # the excerpt is their own words (not an adviser's note of a call)
    # Filled in by `tell`:
    wait: timedelta | None = None  # in, first of a wait: how long until our reply (or until now)
    waiting: bool = False  # ... and no reply yet
    chased_after: timedelta | None = None  # in, later in a wait: how long they had been waiting by then
    switched_from: str = ""  # the channel of their previous contact on the case, when this one differs
    explained: bool = False  # counts as an explanation (a new person, or repeat-contact phrasing)
    new_person: bool = False  # it reached someone new to the matter
    reached: int | None = None  # in: the person it reached


@dataclass
class Happening:
    """Something else the customer lived through on a case: a promise, a hand-over, a re-open."""

    at: datetime
    kind: str  # promise_made, promise_kept, promise_broken, promise_renegotiated, handover, reopened, closed
    text: str


@dataclass
class Promise:
    made_at: datetime
    description: str
    due_at: datetime
    status: str  # open, kept, broken, renegotiated
    closed_at: datetime | None
    by: int | None  # who made it


@dataclass
class Ownership:
    at: datetime
    before: int | None
    after: int | None
    reason: str = ""


@dataclass
class CaseFacts:
    reference: str
    kind: str  # query, problem, complaint
    status: str  # its label
    is_open: bool
    opened_at: datetime
    first_owner: int | None
    contacts: list[Contact] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    ownerships: list[Ownership] = field(default_factory=list)
    reopens: list[tuple[datetime, str]] = field(default_factory=list)


@dataclass
class Entry:
    """One line of a case's timeline: a contact or a happening."""

    at: datetime
    kind: str  # "contact" or a Happening kind
    text: str
    contact: Contact | None = None
    notes: list[str] = field(default_factory=list)  # the wait, the switch, the new person, in plain words


@dataclass
class CaseStory:
    facts: CaseFacts
    entries: list[Entry]


@dataclass
class Figures:
    contacts_in: int = 0
    contacts_out: int = 0
    matters: int = 0
    open_matters: int = 0
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    longest_wait: timedelta | None = None
    longest_wait_ongoing: bool = False
    median_wait: timedelta | None = None
    waits: int = 0
    waiting_now: int = 0
    promises_made: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    promises_open: int = 0
    channels: list[str] = field(default_factory=list)  # theirs, most used first
    switches: int = 0
    switches_unanswered: int = 0
    explained: int = 0
    explained_to: int = 0  # different people
    people: int = 0  # staff they dealt with
    handovers: int = 0
    reopens: int = 0

    @property
    def longest_wait_words(self) -> str:
        return duration(self.longest_wait) if self.longest_wait is not None else ""

    @property
    def median_wait_words(self) -> str:
        return duration(self.median_wait) if self.median_wait is not None else ""

    @property
    def span_words(self) -> str:
        if self.first_contact is None or self.last_contact is None:
            return ""
        return duration(max(self.last_contact - self.first_contact, timedelta(minutes=1)))


@dataclass
class Story:
    name: str
    cases: list[CaseStory]
    figures: Figures
    summary: list[str]
    truncated: bool = False


def duration(span: timedelta) -> str:
    """A span of time said plainly: "40 minutes", "5 hours", "6 days", "7 weeks"."""
    minutes = span.total_seconds() / 60
    if minutes < 60:
        return _count(max(1, round(minutes)), "minute")
    hours = minutes / 60
    if hours < 36:
        return _count(round(hours), "hour")
    days = hours / 24
    if days < 14:
        return _count(round(days), "day")
    if days < 63:
        return _count(round(days / 7), "week")
    return _count(round(days / 30.44), "month")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def channel_name(code: str) -> str:
    return CHANNEL_NAMES.get(code, code.replace("_", " "))


def words_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _owner_at(facts: CaseFacts, at: datetime) -> int | None:
    owner = facts.first_owner
    for change in facts.ownerships:
        if change.at > at:
            break
        owner = change.after
    return owner


def _waits(facts: CaseFacts, now: datetime) -> None:
    """Each wait's length on its first contact; later contacts in it are chases."""
    started: Contact | None = None
    for contact in facts.contacts:
        if contact.direction == "in" and contact.wants_reply:
            if started is None:
                started = contact
            else:
                contact.chased_after = contact.at - started.at
        elif contact.direction == "out" and contact.is_reply and started is not None:
            started.wait, started = contact.at - started.at, None
    if started is not None:
        started.wait, started.waiting = now - started.at, True


def _switches(facts: CaseFacts) -> None:
    previous: Contact | None = None
    for contact in facts.contacts:
        if contact.direction != "in" or contact.channel == "portal":
            continue
        if previous is not None and contact.channel != previous.channel:
            contact.switched_from = previous.channel
        previous = contact


def _explanations(facts: CaseFacts) -> None:
    """Who each contact of theirs reached, and whether that person was new to the matter with them."""
    dealt: set[int] = set()
    contacts = facts.contacts
    for i, contact in enumerate(contacts):
        if contact.direction == "out":
            if contact.person is not None:
                dealt.add(contact.person)
            continue
        if not contact.wants_reply:
            continue
        reached = contact.person if contact.person is not None else _owner_at(facts, contact.at)
        if reached is None:  # in the queue: it reached whoever answered it
            reached = next(
                (c.person for c in contacts[i + 1 :] if c.direction == "out" and c.is_reply and c.person),
                None,
            )
        contact.reached = reached
        if reached is not None and reached not in dealt:
            contact.new_person = True
            dealt.add(reached)
        contact.explained = contact.new_person or contact.repeat_phrasing


def _contact_notes(contact: Contact, names: dict[int, str]) -> list[str]:
    notes = []
    if contact.switched_from:
        text = f"Switched from {channel_name(contact.switched_from)} to {channel_name(contact.channel)}"
        if contact.chased_after is not None:
            text += f" after {duration(contact.chased_after)} without a reply"
        notes.append(text)
    elif contact.chased_after is not None:
        notes.append(f"Chased after {duration(contact.chased_after)} without a reply")
    if contact.wait is not None:
        if contact.waiting:
            notes.append(f"Still waiting for our reply: {duration(contact.wait)} so far")
        else:
            notes.append(f"Waited {duration(contact.wait)} for our reply")
    if contact.new_person:
        notes.append(f"Explained it to {names.get(contact.reached or 0, 'someone')}, new to this matter")
    if contact.repeat_phrasing:
        notes.append("Said they had been in touch about it before")
    return notes


def _promise_entries(promise: Promise, names: dict[int, str], now: datetime) -> list[Entry]:
    who = names.get(promise.by, "We") if promise.by is not None else "We"
    due = f"{promise.due_at:%a} {promise.due_at.day} {promise.due_at:%b}"
    made = Entry(promise.made_at, "promise_made", f"{who} promised: “{promise.description}” by {due}")
    if promise.status == "open":
        made.notes.append(
            "Not yet due" if promise.due_at > now else "Due time passed: not yet marked kept or broken"
        )
    entries = [made]
    if promise.closed_at is not None and promise.status in ("kept", "broken", "renegotiated"):
        words = {
            "kept": f"Promise kept: “{promise.description}”",
            "broken": f"Promise broken: “{promise.description}” (due {due})",
            "renegotiated": f"New time agreed with them for “{promise.description}”",
        }
        entries.append(Entry(promise.closed_at, f"promise_{promise.status}", words[promise.status]))
    return entries


def _handover_entries(facts: CaseFacts, names: dict[int, str]) -> list[Entry]:
    entries = []
    for change in facts.ownerships:
        if change.before == change.after:
            continue
        if change.after is None:
            text = f"Put back in the team's queue by {names.get(change.before or 0, 'us')}"
            kind = "handover"
        elif change.before is None:
            text, kind = f"Picked up by {names.get(change.after, 'a colleague')}", "picked_up"
        else:
            text = f"Handed over from {names.get(change.before, 'a colleague')} to "
            text += names.get(change.after, "a colleague")
            kind = "handover"
        entry = Entry(change.at, kind, text)
        if change.reason:
            entry.notes.append(change.reason)
        entries.append(entry)
    return entries


def _contact_entry(contact: Contact, names: dict[int, str]) -> Entry:
    return Entry(contact.at, "contact", contact.what, contact=contact, notes=_contact_notes(contact, names))


def _case_story(facts: CaseFacts, names: dict[int, str], now: datetime) -> CaseStory:
    facts.contacts.sort(key=lambda c: (c.at, c.direction == "out"))
    facts.ownerships.sort(key=lambda o: o.at)
    _waits(facts, now)
    _switches(facts)
    _explanations(facts)
    entries = [_contact_entry(c, names) for c in facts.contacts]
    for promise in facts.promises:
        entries += _promise_entries(promise, names, now)
    entries += _handover_entries(facts, names)
    entries += [
        Entry(at, "reopened", "Re-opened", notes=[reason] if reason else []) for at, reason in facts.reopens
    ]
    entries.sort(key=lambda e: e.at)
    return CaseStory(facts, entries)


def _figures(stories: list[CaseStory]) -> Figures:
    f = Figures(matters=len(stories))
    waits: list[timedelta] = []
    longest: tuple[timedelta, bool] | None = None
    channels: dict[str, int] = {}
    reached: set[int] = set()
    people: set[int] = set()
    times_seen: list[datetime] = []
    for story in stories:
        facts = story.facts
        f.open_matters += facts.is_open
        f.reopens += len(facts.reopens)
        f.handovers += sum(1 for o in facts.ownerships if o.before is not None and o.before != o.after)
        for c in facts.contacts:
            times_seen.append(c.at)
            if c.person is not None:
                people.add(c.person)
            if c.direction == "out":
                f.contacts_out += 1
                continue
            f.contacts_in += 1
            channels[c.channel] = channels.get(c.channel, 0) + 1
            if c.reached is not None:
                people.add(c.reached)
            f.explained += c.explained
            if c.new_person and c.reached is not None:
                reached.add(c.reached)
            if c.switched_from:
                f.switches += 1
                f.switches_unanswered += c.chased_after is not None
            if c.wait is not None:
                if c.waiting:
                    f.waiting_now += facts.is_open
                else:
                    waits.append(c.wait)
                counts = facts.is_open or not c.waiting  # a closed case's unanswered contact is no wait
                if counts and (longest is None or c.wait > longest[0]):
                    longest = (c.wait, c.waiting)
        for p in facts.promises:
            if p.status == "renegotiated":
                continue  # replaced, with the customer's agreement, by the promise made in its place
            f.promises_made += 1
            f.promises_kept += p.status == "kept"
            f.promises_broken += p.status == "broken"
            f.promises_open += p.status == "open"
    f.waits = len(waits)
    if waits:
        f.median_wait = timedelta(seconds=statistics.median(w.total_seconds() for w in waits))
    if longest is not None:
        f.longest_wait, f.longest_wait_ongoing = longest
    f.channels = [c for c, _ in sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))]
    f.explained_to = len(reached)
    f.people = len(people)
    if times_seen:
        f.first_contact, f.last_contact = min(times_seen), max(times_seen)
    return f


def _answered(stories: list[CaseStory]) -> list[timedelta]:
    return [c.wait for s in stories for c in s.facts.contacts if c.wait is not None and not c.waiting]


def summary(name: str, f: Figures, stories: list[CaseStory], now: datetime) -> list[str]:
    """A few plain sentences from the figures, the most telling first."""
    if f.contacts_in == 0 and f.contacts_out == 0:
        return [f"We have no contact with {name} on record in the cases you can see."]
    matters = _count(f.matters, "matter")
    span = ""
    if f.first_contact is not None and f.last_contact is not None and f.contacts_in > 1:
        span = f" in {duration(max(f.last_contact - f.first_contact, timedelta(minutes=1)))}"
    by = words_list([channel_name(c) for c in f.channels])
    lines = [
        f"{name} has contacted us {times(f.contacts_in)}{span} about {matters}"
        + (f", by {by}." if by else ".")
        if f.contacts_in
        else f"{name} has not contacted us; we have been in touch with them about {matters}."
    ]
    if f.waits:
        text = f"The longest they waited for our reply was {duration(max(_answered(stories)))}"
        if f.waits > 1 and f.median_wait is not None:
            text += f"; a typical wait was {duration(f.median_wait)}"
        lines.append(text + ".")
    waiting = [(s.facts.reference, c.wait) for s in stories if s.facts.is_open for c in s.facts.contacts
               if c.waiting and c.wait is not None]  # fmt: skip
    if waiting:
        said = [f"{duration(wait)} so far on {reference}" for reference, wait in waiting[:3]]
        lines.append(f"They are waiting for our reply now: {words_list(said)}.")
    if f.switches_unanswered:
        lines.append(
            f"They changed channel {times(f.switches_unanswered)} while waiting for a reply."
            if f.switches_unanswered != f.switches
            else f"They changed channel {times(f.switches)}, each time while waiting for a reply."
        )
    if f.promises_made:
        decided = f.promises_kept + f.promises_broken
        text = f"We kept {f.promises_kept} of {decided} promise{'' if decided == 1 else 's'} due"
        if f.promises_broken:
            text += f"; {f.promises_broken} broken"
        if f.promises_open:
            text += f"; {f.promises_open} still open"
        lines.append(text + ".")
    if f.explained:
        people = "1 person" if f.explained_to == 1 else f"{f.explained_to} different people"
        to = f", to {people}" if f.explained_to else ""
        lines.append(f"They have had to explain their problem {times(f.explained)}{to}.")
    if f.handovers or f.reopens:
        parts = []
        if f.handovers:
            parts.append(f"their cases changed hands {times(f.handovers)}")
        if f.reopens:
            parts.append(f"{_count(f.reopens, 'case')} {'was' if f.reopens == 1 else 'were'} re-opened")
        lines.append(words_list(parts).capitalize() + ".")
    open_ones = [s.facts for s in stories if s.facts.is_open]
    if open_ones:
        described = [f"a {c.kind} {duration(now - c.opened_at)} in ({c.reference})" for c in open_ones[:3]]
        more = f" and {len(open_ones) - 3} more" if len(open_ones) > 3 else ""
        lines.append(f"Still open: {words_list(described)}{more}.")
    return lines


def tell(name: str, cases: list[CaseFacts], names: dict[int, str], now: datetime, truncated=False) -> Story:
    """The customer's story across these cases, newest case first."""
    stories = [_case_story(facts, names, now) for facts in cases]
    stories.sort(key=lambda s: s.facts.opened_at, reverse=True)
    figures = _figures(stories)
    return Story(name, stories, figures, summary(name, figures, stories, now), truncated)
