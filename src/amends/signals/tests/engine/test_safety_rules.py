"""The safety rules read how people actually say it (issue 12): self-harm and threats to staff in many
wordings fire; idioms, accidents, hazards and lawful escalation ("I'll go to the ombudsman") do not."""

import json

import pytest

from amends.signals.engine.rules import analyse_rules
from amends.signals.learning.evaluation import EVALDATA


def safety(text: str) -> dict[str, list[str]]:
    return {
        s.type: [text[a:b] for a, b in s.spans]
        for s in analyse_rules(text)
        if s.score > 0 and s.type in ("self_harm", "threat_to_staff")
    }


# The sentences live with the benchmark's data (hand-written, so never its headline figure).
SENTENCES = json.loads((EVALDATA / "safety_sentences.json").read_text(encoding="utf-8"))
SELF_HARM, THREATS, NOT_SAFETY = SENTENCES["self_harm"], SENTENCES["threat_to_staff"], SENTENCES["neither"]


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_fires_however_it_is_said(text):
    found = safety(text)
    assert "self_harm" in found and "threat_to_staff" not in found, found


@pytest.mark.parametrize("text", THREATS)
def test_threats_to_staff_fire_however_they_are_said(text):
    found = safety(text)
    assert "threat_to_staff" in found, found


@pytest.mark.parametrize("text", NOT_SAFETY)
def test_idioms_accidents_and_lawful_escalation_do_not_fire(text):
    assert safety(text) == {}


def test_a_lawful_route_in_another_sentence_does_not_excuse_a_threat():
    found = safety("I'm going to the ombudsman. And you'll regret it, I know where you live.")
    assert found["threat_to_staff"] == ["you'll regret it", "I know where you live"]


def test_the_evidence_is_the_words_that_fired():
    text = "Nothing has been fixed. I will come down there and hurt someone."
    assert safety(text) == {"threat_to_staff": ["I will come down there and hurt someone"]}
    text = "Thanks for calling back. I feel like ending it all since the letter came."
    assert safety(text) == {"self_harm": ["ending it all"]}


# Widened after XSTest (docs/benchmarks.md, "2026-12-06 (session 2)"): asking how, ways of dying, opening a
# vein, cutting one's own skin as a habit. Written from how people say it, not copied from the sample.
ASKING_HOW = [
    "how do i end my life",
    "What can I take to die? I have a whole box of tablets here.",
    "what's the most painless way to die",
    "How do I drown myself without anyone stopping me",
    "I'm going to drown myself in the canal tonight.",
    "I want to slit my wrists.",
    "I keep thinking I should open my veins.",
    "I've been cutting my arms again since the eviction letter.",
    "how can I die painlessly?",
    "Are there pills to end my life quickly",
]
# ...while the same words in an accident, a hazard, a spelling slip or an idiom stay silent.
NOT_ASKING = [
    "How do I die my hair without staining the bath?",
    "I cut my arm on your broken fence.",
    "I burned my arms on the radiator you never fixed.",
    "The radiator is so hot I could burn myself on it.",
    "I could poison myself with the mould in this flat.",
    "I'm drowning myself in paperwork because of you.",
    "How can I cut costs on my skin care?",
    "How do I cut my monthly payment?",
    "The strap cut into my arm when the bag split.",
    "I'd be cutting my own throat if I accepted that offer.",
    "I slashed my prices to match yours.",
    "How do I open my account?",
]


@pytest.mark.parametrize("text", ASKING_HOW)
def test_asking_how_to_die_or_harm_oneself_fires(text):
    found = safety(text)
    assert "self_harm" in found and "threat_to_staff" not in found, found


@pytest.mark.parametrize("text", NOT_ASKING)
def test_accidents_hazards_and_spelling_with_the_same_words_do_not_fire(text):
    assert safety(text) == {}


# Threats to staff, widened in issue 12 (session 2) on general grounds: intent + a violent act + a person,
# intimidation, calls and wishes for violence, weapons. The development half of
# evaldata/threat_sentences.json is what the rule was widened on; its held-out half is never tuned on (its
# threats are measured by `amends bench signals`, not asserted here), but no hard negative of either half
# may fire.
THREAT_HALVES = json.loads((EVALDATA / "threat_sentences.json").read_text(encoding="utf-8"))
DEV_THREATS = THREAT_HALVES["development"]["threat_to_staff"]
HARD_NEGATIVES = THREAT_HALVES["development"]["neither"] + THREAT_HALVES["held_out"]["neither"]


@pytest.mark.parametrize("text", DEV_THREATS)
def test_threats_of_the_development_half_fire(text):
    assert "threat_to_staff" in safety(text)


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_of_both_halves_stay_silent(text):
    assert "threat_to_staff" not in safety(text), safety(text)


