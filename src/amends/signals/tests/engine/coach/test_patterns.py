"""The pattern compiler: leading groups multiplied out, letters lower-cased but not escapes."""

import pytest

from amends.signals.engine.coach.patterns import rx


def test_leading_groups_are_multiplied_out_and_letters_lower_cased():
    # only a leading group: the engine needs a literal first letter, not a flat list
    assert rx(r"(?:I|we) (?:can|could)").pattern == r"(?:i (?:can|could)|we (?:can|could))\b"
    assert rx(r"(?:very )?sorry").pattern == r"(?:very sorry|sorry)\b"
    assert rx(r"SLAs?", cased=True).pattern == r"(?:SLAs?)\b"


def test_escapes_classes_and_repeated_groups_are_kept():
    assert rx(r"\S+ A").pattern == r"(?:\S+ a)\b"  # \S is not \s
    assert rx(r"(?:ab)+c").pattern == r"(?:(?:ab)+c)\b"
    assert rx(r"[(|]x").pattern == r"(?:[(|]x)\b"  # a class's bracket or bar is not a group or a split


def test_an_unbalanced_group_is_refused():
    with pytest.raises(ValueError, match="unbalanced"):
        rx(r"(?:a|b")
