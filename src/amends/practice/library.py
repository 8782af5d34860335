"""The scenario library: simulated customers as data, one JSON file each in scenarios/. Framework-free.

A scenario is a persona on a channel with the customer's opening words, notes for the learner, the criteria
it practises (references the catalogue holds, `standards.criteria`), its own marking points and the common
mistakes it watches for (the revision synopsis's), and a branching dialogue: customer states, each with a
mood (0 is the worst) and what the customer says there, and rules that choose the next state from what the
learner's reply shows (its signals, reading.py). Loading checks everything a session will rely on, so a
malformed scenario fails here, naming its file and the field, never half-way through a learner's session.

Each scenario also names its ideal replies (which the tests play to the settled state) and a provocation
(which the tests show makes the customer angrier): the data carries its own proof.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amends.standards.criteria import criterion

from .reading import BUILT_IN_SIGNALS

SCENARIO_DIR = Path(__file__).with_name("scenarios")
CHANNELS = ("phone", "face_to_face", "email", "letter", "chat", "social_media")
PERSONAS = (
    "angry",
    "passive_aggressive",
    "indecisive",
    "over_dependent",
    "threatening",
    "distressed",
    "persistent",
    "abusive",
    "public",
    "confused",
    "demanding",
)
ENDINGS = ("resolved", "lost")  # a state that ends the session: the customer settled, or walked away
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ScenarioError(ValueError):
    """A scenario the library refuses: which file, which field, what is wrong."""

    def __init__(self, source: str, where: str, problem: str):
        super().__init__(f"{source}: {where}: {problem}")
        self.source, self.where, self.problem = source, where, problem


@dataclass(frozen=True)
class Cue:
    """Phrases (regular expressions, matched in lower case from the start of a word) that show a signal.
    Negatable: a match in a negative clause ("I won't fill it in for you") does not count."""

    phrases: tuple[str, ...]
    negatable: bool = True


@dataclass(frozen=True)
class Rule:
    """Go to `to` when the reply shows every signal in `when` (an empty `when` always applies: the last
    rule of every state, so the dialogue never sticks). `says` replaces the next state's usual line, so
    the customer can answer what was just said ("Calm down? Don't tell me to calm down.")."""

    to: str
    when: tuple[str, ...] = ()
    says: str = ""


@dataclass(frozen=True)
class State:
    id: str
    mood: int
    says: tuple[str, ...]  # on arriving; again and again when the reply changes nothing, in turn
    rules: tuple[Rule, ...] = ()
    ending: str = ""  # "resolved" or "lost" ends the session here
    # Cue names what the customer says here calls for (the answer to their question, a step to safety); a
    # reply with none of them "ignored" it.
    expects: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.id.replace("_", " ")


@dataclass(frozen=True)
class MarkingPoint:
    """An observable behaviour. Shown: met once an applicable reply shows any of `shown_by`. Kept: met
    when no applicable reply shows any of `broken_by` (staying calm, never blaming). Applies on replies
    made in `applies_in` states (every state when empty); a blocker missed fails the session whatever
    the score."""

    id: str
    text: str
    criteria: tuple[str, ...]
    weight: int
    blocker: bool = False
    shown_by: tuple[str, ...] = ()
    broken_by: tuple[str, ...] = ()
    applies_in: tuple[str, ...] = ()
    example: str = ""  # a better wording, shown when the point is missed


@dataclass(frozen=True)
class Mistake:
    id: str
    text: str
    signals: tuple[str, ...]
    criteria: tuple[str, ...]
    better: str


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    channel: str
    persona: str
    situation: str
    opening: tuple[str, ...]
    criteria: tuple[str, ...]
    cues: dict[str, Cue]
    start: str
    states: dict[str, State]
    marking_points: tuple[MarkingPoint, ...]
    mistakes: tuple[Mistake, ...]
    ideal: tuple[str, ...]
    provocation: str
    version: str  # a hash of the data: a session keeps the scenario it started with
    data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def state(self, state_id: str) -> State:
        return self.states[state_id]

    @property
    def signals(self) -> frozenset[str]:
        """Every signal a rule or a marking point may name: the built-in ones and this scenario's cues."""
        return BUILT_IN_SIGNALS | frozenset(self.cues)


@functools.cache
def scenarios() -> dict[str, Scenario]:
    """Every scenario in scenarios/, by id, in file-name order. Raises ScenarioError on the first bad one."""
    found: dict[str, Scenario] = {}
    for path in sorted(SCENARIO_DIR.glob("*.json")):
        scenario = load(path)
        if scenario.id in found:
            raise ScenarioError(path.name, "id", f"{scenario.id!r} is already used by another scenario")
        found[scenario.id] = scenario
    return found


