"""The story's arithmetic, from plain facts: waits, channel switches, explanations, promises, the summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from amends.experience.story import CaseFacts, Contact, Ownership, Promise, duration, tell

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SAM, HELEN, JESS = 1, 2, 3
NAMES = {SAM: "Sam Okoro", HELEN: "Helen Brady", JESS: "Jess Morgan"}


def at(days: float) -> datetime:
    return START + timedelta(days=days)


def inbound(days, channel="email", person=None, repeat=False, wants_reply=True):
    return Contact(at(days), "in", channel, f"{channel} in", person=person, repeat_phrasing=repeat,
                   wants_reply=wants_reply)  # fmt: skip


def reply(days, person=SAM, channel="email", is_reply=True):
    return Contact(at(days), "out", channel, "reply", person=person, is_reply=is_reply)


def case(*contacts, reference="AM-2026-000001", is_open=True, first_owner=None, **more) -> CaseFacts:
    return CaseFacts(
        reference=reference,
        kind="complaint",
        status="Open" if is_open else "Closed",
        is_open=is_open,
        opened_at=contacts[0].at if contacts else START,
        first_owner=first_owner,
        contacts=list(contacts),
        **more,
    )


def test_durations_are_said_plainly():
    assert duration(timedelta(minutes=40)) == "40 minutes"
    assert duration(timedelta(hours=1)) == "1 hour"
    assert duration(timedelta(hours=30)) == "30 hours"
    assert duration(timedelta(days=6, hours=2)) == "6 days"
    assert duration(timedelta(days=49)) == "7 weeks"
    assert duration(timedelta(days=120)) == "4 months"


def test_a_wait_runs_from_their_contact_to_our_next_reply_and_chases_belong_to_it():
    facts = case(
        inbound(0),
        Contact(at(0.01), "out", "email", "ack", person=None, is_reply=False),  # automatic: not a reply
        inbound(5, channel="phone", person=JESS),  # rang after five days without a reply
        reply(6, person=SAM),
        inbound(10),
        reply(10.5),
    )
    story = tell("Grace Okafor", [facts], NAMES, at(20))
    first, _, chase, _, second, _ = facts.contacts
    assert first.wait == timedelta(days=6) and not first.waiting
    assert chase.wait is None and chase.chased_after == timedelta(days=5)
    assert chase.switched_from == "email"
    assert second.wait == timedelta(hours=12)
    f = story.figures
    assert f.longest_wait == timedelta(days=6) and not f.longest_wait_ongoing
    assert f.median_wait == timedelta(days=3, hours=6)
    assert (f.switches, f.switches_unanswered) == (2, 1)  # to the phone while waiting, then back
    notes = next(e for e in story.cases[0].entries if e.contact is chase).notes
    assert "Switched from email to phone after 5 days without a reply" in notes


def test_an_email_that_never_arrived_is_no_reply_and_an_open_wait_is_still_running():
    facts = case(inbound(0), reply(1, is_reply=False), inbound(3, channel="sms"))
    story = tell("Grace Okafor", [facts], NAMES, at(4))
    assert facts.contacts[0].wait == timedelta(days=4) and facts.contacts[0].waiting
    assert story.figures.longest_wait_ongoing and story.figures.waiting_now == 1
    assert story.figures.median_wait is None
    assert "They are waiting for our reply now: 4 days so far on AM-2026-000001." in story.summary


def test_explaining_counts_each_new_person_and_repeat_contact_phrasing():
    facts = case(
        inbound(0),  # nobody owns it: it reached Sam, who answered
        reply(1, person=SAM),
        inbound(2, channel="phone", person=JESS),  # Jess took the call: new to it
        inbound(3),  # Sam owns it and has dealt with them: not again
        inbound(9, repeat=True),  # Helen owns it now: new, and they say they have been in touch before
        inbound(10, repeat=True),  # Helen again, but the words say it: counted
        ownerships=[Ownership(at(0.5), None, SAM), Ownership(at(8), SAM, HELEN, "Sam on leave")],
    )
    story = tell("Grace Okafor", [facts], NAMES, at(11))
    assert [c.explained for c in facts.contacts if c.direction == "in"] == [True, True, False, True, True]
    assert [c.reached for c in facts.contacts if c.direction == "in"] == [SAM, JESS, SAM, HELEN, HELEN]
    assert (story.figures.explained, story.figures.explained_to) == (4, 3)
    assert story.figures.handovers == 1
    assert "They have had to explain their problem 4 times, to 3 different people." in story.summary
    handover = next(e for e in story.cases[0].entries if e.kind == "handover")
    assert handover.text == "Handed over from Sam Okoro to Helen Brady" and handover.notes == ["Sam on leave"]


def test_promises_kept_broken_and_renegotiated():
    promises = [
        Promise(at(1), "Call you back", at(2), "kept", at(1.5), SAM),
        Promise(at(3), "Refund the charge", at(5), "broken", at(5.01), SAM),
        Promise(at(3), "Send the statement", at(6), "renegotiated", at(5), SAM),
        Promise(at(5), "Send the statement", at(30), "open", None, SAM),
    ]
    story = tell("Grace Okafor", [case(inbound(0), reply(0.5), promises=promises)], NAMES, at(10))
    f = story.figures
    assert (f.promises_made, f.promises_kept, f.promises_broken, f.promises_open) == (3, 1, 1, 1)
    assert "We kept 1 of 2 promises due; 1 broken; 1 still open." in story.summary
    kinds = [e.kind for e in story.cases[0].entries]
    assert kinds.count("promise_made") == 4 and "promise_broken" in kinds and "promise_kept" in kinds


def test_the_summary_reads_in_ten_seconds():
    first = case(
        inbound(0),
        reply(6),
        inbound(20, channel="phone", person=JESS),
        reply(20.1, person=JESS, channel="phone"),
        is_open=False,
        reopens=[(at(19), "Customer rang: not fixed")],
    )
    second = case(inbound(30, channel="letter", person=HELEN), reference="AM-2026-000002")
    story = tell("Mrs Okafor", [first, second], NAMES, at(49))
    assert (
        story.summary[0]
        == "Mrs Okafor has contacted us 3 times in 4 weeks about 2 matters, by email, a letter and phone."
    )
    assert "The longest they waited for our reply was 6 days" in story.summary[1]
    assert "1 case was re-opened." in story.summary
    assert story.summary[-1] == "Still open: a complaint 3 weeks in (AM-2026-000002)."
    assert [s.facts.reference for s in story.cases] == ["AM-2026-000002", "AM-2026-000001"]  # newest first


def test_a_portal_confirmation_is_a_contact_that_wants_no_reply():
    facts = case(inbound(0), reply(1), inbound(2, channel="portal", wants_reply=False))
    story = tell("Grace Okafor", [facts], NAMES, at(3))
    assert story.figures.contacts_in == 2 and story.figures.waiting_now == 0
    assert story.figures.switches == 0


def test_no_contact_says_so():
    story = tell("Grace Okafor", [case()], NAMES, at(1))
    assert story.summary == ["We have no contact with Grace Okafor on record in the cases you can see."]
