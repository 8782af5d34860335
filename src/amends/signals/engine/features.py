"""What the trained models read: tokens and features, one definition for training and the runtime.

Every head is a TF-IDF (sublinear tf, l2) logistic regression over the same kinds of features: words, word
bigrams, character 2-5-grams inside words, the first and last token, SHOUTED words and words under a negation.
`analyze` is the one definition of the features: training (learning/training.py) passes it to the
scikit-learn vectorizer as `analyzer=`, and the runtime's fast path (`model.Model.features`) is checked
against it by the tests. Framework-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import lexicon_features

TOKEN_RE = re.compile(r"https?://\S+|www\.\S+|[@#]?\w+(?:['’]\w+)*|[!?]+|[^\w\s]")
DIGIT_RE = re.compile(r"\d")
NEGATORS = frozenset(
    ("not", "no", "never", "nothing", "nobody", "none", "nor", "cannot", "dont", "doesnt", "didnt", "cant")
    + ("couldnt", "wont", "wouldnt", "shouldnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt")
    + ("hadnt", "aint")
)
CLAUSE_ENDS = frozenset(".,;:!?")
CHAR_NGRAMS = (2, 5)
MAX_TOKEN = 30  # longer "words" are pasted codes; capping them keeps char n-grams cheap
CACHE_LIMIT = 200_000  # per-token caches stop growing here, so pasted junk cannot eat memory

# ---------------------------------------------------------------- features (shared with training)


def normalise_token(raw: str) -> str:
    """Lower-case; user mentions, URLs and anything with a digit collapse to one placeholder each."""
    tok = raw.lower()
    if tok[0] == "@" and len(tok) > 1:
        return "<user>"
    if tok.startswith(("http://", "https://", "www.")):
        return "<url>"
    if tok[0] == "#" and len(tok) > 1:
        tok = tok[1:]
    tok = tok.replace("'", "").replace("’", "")
    if DIGIT_RE.search(tok):
        return "<num>"
    return tok[:MAX_TOKEN]


_NORMALISED: dict[str, tuple[str, bool]] = {}


@dataclass
class Tokens:
    """Normalised tokens and which were SHOUTED; character offsets are found only when evidence needs them."""

    text: str
    raw: list[str]  # each token as it stands in the text
    toks: list[str]
    shouted: list[bool]

    def offsets(self) -> list[tuple[int, int]]:
        """Between two matches of TOKEN_RE there is only white space (its last branch takes any other
        character), and a dropped lone apostrophe cannot begin a kept token, so each token is found by
        str.find from the end of the one before, cheaper than a second regex pass."""
        out, pos, find = [], 0, self.text.find
        for raw in self.raw:
            start = find(raw, pos)
            pos = start + len(raw)
            out.append((start, pos))
        return out


def _normalised(raw: str) -> tuple[str, bool]:
    entry = _NORMALISED.get(raw)
    if entry is None:
        entry = (normalise_token(raw), len(raw) > 1 and raw.isupper() and raw.isalpha())
        if len(_NORMALISED) < CACHE_LIMIT:
            _NORMALISED[raw] = entry
    return entry


def tokenise(text: str) -> Tokens:
    """findall runs in C; finditer with a match object per token would double the cost of long emails."""
    known = _NORMALISED
    raws = TOKEN_RE.findall(text)
    entries = [known.get(raw) or _normalised(raw) for raw in raws]
    if not all(e[0] for e in entries):  # a lone apostrophe normalises to nothing: drop it
        kept = [(raw, e) for raw, e in zip(raws, entries, strict=True) if e[0]]
        raws, entries = [k[0] for k in kept], [k[1] for k in kept]
    return Tokens(text, raws, [e[0] for e in entries], [e[1] for e in entries])


def token_features(tok: str) -> list[str]:
    """Features that depend on one token alone (so inference can cache them per token)."""
    feats = ["w:" + tok]
    if tok[0] != "<" and (tok[0].isalnum() or tok[0] == "_"):
        padded = " " + tok + " "
        lo, hi = CHAR_NGRAMS
        for n in range(lo, hi + 1):
            feats.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return feats


def context_features(tokens: Tokens) -> list[tuple[str, int, int]]:
    """Features that need neighbours, each with the token(s) it belongs to (second index -1 if one)."""
    toks = tokens.toks
    out = [("b:" + a + " " + b, i, i + 1) for i, (a, b) in enumerate(zip(toks, toks[1:], strict=False))]
    if toks:
        out.append(("f:" + toks[0], 0, -1))
        out.append(("l:" + toks[-1], len(toks) - 1, -1))
    out += [("x:caps", i, -1) for i, shouted in enumerate(tokens.shouted) if shouted]
    out += [("n:" + toks[i], i, -1) for i in negated_tokens(toks)]
    return out


def negated_tokens(toks: list[str]) -> list[int]:
    """Tokens after a negator up to the end of the clause."""
    if NEGATORS.isdisjoint(toks):
        return []
    out = []
    negated = False
    for i, tok in enumerate(toks):
        if tok in NEGATORS:
            negated = True
        elif tok[0] in CLAUSE_ENDS:
            negated = False
        elif negated:
            out.append(i)
    return out


def analyze(text: str) -> list[str]:
    """Every feature of a text, as the scikit-learn vectorizer sees it during training."""
    tokens = tokenise(text)
    feats = [f for tok in tokens.toks for f in token_features(tok)]
    feats.extend(f for f, _, _ in context_features(tokens))
    return feats


def analyze_abuse(text: str) -> list[str]:
    """What the abuse head reads: every feature of `analyze` and the word-list features (lexicon.py:
    profanity, insults, insults aimed at the reader, masked and leet spellings)."""
    tokens = tokenise(text)
    feats = [f for tok in tokens.toks for f in token_features(tok)]
    feats.extend(f for f, _, _ in context_features(tokens))
    feats.extend(f for f, _ in lexicon_features(tokens.toks, tokens.raw))
    return feats
