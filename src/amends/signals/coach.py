"""Reply coach: reads an adviser's draft as they type and says what may land badly, and what will reassure.

A reply to an upset customer succeeds or fails on wording. The standards name what to avoid and what to do:
don't say things that provoke (CFACSC4 P7, K6), don't simply quote the rules (CFACSC4 K7), show empathy
without necessarily admitting fault (CFACSC4 P11, K4; CFACSC7 K7), give a clear position (CFACSC4 P12),
summarise actions and reasons (CFACSC4 P15), keep promises and keep the customer informed (WM57 12, 13),
and in a final response give reasons and the route to an independent third party (CFACSC7 9, K5; WM57 15).

The coach is advisory and framework-free: words decide, every finding carries the character spans that
triggered it (or none, when the finding is about something missing), a one-line reason and a better
wording. It runs on every keystroke, so it is plain regular expressions and cached syllable counts.
Text quoted from earlier messages is ignored, and a negated phrase ("I won't ask you to calm down") does
not fire.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal

import pyphen

from amends.signals.rules import NEGATION_RE, QUOTE_HEADER_RE, QUOTED_LINE_RE

Severity = Literal["warn", "info", "good"]
Span = tuple[int, int]

SEVERITY_ORDER = {"warn": 0, "info": 1, "good": 2}
LONG_SENTENCE_WORDS = 25
EASE_FLOOR = 50.0
# Flesch ease swings wildly on a line or two, so only judge it on a draft of some length.
EASE_MIN_WORDS = 30


@dataclass(frozen=True)
class CoachContext:
    customer_name: str = ""
    is_closing_reply: bool = False  # a final response or decision letter
    customer_text: str = ""  # the latest message from the customer
    customer_upset: bool | None = None  # None: judge it from customer_text
    has_open_complaint: bool = False


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    spans: list[Span] = field(default_factory=list)
    message: str = ""
    suggestion: str = ""
    data: dict[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Draft:
    text: str  # the draft as typed: spans index into this
    live: str  # same length; quoted text blanked, curly apostrophes straightened
    low: str  # live, lower-cased, same length
    sentences: list[Span]
    starts: list[int]  # sentence starts, for bisect

    def sentence_at(self, pos: int) -> int:
        return max(bisect.bisect_right(self.starts, pos) - 1, 0)


def _rx(*alternatives: str, cased: bool = False) -> re.Pattern[str]:
    """A pattern matched against the lower-cased draft, or the draft as typed when cased.

    Speed decides the shape (the coach runs on every keystroke). The regex engine skips quickly to a
    possible first letter only when every alternative starts with a literal, and not under IGNORECASE or
    behind a leading \\b. So the draft is lower-cased instead, leading groups are multiplied out, and
    _find checks that a match starts a word.
    """
    expanded = [x for alternative in alternatives for x in _expand(alternative)]
    body = "(?:" + "|".join(expanded) + r")\b"
    return re.compile(body if cased else _fold(body))


def _expand(alternative: str) -> list[str]:
    """'(?:a|b)c' -> ['ac', 'bc']; '(?:a )?b' -> ['a b', 'b']."""
    if not alternative.startswith("(?:"):
        return [alternative]
    close = _closing_paren(alternative)
    inner, rest = alternative[3:close], alternative[close + 1 :]
    if rest[:1] in ("*", "+", "{"):
        return [alternative]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    expanded = [x for head in _split_top(inner) for x in _expand(head + rest)]
    return expanded + (_expand(rest) if optional else [])


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each character outside escapes and classes."""
    depth, i = 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        yield i, ch, depth
        i += 1


def _closing_paren(pattern: str) -> int:
    for i, ch, depth in _scan(pattern):
        if ch == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced pattern: {pattern}")


def _split_top(pattern: str) -> list[str]:
    """Split on the '|' that are not inside a group or a character class."""
    parts, start = [], 0
    for i, ch, depth in _scan(pattern):
        if ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return parts + [pattern[start:]]


