"""The safety rules read how people actually say it (issue 12): self-harm and threats to staff in many
wordings fire; idioms, accidents, hazards and lawful escalation ("I'll go to the ombudsman") do not."""

import pytest

from amends.signals.engine.rules import analyse_rules


def safety(text: str) -> dict[str, list[str]]:
    return {
        s.type: [text[a:b] for a, b in s.spans]
        for s in analyse_rules(text)
        if s.score > 0 and s.type in ("self_harm", "threat_to_staff")
    }


SELF_HARM = [
    "I feel like ending it all.",
    "Honestly some nights I think about ending it all",
    "I don't want to be here any more, I'm so tired of fighting you.",
    "I dont want to be here anymore",
    "My family would be better off without me.",
    "Everyone would be better off if I wasn't here.",
    "I can't go on.",
    "I just can't go on any more with these debts",
    "I have thought about taking my own life over this.",
    "I'm going to end my life if you take the house.",
    "I'll kill myself if they send the bailiffs.",
    "I have no reason to live now he's gone.",
    "There is no point in living like this.",
    "I'm not safe from myself at the moment.",
    "I took an overdose last month and I'm scared it will happen again.",
    "I have been self-harming since the eviction notice.",
    "I've had thoughts of hurting myself.",
    "I feel suicidal.",
    "I just want to die.",
    "Some days I wish I was dead.",
    "I have nothing left to live for.",
    "I don't want to live any more.",
    "I don't want to wake up tomorrow.",
    "I've been stockpiling my tablets and I'm going to take all my pills.",
    "I thought about stepping in front of a train on the way home.",
    "I\u2019m going to kill myself.",  # a curly apostrophe, as phones type it
]

THREATS = [
    "I will come down there and hurt someone.",
    "If this is not fixed I'll come down to your office and sort someone out.",
    "I'm going to come round and batter the lot of you.",
    "I know where you live.",
    "I know where your manager works.",
    "You'll regret it.",
    "Watch your back.",
    "You'd better watch yourself.",
    "I'll make you pay for this.",
    "I'll find you.",
    "I'm going to burn the place down.",
    "I'll burn your office to the ground.",
    "Next time I'll bring a knife.",
    "I'll turn up with a baseball bat.",
    "Someone is going to get hurt.",
    "One of your staff will get hurt if this carries on.",
    "I won't be responsible for what I do.",
    "I'll be waiting for you outside when you finish.",
    "I swear I'll kill that engineer.",
    "Im gonna smash your face in.",
    "I\u2019ll knock your head off.",
    "You're going to get what's coming to you.",
]

NOT_SAFETY = [
    # idioms
    "Your new engineer is killing it, thank you!",
    "This is killing me, please just tell me when.",
    "The wait is killing me.",
    "I'm dying to know what happened to my parcel.",
    "I could kill for a coffee after that phone queue.",
    "I nearly killed myself laughing at the letter you sent.",
    "I nearly killed myself on your broken step.",
    "I was bored to death on hold.",
    "I would die of embarrassment if the neighbours saw.",
    # lawful escalation, not a threat to anyone
    "I'll go to the ombudsman.",
    "I am going to the press and my solicitor.",
    "You'll regret this when the ombudsman hears about it.",
    "I'll make you pay for the repairs through the small claims court.",
    "You will pay for this in court.",
    "You'll be sorry when this is all over Twitter.",
    "Watch out for my review on Trustpilot.",
    # things, not people; ordinary plans
    "This is going to kill my credit rating.",
    "It's going to hurt my credit score.",
    "I'm going to find another supplier.",
    "I'll find you the receipts tonight.",
    "I'll come round and pick up the parcel.",
    "I'll sort it out myself.",
    "I'm going to kick off the complaint process.",
    "They're going to kick him out of the flat.",
    "Cheaper to burn the car than fix it.",
    # hazards and accidents: urgent, but no threat from the customer
    "Someone is going to get hurt on that broken step.",
    "I hurt myself falling down the stairs you never fixed.",
    "I cut myself on the glass your engineer left.",
    # life insurance and ordinary wishes
    "I want to end my life insurance policy.",
    "I don't want to live in this flat any more.",
    "I don't want to live like this any more with the damp.",
    "I can't go on waiting for a refund.",
    "I'm going to die of boredom in this queue.",
    "That is a face I do not want to wake up to.",
    "I'd rather die than drive a Volvo.",
]


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
