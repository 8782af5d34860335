"""Phrases that are wrong wherever they appear in a reply, each with a better wording.

Provocative or dismissive phrasing (CFACSC4 P7, K6), blame (CFACSC4 P11, P12, P14), admitting liability
(CFACSC7 K7) and jargon (WM57 d). A finding of one kind lists every phrase of that kind in the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import Span
from .draft import Draft, spans_of
from .findings import Finding, Severity
from .patterns import rx


@dataclass(frozen=True)
class Phrase:
    pattern: re.Pattern[str]
    suggestion: str
    negatable: bool = True
    cased: bool = False  # matched against the draft as typed (acronyms), not the lower-cased copy


@dataclass(frozen=True)
class PhraseKind:
    """A finding made of phrases that are wrong wherever they appear."""

    kind: str
    severity: Severity
    message: str
    phrases: tuple[Phrase, ...]


def _p(suggestion: str, *alternatives: str, negatable: bool = True) -> Phrase:
    return Phrase(rx(*alternatives), suggestion, negatable)


def _j(suggestion: str, *alternatives: str) -> Phrase:
    # Jargon is jargon even in a negative sentence.
    return _p(suggestion, *alternatives, negatable=False)


# Things an adviser may say that provoke (CFACSC4 P7): talking down, blaming, brushing off.
PROVOCATIVE = PhraseKind(
    "provocative_or_dismissive",
    "warn",
    "Phrasing that can provoke or dismiss an upset customer (CFACSC4 P7, K6)",
    (
        _p(
            "Name the feeling instead: 'I can hear how upsetting this has been.'",
            r"calm down",
            r"settle down",
            r"stop shouting",
            r"no need to (?:shout|swear|be rude|get (?:angry|upset|worked up))",
        ),
        _p(
            "Drop the reminder, or say 'As we discussed, ...' and restate it plainly.",
            # "As I explained on the phone" is fine; the reminder that they weren't listening is not.
            r"as (?:I|we)(?:'ve| have)? (?:already|previously) (?:said|explained|told you|mentioned|stated)",
            r"as (?:I|we)(?:'ve| have)? (?:said|explained|told you|mentioned|stated) "
            r"(?:before|previously|earlier|several times|many times|repeatedly)",
            r"as I(?:'ve| have)? told you",
            r"as (?:previously|already) (?:said|explained|stated|advised|mentioned)",
            r"like I (?:said|told you)",
            r"I(?:'ve| have) already (?:told|explained to) you",
            negatable=False,
        ),
        _p(
            "Say what happens now, not what they did wrong: 'Next time, the quickest way is ...'",
            # "You should have been told" / "should have received" admit our failing: leave them alone.
            r"you should(?:'ve| have)(?! (?:been|received|had|heard|got|gotten)\b)",
            r"you ought to have",
        ),
        _p(
            "Explain instead: 'The reason for this is ...'",
            r"you (?:need|have|must) to (?:understand|realise|realize|appreciate)",
            r"you (?:must|should) (?:understand|realise|realize|appreciate)",
        ),
        _p(
            "Leave it out: it signals the opposite. State the point plainly.",
            # The dismissive opener is followed by a pause; "with respect to" is a preposition.
            r"with (?:all |the (?:greatest|utmost) )?(?:due )?respect(?=\s*[,\-\u2013\u2014])",
            negatable=False,
        ),
        _p(
            "Leave it out: it implies the rest was not honest.",
            r"to be (?:perfectly |completely |totally |quite )?(?:honest|frank)",
            r"frankly",
            r"honestly(?=,)",
            negatable=False,
        ),
        _p(
            "Leave it out: what is obvious to us may not be to the customer.",
            r"obviously",
            r"needless to say",
            r"as you (?:should|must) (?:know|be aware)",
            negatable=False,
        ),
        _p(
            "Say what you can do: 'I can't change X, but what I can do is ...' (WM57 9)",
            r"(?:unfortunately,? there|there)(?:'s| is) (?:nothing|not a lot|not much|little) (?:more )?"
            r"(?:I|we) can do",
            r"(?:I|we) (?:can'?t|cannot|can not) do anything(?: more| else)?",
            negatable=False,
        ),
        _p(
            "Own it: 'Let me find out who can sort this and come back to you by ...' (CFACSC4 P14)",
            r"not (?:my|our) (?:problem|concern)",
            r"(?:I|we) (?:don'?t|do not) care",
            negatable=False,
        ),
        _p(
            "'I can see why it looked that way. What our records show is ...'",
            r"you(?:'re| are) (?:simply |just |completely |totally )?(?:wrong|mistaken|incorrect)",
            r"that(?:'s| is) (?:simply |just )?(?:not true|untrue)",
        ),
    ),
)

# Blame moved onto the customer, a colleague or "the system" undermines the organisation's position
# (CFACSC4 P12); an adviser who cannot help enlists someone who can (CFACSC4 P14).
DEFENSIVE = PhraseKind(
    "defensive_or_blaming",
    "warn",
    "Defensive or blaming wording: say what will happen, not who is at fault (CFACSC4 P11, P12, P14)",
    (
        _p(
            "Describe what happened without blame: 'We didn't receive the form, so ...'",
            r"you (?:failed|neglected|omitted) to",
            r"you (?:didn'?t|did not) bother",
            r"if you(?:'d| had)(?:n'?t)? (?:read|checked|followed|called|told|listened|paid)",
            r"your (?:own )?(?:fault|mistake)",
        ),
        _p(
            "Say what you will do about it rather than who is to blame.",
            r"(?:it|this|that)(?:'s| is| was) not (?:our|my) (?:fault|responsibility|remit)",
            r"not (?:our|my) (?:fault|responsibility|remit)",
            r"(?:is|was)n'?t (?:our|my) (?:fault|responsibility)",
            r"(?:we|I)(?:'re| are| am|'m) not (?:to blame|responsible|at fault)",
            r"(?:we|I) (?:can'?t|cannot|can not) be held (?:responsible|liable|accountable)",
            r"nothing to do with (?:us|me|our (?:team|department|company|side))",
            negatable=False,
        ),
        _p(
            "Give the real reason and what you can do instead: the customer deals with us, not our system.",
            r"(?:the|our) (?:system|computer)(?: system)? "
            r"(?:won'?t|will not|doesn'?t|does not|can'?t|cannot) (?:let|allow|accept)",
            r"computer says no",
            negatable=False,
        ),
        _p(
            "Own the hand-off: 'I've asked our billing team to check; I'll update you by ...' (CFACSC4 P14)",
            r"(?:not|isn'?t) (?:my|our) (?:department|team|job|area)",
            r"(?:that|this|it)(?:'s| is) (?:a |an )?(?:different|another|separate|other) (?:department|team)",
            r"(?:another|a different|the other) (?:department|team)'?s? "
            r"(?:fault|problem|responsibility|mistake)",
            r"(?:blame|fault of|down to) (?:the|our) (?:courier|supplier|contractor|warehouse|other team"
            r"|other department|IT (?:team|department))",
            negatable=False,
        ),
    ),
)

# Admitting liability has cost and regulatory consequences and may need authority (CFACSC7 K7);
# empathy does not require it (CFACSC4 P11).
LIABILITY = PhraseKind(
    "admits_liability",
    "warn",
    "Admits liability: check you have authority (CFACSC7 K7); empathy needs no admission (CFACSC4 P11)",
    (
        _p(
            "'I'm sorry for the trouble this caused'; check with your team leader before admitting fault.",
            r"(?:it|this|that)(?:'s| is| was) (?:entirely |completely |totally |all |wholly )?(?:our|my) "
            r"(?:fault|negligence)",
            r"(?:we|I) (?:fully |hereby )?(?:accept|admit|acknowledge) (?:full |all |total )?"
            r"(?:liability|fault|the blame|responsibility)",
            r"(?:we|I) admit",
            r"(?:we|I)(?:'re| are| am|'m| were| was) (?:entirely |completely |fully )?"
            r"(?:liable|negligent|at fault)",
            r"(?:our|my) negligence",
            r"the fault (?:is|was|lies) (?:entirely )?(?:ours|with us|mine)",
        ),
    ),
)

# Internal, financial and legal words from a short curated list; plain words help the customer follow
# (WM57 d). "Goodwill gesture" is understood by customers and stays off the list.
JARGON = PhraseKind(
    "jargon",
    "info",
    "Internal or legal jargon: plain words help the customer follow (WM57 d)",
    (
        _j("'pursuant to' -> 'under'", r"pursuant to"),
        _j("'in accordance with' -> 'under' or 'in line with'", r"in accordance with"),
        _j("'as per' -> 'under' or 'as in'", r"as per"),
        _j("'hereby', 'herein' -> leave it out", r"here(?:by|in|inafter|to|tofore|with)", r"whereby"),
        _j("'aforementioned' -> 'this', or name it", r"aforementioned", r"aforesaid"),
        _j("'notwithstanding' -> 'despite'", r"notwithstanding"),
        _j("'inter alia' -> 'among other things'", r"inter alia"),
        _j("'please be advised' -> leave it out", r"please be advised"),
        _j("'ex gratia' -> 'goodwill'", r"ex gratia"),
        _j("'in receipt of' -> 'received'", r"in receipt of"),
        _j("'liaise with' -> 'speak to' or 'work with'", r"liais(?:e|ed|ing) with"),
        _j("'utilise' -> 'use'", r"utili[sz](?:e|es|ed|ing|ation)"),
        _j("'going forward' -> 'from now on'", r"going forward"),
        _j("'revert to you' -> 'reply to you'", r"revert(?: back)? to you"),
        _j("'actioned' -> 'dealt with'", r"actioned"),
        _j("'remediation' -> 'putting things right'", r"remediat(?:e|ed|es|ing|ion)"),
        _j("'deadlock letter' -> 'final response'", r"deadlock(?: letter)?"),
        _j("'root cause analysis' -> 'a review of what went wrong'", r"root cause(?: analysis)?"),
        _j(
            "'escalated to tier 2' -> 'passed to a specialist team'",
            r"(?:escalated|passed|referred|sent|moved) to (?:tier|level|line) (?:[123]|one|two|three)",
            r"(?:tier|level|line) (?:[123]|one|two|three) (?:team|support)",
        ),
        # Only the internal sense: a train or parking ticket is the customer's word, not jargon.
        _j(
            "'ticket' -> 'your complaint' or 'your case'",
            r"(?:raised|opened|logged|created|closed|updated) (?:a |the |your |this )?(?:support )?ticket",
            r"support ticket",
            r"ticket (?:number|ref|reference|id)",
        ),
        Phrase(
            rx(r"SLAs?", r"KPIs?", r"BAU", r"RCA", r"TAT", r"SAR", r"L[123]", cased=True),
            "'SLA' -> 'our target time'; spell out or drop internal acronyms",
            negatable=False,
            cased=True,
        ),
    ),
)

PHRASE_KINDS = (PROVOCATIVE, DEFENSIVE, LIABILITY, JARGON)


def phrase_finding(doc: Draft, kind: PhraseKind) -> Finding | None:
    spans: list[Span] = []
    suggestions: list[str] = []
    for phrase in kind.phrases:
        found = spans_of(doc, phrase.pattern, phrase.negatable, phrase.cased)
        if found:
            spans += found
            suggestions.append(phrase.suggestion)
    if not spans:
        return None
    return Finding(kind.kind, kind.severity, sorted(set(spans)), kind.message, "; ".join(suggestions))