def _fold(pattern: str) -> str:
    """Lower-case a pattern's letters but not its escapes (\\S is not \\s)."""
    return re.sub(r"\\.|[A-Z]", lambda m: m.group() if len(m.group()) == 2 else m.group().lower(), pattern)


def _p(suggestion: str, *alternatives: str, negatable: bool = True) -> Phrase:
    return Phrase(_rx(*alternatives), suggestion, negatable)


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
            _rx(r"SLAs?", r"KPIs?", r"BAU", r"RCA", r"TAT", r"SAR", r"L[123]", cased=True),
            "'SLA' -> 'our target time'; spell out or drop internal acronyms",
            negatable=False,
            cased=True,
        ),
    ),
)

PHRASE_KINDS = (PROVOCATIVE, DEFENSIVE, LIABILITY, JARGON)

# Quoting the rules (CFACSC4 K7). "Not our policy" reassures, so _rules_finding leaves it out.
RULES_RE = _rx(
    r"(?:it'?s|it is|that'?s|that is|this is) (?:the |our |(?:the )?company'?s? )?"
    r"(?:policy|procedure|rules?)",
    r"(?:our|company|the company'?s?) (?:policy|policies|procedures?|rules)",
    r"(?:our|the) terms (?:and|&) conditions",
    r"(?:our|the) (?:T&Cs?|T&C'?s|terms of (?:service|business|use)|small print)",
    r"(?:the )?policy (?:states|says|dictates)",
    r"(?:I'?m|I am|we'?re|we are) not (?:allowed|permitted|authori[sz]ed) to",
)
REASON_RE = _rx(
    r"because",
    r"the reason",
    r"this is (?:so|to|why)",
    r"that'?s why",
    r"so that",
    r"in order to",
    r"to (?:protect|prevent|keep|make sure|ensure|comply)",
    r"due to",
    r"as a result",
    r"(?:which|this|that) means",
    r"otherwise",
    r"(?:required|regulated) by",
    r"the law",
    r"by law",
    r"legally",
)
# A rule quoted in the customer's favour is no barrier ("Our policy is to refund in full"): the rule is
# followed at once by what it gives, and nothing in the sentence refuses or limits.
FAVOURABLE_RE = _rx(
    r"(?:is|are) (?:to|that (?:we|you))",
    r"(?:allows?|lets|entitles|guarantees?|means (?:that )?(?:we|you) (?:will|can|get|are))",
)
REFUSAL_RE = _rx(
    r"can'?t",
    r"cannot",
    r"unable",
    r"not (?:able|possible|allowed|permitted|eligible)",
    r"won'?t",
    r"will not",
    r"don'?t",
    r"do not",
    r"doesn'?t",
    r"no longer",
    r"unfortunately",
    r"afraid",
    r"only",
    r"must",
    r"(?:have|has|need) to",
    r"refuse",
    r"decline",
    r"except",
    r"unless",
)
ALTERNATIVE_RE = _rx(
    r"instead",
    r"alternatively",
    r"alternative",
    r"another (?:option|way)",
    r"other options?",
    r"one option",
    r"what (?:I|we) can do",
    r"(?:I|we)(?:'d be|'m|'re| would be| am| are| will be|'ll be) happy to",
    r"(?:I|we)(?: can| could| will|'ll) (?:offer|arrange|suggest|help|book|waive|reschedule|refer)",
    r"you (?:can|could|may|might) (?:also |instead |still )?"
    r"(?:choose|ask|apply|request|use|visit|call|contact|try|send|book|claim|appeal)",
    r"(?:but|however),? (?:I|we)(?: can| could| will|'ll| are able| am able|'m able|'re able)",
)