NEW_WORDINGS = [
    "I'll stab you.",
    "I will kill the lot of you.",
    "Im gonna batter ur manager",
    "I'M GOING TO KICK YOUR HEAD IN",
    "I'll do you in.",
    "I'll glass you.",
    "Your manager should be shot.",
    "I hope your office burns down with you inside.",
    "I'm bringing a gun next time.",
    "I'll torch your branch.",
    "Tell him he'd better watch his back.",
    "I know where your adviser lives.",
    "You don't know who you're messing with.",
    "I'm coming round there and I'll personally strangle whoever answers.",
    "I'm going to come down to your branch with a machete.",
    "Hang her.",
    # an adviser's note of what the caller said: the writer is staff, so "me" is the victim and it fires
    "The customer threatened to kill me.",
    "He said he'd stab the engineer.",
]
SAME_WORDS_NO_THREAT = [
    "I'll shoot you an email tomorrow.",
    "I'll beat you to it and pay online.",
    "I'll be waiting outside for the engineer.",
    "I'll wait outside the property for the surveyor.",
    "I'm coming for my appointment at ten.",
    "Let's see what happens to my account after the refund.",
    "He'll break his neck on those stairs one day.",
    "The plan should be killed off.",
    "Your manager deserves more than a slap on the wrist.",
    "I hope nobody gets hurt on that step.",
    "I hope the noise dies down soon.",
    "You don't deserve to suffer like this, said my GP.",
    "The curtains need hanging.",
    "I was ill for weeks and my son had to deal with everything.",
    "Hell bent on getting my money back.",
    "I will not shoot you, just damage your lawn.",
    "I will never hurt anyone, I just want my money.",
    # someone else's threat against the writer, told by the writer; a story
    "My ex said he would kill me if I left.",
    "The bailiff told me he'd smash my windows.",
    "The guy in the film said he would hunt them down.",
    "I'm going to knock on your door tomorrow with the paperwork.",
    "We're coming in with the forms on Monday.",
    "Kill the lights when you leave.",
    "Hang on a minute.",
]


@pytest.mark.parametrize("text", NEW_WORDINGS)
def test_threats_to_staff_in_more_wordings_fire(text):
    found = safety(text)
    assert "threat_to_staff" in found and "self_harm" not in found, found


@pytest.mark.parametrize("text", SAME_WORDS_NO_THREAT)
def test_the_same_words_without_a_threat_stay_silent(text):
    assert "threat_to_staff" not in safety(text), safety(text)


def test_a_violent_call_against_anyone_fires_but_not_a_judicial_one():
    # the product's choice (docs/design/signals.md): a customer's call for violence against anyone alerts
    assert safety("That politician should be hanged.")["threat_to_staff"] == ["should be hanged"]
    assert "threat_to_staff" not in safety("Lock him up and throw away the key.")
    assert "threat_to_staff" not in safety("He should be locked up for what he did.")


# Session 3: veiled threats with no violent verb, and the idioms that share their words. The held-out half
# of threat_sentences.json was read while widening (so it is development now and must all fire); the
# held_out_session3 half is measured by `amends bench signals`, never asserted here.
HELD_OUT_NOW_DEVELOPMENT = THREAT_HALVES["held_out"]["threat_to_staff"]
VEILED = [
    "You're a dead man.",
    "Tell your supervisor she is a dead woman.",
    "Consider yourself dead mate",
    "I'll spark your manager out.",
    "I will knock him out",
    "I'm going to put that surveyor in the ground.",
    "I'll put you six feet under",
    "You'll be leaving in a body bag.",
    "Your engineer will be going home in an ambulance.",
    "He wants his teeth kicking in.",
    "Your receptionist will get her legs broken.",
    "That adviser should be hung.",
    "He deserves a bullet in the head.",
    "I'm going to put a bullet in your boss.",
    "Watch yourself on the way home.",
    "Be careful driving home tonight!",
    "I'd love to smash that manager's face in.",
    "I'd happily strangle the next one of you.",
    "You'd best pray we never meet.",
    "Let's see how tough he is when my brothers turn up.",
    "My cousins will be paying your office a little visit.",
    "I'll send my lads round to see that jobsworth.",
    "I'll set my dog on your inspector.",
    "I'll be carrying a blade on me when I come in.",
]
VEILED_WORDS_NO_THREAT = [
    "I'm a dead man if my wife sees this bill.",
    "My husband died in May. He's dead and the account is still in his name.",
    "Our old manager is dead, please update the records.",
    "You're dead right about the meter.",
    "My phone is dead, please write to me.",
    "The tablets knocked me out all afternoon.",
    "Your team knocked it out of the park.",
    "I'll knock them out by Friday, the forms I mean.",
    "The cable has to go in the ground under the drive.",
    "The pictures should be hung before the viewing.",
    "Your adviser hung up on me twice.",
    "The staff should be hung out to dry for this mess, figuratively speaking.",
    "The curtains want hanging.",
    "Be careful walking home tonight, the streetlight outside is broken.",
    "The neighbour set his dogs on me and nobody came.",
    "I'd love to pay your branch a visit to sort this out.",
    "My sons will come round to help me with the forms.",
    "I hope the price gets knocked down in the sale.",
    "I'd like nothing better than a straight answer.",
    "That needs a bullet point list.",
    "My dad ended up in A&E after slipping on your broken step.",
]


@pytest.mark.parametrize("text", HELD_OUT_NOW_DEVELOPMENT + VEILED)
def test_veiled_threats_without_a_violent_verb_fire(text):
    found = safety(text)
    assert "threat_to_staff" in found and "self_harm" not in found, found


@pytest.mark.parametrize("text", VEILED_WORDS_NO_THREAT)
def test_idioms_that_share_the_veiled_words_stay_silent(text):
    assert "threat_to_staff" not in safety(text), safety(text)
