"""`analyse(text, context)`: every signal type for one message, each scored, with evidence and a reason.

The one entry point the product, the API and the CLI use. Words decide threats, self-harm, escalation and
vulnerability cues (rules.py); trained models judge complaint intent, severity, anger and abuse
(classifiers.py); the history decides the context signals (context.py). Framework-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .classifiers import classify
from .context import CONTEXT_TYPES, History, context_signals
from .prefilter import Quick
from .rules import Signal, analyse_rules
from .text import blank_quoted, negated

# type -> (label for people, group, weight in the risk score). Groups order the case page's panel.
SIGNAL_TYPES: dict[str, tuple[str, str, float]] = {
    "self_harm": ("Self-harm or suicide words", "safety", 1.0),
    "threat_to_staff": ("Threat to staff", "safety", 1.0),
    "complaint": ("Complaint intent", "complaint", 0.35),
    "dissatisfaction": ("Dissatisfied", "complaint", 0.2),
    "complaint_severity": ("Complaint severity", "complaint", 0.3),
    "anger": ("Angry", "emotion", 0.4),
    "abuse": ("Abuse or profanity", "emotion", 0.5),
    "distress_bereavement": ("Bereavement", "vulnerability", 0.5),
    "distress_illness": ("Illness, disability or caring", "vulnerability", 0.45),
    "distress_money": ("Money worries", "vulnerability", 0.45),
    "distress_not_coping": ("Not coping", "vulnerability", 0.6),
    "escalation_ombudsman": ("Ombudsman or regulator", "escalation", 0.5),
    "escalation_legal": ("Legal action", "escalation", 0.55),
    "escalation_media": ("Media or social media", "escalation", 0.55),
    "escalation_cancel": ("Cancelling or leaving", "escalation", 0.4),
    "urgency": ("Urgent", "urgency", 0.4),
    "repeat_contact": ("Repeat contact", "history", 0.4),
    "contact_frequency": ("Frequent contact", "history", 0.35),
    "channel_switching": ("Switching channels", "history", 0.3),
    "reopened": ("Re-opened", "history", 0.35),
    "broken_promise": ("Broken promise", "history", 0.45),
    "waiting_too_long": ("Waiting too long", "history", 0.4),
    "pattern_persistent": ("Persistent pattern", "history", 0.3),
    "pattern_over_dependent": ("Over-dependent pattern", "history", 0.2),
    "pattern_indecisive": ("Indecisive pattern", "history", 0.2),
}
URGENT_TYPES = frozenset({"self_harm", "threat_to_staff"})
# A model's score at or above this is a positive signal: shown, stored, counted in the risk.
POSITIVE = 0.5


@dataclass(frozen=True)
class Analysis:
    signals: list[Signal]
    risk: int  # 0..100, what the queue sorts by

    @property
    def positives(self) -> list[Signal]:
        return [s for s in self.signals if s.score >= POSITIVE]

    @property
    def urgent(self) -> list[Signal]:
        return [s for s in self.positives if s.type in URGENT_TYPES]


# The trained models read the first this-many characters: where a customer states the problem, and where
# the models were trained (tweets, comments). It keeps a long email within the speed budget; the rules
# still read every word, so a threat or self-harm words at the end are never missed.
CLASSIFIER_WINDOW = 500
THANKS_RE = re.compile(
    r"\b(?:(?:all|now|it'?s|is) (?:sorted|working(?: again| now)?|fixed|resolved)|working (?:again|now)|"
    r"grateful|(?:really |much )?appreciated?|brilliant|excellent|well done|great (?:service|job|help)|"
    r"thank(?:s| you) (?:so much|very much) for (?:your|the) help)\b",
    re.IGNORECASE,
)
# A complaint is "an expression of dissatisfaction" in every regime's definition: praise or a problem
# put right, with no dissatisfaction at all, is not one, whatever a tweet-trained model makes of the words
# around it. A bare "thanks" does not count: it is a sign-off, and in complaints often sarcastic.
THANKS_CAP = 0.45
CALM = 0.2


def _thanks_only(text: str, model: dict[str, Signal]) -> list[tuple[int, int]]:
    if model["complaint"].score < POSITIVE or model["dissatisfaction"].score >= CALM:
        return []
    return [(m.start(), m.end()) for m in THANKS_RE.finditer(text)]


# Words people use when they are angry: evidence the GoEmotions-trained model, which learned from Reddit,
# under-weights in a customer's letter. A lexicon hit raises the model's score; it never lowers it.
ANGER_RE = Quick(
    re.compile(
        r"\b(?:furious|livid|fuming|outraged|disgusted|incensed|seething|sick and tired|fed up|"
        r"(?:so|very|really|extremely) (?:angry|annoyed|cross)|angry|disgrace(?:ful)?|appalling|"
        r"outrageous|a joke|useless|incompetent|pathetic|shambles|unacceptable)\b",
        re.IGNORECASE,
    )
)
ANGER_WORD_WEIGHT = 0.6
# Abuse aimed at the reader, and profanity masked or misspelt to get past a filter: what a model trained on
# one source's tweets misses in a customer's message ("you f***ing idiot", "you're useless", "sh1t"). Each
# raises the abuse model's score (noisy-or), never lowers it; a negation ("you're not an idiot") does not.
_STRONG = (
    r"(?:absolute|complete|total|utter|bloody|fucking|effing|f\*+(?:ing|in)|stupid|useless|incompetent|"
    r"lying|thieving)"
)
_NAMES = (
    r"(?:idiot|moron|imbecile|cretin|clown|muppet|scum|scumbag|parasite|loser|halfwit|dimwit|numpty|pillock|"
    r"plonker|prat|tosser|wanker|twat|cunt|bastard|bitch|dickhead|arsehole|asshole|liar|thie(?:f|ves)|crook|"
    r"fraudster|jobsworth|joke|disgrace|b\*+(?:tch|stard)|tw\*+t|c\*+t|a(?:rse|ss)?h\*+le|w\*+nker)(?:e?s)?"
)
ABUSE_RE = Quick(
    re.compile(
        r"\b(?:(?:you|ya|u)(?:['’]?re| are|r)?\s+(?:(?:an?|such an?|bunch of|lot of|"
        + _STRONG
        + r")\s+){0,3}"
        + _NAMES
        + r"|(?:you|ya|u)(?:['’]?re| are)\s+(?:so |absolutely |completely |totally |bloody |fucking )?"
        r"(?:useless|incompetent|pathetic|stupid|thick|clueless|worthless|a joke|a disgrace|scum)"
        r"|f(?:\*+|#+|@+)(?:c?k|ck|king|kin|ing|in|ed|off)?|f\*+ck\w*|fck(?:ing|in)?|fcuk\w*|fuk(?:ing|in)?|"
        r"sh(?:\*+|1|!)t\w*|s\*+t|a\$\$(?:hole)?|a\*\*(?:hole)?|b\*+(?:tch|stard)s?|tw\*+t|c\*+t|"
        r"fuck (?:you|off)|piss off|up yours|go to hell)(?!\w)",
        re.IGNORECASE,
    )
)
ABUSE_WORD_WEIGHT = 0.7
# Complaint intent also rises with what every regime's definition turns on, an expression of
# dissatisfaction, and with words that only complainants use (escalation, repeat contact).
COMPLAINT_EVIDENCE = {
    "dissatisfaction": 0.6,
    "escalation_ombudsman": 0.6,
    "escalation_legal": 0.5,
    "escalation_media": 0.4,
    "escalation_cancel": 0.4,
    "repeat_contact": 0.5,
}


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping pieces of evidence joined: 'Please recalculate' once, not twice."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _raise_with(
    signal: Signal, evidence: list[tuple[float, list[tuple[int, int]]]], text: str, label: str
) -> Signal:
    """Combine a model's score with independent evidence (noisy-or), keeping every piece's spans."""
    calm = 1.0 - signal.score
    spans = list(signal.spans) if signal.score >= 0.3 else []
    independent: list[tuple[int, int]] = []
    for weight, found in evidence:
        calm *= 1.0 - weight
        independent += found
    score = 1.0 - calm
    if score < POSITIVE or score <= signal.score:
        return signal
    spans = _merged(spans + independent)
    # the explanation quotes four pieces at most: the independent evidence first (an 'Ombudsman' late in a
    # long letter must not be crowded out by the model's words), then the model's, in reading order
    first = [s for s in spans if any(a < s[1] and s[0] < b for a, b in independent)]
    shown = sorted((first + [s for s in spans if s not in first])[:4])
    words = ", ".join(f"'{text[a:b]}'" for a, b in shown)
    return Signal(signal.type, round(score, 3), spans, f"{label}: {words}")


def _combined(model: dict[str, Signal], rules: list[Signal], text: str) -> None:
    """`text` is the whole unquoted message: rule evidence may lie beyond the models' window."""
    by_type = {s.type: s for s in rules} | model
    evidence = [
        (weight * by_type[kind].score, list(by_type[kind].spans))
        for kind, weight in COMPLAINT_EVIDENCE.items()
        if by_type[kind].score >= POSITIVE
    ]
    model["complaint"] = _raise_with(model["complaint"], evidence, text, "Reads as a complaint")
    angry = [
        (m.start(), m.end())
        for m in ANGER_RE.finditer(text, 0, CLASSIFIER_WINDOW)
        if not negated(text, m.start())
    ]
    if angry:
        weight = 1.0 - (1.0 - ANGER_WORD_WEIGHT) ** min(len(angry), 3)
        model["anger"] = _raise_with(model["anger"], [(weight, angry)], text, "Angry words")
    abusive = [(m.start(), m.end()) for m in ABUSE_RE.finditer(text) if not negated(text, m.start())]
    if abusive:
        weight = 1.0 - (1.0 - ABUSE_WORD_WEIGHT) ** min(len(abusive), 3)
        model["abuse"] = _raise_with(model["abuse"], [(weight, abusive)], text, "Abusive words")


