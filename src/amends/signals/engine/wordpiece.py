"""BERT's uncased WordPiece tokeniser in plain Python, so the default install needs no `tokenizers`.

It reproduces what `tokenizers` does with all-MiniLM-L6-v2's tokenizer.json (BertNormalizer with
clean_text, handle_chinese_chars and lowercase, accents stripped; BertPreTokenizer; WordPiece with "##"
continuations, [UNK] for a word with no segmentation or longer than 100 characters), without the special
tokens: a static embedding is the mean of the text's own tokens. A test compares the two on real texts.

Speed: a word's pieces are cached, so after warm-up a message costs one regular-expression split and a
dictionary look-up per word. Framework-free.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence

UNK = "[UNK]"
MAX_WORD_CHARS = 100
CACHE_LIMIT = 200_000
_ASCII_PUNCT = re.escape(string.punctuation)
# ASCII text after normalisation: words are runs of anything but space and ASCII punctuation
_ASCII_WORDS = re.compile(rf"[^\s{_ASCII_PUNCT}]+|[{_ASCII_PUNCT}]")
# control characters BertNormalizer drops (tab, newline and carriage return become spaces)
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_SPACE = re.compile(r"[\t\n\r]")
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
# Rust's char::is_whitespace (the Unicode White_Space property), which BertNormalizer maps to a space
_WHITESPACE = frozenset(
    "\t\n\r \u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
)


def _is_cjk(cp: int) -> bool:
    return any(a <= cp <= b for a, b in _CJK)


def _is_punct(ch: str) -> bool:
    return ch in string.punctuation or unicodedata.category(ch).startswith("P")


def _normalise_unicode(text: str) -> list[str]:
    """BertNormalizer then BertPreTokenizer for any text: the words and punctuation marks, in order."""
    chars: list[str] = []
    for ch in text:
        if ch in "\t\n\r" or ch in _WHITESPACE or unicodedata.category(ch) == "Zs":
            chars.append(" ")
        elif ch in "\x00\ufffd" or unicodedata.category(ch)[0] == "C":
            continue
        elif _is_cjk(ord(ch)):
            chars.extend((" ", ch, " "))
        else:
            chars.append(ch)
    cleaned = unicodedata.normalize("NFD", "".join(chars))
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) != "Mn")
    cleaned = "".join(c.lower() for c in cleaned)  # char by char, as `tokenizers` does (no final sigma)
    words: list[str] = []
    current: list[str] = []
    for ch in cleaned:
        if ch == " ":
            if current:
                words.append("".join(current))
                current = []
        elif _is_punct(ch):
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def pre_tokenise(text: str) -> list[str]:
    """The normalised words and punctuation marks of `text`, as BertNormalizer + BertPreTokenizer give."""
    if text.isascii():
        text = _ASCII_SPACE.sub(" ", _ASCII_CONTROL.sub("", text)).lower()
        return _ASCII_WORDS.findall(text)
    return _normalise_unicode(text)


class WordPiece:
    """Greedy longest-match-first WordPiece over a vocabulary (token -> id), words cached."""

    def __init__(self, vocab: Sequence[str]):
        self.vocab = {token: i for i, token in enumerate(vocab)}
        self.unk = self.vocab[UNK]
        self._cache: dict[str, tuple[int, ...]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        ids = self._cache.get(word)
        if ids is not None:
            return ids
        ids = self._segment(word)
        if len(self._cache) < CACHE_LIMIT:
            self._cache[word] = ids
        return ids

    def _segment(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        vocab = self.vocab
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def ids(self, text: str) -> list[int]:
        """Token ids of `text`, no [CLS]/[SEP], no truncation."""
        out: list[int] = []
        for word in pre_tokenise(text):
            out.extend(self.word_ids(word))
        return out

    def tokens(self, text: str) -> list[str]:
        names = list(self.vocab)
        return [names[i] for i in self.ids(text)]
