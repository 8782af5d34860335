"""Quoted reply chains and negation, as the rules, the analyser and the coach all read them."""

from amends.signals.engine.text import blank_quoted, negated, quoted_ranges


def test_blank_quoted_keeps_offsets():
    text = "I am angry.\n> You said calm down\nStill angry.\nOn Mon, 2 Nov 2026, Amends wrote:\nold"
    blanked = blank_quoted(text)
    assert len(blanked) == len(text)
    assert "calm down" not in blanked and "old" not in blanked
    assert blanked.index("Still angry") == text.index("Still angry")


def test_quoted_ranges_are_quote_lines_and_everything_after_a_quote_header():
    text = "Thanks.\n> earlier words\nMore.\nOn Mon, 2 Nov 2026, Amends wrote:\nold\n> older"
    ranges = quoted_ranges(text)
    assert [text[a:b] for a, b in ranges[:2]] == ["> earlier words", "> older"]
    assert text[ranges[2][0] :] == "On Mon, 2 Nov 2026, Amends wrote:\nold\n> older"
    assert ranges[2][1] == len(text)


def test_a_quote_header_at_the_very_start_is_not_a_reply_chain():
    # Nothing precedes it, so it is the message itself (a forwarded email), not quoted text under a reply.
    text = "From: Sam\nMy boiler is broken."
    assert quoted_ranges(text) == []
    assert blank_quoted(text) == text


def test_negated_looks_five_words_back_within_the_clause():
    text = "I am not going to the ombudsman"
    assert negated(text, text.index("ombudsman"))
    far = "I did not say that I am going to the ombudsman"
    assert not negated(far, far.index("ombudsman"))  # "not" is more than five words back
    clause = "It is not late, I am going to the ombudsman"
    assert not negated(clause, clause.index("ombudsman"))  # a comma ends the negation's clause
    assert negated("We won't call you", len("We won't "))
