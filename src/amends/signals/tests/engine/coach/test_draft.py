"""A draft made ready for the coach: quoted text blanked, offsets kept, sentences found."""

from amends.signals.engine.coach.draft import find, has, prepare
from amends.signals.engine.coach.patterns import rx
from amends.signals.tests.engine.coach.drafts import by_kind, words


def test_quoted_text_is_ignored():
    draft = (
        "Thank you. We will call you on Friday at 10am.\n\n"
        "> calm down, it's our policy\n"
        "On Mon 3 Mar 2025, Sam <sam@example.com> wrote:\n"
        "You failed to read the terms. Obviously."
    )
    found = by_kind(draft)
    for kind in ("provocative_or_dismissive", "rules_without_explanation", "defensive_or_blaming"):
        assert kind not in found
    assert "clear_next_step_with_date" in found


def test_curly_apostrophes_keep_offsets():
    draft = (
        "I\u2019m so sorry \u2014 I can\u2019t do that, it\u2019s company policy. I\u2019ll call you back."
    )
    found = by_kind(draft)
    assert words(draft, found["rules_without_explanation"]) == ["it\u2019s company policy"]
    assert words(draft, found["apology_or_empathy"]) == ["I\u2019m so sorry"]
    assert found["promise_without_date"].data == {"promise_text": "I\u2019ll call you back"}


def test_sentences_end_at_stops_and_line_breaks_but_not_inside_numbers_or_after_titles():
    text = "Dear Mr. Smith\nWe refunded £10.50 today. Is v2.1 fine?! Yes"
    doc = prepare(text)
    assert [text[a:b] for a, b in doc.sentences] == [
        "Dear Mr. Smith",
        "We refunded £10.50 today.",
        "Is v2.1 fine?!",
        "Yes",
    ]
    assert doc.sentence_at(text.index("v2.1")) == 2
    assert text[doc.sentences[1][0] : doc.sentence_end(1)] == "We refunded £10.50 today"


def test_every_copy_keeps_the_draft_s_length():
    text = "İ won\u2019t.\n> quoted"
    doc = prepare(text)
    assert len(doc.live) == len(doc.low) == len(text)
    assert doc.live.startswith("İ won't.") and "quoted" not in doc.live


def test_a_match_counts_only_where_a_word_starts():
    pattern = rx(r"policy")
    assert [m.start() for m in find(pattern, "policy, not apolicy")] == [0]
    assert not has(pattern, "apolicy")