# Empathy and apology (CFACSC4 P11, K4). "Sorry, but" and "sorry you feel" are not apologies.
NOT_AN_APOLOGY = r"(?!,? but\b)(?! (?:if |that )?you feel)"
FEELING = (
    r"(?:frustrat|upset|annoy|disappoint|worr|stress|distress|angry|anger|inconvenien|concern|confus"
    r"|difficult|hard|awful|unsettl|exhaust)\w*"
)
EMPATHY_RE = _rx(
    r"(?:I|we)(?:'m| am|'re| are) (?:so |very |really |truly |deeply |extremely |genuinely )?sorry"
    + NOT_AN_APOLOGY,
    r"sorry (?:for|about|that|to hear)" + NOT_AN_APOLOGY,
    r"(?:my|our) (?:sincere |sincerest |heartfelt )?apologies",
    r"(?:I|we) (?:sincerely |do |truly )?apologi[sz]e",
    r"(?:I|we) (?:completely |fully |totally |really |can |do )?"
    r"(?:understand|appreciate|see|imagine|know|hear)(?: just)? (?:how|why|that|what)(?: \S+){0,5}? "
    + FEELING,
    r"(?:that|this|it) (?:must|will|would) have been (?:very |so |really |extremely |incredibly )?" + FEELING,
    r"(?:that|this) (?:sounds|must be) (?:very |so |really )?" + FEELING,
)

# Signs in the customer's message that they are upset (CFACSC4 P3).
UPSET_RE = _rx(
    r"angry|furious|fuming|livid|disgust(?:ed|ing)|appall?(?:ed|ing)|outrag(?:ed|eous)|ridiculous",
    r"unacceptable|disgrace(?:ful)?|shock(?:ed|ing)|fed up|sick (?:and tired )?of|upset(?:ting)?",
    r"frustrat(?:ed|ing)|annoyed|infuriat(?:ed|ing)|useless|incompeten(?:t|ce)|pathetic|a joke|worst",
    r"distress(?:ed|ing)|stressed|worried|anxious|in tears|can'?t cope|wits'? end|had enough|last straw",
)
UPSET_PUNCTUATION_RE = re.compile(r"[!?]*![!?]*!|\?!")
SHOUTING_RE = re.compile(r"\b[A-Z]{4,}\b")

# Commitments to act that should be tracked and kept (WM57 12).
ACTION_VERBS = (
    r"(?:call|ring|phone|e-?mail|write|text|get back|come back|look into|look at|investigate|check|chase"
    r"|find out|update|contact|send|post|arrange|book|review|escalate|pass|refer|speak|talk|follow up"
    r"|let you know|be in touch|get in touch|be back in touch|sort|fix|resolve|refund|credit|process|confirm"
    r"|make sure|keep you|visit|reply|respond|come out|repair|replace|pay|issue|reimburse)"
)
PROMISE_RE = _rx(
    r"(?:I|we)(?:'ll| will| shall| am going to| are going to|'m going to|'re going to) "
    r"(?:personally |then |also |now |aim to |try to |endeavour to )?" + ACTION_VERBS,
    r"someone(?:'ll| will| should) (?:be in touch|get in touch|call|contact|get back|ring|e-?mail|phone|visit"
    r"|come out|reply)",
    r"(?:an?|the|our|your) (?:\w+ )?(?:engineer|technician|manager|colleague|team|specialist|adviser|advisor"
    r"|surveyor|supervisor|inspector|department) (?:will|'ll|should) (?:call|contact|be in touch|get in touch"
    r"|visit|get back|ring|e-?mail|phone|come out|reply|review|look)",
    r"you(?:'ll| will) (?:hear (?:back )?from|receive|get)",
)
# Other next steps: anything we say we will do, things already set in motion, what we ask of the customer.
NEXT_STEP_RE = _rx(
    r"next steps?",
    r"what happens next",
    r"(?:I|we)(?:'ll| will| shall| am going to| are going to|'m going to|'re going to) "
    r"(?!not\b|never\b|no longer\b|be unable\b)\w+",
    r"(?:I|we)(?:'ve| have) (?:booked|arranged|scheduled|asked|referred|passed|requested|set up)",
    r"(?:please|can you|could you) (?:send|post|e-?mail|return|complete|sign|call|ring|confirm|provide|reply"
    r"|upload)",
    r"expect (?:a|an|to hear|your)",
)
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|a|an|the next \d+)"
# A timescale the customer can hold us to. "Soon", "shortly" and "in due course" are not.
DATE_RE = _rx(
    WEEKDAY,
    r"today",
    r"tomorrow",
    r"tonight",
    r"this (?:morning|afternoon|evening|week)",
    r"next (?:week|month|" + WEEKDAY + ")",
    r"end of (?:the )?(?:day|week|month)",
    r"close of business",
    r"midday",
    r"noon",
    r"(?:within|in) (?:the next )?"
    + COUNT
    + r" (?:working |business |calendar )?(?:hours?|days?|weeks?|months?)",
    MONTH + r" \d{1,2}(?:st|nd|rd|th)?",
)
# Times and dates that start with a digit, kept apart so both patterns stay fast (see _rx): 5pm, 17:00,
# 14th of March, 14/03.
DIGIT_DATE_RE = _rx(
    r"\d\d?(?:(?:[:.]\d\d)? ?(?:am|pm)|:\d\d|(?:st|nd|rd|th)?(?: of)? " + MONTH + r"|/\d\d?(?:/\d{2,4})?)",
)