def scenario(scenario_id: str) -> Scenario | None:
    return scenarios().get(scenario_id)


def load(path: Path) -> Scenario:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ScenarioError(path.name, f"line {exc.lineno}", f"not JSON: {exc.msg}") from exc
    return parse(data, path.name)


def parse(data: Any, source: str) -> Scenario:
    """A scenario from its data (a file's, or the copy a session froze), checked throughout."""
    p = _Reader(source)
    if not isinstance(data, dict):
        raise ScenarioError(source, "(top)", "a scenario is a JSON object")
    scenario_id = p.text(data, "id")
    if not ID.match(scenario_id):
        raise ScenarioError(source, "id", "lower-case words joined by hyphens, such as 'angry-double-charge'")
    cues = _cues(p, data)
    signals = BUILT_IN_SIGNALS | frozenset(cues)
    states = _states(p, data, signals, cues)
    start = p.text(data, "start")
    if start not in states:
        raise ScenarioError(source, "start", f"no state {start!r}")
    built = Scenario(
        id=scenario_id,
        title=p.text(data, "title"),
        channel=p.choice(data, "channel", CHANNELS),
        persona=p.choice(data, "persona", PERSONAS),
        situation=p.text(data, "situation"),
        opening=p.texts(data, "opening"),
        criteria=p.criteria(data, "criteria"),
        cues=cues,
        start=start,
        states=states,
        marking_points=_marking_points(p, data, signals, states),
        mistakes=_mistakes(p, data, signals),
        ideal=p.texts(data, "ideal"),
        provocation=p.text(data, "provocation"),
        version=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16],
        data=data,
    )
    _check_endings(source, built)
    return built


def _cues(p: _Reader, data: dict) -> dict[str, Cue]:
    """Each cue: a list of phrases, or {"phrases": [...], "negatable": false} for phrases that count even
    in a negative sentence ("we can't refund after 30 days because ...": the reason is still given)."""
    out = {}
    for name, raw in p.get(data, "cues", dict, {}).items():
        where = f"cues.{name}"
        phrases, negatable = (
            (raw.get("phrases"), raw.get("negatable", True)) if isinstance(raw, dict) else (raw, True)
        )
        if not isinstance(phrases, list) or not phrases or not all(isinstance(x, str) for x in phrases):
            raise ScenarioError(p.source, where, "a list of phrases (regular expressions)")
        if not isinstance(negatable, bool):
            raise ScenarioError(p.source, f"{where}.negatable", "true or false")
        for pattern in phrases:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ScenarioError(p.source, where, f"{pattern!r} is not a pattern: {exc}") from exc
        out[name] = Cue(tuple(phrases), negatable)
    return out


def _states(p: _Reader, data: dict, signals: frozenset[str], cues: dict[str, Cue]) -> dict[str, State]:
    raw = p.get(data, "states", dict)
    states = {}
    for state_id, body in raw.items():
        where = f"states.{state_id}"
        if not isinstance(body, dict):
            raise ScenarioError(p.source, where, "a state is an object")
        q = _Reader(p.source, where)
        ending = q.get(body, "ending", str, "")
        if ending and ending not in ENDINGS:
            raise ScenarioError(p.source, f"{where}.ending", f"one of {', '.join(ENDINGS)}")
        rules = () if ending else _rules(q, body, signals, raw)
        expects = q.names(body, "expects")
        for name in expects:
            if name not in cues:
                raise ScenarioError(
                    p.source, f"{where}.expects", f"{name!r} is not one of this scenario's cues"
                )
        mood = q.get(body, "mood", int)
        states[state_id] = State(state_id, mood, q.texts(body, "says"), rules, ending, expects)
    return states


def _rules(q: _Reader, body: dict, signals: frozenset[str], states: dict) -> tuple[Rule, ...]:
    raw = q.get(body, "rules", list)
    rules = []
    for i, rule in enumerate(raw):
        where = f"{q.prefix}.rules[{i}]"
        if not isinstance(rule, dict):
            raise ScenarioError(q.source, where, "a rule is an object")
        r = _Reader(q.source, where)
        to = r.text(rule, "to")
        if to not in states:
            raise ScenarioError(q.source, f"{where}.to", f"no state {to!r}")
        when = r.names(rule, "when")
        _known(q.source, f"{where}.when", when, signals)
        rules.append(Rule(to, when, r.get(rule, "says", str, "")))
    if not rules or rules[-1].when:
        raise ScenarioError(
            q.source, f"{q.prefix}.rules", "the last rule has no 'when': it applies otherwise"
        )
    return tuple(rules)