def _text_signals(text: str) -> list[Signal]:
    visible = blank_quoted(text)
    rules = analyse_rules(text)
    model = {s.type: s for s in classify(visible[:CLASSIFIER_WINDOW])}
    _combined(model, rules, visible)
    thanks = _thanks_only(visible[:CLASSIFIER_WINDOW], model)
    if thanks:
        words = ", ".join(f"'{visible[a:b]}'" for a, b in thanks[:3])
        model["complaint"] = Signal(
            "complaint",
            min(model["complaint"].score, THANKS_CAP),
            [],
            f"Reads as thanks ({words}), not a complaint",
        )
        model["complaint_severity"] = Signal("complaint_severity", 0.0, [], "Not a complaint, so no severity")
    return rules + list(model.values())


def risk_of(signals: list[Signal]) -> int:
    """0..100. Safety signals are 100; otherwise positives combine like independent chances (noisy-or),
    so several moderate signals outrank one, and no number of weak ones reaches a safety signal."""
    positives = [s for s in signals if s.score >= POSITIVE]
    if any(s.type in URGENT_TYPES for s in positives):
        return 100
    calm = 1.0
    for s in positives:
        calm *= 1.0 - SIGNAL_TYPES[s.type][2] * s.score
    return min(99, round(100 * (1.0 - calm)))


def analyse(text: str, context: History | None = None) -> Analysis:
    """Every type in SIGNAL_TYPES, in that order, scored 0..1 (0 with no spans when absent)."""
    found = {s.type: s for s in _text_signals(text) + context_signals(context)}
    signals = [found.get(kind) or Signal(kind, 0.0, [], "") for kind in SIGNAL_TYPES]
    return Analysis(signals, risk_of(signals))


def signal_to_dict(signal: Signal) -> dict:
    return {
        "type": signal.type,
        "score": round(signal.score, 3),
        "spans": [list(span) for span in signal.spans],
        "explanation": signal.explanation,
    }


__all__ = ["CONTEXT_TYPES", "SIGNAL_TYPES", "Analysis", "History", "analyse", "risk_of", "signal_to_dict"]
