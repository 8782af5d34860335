"""Reading ease: a long sentence, or a hard draft by Flesch's formula, is hard for an upset customer to follow
(CFACSC4 P12; WM57 d). Syllables by pyphen's hyphenation, cached, since the coach runs on every keystroke.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen

from .draft import Draft
from .findings import Finding

LONG_SENTENCE_WORDS = 25
EASE_FLOOR = 50.0
# Flesch ease swings wildly on a line or two, so only judge it on a draft of some length.
EASE_MIN_WORDS = 30
VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
WORD_EDGE_CHARS = ".,;:!?()[]{}\"'-\u2013\u2014/*"


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def reading_finding(doc: Draft) -> list[Finding]:
    counted = [(span, _sentence_stats(doc.low[span[0] : span[1]])) for span in doc.sentences]
    counted = [(span, stats) for span, stats in counted if stats[0]]
    if not counted:
        return []
    words = sum(stats[0] for _, stats in counted)
    ease = flesch_reading_ease(words, len(counted), sum(stats[1] for _, stats in counted))
    longest, (longest_words, _) = max(counted, key=lambda item: item[1][0])
    hard = words >= EASE_MIN_WORDS and ease < EASE_FLOOR
    if longest_words <= LONG_SENTENCE_WORDS and not hard:
        return []
    return [
        Finding(
            "reading_difficulty",
            "warn",
            [longest],
            f"Hard to read (reading ease {ease:.0f}, longest sentence {longest_words} words): "
            "an upset customer needs a position they can follow (CFACSC4 P12; WM57 d)",
            f"Split long sentences (under {LONG_SENTENCE_WORDS} words) and prefer short, everyday words.",
            {"flesch": round(ease, 1), "longest_sentence_words": longest_words, "words": words},
        )
    ]


@lru_cache(maxsize=4096)
def _sentence_stats(sentence: str) -> tuple[int, int]:
    """(words, syllables). Cached per sentence: as the adviser types, only one sentence changes."""
    words = [w for token in sentence.split() if (w := token.strip(WORD_EDGE_CHARS)) and w[0].isalpha()]
    return len(words), sum(_syllables(w) for w in words)


@lru_cache(maxsize=16384)
def _syllables(word: str) -> int:
    """Pyphen's hyphenation points undercount short words ("area", "really"), so take the larger of that
    and a vowel-group count with a silent final e."""
    word = word.replace("'", "")
    groups = len(VOWEL_GROUP_RE.findall(word))
    if groups > 1 and word.endswith("e") and not word.endswith(("le", "ee")):
        groups -= 1
    if len(word) <= 3:
        return max(groups, 1)  # pyphen keeps two letters either side of a split: it can't split these
    return max(len(_hyphenator().positions(word)) + 1, groups, 1)


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")  # loading the dictionary takes ~150 ms: once per process
