"""The RE2 prefilter in front of the rules: it may say "maybe" too often, never "no" when Python matches."""

from amends.signals.engine import rules
from amends.signals.engine.prefilter import superset

PREFILTER_TEXTS = [
    "Third time! Still waiting. I'll see you in court, my solicitor says sue. Financial Ombudsman.",
    "Issue: pursue the press release; pressed for time; I pressed 2; BBC Watchdog and twitter.",
    "Can't cope, can't afford the debts, in arrears; my mum passed away; no heating, urgent!!",
    "I would never harm myself. I'll come round and smash it. Cancel my account, never use you again.",
    # Unicode: a no-break space where \\s must match, accented letters beside a keyword (Python's \\b sees
    # none there, RE2's ASCII \\b would), upper case folding, full-width digits.
    "I'll\u00a0kill you. Café-ombudsman, éombudsman, OMBUDSMAN, ＳＯＬＩＣＩＴＯＲ, the ３rd time, suicidé",
    "KİLL myself; ſue you; I'm going to\u2003hurt you; chased and chasing",
]


def test_the_prefilter_never_hides_a_match():
    # One RE2 pass says which rules may match; a rule it leaves out must have no match at all, and the
    # spans must be what running every rule over the text gives.
    for text in PREFILTER_TEXTS:
        candidates = rules.ANY_RULE.candidates(text)
        for i, rule in enumerate(rules.RULES):
            if rule.pattern.search(text):
                assert i in candidates, (rule.type, text)
        for quick in [*rules.QUICK, rules.IDIOMS]:
            assert [m.span() for m in quick.finditer(text)] == [
                m.span() for m in quick.pattern.finditer(text)
            ], (quick.pattern.pattern[:40], text)
            assert [m.span() for m in quick.finditer(text, 3, 60)] == [
                m.span() for m in quick.pattern.finditer(text, 3, 60)
            ]


def test_prefilter_translation_only_widens():
    assert superset(r"\bsue\b") == "sue"
    assert superset(r"(?:kill)\b(?!\s+(?:it|time))x") == "(?:kill)x"
    assert superset(r"suicid\w*") == r"suicid[\pL\pN\pM_]*"
    assert superset(r"[\w']+\d") == r"[\pL\pN\pM_']+[\pN]"
    assert superset(r"a\.b") == r"a\.b"
    assert superset(r"hi[a-c]", ignorecase=True) == r"h[iI\x{130}\x{131}][a-c\x{130}\x{131}]"
