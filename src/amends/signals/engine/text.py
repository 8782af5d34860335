"""What every reader of customer and adviser text skips: quoted reply chains, and negated phrases.

The rules (rules.py), the analyser's anger words (analyser.py) and the reply coach (coach/) share these, so
a quoted line or a "not" means the same thing to all of them. Offsets are kept: blanked text is the same
length as the text, so a span found in one indexes the other. Framework-free.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

QUOTE_HEADER_RE = re.compile(
    r"^(On .{5,200} wrote:|-{2,}\s*Original Message\s*-{2,}|From: .+)$", re.IGNORECASE | re.MULTILINE
)
QUOTED_LINE_RE = re.compile(r"^>.*$", re.MULTILINE)
NEGATION_RE = re.compile(
    r"\b(not|never|no|won't|wont|don't|dont|isn't|aren't|without|nor)\b|n't\b", re.IGNORECASE
)


def quoted_ranges(text: str) -> list[Span]:
    """Quoted reply chains: from a quote header to the end, and every line starting with '>'."""
    ranges = [(m.start(), m.end()) for m in QUOTED_LINE_RE.finditer(text)]
    header = QUOTE_HEADER_RE.search(text)
    if header is not None and header.start() > 0:
        ranges.append((header.start(), len(text)))
    return ranges


def blank_quoted(text: str) -> str:
    """The text with quoted reply chains replaced by spaces: same length, so offsets still hold."""
    ranges = quoted_ranges(text)
    if not ranges:
        return text
    chars = list(text)
    for start, end in ranges:
        chars[start:end] = [c if c == "\n" else " " for c in text[start:end]]
    return "".join(chars)


def negated(text: str, start: int) -> bool:
    """A negation in the same clause within the five words before the match."""
    clause_start = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", ";", "\n", ","))
    window = text[clause_start + 1 : start]
    words = window.split()[-5:]
    return bool(NEGATION_RE.search(" ".join(words)))