# What the organisation will or won't do (CFACSC4 P12).
POSITION_RE = _rx(
    r"(?:I|we)(?:'ll| will| shall| can| cannot| can'?t| can not| won'?t| will not| am able to| are able to"
    r"|'m able to|'re able to| am unable to| are unable to|'m unable to|'re unable to| am going to"
    r"| are going to|'m going to|'re going to|'d like to offer| would like to offer| are offering"
    r"| am offering| offer| propose| uphold| do not uphold| don'?t uphold| partially uphold| agree"
    r"| do not agree"
    # "I can see how ..." is empathy, not a position.
    r"| don'?t agree)\b(?! (?:see|understand|imagine|appreciate|hear)\b)",
    r"(?:I|we)(?:'ve| have)? (?:decided|agreed|arranged|refunded|credited|upheld|waived|cancelled|reversed"
    r"|removed|corrected|fixed|booked|paid|applied|approved|declined|concluded)",
    r"(?:your|the) complaint (?:is|has been|was) (?:not |partially |partly )?upheld",
    r"(?:our|my) (?:decision|offer|proposal|conclusion) (?:is|was)",
)

# A final response: what was decided, why, and where to go next (CFACSC4 P15; CFACSC7 9, K5; WM57 15).
SUMMARY_RE = _rx(
    r"to summari[sz]e",
    r"in summary",
    r"to sum up",
    r"to recap",
    r"summary",
    r"(?:I|we)(?:'ve| have)? (?:decided|concluded|agreed|found that)",
    r"(?:our|my) (?:decision|conclusion|findings?|outcome|final position)",
    r"(?:not |partially |partly )?upheld",
    r"uphold",
    r"as agreed",
)
REFERRAL_RE = _rx(
    r"ombudsman",
    r"FOS",
    r"independent (?:review|adjudicat\w*|body|third party|complaints? (?:body|service|scheme))",
    r"ofgem",
    r"ofcom",
    r"ofwat",
    r"(?:the )?regulator",
    r"CISAS",
    r"refer (?:your complaint|your case|this|the matter|it) to",
)
CLOSING_PARTS = (
    ("summary", SUMMARY_RE, "a summary of what was decided or agreed"),
    ("reasons", REASON_RE, "the reasons"),
    ("referral_rights", REFERRAL_RE, "the customer's right to refer to the ombudsman"),
)


# A sentence ends at . ! ? followed by a space, or at a line break; found with one cheap character class.
BOUNDARY_RE = re.compile(r"[.!?\n][.!?]*['\")\]\u201d]*")
ABBREVIATION_RE = re.compile(r"(?:^|\W)(?:mr|mrs|ms|dr|e\.g|i\.e|etc|no)$", re.IGNORECASE)
# Where a promise's own words end: the rest of the sentence is usually a different thought.
CLAUSE_END_RE = re.compile(r"[;:]|,? (?:but|however|although|though|unless|if)\b")
VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
WORD_EDGE_CHARS = ".,;:!?()[]{}\"'-\u2013\u2014/*"


