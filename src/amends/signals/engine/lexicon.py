"""Word-list features for the abuse head: profanity and slurs, insults, insults aimed at the reader, and
the masked and leet spellings people use to get past filters. Framework-free.

A bag of words only knows the words its training data used, so a model that learned abuse from one source
misses another's vocabulary. These features name the kind of word instead ("p:profane"), so weight learned
on the words in Davidson et al.'s tweets carries to the slurs and spellings it never saw. The profanity
list is better-profanity's (profanity.txt: source and MIT licence in its header); the insults are ours.

Each feature belongs to one token (its owner), so evidence shows the word that fired. Only the abuse head
is trained on them (learning/recipes.py `fit_abuse` with `features.analyze_abuse`); the other heads have
no weight for them, so they change nothing there.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

PROFANITY_FILE = Path(__file__).parent / "profanity.txt"

# Insults: what people call someone. Aimed at the reader ("you idiot", "you're useless") they are abuse;
# about a service ("a useless service") they are a complaint, which is why "p:insult" and "p:you_insult"
# are separate features and the model weighs each.
_INSULT_LINES = (
    "idiot idiots moron morons imbecile imbeciles cretin cretins clown clowns muppet muppets scum",
    "scumbag scumbags parasite parasites leech leeches lowlife lowlifes loser losers halfwit halfwits",
    "dimwit dimwits numpty numpties pillock pillocks plonker plonkers prat prats tosser tossers",
    "wanker wankers twat twats cunt cunts bastard bastards bitch bitches dickhead dickheads arsehole",
    "arseholes asshole assholes useless incompetent pathetic stupid dumb thick brainless clueless",
    "worthless ignorant disgusting vile liar liars thief thieves crook crooks fraudster fraudsters",
    "jobsworth jobsworths retard retarded spastic freak freaks pig pigs animal animals rat rats snake",
    "snakes vermin trash garbage filth filthy ugly fat lazy thicko donkey donkeys jerk jerks",
)
INSULTS = frozenset(word for line in _INSULT_LINES for word in line.split())
# Slurs for people by race, ethnicity, religion, sexuality, gender identity or disability: "p:slur", apart
# from swearing, because hate speech is named by them where ordinary abuse is not. Checked before the
# profanity list (which holds some of them too).
_SLUR_LINES = (
    "nigger niggers nigga niggas niggaz nigguh negroid negroids coon coons jigaboo jigaboos porchmonkey",
    "spook spooks darkie darkies sambo sambos groid groids kike kikes kyke yid yids hymie heeb heebs",
    "spic spics spick wetback wetbacks beaner beaners chink chinks gook gooks zipperhead chinaman paki",
    "pakis raghead ragheads towelhead towelheads sandnigger sandniggers muzzie muzzies muzrat muzrats",
    "mudslime mudslimes moslem moslems gypo gypos gyppo gyppos pikey pikeys wop wops dago dagos",
    "faggot faggots fag fags faggy dyke dykes tranny trannies shemale shemales poof poofs poofter",
    "poofters homo homos retard retards retarded mong mongs spastic spastics spaz cripple cripples",
)
SLURS = frozenset(word for line in _SLUR_LINES for word in line.split())
# Groups of people, and words that dehumanise or call for harm: a group named within GROUP_WINDOW tokens of
# a slur, an insult, profanity or one of these is hostility aimed at the group ("p:group_hostile"). A group
# word alone is no feature at all ("as a Muslim woman I was treated badly" must not read as abuse).
_GROUP_LINES = (
    "muslims muslim islam islamic jews jew jewish blacks whites asians africans african arabs arab",
    "mexicans immigrants immigrant migrants migrant refugees refugee foreigners illegals",
    "gays lesbians homosexuals homosexual transgender feminists christians hindus sikhs indians",
    "pakistanis somalis syrians romanians gypsies latinos hispanics negroes negro",
)
GROUPS = frozenset(word for line in _GROUP_LINES for word in line.split())
# (no "gas", "kill", "shoot": "the gas bill for my Romanian neighbour" is no hate)
_DEHUMANISING_LINES = (
    "infest infested infesting infestation invade invaders invasion vermin subhuman subhumans savages",
    "savage animals apes ape monkeys monkey cockroaches roaches parasites plague breed breeding filth",
    "rapists terrorists deport deported deportation exterminate extermination genocide eradicate",
    "lynch lynched inferior degenerate degenerates",
)
DEHUMANISING = frozenset(word for line in _DEHUMANISING_LINES for word in line.split())
GROUP_WINDOW = 6
# Who "you" is: the reader the insult is aimed at.
YOU = frozenset(["you", "youre", "your", "ur", "u", "ya", "yous", "youse", "yall", "thou"])
DIRECTED_WINDOW = 3  # an insult this many tokens after "you" is aimed at the reader ("you absolute idiot")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
RUNS = re.compile(r"(\w)\1{2,}")  # "fuuuuck", "shiiiit": three or more of a letter read as one
MASKS = frozenset("*$#")  # "f***", "sh*t", "a$$": a word cut by mask characters (tokenised apart)


@cache
def profanity() -> frozenset[str]:
    """The single-word entries of the profanity list, lower case (phrases are left to the bigrams)."""
    words = set()
    for line in PROFANITY_FILE.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#") and " " not in word:
            words.add(word.replace("'", "").replace("’", ""))
    return frozenset(words)


def word_kind(tok: str, raw: str) -> str:
    """ "slur", "profane", "insult", "group", "dehumanising" or "" for one token (its normalised form and as
    it stands in the text)."""
    if tok in SLURS:
        return "slur"
    bad = profanity()
    if tok in bad:
        return "profane"
    if tok in INSULTS:
        return "insult"
    if tok in GROUPS:
        return "group"
    if tok in DEHUMANISING:
        return "dehumanising"
    if tok == "<num>" or not tok.isalpha():  # "sh1t", "f4ck": digits collapse the token, read the raw one
        plain = raw.lower().translate(LEET)
        if plain.isalpha() and plain in SLURS:
            return "slur"
        if plain.isalpha() and plain in bad:
            return "profane"
    if len(tok) > 3 and tok[0] != "<":
        squeezed = RUNS.sub(r"\1", tok)
        if squeezed != tok and (squeezed in bad or squeezed in INSULTS):
            return "profane" if squeezed in bad else "insult"
    return ""


def lexicon_features(
    toks: list[str], raw: list[str], kinds: list[str] | None = None
) -> list[tuple[str, int]]:
    """Every lexicon feature of a tokenised text, each with the token it belongs to. `kinds` are the
    tokens' `word_kind`s when the caller has them cached."""
    if kinds is None:
        kinds = [word_kind(t, r) for t, r in zip(toks, raw, strict=True)]
    out: list[tuple[str, int]] = []
    last_you = -(DIRECTED_WINDOW + 1)
    groups = [i for i, kind in enumerate(kinds) if kind == "group"]
    for i, (tok, kind) in enumerate(zip(toks, kinds, strict=True)):
        if tok in YOU:
            last_you = i
            continue
        if not kind or kind == "group":
            continue
        if groups and any(abs(i - g) <= GROUP_WINDOW for g in groups):
            out.append(("p:group_hostile", i))
        if kind == "dehumanising":
            continue
        out.append(("p:" + kind, i))
        if i - last_you <= DIRECTED_WINDOW:
            out.append(("p:you_" + kind, i))
    if any(t in MASKS for t in toks):
        for i in range(len(toks) - 1):
            if toks[i][0].isalpha() and toks[i + 1] in MASKS and (i == 0 or toks[i - 1] not in MASKS):
                out.append(("p:masked", i))
                if any(t in YOU for t in toks[max(0, i - DIRECTED_WINDOW) : i]):
                    out.append(("p:you_masked", i))
    return out


__all__ = ["lexicon_features", "profanity", "word_kind"]
