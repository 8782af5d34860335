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
    # A match `soft` reads whose sentence names a lawful route (`lawful`) does not count: "you'll regret
    # this when the ombudsman hears of it" is escalation, not a threat to anyone.
    soft: re.Pattern[str] | None = None
    lawful: re.Pattern[str] | None = None
    # A match told as someone else's threat to the writer (`reported`: "your bailiff threatened to break my
    # door down") does not count either: it is the customer reporting a threat, not making one.
    reported: re.Pattern[str] | None = None


# An apostrophe as people type it: straight, curly, or left out ("Ill", "youll" are not matched: "ill" and
# "well" are words).
_A = "['’]?"


def _rx(*alternatives: str) -> re.Pattern[str]:
    """One pattern of whole-word alternatives; `{_A}` in one stands for an apostrophe as people type it."""
    return re.compile(r"\b(?:" + "|".join(alternatives).replace("{_A}", _A) + r")\b", re.IGNORECASE)


# A word in a window or before a noun ("that jumped-up little manager"): ASCII letters, so the RE2 prefilter's
# automaton stays small (a Unicode \w there multiplies its size; see prefilter.py).
_WORD = r"[-a-z'’]+"
# Who a threat to staff is aimed at: a person, never a thing ("this is going to kill my credit rating").
# Staff as customers name them, with up to two words before ("that jumped up little manager").
_STAFF = (
    r"(?:staff|staff members?|members? of staff|manager|managers|engineers?|advis[eo]rs?|receptionists?|"
    r"person|woman|man|guy|lady|bloke|lot|workers?|people|team|family|kids|boss|director|ceo|"
    r"chief executive|idiots?|clowns?|muppets?|jobsworths?|contractors?|housing officer|officers?|"
    r"plumber|caretaker|inspectors?|surveyors?|agents?|operators?|call handlers?|handlers?|"
    r"employees?|colleagues?|cashiers?|clerks?|supervisors?|technicians?|reps?|representatives?|"
    r"girl|boy|fella|lads?)"
)
_PEOPLE = (
    r"(?:you|ya|u|yous|youse|you lot|you all|all of you|the lot of (?:you|them|yous)|each of you|"
    r"someone|somebody|some one|anyone|anybody|whoever|him|her|them|"
    r"everyone|everybody|every (?:last )?one of (?:you|yous|them|your [-a-z'’]+)|"
    r"one of (?:you|yous|your [-a-z'’]+|them|those [-a-z'’]+)|(?:the )?next one(?: of (?:you|yous|them))?|"
    r"(?:your|the|that|this|those|these|ur|yer) (?:" + _WORD + r" ){0,2}" + _STAFF + r")"
)
# Whose body: "his face", "that man's legs", "your manager's head".
_WHOSE = rf"(?:your|ur|yer|his|her|their|(?:that|the|this|your) [-a-z'’]+{_A}s)"
_BODY = r"(?:head|face|teeth|legs?|arms?|neck|jaw|nose|skull|throat|knees?|kneecaps?|fingers?|ribs?|back)"
_I_WILL = (
    rf"(?:i{_A}ll|i will|i shall|i{_A}m about to|i am about to|i swear i{_A}ll|"
    rf"(?:i{_A}m|im|i am|i)\s+(?:going to|gonna)|i{_A}m coming (?:(?:down|round|over|in) )?to|"
    # "im coming in and battering someone", "I'm coming round there and ..."
    rf"(?:i{_A}m|im|i am) coming (?:(?:down|round|around|over|in|back|up)\s+)?(?:(?:there|here)\s+)?and|"
    # a wish said as intent: "I'd love to punch that woman", "I'd like nothing better than to kick his
    # head in"
    rf"i{_A}d (?:really |so )?(?:love|like|enjoy|be happy|be glad) to|i{_A}d (?:happily|gladly)|"
    rf"i{_A}d like nothing (?:better|more) than to|"
    # an adviser's note reports it: "he said he will come down there and hurt someone"
    # (the apostrophe is required here: "hell", "shed", "theyre" are other words or typos)
    r"(?:he|she|they)(?:['’]ll| will|['’]d| would|['’]s going to|"
    r" is going to|['’]re going to| are going to| was "
    r"going to| were going to))"
)
# "come round and", "come down there and", "go over to your office and": how people say where they will go.
_GO_AND = (
    r"(?:(?:come|go|get|be|drive|walk)\s+(?:(?:down|round|around|over|up|in|back|out)\s+)?"
    r"(?:(?:there|here|to (?:the|your|that|this) [-a-z'’]+|to your [-a-z'’]+ [-a-z'’]+)\s+)?(?:and|to)\s+)?"
)
# Violent acts done to a person, as verbs that take the person next ("stab whoever answers", "glass you").
_VIOLENT = (
    r"(?:kill(?:ing)?|hurt(?:ing)?|stab(?:bing)?|shank(?:ing)?|punch(?:ing)?|batter(?:ing)?|"
    r"thump(?:ing)?|strangl(?:e|ing)|throttl(?:e|ing)|chok(?:e|ing)|attack(?:ing)?|assault(?:ing)?|"
    r"slap(?:ping)?|shoot(?:ing)?(?!\s+\w+\s+(?:a|an)\s+(?:email|e-mail|message|text|line|note))|"
    r"smash(?:ing)?|kick(?:ing)?(?!\s+\w+\s+(?:out|off))|headbutt(?:ing)?|knif(?:e|ing)|"
    r"glass(?:ing)?|deck(?:ing)?|hit(?:ting)?(?!\s+\w+\s+up)|murder(?:ing)?|maim(?:ing)?|"
    r"beat(?:ing)?(?!\s+\w+\s+(?:to|at)\b)|wallop(?:ing)?|lamp(?:ing)?|clobber(?:ing)?|torture|"
    r"run over|burn(?:ing)?|set fire to|put (?:a|one|two) bullets? (?:in|through))"
)
_HARM_PEOPLE = (
    r"(?:" + _VIOLENT + r"\s+" + _PEOPLE + r"(?!\s+with (?:a|an|the|my) (?:complaint|claim|lawsuit|"
    r"bill|review|letter))|"
    r"(?:sort|beat|do|take|batter|duff|rough)\s+" + _PEOPLE + r"\s+(?:out|up|in|outside)|"
    # the body: "smash his face in", "break that man's legs", "rip his head off", "kick your head in"
    r"(?:smash|kick|punch|knock|break|snap|rip|cut|slit|stamp on|cave|wring)\s+(?:both\s+)?"
    + _WHOSE
    + r"\s+(?:[-a-z'’]+\s+)?"
    + _BODY
    + r"(?!\s+(?:on|in (?:that|this|the)|falling|tripping|slipping|down|one day|if (?:he|she|they)))|"
    r"put\s+" + _PEOPLE + r"\s+in (?:hospital|intensive care|the ground|the grave|an early grave|a box|"
    r"a coffin|a wheelchair|the morgue|a body bag)|"
    r"put\s+" + _PEOPLE + r"\s+six (?:feet|foot) under|"
    # knocked out: "knock that smug adviser out", "spark him out", "lay him out cold"
    r"(?:knock|spark|sparko)\s+" + _PEOPLE + r"\s+(?:out|spark out|clean out)\b(?!\s+(?:of|by|for|in (?:a|an|"
    r"one|no|two)|before|this|today|tomorrow))|"
    r"(?:knock|spark) out\s+" + _PEOPLE + r"|"
    r"(?:lay|flatten)\s+" + _PEOPLE + r"\s+(?:out cold|out flat|flat)\b|"
    r"run\s+" + _PEOPLE + r"\s+over\b(?!\s+(?:the|it|them|some|a|an|what|how|everything|this|that|"
    r"those|these|my|your|our))|"
    r"put (?:a|one) bullets? (?:in|through) (?:your|ur|his|her|their) (?:head|brains?|skull|face)|"
    r"break every bone in (?:your|ur|his|her|their) body|"
    r"(?:set|let) (?:the|my|me|our|his|a) (?:[-a-z'’]+ )?dogs? (?:loose |off )?(?:on|onto)\s+"
    + _PEOPLE
    + r"|"
    r"give\s+" + _PEOPLE + r"\s+(?:a )?(?:good )?(?:kicking|hiding|beating|battering|slap|smack|shoeing|"
    r"pasting|seeing to)|"
    r"smash (?:the|your|this|that) (?:[-a-z'’]+ )?(?:place|office|shop|branch|windows?|face|car|van|head|"
    r"building|reception|counter)(?: up| in)?|"
    r"smash (?:it|everything|the lot) up|wreck (?:the|your|this) (?:place|office|shop|branch)|"
    r"find (?:you|ya)\b(?!\s+(?:a|an|the|my|some|more|any|all|those|these|that|this|what|proof|"
    r"copies|evidence|details|documents|receipts?|another|one))|(?:find )?out where you (?:live|work)|"
    r"find (?:the|that|your) (?:" + _WORD + r" ){0,2}" + _STAFF + r"(?= (?:who|that|what|and)\b)|"
    r"hunt (?:you|them|him|her) down|track (?:you|them|him|"
    r"her) down|kick off(?!\s+(?:the|a|an|my|proceedings|about))|"
    r"deal with (?:you|him|her|them|your [-a-z'’]+) (?:myself|personally|my (?:own )?way))"
)
# The harm a caller wishes on people or calls for ("should be shot", "deserve a beating", "wants a good
# kicking"): said of a person, or of anyone (see the design note on third parties).
_CALLED_FOR = (
    r"(?:(?:lined|rounded|dragged|taken|marched) (?:up|out) and |strung up and )?"
    r"(?:shot|hanged|strung up|executed|lynched|killed|murdered|stabbed|beaten(?: up)?|battered|"
    r"burn(?:ed|t) alive|shot dead|flogged|horsewhipped|knee-?capped|kneecapped|tortured)"
)
_WEAPON = (
    r"(?:knife|knives|blade|machete|gun|guns|shotgun|rifle|pistol|firearm|baseball bat|cricket bat|bat|"
    r"crowbar|hammer|axe|sword|knuckle ?duster|acid|weapon|shooter|petrol can)"
)
# A threat that can be lawful: "you'll regret this" said of the ombudsman or the papers is escalation,
# not a threat to anyone's safety (escalation_* rules catch it). Checked against the match's sentence.
_SOFT = re.compile(r"regret|pay|sorry|watch out|wish you|coming to you|make (?:you|them)", re.IGNORECASE)
_LAWFUL = re.compile(
    r"\b(?:ombudsman|regulator|fca|ofgem|ofcom|ofwat|solicitors?|lawyers?|court|legal|sue|suing|small claims|"
    r"press|papers|newspapers?|media|journalists?|bbc|watchdog|twitter|facebook|tiktok|instagram|"
    r"trustpilot|reviews?|mp|councillor|complain\w*|report (?:you|this|it)|trading standards|"
    r"citizens advice|which\?|switch\w*|my (?:business|custom)|elsewhere|competitors?)",
    re.IGNORECASE,
)
# Someone else's threat, told by its victim: "your bailiff threatened to break my door down", "the
# neighbour threatened to stab me". A sentence whose speaker is a named third party and whose threat is
# aimed at the writer ("me", "my", "us") is a report, not a threat to staff; an adviser's note ("he
# threatened to stab me", "the caller said he knows where I live") still fires.
_REPORTER = re.compile(
    r"\b(?:my|your|our|the|a|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?:neighbou?rs?|bailiffs?|collectors?|"
    r"landlord|landlady|ex|ex-\w+|partner|husband|wife|boyfriend|girlfriend|tenants?|lodgers?|"
    r"enforcement agents?|debt collectors?|builders?|brother|sister|son|daughter|dad|father|mum|mother|"
    r"character|villain|film|game|show|book)\b[^.!?\n]{0,40}?\b(?:threaten\w*|said|says|told|tells|"
    r"shouted|warned|screamed|yelled|wrote|texted|messaged|kept saying)\b",
    re.IGNORECASE,
)
# A story, not a message: "the guy in the film said he would hunt them down", "in the game I shot everyone".
_FICTION = re.compile(
    r"\b(?:in|from|on) (?:the|a|that|this|my|his|her) (?:[-a-z'’]+ )?(?:film|movie|game|show|series|book|"
    r"novel|episode|story|play|cartoon|programme|program|soap)\b",
    re.IGNORECASE,
)
_VICTIM_IS_WRITER = re.compile(r"\b(?:me|my|us|our|myself|mine)\b", re.IGNORECASE)

