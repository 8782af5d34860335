"""A fast "could this match anywhere?" before Python's exact search. Framework-free.

Python's `re` defines every rule and finds the exact spans, but it tries each alternative of a big
alternation at every character, so a dozen keyword rules cost half a millisecond on a long email. RE2
(google-re2) compiles all of them into one automaton that reads the text once in linear time and says which
rules match somewhere; Python's `re` then runs only those rules, usually none or one, and only at the
places where RE2 finds a possible start (`Quick`).

For that to change nothing, each RE2 pattern matches a superset of what its Python rule matches: the
translation only drops assertions (\\b, lookarounds), which can only admit more, and widens the classes
whose meaning differs (RE2's \\w, \\d and \\s are ASCII, Python's are Unicode). A false "yes" costs one
exact search; a false "no" is impossible by construction, and the tests compare both paths on real texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import re2

# Python's Unicode classes, written so that RE2 accepts at least as much.
WIDER = {
    "w": r"\pL\pN\pM_",
    "d": r"\pN",
    "s": r"\s\pZ\x{85}\x{0b}\x{1c}-\x{1f}",
}
LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
# Python's IGNORECASE also equates i with dotted capital I and dotless i, which RE2's case folding does not.
# Checked over every code point for ASCII letters and digits: the other extras (long s, Kelvin sign) RE2
# folds too.
DOTTED_I = r"\x{130}\x{131}"
RE2_OPTIONS = re2.Options()
RE2_OPTIONS.max_mem = 64 << 20  # room for the combined automaton on long texts before RE2 falls back to NFA


def superset(pattern: str, ignorecase: bool = False) -> str:
    """The RE2 form of a Python pattern that matches everything it matches (and perhaps a little more)."""
    out, i, in_class, negated = [], 0, False, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            code = pattern[i + 1]
            if code == "b" and not in_class:
                pass  # a word boundary only ever rules a match out
            elif code in WIDER:
                out.append(WIDER[code] if in_class else f"[{WIDER[code]}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and ignorecase and not negated:
                out.append(DOTTED_I)
            in_class = ch != "]"
        elif ch == "[":
            in_class, negated = True, pattern.startswith("[^", i)
            if pattern.startswith(("[]", "[^]"), i):
                raise ValueError(f"prefilter cannot translate a class starting with ']' in {pattern!r}")
        elif pattern.startswith(LOOKAROUND, i):
            i = _group_end(pattern, i)
            continue
        elif pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            raise ValueError(f"prefilter cannot translate {pattern[i : i + 4]!r} in {pattern!r}")
        elif ignorecase and ch in "iI":
            ch = f"[iI{DOTTED_I}]"
        out.append(ch)
        i += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """The index just after the group opening at `start`, skipping escapes and character classes."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _re2_form(pattern: re.Pattern[str]) -> str:
    unsupported = pattern.flags & ~(re.IGNORECASE | re.UNICODE)
    if unsupported:
        raise ValueError(f"prefilter cannot translate the flags of {pattern.pattern!r}")
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    return ("(?i)" if ignorecase else "") + superset(pattern.pattern, ignorecase)


class AnyOf:
    """Which of several Python patterns can match somewhere in a text, in one pass."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.set = re2.Set.SearchSet(RE2_OPTIONS)
        for pattern in patterns:
            self.set.Add(_re2_form(pattern))
        self.set.Compile()

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match; the others certainly do not."""
        return set(self.set.Match(text) or ())


class Quick:
    """One Python pattern with RE2 in front. `finditer` gives exactly Python's matches: RE2 finds the next
    place where the wider pattern starts, which is never after the next place where the Python pattern
    starts, and Python tries there; so Python runs only at a handful of places instead of every one."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.test = re2.compile(_re2_form(pattern), RE2_OPTIONS)
        # RE2 works on UTF-8 bytes: given a str, each call re-encodes it and converts offsets, which costs
        # more than the search. For ASCII text (most messages) bytes and characters are the same offsets.
        self.test_ascii = re2.compile(_re2_form(pattern).encode(), RE2_OPTIONS)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else min(endpos, len(text))
        data: str | bytes = text
        test = self.test
        if text.isascii():
            data, test = text.encode("ascii"), self.test_ascii
        while pos <= end:
            wider = test.search(data, pos, end)
            if wider is None:
                return
            start = wider.start()
            match = self.pattern.match(text, start, end)
            if match is None:
                pos = start + 1
                continue
            yield match
            pos = max(match.end(), start + 1)