def _marking_points(
    p: _Reader, data: dict, signals: frozenset[str], states: dict
) -> tuple[MarkingPoint, ...]:
    points = []
    for i, raw in enumerate(p.get(data, "marking_points", list)):
        q = _Reader(p.source, f"marking_points[{i}]")
        if not isinstance(raw, dict):
            raise ScenarioError(p.source, q.prefix, "a marking point is an object")
        shown, broken = q.names(raw, "shown_by"), q.names(raw, "broken_by")
        if bool(shown) == bool(broken):
            raise ScenarioError(p.source, q.prefix, "give either shown_by or broken_by")
        _known(p.source, f"{q.prefix}.shown_by", shown + broken, signals)
        applies_in = q.names(raw, "applies_in")
        for state_id in applies_in:
            if state_id not in states:
                raise ScenarioError(p.source, f"{q.prefix}.applies_in", f"no state {state_id!r}")
        weight = q.get(raw, "weight", int)
        if not 1 <= weight <= 10:
            raise ScenarioError(p.source, f"{q.prefix}.weight", "from 1 to 10")
        points.append(
            MarkingPoint(
                id=q.text(raw, "id"),
                text=q.text(raw, "text"),
                criteria=q.criteria(raw, "criteria"),
                weight=weight,
                blocker=q.get(raw, "blocker", bool, False),
                shown_by=shown,
                broken_by=broken,
                applies_in=applies_in,
                example=q.get(raw, "example", str, ""),
            )
        )
    if not points:
        raise ScenarioError(p.source, "marking_points", "at least one")
    return tuple(points)


def _mistakes(p: _Reader, data: dict, signals: frozenset[str]) -> tuple[Mistake, ...]:
    mistakes = []
    for i, raw in enumerate(p.get(data, "mistakes", list)):
        q = _Reader(p.source, f"mistakes[{i}]")
        if not isinstance(raw, dict):
            raise ScenarioError(p.source, q.prefix, "a mistake is an object")
        said = q.names(raw, "signals")
        _known(p.source, f"{q.prefix}.signals", said, signals)
        mistakes.append(
            Mistake(
                q.text(raw, "id"),
                q.text(raw, "text"),
                said,
                q.criteria(raw, "criteria"),
                q.text(raw, "better"),
            )
        )
    return tuple(mistakes)


def _check_endings(source: str, scenario: Scenario) -> None:
    endings = {s.ending for s in scenario.states.values()}
    if "resolved" not in endings or "lost" not in endings:
        raise ScenarioError(source, "states", "needs a state ending 'resolved' and one ending 'lost'")
    if scenario.states[scenario.start].ending:
        raise ScenarioError(source, "start", "the session cannot start in an ending")


def _known(source: str, where: str, names: tuple[str, ...], signals: frozenset[str]) -> None:
    for name in names:
        if name not in signals:
            raise ScenarioError(source, where, f"{name!r} is neither a built-in signal nor one of the cues")


@dataclass(frozen=True)
class _Reader:
    """Reads fields of one object, naming the file and the field's path in every refusal."""

    source: str
    prefix: str = ""

    def where(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def get(self, obj: dict, name: str, kind: type, default: Any = ...) -> Any:
        if name not in obj:
            if default is ...:
                raise ScenarioError(self.source, self.where(name), "missing")
            return default
        value = obj[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ScenarioError(self.source, self.where(name), f"should be {kind.__name__}")
        return value

    def text(self, obj: dict, name: str) -> str:
        value = self.get(obj, name, str).strip()
        if not value:
            raise ScenarioError(self.source, self.where(name), "empty")
        return value

    def texts(self, obj: dict, name: str) -> tuple[str, ...]:
        value = self.get(obj, name, list)
        if not value or not all(isinstance(x, str) and x.strip() for x in value):
            raise ScenarioError(self.source, self.where(name), "a list of one or more lines of text")
        return tuple(value)

    def names(self, obj: dict, name: str) -> tuple[str, ...]:
        """A list of names (signals, states, cues); an empty one when the field is left out."""
        value = self.get(obj, name, list, [])
        if not all(isinstance(x, str) for x in value):
            raise ScenarioError(self.source, self.where(name), "a list of names")
        return tuple(value)

    def choice(self, obj: dict, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(obj, name)
        if value not in allowed:
            raise ScenarioError(
                self.source, self.where(name), f"{value!r} is not one of {', '.join(allowed)}"
            )
        return value

    def criteria(self, obj: dict, name: str) -> tuple[str, ...]:
        refs = self.texts(obj, name)
        named = []
        for ref in refs:
            found = criterion(ref)
            if found is None:
                raise ScenarioError(
                    self.source, self.where(name), f"{ref!r} is not in the criteria catalogue"
                )
            named.append(found.reference)
        return tuple(named)
