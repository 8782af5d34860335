"""The wordings the coach's findings look for: rules, reasons and alternatives, empathy, an upset customer,
promises and next steps, dates, a position, and what a final response must contain.

Most are compiled by patterns.rx and matched against the lower-cased draft (draft.Draft.low). Three are
plain regular expressions: "!!" and words in capitals, read in the customer's message as typed, and the
end of a clause.
"""

from __future__ import annotations

import re

from .patterns import rx

# Quoting the rules (CFACSC4 K7). "Not our policy" reassures, so rules_finding leaves it out.
RULES_RE = rx(
    r"(?:it'?s|it is|that'?s|that is|this is) (?:the |our |(?:the )?company'?s? )?"
    r"(?:policy|procedure|rules?)",
    r"(?:our|company|the company'?s?) (?:policy|policies|procedures?|rules)",
    r"(?:our|the) terms (?:and|&) conditions",
    r"(?:our|the) (?:T&Cs?|T&C'?s|terms of (?:service|business|use)|small print)",
    r"(?:the )?policy (?:states|says|dictates)",
    r"(?:I'?m|I am|we'?re|we are) not (?:allowed|permitted|authori[sz]ed) to",
)
REASON_RE = rx(
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
FAVOURABLE_RE = rx(
    r"(?:is|are) (?:to|that (?:we|you))",
    r"(?:allows?|lets|entitles|guarantees?|means (?:that )?(?:we|you) (?:will|can|get|are))",
)
REFUSAL_RE = rx(
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
ALTERNATIVE_RE = rx(
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
EMPATHY_RE = rx(
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
UPSET_RE = rx(
    r"angry|furious|fuming|livid|disgust(?:ed|ing)|appall?(?:ed|ing)|outrag(?:ed|eous)|ridiculous",
    r"unacceptable|disgrace(?:ful)?|shock(?:ed|ing)|fed up|sick (?:and tired )?of|upset(?:ting)?",
    r"frustrat(?:ed|ing)|annoyed|infuriat(?:ed|ing)|useless|incompeten(?:t|ce)|pathetic|a joke|worst",
    r"distress(?:ed|ing)|stressed|worried|anxious|in tears|can'?t cope|wits'? end|had enough|last straw",
)
# Read on the customer's message as typed.
UPSET_PUNCTUATION_RE = re.compile(r"[!?]*![!?]*!|\?!")
SHOUTING_RE = re.compile(r"\b[A-Z]{4,}\b")

# Commitments to act that should be tracked and kept (WM57 12).
ACTION_VERBS = (
    r"(?:call|ring|phone|e-?mail|write|text|get back|come back|look into|look at|investigate|check|chase"
    r"|find out|update|contact|send|post|arrange|book|review|escalate|pass|refer|speak|talk|follow up"
    r"|let you know|be in touch|get in touch|be back in touch|sort|fix|resolve|refund|credit|process|confirm"
    r"|make sure|keep you|visit|reply|respond|come out|repair|replace|pay|issue|reimburse)"
)
PROMISE_RE = rx(
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
NEXT_STEP_RE = rx(
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
DATE_RE = rx(
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
# Times and dates that start with a digit, kept apart so both patterns stay fast (see rx): 5pm, 17:00,
# 14th of March, 14/03.
DIGIT_DATE_RE = rx(
    r"\d\d?(?:(?:[:.]\d\d)? ?(?:am|pm)|:\d\d|(?:st|nd|rd|th)?(?: of)? " + MONTH + r"|/\d\d?(?:/\d{2,4})?)",
)

# What the organisation will or won't do (CFACSC4 P12).
POSITION_RE = rx(
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
SUMMARY_RE = rx(
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
REFERRAL_RE = rx(
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


# Where a promise's own words end: the rest of the sentence is usually a different thought.
CLAUSE_END_RE = re.compile(r"[;:]|,? (?:but|however|although|though|unless|if)\b")
