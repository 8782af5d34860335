"""Rule-based signals where words decide: threats to staff, self-harm, escalation intent. Framework-free.

Every signal carries the character spans that triggered it and a one-line explanation, so an adviser can
see why (CFACSC4 P1, P3; CFACSC7 1, K8). Text quoted from earlier messages in a reply chain is ignored,
and a phrase that is negated ("I'm not going to the ombudsman yet") does not fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .prefilter import AnyOf, Quick
from .text import negated, quoted_ranges


@dataclass(frozen=True)
class Signal:
    type: str
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)
    explanation: str = ""


@dataclass(frozen=True)
class Rule:
    type: str
    pattern: re.Pattern[str]
    explanation: str
    score: float = 0.9
    negatable: bool = True


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


RULES = [
    Rule(
        "threat_to_staff",
        _rx(
            r"(?:i'?ll|i will|i'?m going to|gonna|going to)\s+"
            r"(?:kill|hurt|stab|smash|punch|find|come (?:round|down) and)\b(?!\s+(?:it|time))",
            r"(?:you'?ll|you will)\s+(?:regret|pay for) (?:this|it)",
            r"watch your back",
            r"i know where you live",
            r"burn (?:the|your) (?:place|office|shop) down",
        ),
        "Words that threaten harm to staff: alert a team leader and follow the safety procedure (C4 P17)",
        score=0.95,
        negatable=False,
    ),
    Rule(
        "self_harm",
        _rx(
            r"(?:kill|hurt|harm) myself",
            r"end (?:it all|my life)",
            r"suicid\w*",
            r"(?:don'?t|do not) want to (?:be here|live) any ?more",
            r"no reason to (?:live|go on)",
            r"better off dead",
            r"take my (?:own )?life",
        ),
        "Words about self-harm or suicide: urgent, follow the vulnerable-customer procedure now",
        score=0.97,
        negatable=False,
    ),
    Rule(
        "escalation_ombudsman",
        _rx(
            r"ombudsman",
            r"\bFOS\b",
            r"financial ombudsman",
            r"housing ombudsman",
            r"(?:the )?regulator",
            r"\bFCA\b",
            r"ofgem",
            r"ofcom",
            r"ofwat",
            r"\bCCW\b",
            r"\bSPSO\b",
        ),
        "Mentions taking the complaint to an ombudsman or regulator (CFACSC7 K5)",
    ),
    Rule(
        "escalation_legal",
        _rx(
            r"solicitors?",
            r"lawyers?",
            r"legal action",
            r"small claims",
            r"\bsue\b",
            r"suing",
            r"take you to court",
            r"see you in court",
            r"letter before (?:claim|action)",
        ),
        "Mentions legal action or a solicitor: check authority before admitting liability (CFACSC7 K7)",
    ),
    Rule(
        "escalation_media",
        _rx(
            r"(?:the )?press",
            r"newspapers?",
            r"journalists?",
            r"\bBBC\b",
            r"watchdog",
            r"go (?:to the )?(?:papers|media)",
            r"(?:twitter|tiktok|facebook|instagram|social media)",
            r"go viral",
            r"tell everyone",
        ),
        "Mentions the media or social media: the complaint may become public",
    ),
    Rule(
        "escalation_cancel",
        _rx(
            r"(?:cancel|close|end) my (?:account|contract|policy|subscription|membership)",
            r"take my business elsewhere",
            r"switch(?:ing)? (?:supplier|provider|bank)",
            r"leave you",
            r"never use you again",
        ),
        "Says they will cancel or leave",
    ),
    # Vulnerability cues (FCA FG21/1's drivers: health, life events, resilience, capability). Words
    # decide here too: a cue is shown to the adviser, who asks; nothing is assumed about the customer.
    Rule(
        "distress_bereavement",
        _rx(
            r"(?:passed away|passed on|died|funeral|bereave\w*|widow(?:ed|er)?|lost my (?:husband|wife|"
            r"partner|mum|mother|dad|father|son|daughter|baby|child))",
            r"(?:death|loss) of my \w+",
            r"probate",
            r"executor of",
        ),
        "A bereavement: acknowledge it, slow down, and check what support they need (FCA FG21/1)",
        score=0.85,
    ),
    Rule(
        "distress_illness",
        _rx(
            r"(?:cancer|chemo\w*|hospital\w*|terminal(?:ly ill)?|disab\w+|dementia|stroke|"
            r"mental health|depress\w+|anxiety|panic attacks?|carer|my illness|seriously ill|"
            r"(?:care|caring) for my (?:mum|mother|dad|father|husband|wife|partner|son|daughter|child))",
        ),
        "Mentions illness, disability or caring: a vulnerability cue; offer adjustments (FCA FG21/1)",
        score=0.8,
    ),
    Rule(
        "distress_money",
        _rx(
            r"(?:can'?t|cannot|unable to) (?:afford|pay)",
            r"(?:in|into) (?:debt|arrears|my overdraft)",
            r"debts?",
            r"bailiffs?",
            r"food ?bank",
            r"(?:no|not enough) money",
            r"(?:lost|losing) my job",
            r"made redundant",
            r"(?:benefits|universal credit) (?:stopped|sanction\w*)",
            r"skint",
            r"overdrawn",
        ),
        "Money worries: a vulnerability cue; consider breathing space and signpost free debt advice",
        score=0.8,
    ),
    Rule(
        "distress_not_coping",
        _rx(
            r"(?:can'?t|cannot) cope",
            r"not coping",
            r"at the end of my tether",
            r"at my wits'? end",
            r"(?:in|on the verge of) tears",
            r"crying",
            r"breaking down",
            r"(?:so|really|very) (?:stressed|scared|frightened|desperate)",
            r"(?:don'?t|do not) know what (?:else )?to do",
            r"(?:making|made) me ill",
            r"(?:can'?t|cannot) sleep",
        ),
        "Says they are not coping: slow down, acknowledge it, check for vulnerability (CFACSC4 P3)",
        score=0.8,
        negatable=False,
    ),
    Rule(
        "urgency",
        _rx(
            r"urgent(?:ly)?",
            r"asap",
            r"as soon as possible",
            r"immediately",
            r"right now",
            r"emergency",
            r"today",
            r"by (?:tomorrow|tonight|the end of the day|monday|tuesday|wednesday|thursday|friday)",
            r"(?:no|without) (?:heating|heat|hot water|water|power|electricity|gas)",
            r"(?:flood\w*|leak\w*|gas smell|smell of gas)",
        ),
        "Time matters to them, or someone is at risk without a service: check what cannot wait",
        score=0.7,
    ),
    Rule(
        "repeat_contact",
        _rx(
            r"(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) time",
            r"(?:several|many|numerous|countless|multiple|\d+) times",
            r"(?:called|phoned|rung|emailed|written|chased|contacted you) (?:again|repeatedly|"
            r"several times|so many times|twice)",
            r"(?:still|yet again) (?:waiting|not|no|nothing|haven'?t|hasn'?t)",
            r"(?:yet|once) again",
            r"again and again",
            r"(?:no one|nobody) (?:has )?(?:got|gets|get|called|rang|replied|come) back",
            r"(?:heard|had) nothing back",
            r"as i (?:said|told you|explained) (?:before|last time|previously)",
            r"chas(?:e|ed|ing)",
            r"weeks? (?:later|on)",
        ),
        "Reads as a repeat contact: the problem was not put right first time (CFACSC4 P11)",
        score=0.75,
    ),
]

# Phrases that look like a rule but are not: praise, idioms.
IDIOMS = Quick(
    _rx(
        r"killing it",
        r"kill(?:ed|ing)? it",
        r"dying to",
        r"to die for",
        r"kill for a",
        r"press(?:ed|ing)? (?:the )?button",
        r"press(?:ed|ing)? (?:\d|one|two|three|hash|star)",
        r"pressed for time",
    )
)


def _ignored_ranges(text: str) -> list[tuple[int, int]]:
    """Where a rule's match does not count: quoted reply text and idioms."""
    return quoted_ranges(text) + [(m.start(), m.end()) for m in IDIOMS.finditer(text)]


def _inside(span: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in ranges)


# One RE2 pass says which rules can match anywhere in a text; Python's `re` then finds the exact spans of
# those alone (usually none or one). Eighteen Python passes over a long email cost more than the whole
# speed budget (1,000 messages a second); see prefilter.py for why this changes no result.
ANY_RULE = AnyOf([rule.pattern for rule in RULES])
QUICK = [Quick(rule.pattern) for rule in RULES]


def analyse_rules(text: str) -> list[Signal]:
    """Every rule-based signal type, scored: 0.0 with no spans when it did not fire."""
    candidates = ANY_RULE.candidates(text)
    ignored = _ignored_ranges(text) if candidates else []
    signals = []
    for i, rule in enumerate(RULES):
        spans = []
        for match in QUICK[i].finditer(text) if i in candidates else ():
            span = match.span()
            if _inside(span, ignored):
                continue
            if rule.negatable and negated(text, span[0]):
                continue
            spans.append(span)
        if spans:
            signals.append(Signal(rule.type, rule.score, spans, rule.explanation))
        else:
            signals.append(Signal(rule.type, 0.0, [], ""))
    return signals
