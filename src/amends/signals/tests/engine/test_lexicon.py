"""The abuse head's word-list features: profanity and slurs, insults, insults aimed at the reader, masked
and leet spellings; each owned by the word that fired."""

import pytest

from amends.signals.engine.features import analyze, analyze_abuse, tokenise
from amends.signals.engine.lexicon import lexicon_features, profanity


def feats(text: str) -> list[tuple[str, str]]:
    tokens = tokenise(text)
    return [(f, tokens.raw[i]) for f, i in lexicon_features(tokens.toks, tokens.raw)]


def test_the_list_is_the_shipped_one_with_its_licence():
    words = profanity()
    assert len(words) > 800 and "fuck" in words and "wanker" in words
    assert not any(w.startswith("#") for w in words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You idiot.", [("p:insult", "idiot"), ("p:you_insult", "idiot")]),
        ("You're completely useless", [("p:insult", "useless"), ("p:you_insult", "useless")]),
        ("A useless service.", [("p:insult", "useless")]),
        ("What a load of shit", [("p:profane", "shit")]),
        ("This is sh1t", [("p:profane", "sh1t")]),
        ("fuuuuck this", [("p:profane", "fuuuuck")]),
        ("you f***ing clowns", [("p:insult", "clowns"), ("p:masked", "f"), ("p:you_masked", "f")]),
        ("It is sh*t", [("p:masked", "sh")]),
        (
            "you fucking faggot",
            [
                ("p:profane", "fucking"),
                ("p:you_profane", "fucking"),
                ("p:slur", "faggot"),
                ("p:you_slur", "faggot"),
            ],
        ),
        ("n1gger", [("p:slur", "n1gger")]),
        # a group named near a dehumanising word, an insult or a slur: hostility aimed at the group
        ("immigrants are vermin", [("p:group_hostile", "vermin"), ("p:insult", "vermin")]),
        ("they infest every country, these muslims", [("p:group_hostile", "infest")]),
        # a group word alone, or a dehumanising word with no group, is no feature
        ("As a Muslim woman I was treated badly by your staff", []),
        ("The breed of dog in the flat upstairs barks all night", []),
        ("My Romanian neighbour says the gas bill is wrong", []),
        ("Thank you for sorting it so quickly", []),
        ("My account number is 12345", []),
    ],
)
def test_lexicon_features(text, expected):
    assert sorted(feats(text)) == sorted(expected)


def test_only_the_abuse_analyzer_adds_them():
    text = "You idiot, this is shit"
    assert not any(f.startswith("p:") for f in analyze(text))
    added = [f for f in analyze_abuse(text) if f.startswith("p:")]
    assert sorted(added) == ["p:insult", "p:profane", "p:you_insult"]
    assert analyze_abuse(text)[: len(analyze(text))] == analyze(text)