def coach(draft: str, context: CoachContext | None = None) -> list[Finding]:
    """Every finding for the draft: warnings first, then advice, then what is already good."""
    context = context or CoachContext()
    doc = _prepare(draft)
    if not doc.sentences:
        return []  # nothing typed yet, or only quoted text: absence findings would be noise
    findings = [f for kind in PHRASE_KINDS if (f := _phrase_finding(doc, kind)) is not None]
    findings += _rules_finding(doc)
    findings += _empathy_finding(doc) or _no_acknowledgement(context)
    findings += _position_finding(doc, context)
    findings += _next_step_findings(doc)
    findings += _closing_finding(doc, context)
    findings += _reading_finding(doc)
    return sorted(findings, key=_order)


def coach_to_dict(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "kind": f.kind,
            "severity": f.severity,
            "spans": [[start, end] for start, end in f.spans],
            "message": f.message,
            "suggestion": f.suggestion,
            "data": dict(f.data),
        }
        for f in findings
    ]


def _order(finding: Finding) -> tuple[int, int, str]:
    # Within a severity, by position in the draft; findings about something missing come last.
    first = finding.spans[0][0] if finding.spans else 1 << 30
    return SEVERITY_ORDER[finding.severity], first, finding.kind


# --- preparing and matching ------------------------------------------------------------------------


def _prepare(text: str) -> Draft:
    live = _live(text)
    sentences = _sentences(live)
    return Draft(text, live, _lower(live), sentences, [start for start, _ in sentences])


def _live(text: str) -> str:
    """Quoted text blanked and curly apostrophes straightened, keeping every offset."""
    return _blank(text, _quoted_ranges(text)).replace("\u2019", "'").replace("\u2018", "'")


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"); keep those as typed so offsets still line up.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _quoted_ranges(text: str) -> list[Span]:
    """Quoted reply chains, as rules.py sees them: from a quote header to the end, and '>' lines."""
    ranges = [(m.start(), m.end()) for m in QUOTED_LINE_RE.finditer(text)]
    header = QUOTE_HEADER_RE.search(text)
    if header is not None and header.start() > 0:
        ranges.append((header.start(), len(text)))
    return ranges


def _blank(text: str, ranges: list[Span]) -> str:
    if not ranges:
        return text
    chars = list(text)
    for start, end in ranges:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


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


