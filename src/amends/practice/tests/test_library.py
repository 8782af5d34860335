"""The scenario library: every scenario loads and its dialogue does what its data says. For each, the ideal
replies it names reach the settled state (and pass), and its provocation makes the customer angrier. A
malformed scenario is refused with its file and field named."""

import json

import pytest

from amends.practice import library
from amends.practice.dialogue import step
from amends.practice.library import ScenarioError, load, scenarios
from amends.practice.marking import TurnRecord, assess
from amends.standards.criteria import criterion

ALL = sorted(scenarios())


def play(scenario, replies):
    """The states the replies lead through, and the rubric at the end."""
    state, line, visits, turns, path = scenario.start, " ".join(scenario.opening), {}, [], [scenario.start]
    for number, reply in enumerate(replies, 1):
        moved = step(scenario, state, reply, customer_text=line, visits=visits)
        turns.append(TurnRecord(number, state, reply, moved.reading.signals, moved.reading.findings_dict()))
        visits[moved.after] = visits.get(moved.after, 0) + 1
        state, line = moved.after, moved.says
        path.append(state)
        if moved.ending:
            break
    return path, assess(scenario, turns, ended=True)


def test_the_library_covers_the_personas_and_channels_the_standards_name():
    found = scenarios().values()
    assert len(found) >= 12
    personas = {s.persona for s in found}
    assert {
        "angry",
        "passive_aggressive",
        "indecisive",
        "over_dependent",
        "threatening",
        "distressed",
        "persistent",
        "public",
        "abusive",
    } <= personas
    assert {"phone", "face_to_face", "letter", "email", "social_media", "chat"} <= {s.channel for s in found}
    for s in found:  # every criterion named is one the catalogue holds
        named = set(s.criteria) | {c for p in s.marking_points for c in p.criteria}
        assert all(criterion(ref) is not None for ref in named), s.id


@pytest.mark.parametrize("scenario_id", ALL)
def test_the_ideal_replies_settle_the_customer_and_pass(scenario_id):
    scenario = scenarios()[scenario_id]
    path, result = play(scenario, scenario.ideal)
    assert scenario.state(path[-1]).ending == "resolved", path
    assert len(path) == len(scenario.ideal) + 1  # each ideal reply is needed: none is spare
    assert result["passed"] and not result["blockers_failed"]
    assert result["score"] >= 90
    assert not result["mistakes"]


@pytest.mark.parametrize("scenario_id", ALL)
def test_the_provocation_makes_the_customer_angrier(scenario_id):
    scenario = scenarios()[scenario_id]
    path, result = play(scenario, [scenario.provocation])
    assert scenario.state(path[1]).mood < scenario.state(path[0]).mood
    assert result["mistakes"]  # and the feedback names it


def test_good_practice_recovers_a_provoked_customer():
    scenario = scenarios()["angry-double-charge"]
    path, _ = play(
        scenario,
        [
            "Calm down, it's our policy.",
            "I'm sorry, I can hear how upsetting this is.",
            "I'm really sorry. I will refund the second payment today.",
        ],
    )
    assert path == ["angry", "furious", "angry", "calmer"]


def test_a_question_ignored_makes_the_customer_angrier():
    scenario = scenarios()["angry-double-charge"]
    path, result = play(scenario, ["Thank you for calling. Can I take your name and postcode?"])
    assert path == ["angry", "furious"]
    assert [m["id"] for m in result["mistakes"]] == ["not-listening"]


def test_the_same_replies_always_lead_the_same_way():
    scenario = scenarios()["over-dependent-daily-caller"]
    replies = [
        "Of course, I'll fill it in for you and ring you every day.",
        "What I can do is go through it with you.",
    ]
    assert play(scenario, replies) == play(scenario, replies)
    assert play(scenario, replies)[0] == ["clinging", "clinging", "reassured"]


def write(tmp_path, data):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def scenario_data(**changes):
    data = json.loads((library.SCENARIO_DIR / "01-angry-double-charge.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        ({"title": ""}, "title", "empty"),
        ({"channel": "pigeon"}, "channel", "'pigeon' is not one of"),
        ({"criteria": ["CFACSC4 P99"]}, "criteria", "'CFACSC4 P99' is not in the criteria catalogue"),
        ({"start": "nowhere"}, "start", "no state 'nowhere'"),
        ({"cues": {"refund": ["(unclosed"]}}, "cues.refund", "is not a pattern"),
        ({"marking_points": []}, "marking_points", "at least one"),
    ],
)
def test_a_malformed_scenario_is_refused_naming_the_file_and_field(tmp_path, change, where, problem):
    with pytest.raises(ScenarioError) as refused:
        load(write(tmp_path, scenario_data(**change)))
    assert (refused.value.source, refused.value.where) == ("bad.json", where)
    assert problem in refused.value.problem
    assert str(refused.value).startswith(f"bad.json: {where}: ")


def test_rules_name_known_states_and_signals_and_always_end_with_otherwise(tmp_path):
    data = scenario_data()
    data["states"]["angry"]["rules"][0] = {"when": ["telepathy"], "to": "furious"}
    with pytest.raises(ScenarioError, match=r"states\.angry\.rules\[0\]\.when: 'telepathy'"):
        load(write(tmp_path, data))
    data = scenario_data()
    data["states"]["angry"]["rules"][0]["to"] = "moon"
    with pytest.raises(ScenarioError, match=r"states\.angry\.rules\[0\]\.to: no state 'moon'"):
        load(write(tmp_path, data))
    data = scenario_data()
    data["states"]["wary"]["rules"] = [{"when": ["provoked"], "to": "furious"}]
    with pytest.raises(ScenarioError, match=r"states\.wary\.rules: the last rule has no 'when'"):
        load(write(tmp_path, data))
    data = scenario_data()
    data["marking_points"][0]["weight"] = "heavy"
    with pytest.raises(ScenarioError, match=r"marking_points\[0\]\.weight: should be int"):
        load(write(tmp_path, data))


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "id": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken.json: line 3: not JSON"):
        load(path)
