"""Context signals from the history: each fires on its pattern, and not below its threshold."""

from datetime import UTC, datetime, timedelta

from amends.signals.engine.context import CONTEXT_TYPES, Contact, History, context_signals

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def scored(history):
    return {s.type: s for s in context_signals(history) if s.score > 0}


def inbound(days_ago: float, channel: str = "email") -> Contact:
    return Contact(at=NOW - timedelta(days=days_ago), channel=channel, inbound=True)


def test_every_context_type_is_present_and_zero_without_history():
    signals = context_signals(None)
    assert [s.type for s in signals] == list(CONTEXT_TYPES)
    assert all(s.score == 0 and not s.explanation for s in signals)


def test_fourth_contact_in_a_week_is_frequent_and_says_so():
    found = scored(History(now=NOW, contacts=[inbound(d) for d in (0, 1, 3, 6)]))
    assert "contact_frequency" in found
    assert "Contact 4 from them in the last 7 days" in found["contact_frequency"].explanation
    assert "contact_frequency" not in scored(History(now=NOW, contacts=[inbound(0), inbound(1), inbound(9)]))


def test_three_channels_in_a_fortnight_is_channel_switching():
    contacts = [inbound(1, "email"), inbound(2, "phone"), inbound(3, "social")]
    assert "channel_switching" in scored(History(now=NOW, contacts=contacts))
    assert "channel_switching" not in scored(History(now=NOW, contacts=contacts[:2] + [inbound(20, "chat")]))


def test_waiting_counts_from_the_first_unanswered_message():
    reply = Contact(at=NOW - timedelta(days=5), channel="email", inbound=False)
    found = scored(History(now=NOW, contacts=[reply, inbound(4), inbound(0.1)]))
    assert "Waiting 4 days" in found["waiting_too_long"].explanation
    answered = [inbound(4), Contact(at=NOW - timedelta(days=1), channel="email", inbound=False)]
    assert "waiting_too_long" not in scored(History(now=NOW, contacts=answered))
    assert "waiting_too_long" not in scored(History(now=NOW, contacts=[inbound(1)]))


def test_reopens_broken_promises_and_patterns():
    found = scored(
        History(
            now=NOW,
            contacts=[inbound(d / 2) for d in range(10)],
            reopens=1,
            broken_promises=2,
            outcomes_wanted=3,
            cases_in_90_days=5,
        )
    )
    assert {
        "reopened",
        "broken_promise",
        "pattern_persistent",
        "pattern_indecisive",
        "pattern_over_dependent",
    } <= set(found)
    calm = scored(History(now=NOW, contacts=[inbound(1)], outcomes_wanted=1, cases_in_90_days=1))
    assert calm == {}