def _find(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> list[re.Match[str]]:
    """Matches that start a word (the patterns leave out the leading \\b for speed)."""
    end = len(text) if endpos is None else endpos
    return [m for m in pattern.finditer(text, pos, end) if _word_start(text, m.start())]


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def _has(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> bool:
    end = len(text) if endpos is None else endpos
    return any(_word_start(text, m.start()) for m in pattern.finditer(text, pos, end))


def _negated(text: str, start: int) -> bool:
    """A negation in the same clause within the five words before the match."""
    clause_start = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", ";", "\n", ","))
    words = text[clause_start + 1 : start].split()[-5:]
    return bool(NEGATION_RE.search(" ".join(words)))


def _spans(doc: Draft, pattern: re.Pattern[str], negatable: bool = True, cased: bool = False) -> list[Span]:
    text = doc.live if cased else doc.low
    return [
        (m.start(), m.end()) for m in _find(pattern, text) if not (negatable and _negated(doc.low, m.start()))
    ]


def _sentence_end(doc: Draft, i: int) -> int:
    """End of sentence i without its closing punctuation."""
    end = doc.sentences[i][1]
    while end > doc.sentences[i][0] and doc.live[end - 1] in ".!?;:,'\")]\u201d ":
        end -= 1
    return end


# --- phrases that are wrong wherever they appear --------------------------------------------------------


def _phrase_finding(doc: Draft, kind: PhraseKind) -> Finding | None:
    spans: list[Span] = []
    suggestions: list[str] = []
    for phrase in kind.phrases:
        found = _spans(doc, phrase.pattern, phrase.negatable, phrase.cased)
        if found:
            spans += found
            suggestions.append(phrase.suggestion)
    if not spans:
        return None
    return Finding(kind.kind, kind.severity, sorted(set(spans)), kind.message, "; ".join(suggestions))


def _rules_finding(doc: Draft) -> list[Finding]:
    """A rule quoted with neither a reason nor an alternative in its sentence or the ones either side."""
    bare = [
        span
        for span in _spans(doc, RULES_RE, negatable=False)
        if not doc.low.endswith("not ", 0, span[0])
        and not _explained(doc, span[0])
        and not _in_their_favour(doc, span)
    ]
    if not bare:
        return []
    return [
        Finding(
            "rules_without_explanation",
            "warn",
            bare,
            "Quotes a rule without the reason for it or an alternative (CFACSC4 K7, P12; WM57 9)",
            "Explain why and offer something else: 'We can't refund after 30 days because ..., "
            "but what I can do is ...'",
        )
    ]


def _in_their_favour(doc: Draft, span: Span) -> bool:
    i = doc.sentence_at(span[0])
    start, end = doc.sentences[i]
    gives = any(
        m.start() <= span[1] + 1 and _word_start(doc.low, m.start())
        for m in FAVOURABLE_RE.finditer(doc.low, span[1], end)
    )
    return gives and not _has(REFUSAL_RE, doc.low, start, end)


def _explained(doc: Draft, pos: int) -> bool:
    i = doc.sentence_at(pos)
    start = doc.sentences[max(i - 1, 0)][0]
    end = doc.sentences[min(i + 1, len(doc.sentences) - 1)][1]
    return _has(REASON_RE, doc.low, start, end) or _has(ALTERNATIVE_RE, doc.low, start, end)


# --- feelings ---------------------------------------------------------------------------------------


def _empathy_finding(doc: Draft) -> list[Finding]:
    spans = _spans(doc, EMPATHY_RE)
    if not spans:
        return []
    return [
        Finding(
            "apology_or_empathy",
            "good",
            spans,
            "Acknowledges the customer's feelings (CFACSC4 P11, K4)",
            "Keep it, and make it specific to what happened to them.",
        )
    ]


def _no_acknowledgement(context: CoachContext) -> list[Finding]:
    cues = _upset_cues(context.customer_text)
    upset = context.customer_upset if context.customer_upset is not None else bool(cues)
    if not upset:
        return []
    name = f", {context.customer_name}" if context.customer_name else ""
    why = f" (they wrote: {', '.join(repr(c) for c in cues[:3])})" if cues else ""
    return [
        Finding(
            "no_acknowledgement",
            "warn",
            [],
            f"The customer is upset{why} but the reply doesn't acknowledge it (CFACSC4 P4, P11, K4)",
            f"Open with it: 'I'm sorry{name}, I can understand how frustrating this has been.'",
            {"customer_cues": cues},
        )
    ]


def _upset_cues(customer_text: str) -> list[str]:
    """Simple signs of an upset customer (CFACSC4 P3): angry words, '!!', shouting in capitals."""
    if not customer_text:
        return []
    live = _live(customer_text)
    low = _lower(live)
    cues = [live[m.start() : m.end()] for m in _find(UPSET_RE, low) if not _negated(low, m.start())]
    cues += [m.group() for m in UPSET_PUNCTUATION_RE.finditer(live)][:1]
    shouted = SHOUTING_RE.findall(live)
    if len(shouted) >= 3:
        cues += shouted[:2]
    return list(dict.fromkeys(cues))


# --- position, next steps, promises ----------------------------------------------------------------


def _position_finding(doc: Draft, context: CoachContext) -> list[Finding]:
    if _has(POSITION_RE, doc.low):
        return []
    # With a complaint open, the customer is waiting for a position; otherwise it is advice.
    severity: Severity = "warn" if context.has_open_complaint or context.is_closing_reply else "info"
    return [
        Finding(
            "no_position",
            severity,
            [],
            "No clear statement of what we will or won't do (CFACSC4 P12)",
            "Say it plainly, with the reason: 'We will refund the GBP 40 charge because ...'",
        )
    ]


def _next_step_findings(doc: Draft) -> list[Finding]:
    promise_starts = [m.start() for m in _find(PROMISE_RE, doc.low)]
    promises = _undated_promises(doc, promise_starts)
    steps = _first_per_sentence(
        doc, sorted(promise_starts + [m.start() for m in _find(NEXT_STEP_RE, doc.low)])
    )
    dated = [(pos, i) for pos, i in steps if _dated(doc, pos, doc.sentences[i][1])]
    findings = list(promises)
    if dated:
        findings.append(_dated_step(doc, dated))
    elif not steps:
        findings.append(_no_next_step("No next step: say what happens next and when (CFACSC4 P15; WM57 13)"))
    elif not promises:
        findings.append(_no_next_step("The next step has no timescale: say when (CFACSC4 P15; WM57 13)"))
    return findings


def _dated(doc: Draft, pos: int, end: int) -> bool:
    return _has(DATE_RE, doc.low, pos, end) or _has(DIGIT_DATE_RE, doc.low, pos, end)


def _first_per_sentence(doc: Draft, positions: list[int]) -> list[tuple[int, int]]:
    """(position, sentence index) of the first cue in each sentence."""
    seen: dict[int, int] = {}
    for pos in positions:
        seen.setdefault(doc.sentence_at(pos), pos)
    return [(pos, i) for i, pos in seen.items()]


def _undated_promises(doc: Draft, starts: list[int]) -> list[Finding]:
    """A promise with no date after it in its sentence: the UI can offer to track it (WM57 12)."""
    findings = []
    for pos, i in _first_per_sentence(doc, starts):
        if _dated(doc, pos, doc.sentences[i][1]) or _negated(doc.low, pos):
            continue
        end = _sentence_end(doc, i)
        clause_end = CLAUSE_END_RE.search(doc.low, pos, end)
        end = clause_end.start() if clause_end else end
        findings.append(
            Finding(
                "promise_without_date",
                "warn",
                [(pos, end)],
                "A promise with no date: the customer can't tell when to expect it (WM57 12, 13)",
                "Add a day and time you can keep, e.g. '... by 5pm on Thursday', and track it as a promise.",
                {"promise_text": doc.text[pos:end]},
            )
        )
    return findings


def _dated_step(doc: Draft, dated: list[tuple[int, int]]) -> Finding:
    return Finding(
        "clear_next_step_with_date",
        "good",
        [(pos, _sentence_end(doc, i)) for pos, i in dated],
        "A clear next step with a timescale (CFACSC4 P15; WM57 13)",
        "Make sure it is recorded as a promise so it is kept (WM57 12).",
    )


def _no_next_step(message: str) -> Finding:
    return Finding(
        "no_next_step", "warn", [], message, "e.g. 'I will call you by 5pm on Thursday with an update.'"
    )


# --- final responses ---------------------------------------------------------------------------------


def _closing_finding(doc: Draft, context: CoachContext) -> list[Finding]:
    if not context.is_closing_reply:
        return []
    missing = [(key, label) for key, pattern, label in CLOSING_PARTS if not _has(pattern, doc.low)]
    if not missing:
        return []
    return [
        Finding(
            "closing_summary_missing",
            "warn",
            [],
            "Final response lacks "
            + ", ".join(label for _, label in missing)
            + " (CFACSC4 P15; CFACSC7 9, K5)",
            "Close with: 'To summarise, we have decided ... because .... If you're not happy with this, you "
            "can refer your complaint to the Ombudsman.'",
            {"missing": [key for key, _ in missing]},
        )
    ]


# --- reading ease --------------------------------------------------------------------------------------


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def _reading_finding(doc: Draft) -> list[Finding]:
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
