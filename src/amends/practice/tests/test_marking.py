"""The rubric: weighted points met, missed or not applicable; blockers fail the session whatever the score;
the feedback names the criteria and quotes the learner, with a better wording."""

import json

from amends.practice.library import SCENARIO_DIR, parse, scenarios
from amends.practice.marking import PASS_MARK, TurnRecord, assess, turn_feedback
from amends.practice.tests.test_library import play


def small(**points):
    """The first scenario with its marking points replaced."""
    data = json.loads((SCENARIO_DIR / "01-angry-double-charge.json").read_text(encoding="utf-8"))
    data["marking_points"] = [
        {
            "id": "kind",
            "text": "Kind",
            "criteria": ["CFACSC4 P11"],
            "weight": 3,
            "shown_by": ["acknowledged"],
        },
        {"id": "calm", "text": "Calm", "criteria": ["CFACSC4 P7"], "weight": 1, "broken_by": ["provoked"]},
        {
            "id": "safe",
            "text": "Safe",
            "criteria": ["CFACSC4 P17"],
            "weight": 6,
            "blocker": True,
            "shown_by": ["refund"],
            "applies_in": ["furious"],
        },
    ]
    return parse(data, "test")


def turn(number, state, text, **signals):
    return TurnRecord(number, state, text, {name: [[0, len(text)]] for name in signals})


def statuses(result):
    return {p["id"]: p["status"] for p in result["points"]}


def test_points_are_weighted_over_those_that_applied():
    scenario = small()
    result = assess(scenario, [turn(1, "angry", "Sorry.", acknowledged=True)], ended=True)
    # "safe" applies only in the furious state, never reached: not applicable, not counted.
    assert statuses(result) == {"kind": "met", "calm": "met", "safe": "not_applicable"}
    assert result["score"] == 100 and result["passed"] is True

    result = assess(scenario, [turn(1, "angry", "Calm down.", provoked=True)], ended=True)
    assert statuses(result) == {"kind": "missed", "calm": "missed", "safe": "not_applicable"}
    assert result["score"] == 0 and result["passed"] is False


def test_a_blocker_missed_fails_the_session_whatever_the_score():
    scenario = small()
    turns = [turn(1, "angry", "Sorry.", acknowledged=True), turn(2, "furious", "I hear you.")]
    result = assess(scenario, turns, ended=True)
    assert statuses(result) == {"kind": "met", "calm": "met", "safe": "missed"}
    assert result["score"] == 40 and result["blockers_failed"] == ["safe"]

    # High score, blocker missed: the threatening customer calmed down, but nobody stepped back for help.
    threat = scenarios()["threatening-at-the-counter"]
    path, result = play(
        threat, ["I want to help, but I can't carry on while there are threats.", *threat.ideal[1:]]
    )
    assert path[-1] == "settled"
    assert result["score"] >= PASS_MARK
    assert result["blockers_failed"] == ["stay-safe"] and result["passed"] is False


def test_while_running_a_point_not_yet_shown_is_not_yet_missed():
    result = assess(small(), [turn(1, "angry", "Hello.")], ended=False)
    assert statuses(result)["kind"] == "not_yet"
    assert result["passed"] is None and result["blockers_failed"] == []


def test_feedback_names_the_criteria_and_quotes_the_learner_with_a_better_wording():
    scenario = scenarios()["angry-double-charge"]
    _, result = play(scenario, ["Calm down, sir. I'm listening. It's our policy that refunds take time."])
    calm = next(p for p in result["points"] if p["id"] == "stay-calm")
    assert calm["status"] == "missed"
    assert calm["criteria"] == [
        {"reference": "CFACSC4 P7", "title": "Spots own words and acts that provoke"},
        {"reference": "CFACSC4 K6", "title": "Assertive, aggressive and passive compared"},
    ]
    assert calm["quote"] == "Calm down, sir."
    (confrontational,) = [m for m in result["mistakes"] if m["id"] == "confrontational"]
    (made,) = confrontational["made"]
    assert made["quote"] == "Calm down, sir."
    # The coach's better wording, not only the scenario's.
    assert made["better"] == "Name the feeling instead: 'I can hear how upsetting this has been.'"

    _, result = play(scenario, scenario.ideal)
    kind = next(p for p in result["points"] if p["id"] == "acknowledge-feelings")
    assert kind["quote"] == "I'm really sorry, I can hear how upsetting it is to find yourself overdrawn."
    assert kind["criteria"][0] == {
        "reference": "CFACSC4 P11",
        "title": "Shows empathy without admitting fault",
    }


def test_each_reply_has_its_own_feedback():
    scenario = scenarios()["angry-double-charge"]
    text = "I'm so sorry. You should have checked your statement."
    feedback = turn_feedback(scenario, turn(1, "angry", text, acknowledged=True, provoked=True))
    assert [p["id"] for p in feedback["met"]] == ["acknowledge-feelings"]
    assert [p["id"] for p in feedback["broke"]] == ["stay-calm"]
