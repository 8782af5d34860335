"""The coach's pattern compiler: phrase alternatives made into one fast regular expression.

The coach runs on every keystroke, so its patterns are shaped for Python's regex engine (see `rx`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def rx(*alternatives: str, cased: bool = False) -> re.Pattern[str]:
    """A pattern matched against the lower-cased draft, or the draft as typed when cased.

    Speed decides the shape (the coach runs on every keystroke). The regex engine skips quickly to a
    possible first letter only when every alternative starts with a literal, and not under IGNORECASE or
    behind a leading \\b. So the draft is lower-cased instead, leading groups are multiplied out, and
    draft.find checks that a match starts a word.
    """
    expanded = [x for alternative in alternatives for x in _expand(alternative)]
    body = "(?:" + "|".join(expanded) + r")\b"
    return re.compile(body if cased else _fold(body))


def _expand(alternative: str) -> list[str]:
    """'(?:a|b)c' -> ['ac', 'bc']; '(?:a )?b' -> ['a b', 'b']."""
    if not alternative.startswith("(?:"):
        return [alternative]
    close = _closing_paren(alternative)
    inner, rest = alternative[3:close], alternative[close + 1 :]
    if rest[:1] in ("*", "+", "{"):
        return [alternative]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    expanded = [x for head in _split_top(inner) for x in _expand(head + rest)]
    return expanded + (_expand(rest) if optional else [])


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each character outside escapes and classes."""
    depth, i = 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, ch, depth
        i += 1


def _closing_paren(pattern: str) -> int:
    for i, ch, depth in _scan(pattern):
        if ch == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced pattern: {pattern}")


def _split_top(pattern: str) -> list[str]:
    """Split on the '|' that are not inside a group or a character class."""
    parts, start = [], 0
    for i, ch, depth in _scan(pattern):
        if ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return parts + [pattern[start:]]


def _fold(pattern: str) -> str:
    """Lower-case a pattern's letters but not its escapes (\\S is not \\s)."""
    return re.sub(r"\\.|[A-Z]", lambda m: m.group() if len(m.group()) == 2 else m.group().lower(), pattern)
