"""A draft made ready for the coach: quoted text blanked, a lower-cased copy, sentences; and matching.

Every copy of the draft has the draft's length, so a span found in any of them indexes the text as typed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..text import Span, blank_quoted, negated

# A sentence ends at . ! ? followed by a space, or at a line break; found with one cheap character class.
BOUNDARY_RE = re.compile(r"[.!?\n][.!?]*['\")\]\u201d]*")
ABBREVIATION_RE = re.compile(r"(?:^|\W)(?:mr|mrs|ms|dr|e\.g|i\.e|etc|no)$", re.IGNORECASE)


@dataclass(frozen=True)
class Draft:
    text: str  # the draft as typed: spans index into this
    live: str  # same length; quoted text blanked, curly apostrophes straightened
    low: str  # live, lower-cased, same length
    sentences: list[Span]
    starts: list[int]  # sentence starts, for bisect

    def sentence_at(self, pos: int) -> int:
        return max(bisect.bisect_right(self.starts, pos) - 1, 0)

    def sentence_end(self, i: int) -> int:
        """End of sentence i without its closing punctuation."""
        end = self.sentences[i][1]
        while end > self.sentences[i][0] and self.live[end - 1] in ".!?;:,'\")]\u201d ":
            end -= 1
        return end


def prepare(text: str) -> Draft:
    live = live_text(text)
    sentences = _sentences(live)
    return Draft(text, live, lower_same_length(live), sentences, [start for start, _ in sentences])


def live_text(text: str) -> str:
    """Quoted text blanked and curly apostrophes straightened, keeping every offset."""
    return blank_quoted(text).replace("\u2019", "'").replace("\u2018", "'")


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"); keep those as typed so offsets still line up.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _sentences(live: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in BOUNDARY_RE.finditer(live):
        if m.group()[0] == "\n":
            _add_sentence(spans, live, start, m.start())
        elif m.end() < len(live) and not live[m.end()].isspace():
            continue  # "£10.50", "v2.1", "...?!" inside a word
        elif ABBREVIATION_RE.search(live, max(m.start() - 5, 0), m.start()):
            continue
        else:
            _add_sentence(spans, live, start, m.end())
        start = m.end()
    _add_sentence(spans, live, start, len(live))
    return spans


def _add_sentence(spans: list[Span], live: str, start: int, end: int) -> None:
    segment = live[start:end]
    stripped = segment.strip()
    if stripped:
        first = start + len(segment) - len(segment.lstrip())
        spans.append((first, first + len(stripped)))


# --- matching: the coach's patterns (patterns.rx) leave out the leading \b for speed -----------------------


def find(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
    """Matches that start a word."""
    end = len(text) if endpos is None else endpos
    return [m for m in pattern.finditer(text, pos, end) if word_start(text, m.start())]


def word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def has(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> bool:
    end = len(text) if endpos is None else endpos
    return any(word_start(text, m.start()) for m in pattern.finditer(text, pos, end))


def spans_of(doc: Draft, pattern: re.Pattern[str], negatable: bool = True, cased: bool = False) -> list[Span]:
    """Where the pattern matches (in the draft as typed when cased), leaving out negated matches if
    negatable."""
    text = doc.live if cased else doc.low
    return [
        (m.start(), m.end()) for m in find(pattern, text) if not (negatable and negated(doc.low, m.start()))
    ]