RULES = [
    Rule(
        "threat_to_staff",
        _rx(
            # intent + (going there) + a violent act on a person: "I'm going to stab whoever answers"
            # ("ill" is a word, so it counts only right before the act: "ill stab the next one of yous")
            # (the words between are never "not" or "never": "I will not shoot you" is no threat)
            rf"(?:{_I_WILL}\s+(?:(?!not\b|never\b){_WORD}\s+){{0,3}}?|ill\s+){_GO_AND}{_HARM_PEOPLE}",
            rf"(?:i{_A}ll|i will|i{_A}m going to|i am going to|gonna) (?:knock|kick|punch) your "
            r"(?:\w+ )?(?:head|block|teeth|lights|face)(?: off| in| out)?",
            rf"(?:you{_A}ll|you will|you{_A}re going to|you are going to|you{_A}re gonna)\s+"
            r"(?:regret (?:this|it|that)|pay for (?:this|it|that)|be sorry|get what{_A}s coming(?: to you)?|"
            r"get (?:hurt|your head kicked in|a slap|a smack)|wish you (?:hadn{_A}t|had never)|"
            r"end up (?:hurt|in hospital|dead))",
            rf"(?:i{_A}ll|i will|i{_A}m going to|i am going to|"
            rf"gonna|and) make (?:you|you all|them|him|her|your \w+)"
            r"\s+(?:pay|suffer|sorry)(?:\s+for\s+(?:this|it|that|what you{_A}ve done|what you have done))?"
            r"(?!\s+(?:for|back|compensation|the|what|every|in|out|up|to|me|a|an|my|\d|£|it|this|"
            r"that|what))",
            rf"(?:i{_A}ll|i will|i{_A}m going to|i am going to|gonna) make sure (?:you|he|she|they|your \w+) "
            r"(?:regret|suffer|pay for)",
            r"regret the day (?:you|he|she|they) (?:were|was) born",
            r"watch (?:your|ur|yer|his|her|their) back",
            rf"(?:you{_A}d|you had|you|he{_A}d|he had|she{_A}d|she had|they{_A}d|they had) (?:better|best) "
            r"watch (?:out|yourself|yourselves|himself|herself|themselves|your back|his back|her back)",
            r"(?:i|we) know where (?:you|u|your (?:" + _WORD + r" ){0,2}" + _WORD + r"|the \w+|he|she|they) "
            r"(?:live|lives|work|works|sleep|park|parks)",
            r"(?:i|we) know (?:what car|which car|where) (?:you|u|he|she|they|your \w+) "
            r"(?:drive|drives|park|parks)",
            r"i know where to find (?:you|u|him|her|them)",
            rf"(?:you|u) (?:don{_A}t|do not|dont|have no idea|haven{_A}t got a clue) (?:know )?"
            rf"who (?:you{_A}re|you are|your|ur|u r|youre) (?:dealing|messing|dealin|messin) with",
            rf"(?:i{_A}m|im|i am|i{_A}ll be|i will be) coming for (?:you|u|ya|him|her|them|"
            r"your (?:[-a-z'’]+ )?" + _STAFF + r")\b(?!\s+(?:a|an|the|my)\b)",
            r"see what happens to (?:you|u|him|her|them|your (?:[-a-z'’]+ )?" + _STAFF + r")\b",
            rf"(?:won{_A}t|will not|wont|not) be (?:leaving|walking|going home|walking out) on "
            r"(?:his|her|your|their) own (?:two )?feet",
            # as an adviser notes it: "said he knows where I live", "threatened to stab the engineer"
            r"(?:he|she|they) (?:knows?|know) where (?:i|we|you|"
            r"the \w+|our \w+|staff) (?:live|lives|work|works)",
            r"threat(?:en|ened|ening|ens) to (?:kill|hurt|stab|harm|attack|come (?:down|round|in|back)|burn|"
            r"smash|punch|hit|shoot|bring a|find|beat|assault|batter|wreck)",
            r"(?:made|making|issued) (?:a )?threats? (?:to|against|of violence)",
            r"burn(?:ing)? (?:the|your|this|that|ur) (?:\w+ )?"
            r"(?:place|office|shop|branch|building|house|depot|"
            r"store|van|car|premises) (?:down|to the ground)",
            r"(?:torch|firebomb|petrol bomb)(?:ing)? (?:the|your|this|that|ur) (?:\w+ )?"
            r"(?:place|office|shop|branch|building|house|depot|store|van|car|premises)",
            r"burn (?:it|you|the lot|the whole \w+|everything) (?:all )?down",
            r"set (?:fire|light) to (?:the|your|this|that) \w+",
            r"blow (?:the|your|this|that) (?:\w+ )?(?:place|office|shop|branch|building) up",
            r"blow (?:your|ur|his|her) (?:\w+ )?(?:head|brains) off",
            # a fire or a blast with people in it: "I hope it burns down with everyone in it"
            r"(?:burns?|burning|burnt|burned|blown up|blows up|goes up) (?:down |to the ground )?with "
            r"(?:everyone|everybody|you|u|them|your staff|all of you|the lot of you|people|you all) "
            r"(?:still )?(?:in it|inside|in there)",
            # weapons: bringing one, or coming with one ("I am going to come to your office with a knife")
            rf"(?:bring|bringing|brought|carry|carrying|i{_A}ve got|i have got|i{_A}ll get|i will get|grab|"
            r"come in with|coming in with|turn up with) (?:a|my|me|the|his|some) (?:\w+ )?" + _WEAPON,
            rf"(?:i|we|i{_A}ll|i{_A}m|im|we{_A}ll|we{_A}re|he{_A}ll|she{_A}ll|they{_A}ll)\s+"
            r"(?:[-a-z'’]+\s+){0,3}?(?:come|coming|turn up|turning up|show up|showing up|walk in|walking in|"
            r"be round|be there|be back|be outside|be waiting)\b[^.!?\n]{0,40}?\bwith (?:a|an|my|me|some) "
            r"(?:\w+ )?" + _WEAPON,
            r"(?:a|my) (?:\w+ )?" + _WEAPON + r"[^.!?\n]{0,30}?\bnot (?:afraid|scared) to use (?:it|them)",
            rf"(?:someone|somebody|some one|people|one of (?:you|your \w+)|you|your staff|your \w+)\s+"
            rf"(?:is|are|will|{_A}s|{_A}re|{_A}ll)\s+(?:going to\s+|gonna\s+)?(?:get|be|end up)\s+"
            r"(?:hurt|injured|killed|stabbed|harmed|seriously hurt)"
            r"(?!\s+(?:on|by (?:the|that|this|a|your) (?:\w+ )?(?:step|stairs?|wire|wiring|boiler|tree|"
            r"window|ceiling|floor|door|gate|fence|pothole)|falling|tripping|slipping|in (?:the|that|this) "
            r"(?:hole|dark|stairwell)))",
            r"(?:not|won{_A}t be|wouldn{_A}t be) (?:be )?responsible for (?:my actions|what i (?:do|did|"
            r"might do|{_A}ll do|will do|end up doing))",
            rf"(?:i{_A}ll|i will|i{_A}m going to|i am going to|gonna) (?:be )?waiting for "
            r"(?:you|u|him|her|them|your \w+) (?:outside|after work|"
            r"when you (?:leave|finish)|in the car park)",
            # waiting for someone: "I'll wait for her in the car park", "I'll be waiting outside your branch"
            # (not "I'll be waiting outside for the engineer")
            rf"(?:i{_A}ll|i will|i{_A}m going to|i am going to|gonna) (?:be )?(?:waiting|wait) "
            r"(?:for (?:you|u|him|her|them|your \w+) (?:outside|in the car park|by (?:your|his|her) car|"
            r"after work|when (?:you|he|she|they) (?:leave|leaves|finish|finishes))|"
            r"outside (?:your|the) (?:office|branch|shop|building|house|home|work|depot)\b"
            r"(?!\s+(?:for|to|with)\b))",
            # calls for violence and wishes: "should be hanged", "deserves to die", "wants a good kicking",
            # "someone should shoot the lot of you", "I hope your office burns down"
            r"(?:should|ought to|needs? to|deserves? to|must) (?:all |just |really )?be (?:all )?"
            + _CALLED_FOR
            + r"(?!\s+(?:off|down|in the foot))",
            r"(?:deserves?|deserved) to (?:die|be dead)",
            r"(?:deserves?|deserved|wants?|needs?) (?:a )?(?:good )?(?:kicking|hiding|beating|battering|"
            r"slap|smack|shoeing|pasting|shooting|stabbing)(?!\s+on the wrist)",
            r"(?:someone|somebody|some one|people|they|we|you|i|anyone) (?:should|ought to|needs? to|"
            r"wants? to|has to|must) (?:just )?(?:go (?:round )?and |come and )?"
            + _VIOLENT
            + r"\s+"
            + _PEOPLE,
            r"hope (?!(?:no ?one|nobody|none|not|never)\b)(?:" + _WORD + r" ){1,7}?(?:burns? (?:down|to the "
            r"ground)|gets? (?:shot|stabbed|killed|hurt|beaten(?: up)?|what{_A}s coming|run over|"
            r"hit by a (?:bus|car|lorry|train|truck))|dies\b"
            r"(?!\s+(?:down|out|off)))",
            # veiled threats with no violent verb (issue 12, session 3)
            # "you're a dead man", "your manager is a dead man", "tell him he's dead meat" (never the
            # writer: "I'm a dead man if my wife sees this bill")
            rf"(?:you{_A}re|you are|ur|u r|youre|(?:he|she){_A}s|(?:he|she) is|they{_A}re|they are|"
            r"(?:your|that|the|this) (?:" + _WORD + r" ){0,2}" + _STAFF + r" (?:is|are)|"
            r"consider (?:yourself|yourselves|him|her|them)) (?:a |as good as (?:a )?)?dead "
            r"(?:man|woman|men|women|meat)\b",
            # bare "dead" only of the reader ("he's dead" is how a bereaved customer says it)
            rf"(?:you{_A}re|you are|ur|u r|youre|consider (?:yourself|yourselves)) (?:as good as )?dead"
            r"(?=\s*(?:[.!,\n]|$|mate\b|pal\b|if |when |once ))",
            # the harm ahead: "you'll be needing an ambulance", "leaving in a body bag", "end up six feet
            # under"
            rf"(?:you|u|ya|you lot|your (?:[-a-z'’]+ )?{_STAFF}|he|she|they|him|her|them)(?:{_A}ll| will| "
            rf"are going to|{_A}re going to| is going to|{_A}s going to| are gonna|{_A}re gonna)? (?:be )?"
            r"(?:needing|need|leaving in|leave in|going home in|go home in|carried out in|end up in|"
            r"ending up in) (?:an ambulance|a body bag|a box|a coffin|the ground|the morgue|a wheelchair|"
            r"intensive care|a&e)",
            rf"(?:you{_A}ll|you will|you{_A}re going to|you are going to|you{_A}re gonna|he{_A}ll|she{_A}ll|"
            r"they{_A}ll) (?:end up |be )(?:six (?:feet|foot) under|in the ground|in a box|in the morgue)",
            # someone's body harmed, passively: "wants their head kicking in", "will get their throat cut",
            # "needs his legs breaking"
            r"(?:wants?|needs?|deserves?|gets?|getting|will get|gonna get|going to get) (?:their|his|her|"
            r"your|ur|yer) "
            + _BODY
            + r" (?:kicking|kicked|smashing|smashed|caving|caved|breaking|broken|cutting|cut|slitting|slit|"
            r"slashing|slashed|stamping on|stamped on|ripping off|ripped off|knocking|knocked)"
            r"(?: in| off| out)?(?!\s+(?:on|in (?:the|that|this|a)|by (?:the|that|this|a)|at (?:the|a)))",
            # "should be hung" said of people ("the pictures should be hung" is not)
            # (the person right before: a window back to the subject would blow up RE2's automaton)
            r"(?:" + _STAFF + r"|people|they|he|she|you|them|everyone|everybody|all|lot|yous)\s+"
            r"(?:(?:should|ought to|must|deserves? to|needs? to) (?:all |just )?be hung\b"
            r"(?!\s+(?:up|on|out|over|around|round|in|at|above|across|along|straight|properly|before|after|"
            r"by the (?:door|window|wall)))|(?:want|wants|deserve|deserves|deserved|need|needs) (?:a )?"
            r"(?:good )?(?:hanging|lynching|stringing up)\b)",
            r"(?:deserves?|deserved|wants?|needs?) (?:a )?(?:bullet|bullet in the head|knife in (?:the|his|"
            r"her|their) (?:back|throat|neck))\b(?!\s+(?:point|basket|the wash))",
            # a warning with nothing after it: "Be careful walking home tonight." (a hazard has a reason
            # after it: "be careful walking home, the streetlight is out")
            r"(?:be careful|watch (?:yourself|yourselves|your back)|take care|mind how you go) "
            r"(?:when you(?:{_A}re)? |while you(?:{_A}re)? )?(?:walking|walk|going|go|getting|get|driving|"
            r"drive|leave|leaving|"
            r"on the way) (?:home|back|to your car|out of work|out of the office|from work)"
            r"(?: (?:tonight|later|today|after work|this evening|from now on))?(?=\s*(?:[.!\n]|$))",
            # meeting the writer: "you'd better hope I never meet you", "let's see how brave you are when I
            # turn up at your house", "wait till I get my hands on you"
            rf"(?:you{_A}d|you had|you) (?:better|best) (?:hope|pray) (?:i|we) (?:never|don{_A}t|do not) "
            r"(?:meet|see|find|catch|bump into|run into)",
            rf"(?:how|so|as) (?:brave|tough|hard|smug|cocky|clever|big|mouthy|brave) (?:you|u|he|she|they) "
            rf"(?:are|is|{_A}ll be|will be|really are)? ?when (?:i|we|my \w+) (?:turn up|show up|find|come|"
            r"get|see|catch|meet|knock|arrive)",
            rf"(?:wait|wait till|wait until|just wait) (?:till|until)? ?(?:i|we) get (?:my|our) hands on "
            rf"(?:you|u|ya|him|her|them|your (?:[-a-z'’]+ )?{_STAFF}|that (?:[-a-z'’]+ )?{_STAFF})\b",
            # a crew sent round: "I'll have my lads pay your manager a visit", "some friends of mine will be
            # paying you a visit", "I'll send my boys round"
            r"(?:my|me|some|a few|a couple of) (?:lads|boys|mates|friends|pals|brothers|cousins|associates|"
            r"people|family)(?: of mine)?(?: will| are going to| are gonna|{_A}ll| will be| are)? (?:be )?"
            r"(?:pay|paying|payin) (?:you|u|him|her|them|your|that|the) (?:[-a-z'’]+ ){0,2}?(?:a |another )?"
            r"(?:little |friendly |proper )?visit",
            r"(?:send|sending|get|getting|have|having) (?:my|me|some|a few) (?:lads|boys|mates|heavies|"
            r"boys in blue)? ?(?:round|over|down) (?:to (?:see |sort )?|and (?:sort|see) )"
            rf"(?:you|u|him|her|them|your (?:[-a-z'’]+ )?{_STAFF}|that (?:[-a-z'’]+ )?{_STAFF})\b",
            # weapons on them: "I'll have a knife with me", "I'll have a blade on me"
            rf"(?:i{_A}ll|i will|i{_A}ll be|i will be|i{_A}m|i am|im|i{_A}ve|i have|i)\s+(?:have|having|got|"
            r"carrying|packing|bringing) (?:a|an|my|me) (?:\w+ )?" + _WEAPON + r" (?:with|on) me\b",
            # the imperative on its own: "Hang her.", "Shoot them all!"
            r"(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))(?:just )?(?:hang|shoot|kill|lynch|execute|string up|stab) "
            r"(?:him|her|them|the lot of them|every (?:last )?one of them)(?: all)?(?=\s*(?:[.!?\n]|$))",
        ),
        "Words that threaten harm to staff: make sure colleagues are safe and alert a team leader (C4 P17)",
        score=0.95,
        negatable=False,
        soft=_SOFT,
        lawful=_LAWFUL,
        reported=_REPORTER,
    ),
    Rule(
        "self_harm",
        _rx(
            # Ending a life, said many ways ("I feel like ending it all", "I'll take my own life").
            r"(?:kill(?:ed|ing)?|harm(?:ed|ing)?|top(?:ped|ping)?|hang(?:ed|ing)?) myself",
            r"(?:want|wanted|going|gonna|tempted|might|will|"
            + _A
            + r"ll|could|thinking (?:about|of)|thoughts of|urge to|afraid i{_A}ll|scared i{_A}ll|"
            r"feel like|trying not to)\s+(?:to\s+)?(?:hurt(?:ing)?|"
            r"harm(?:ing)?|cut(?:ting)?|injur(?:e|ing)) myself",
            # Asking how, and ways of dying that are rarely an accident ("how do I drown myself"). Burning,
            # poisoning, electrocuting are left out of "could/might": "I could burn myself on that pipe".
            r"(?:how (?:do|can|could|should|would|might) i|how to|(?:best|easiest|quickest|fastest|"
            r"surest|simplest|painless|least painful|most painless) ways? to|ways? to)\s+"
            r"(?:best\s+|just\s+|quickly\s+|painlessly\s+)?(?:kill|hurt|harm|cut|drown|poison|hang|shoot|"
            r"stab|starve|gas|suffocate|overdose|injure|end) myself",
            r"(?:want|wanted|wanna|going|gonna|tempted|thinking (?:about|of)|thoughts of|urge to|feel like|"
            r"trying not to|will|{_A}ll)\s+(?:to\s+)?(?:drown(?:ing)?|shoot(?:ing)?|stab(?:bing)?|"
            r"starv(?:e|ing)|gas(?:sing)?|suffocat(?:e|ing)|poison(?:ing)?) myself",
            # Asking for a way to die ("what can I take to die", "the easiest way to die").
            # (only where the question ends, or says how: "how do I die my hair" is a spelling of "dye")
            r"how (?:do|can|could|should|would) i (?:just )?die(?=\s*(?:[?.!,;]|$|like\b|quickly\b|"
            r"painlessly\b|peacefully\b|tonight\b|in my sleep\b|without\b))",
            r"(?:best|easiest|quickest|fastest|surest|simplest|painless|least painful|most painless) "
            r"(?:ways?|method|methods) (?:to|of) (?:die|dying|end(?:ing)? my life|kill(?:ing)? myself)"
            r"(?!\s+(?:of|from|laughing|waiting))",
            r"(?:what|something|anything|enough) (?:can|could|should|do|would) i (?:take|use|swallow|drink|"
            r"buy|get) to (?:die|end my life|kill myself)",
            r"(?:pills|tablets|painkillers|paracetamol|sleeping pills) to (?:die|end my life|kill myself)",
            # Opening a vein: said of one's own wrists, veins, arteries ("slit my wrists", "sever my artery").
            r"(?:slit|slash|sever|open)(?:ting|ing|ed)? (?:up )?my (?:own )?(?:\w+ )?(?:wrists?|veins?|"
            r"arter(?:y|ies)|throat)",
            r"(?:cut|cutting|carve|carving|pierce|piercing|stab|stabbing) (?:into )?my (?:own )?(?:\w+ )?"
            r"(?:wrists|veins?|arter(?:y|ies))",
            # Cutting one's own skin, as people tell it ("I've been cutting my arms", "how can I carve into my
            # skin"); burning and scratching are left out ("I burned my arms on the radiator", eczema).
            # A one-off "I cut my arm" is an accident; the habit or the asking is not.
            r"(?:i{_A}ve been|i have been|i keep|i used to|i started|started|been|"
            r"how (?:do|can|could|should) i) (?:cut|cutting|carve|carving) (?:(?:\w+ ){0,3}into )?my "
            r"(?:own )?(?:arms?|wrists?|legs|thighs?|skin)",
            r"self[- ]?harm\w*",
            r"end(?:ing)? it all",
            r"end(?:ing|ed)? (?:my|my own) life(?!\s+(?:insurance|assurance|cover|policy|savings|plan))",
            r"(?:take|taking|took|taken) my (?:own )?life(?!\s+(?:insurance|assurance|cover|policy|savings))",
            r"suicid\w*",
            r"(?:don{_A}t|do not|no longer|didn{_A}t) want to (?:be alive|"
            r"exist|wake up(?! to\b)|go on living|"
            r"carry on living|be here any ?more|be on this earth|live any ?more)",
            r"(?:don{_A}t|do not|no longer) want to live(?=\s*(?:[.!,;]|$|and|but|i\b))",
            r"(?:want|wanna|wanted|ready) (?:to )?die\b(?!\s+(?:of|from|laughing|waiting))",
            r"wish i (?:was|were|{_A}d been|had been) (?:dead|never born|gone)",
            r"(?:better off|be better) (?:dead|without me|if i (?:was|were)n{_A}t (?:here|around|alive)|"
            r"if i (?:was|were) (?:dead|gone))",
            r"(?:can{_A}t|cannot|can not) (?:go on|carry on|"
            r"keep going)(?:\s+(?:any ?more|living|with (?:my )?"
            r"life)|(?=\s*(?:[.!]|$)))",
            r"no (?:reason|point) (?:in )?(?:to )?(?:live|living|go on|going on|carry on|carrying on|"
            r"keep going|being alive|being here)",
            r"nothing (?:left )?to live for",
            r"not safe (?:from|with|around) myself",
            r"(?:took|take|taking|taken|had) an? overdose",
            r"overdos(?:e|ed|ing) (?:on|tonight|again)",
            r"(?:take|took|taking|swallow|swallowed) (?:all )?(?:of )?(?:my|the|a bottle of|a load of|"
            r"loads of|all the) (?:pills|tablets|sleeping pills|painkillers)",
            r"throw(?:ing)? myself (?:off|under|in front of)",
            r"jump(?:ing)? (?:off|from) (?:a|the) (?:bridge|building|roof|cliff|car park)",
            r"(?:step|stepping|walk|walking) in front of (?:a|the) (?:train|bus|lorry|car)",
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
            r"(?:can'?t|cannot) (?:go on|carry on) like this",
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
        # Not self-harm: laughing, an accident ("I nearly killed myself on your broken step").
        r"kill(?:ed|ing)? myself (?:laughing|trying|to get|getting)",
        r"(?:nearly|almost|could have|could've) (?:killed|kill) myself",
        r"(?:the|this) (?:wait|waiting|noise|stress|heat|cold|pain|"
        r"hold music) (?:is|was) (?:killing|going to kill) me",
        r"bored to death",
        r"die of (?:boredom|embarrassment|shame)",
    )
)

_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(text: str, span: tuple[int, int]) -> str:
    """The sentence (or line) around a span."""
    start = max(text.rfind(mark, 0, span[0]) for mark in ".!?\n") + 1
    end = _SENTENCE_END.search(text, span[1])
    return text[start : end.start() if end else len(text)]


def _lawful(rule: Rule, text: str, span: tuple[int, int]) -> bool:
    """A soft threat in a sentence that names a lawful route ("you'll regret it: I'm going to the press")."""
    if rule.soft is None or rule.lawful is None or not rule.soft.search(text, span[0], span[1]):
        return False
    return bool(rule.lawful.search(_sentence(text, span)))


def _reported(rule: Rule, text: str, span: tuple[int, int]) -> bool:
    """Someone else's threat against the writer, told by the writer: a third party speaks earlier in the
    sentence ("the neighbour threatened to", "your bailiff said he'd") and the threat is aimed at "me", "my",
    "us" or "our" (within the match or just after it). Or a story: the sentence is about a film, a game, a
    book ("in the film he says he'll hunt them down")."""
    if rule.reported is None:
        return False
    if _FICTION.search(_sentence(text, span)):
        return True
    sentence_start = max(text.rfind(mark, 0, span[0]) for mark in ".!?\n") + 1
    if not rule.reported.search(text[sentence_start : span[1]]):
        return False
    return bool(_VICTIM_IS_WRITER.search(text[span[0] : min(len(text), span[1] + 20)]))


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
            if _lawful(rule, text, span) or _reported(rule, text, span):
                continue
            spans.append(span)
        if spans:
            signals.append(Signal(rule.type, rule.score, spans, rule.explanation))
        else:
            signals.append(Signal(rule.type, 0.0, [], ""))
    return signals
