"""Regime definitions: the JSON contract of docs/design/complaint-process.md as typed, checked data.

Framework-free. `parse` turns one definition (a dict from a file or from an organisation) into a frozen
RegimeDefinition or raises DefinitionError naming the source and the field (for example
"fca-disp.v1.json: stages[0].clocks[1].unit: unknown value 'fortnights' (expected one of ...)").
Unknown keys are refused too, so a misspelt "count_form" cannot silently fall back to a default.

Evidence labels (regulation.md): V verified in a primary source, S secondary source only, M memory or our
own choice. A block's label is the weakest of the facts it states; a fact given as null is not stated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from .calendar import COUNT_FROM, ENDS, UNITS
from .vocabulary import (
    ACKNOWLEDGES,
    CALENDARS,
    EVIDENCE_FACTS,
    EVIDENCE_LABELS,
    EXTENSION_STARTS,
    KINDS,
    LETTER_ELEMENTS,
    LETTER_KINDS,
    PAUSES_WHEN,
    START_EVENTS,
)

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

REGIME_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
BLOCK_RE = re.compile(r"^block:[a-z0-9]+(?:[._-][a-z0-9]+)*$")


class DefinitionError(ValueError):
    """A definition that does not follow the contract. `field` is a path such as stages[0].clocks[1].unit."""

    def __init__(self, source: str, field: str, problem: str):
        super().__init__(f"{source}: {field}: {problem}" if field else f"{source}: {problem}")
        self.source = source
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str


@dataclass(frozen=True)
class Clock:
    code: str
    name: str
    amount: int
    unit: str
    start: str
    count_from: str
    ends: str
    regulatory: bool
    evidence: str
    optional: bool = False
    warn_before: Period | None = None
    pauses_when: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Extension:
    """How far a stage's deadline may move, and on what condition. `amount` is None when the new date is
    agreed with the complainant rather than fixed (`by_agreement`)."""

    code: str
    name: str
    extends: str
    start: str
    amount: int | None
    unit: str | None
    count_from: str
    ends: str
    regulatory: bool
    evidence: str
    by_agreement: bool = False
    letter: str | None = None
    condition: str = ""
    note: str = ""


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    clocks: tuple[Clock, ...]
    extension: Extension | None = None
    note: str = ""

    def clock(self, code: str) -> Clock:
        for clock in self.clocks:
            if clock.code == code:
                return clock
        raise KeyError(code)


@dataclass(frozen=True)
class Referral:
    body: str
    website: str | None
    customer_time_limit: str | None
    evidence: str
    note: str = ""


@dataclass(frozen=True)
class LetterSpec:
    kind: str
    required: tuple[str, ...]
    evidence: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RegimeDefinition:
    code: str
    version: int
    effective_from: date
    name: str
    sector: str
    kind: str
    complaint_definition: str
    evidence: Mapping[str, str]
    calendar: str
    referral: Referral | None
    retention_years: int | None
    stages: tuple[Stage, ...]
    keep_informed: Period | None
    letters: Mapping[str, LetterSpec]
    note: str = ""
    sources: tuple[str, ...] = ()
    # The definition exactly as given: what RegimeVersion stores and what a built-in file is compared with.
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def regulatory(self) -> bool:
        return self.kind == "regulatory"

    def stage(self, code: str) -> Stage:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)


class _Node:
    """One JSON object being read: knows where it is, so every error can name the field."""

    def __init__(self, data: Any, source: str, path: str, allowed: tuple[str, ...]):
        self.source, self.path = source, path
        if not isinstance(data, dict):
            self.fail("", f"must be an object, not {type(data).__name__}")
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            self.fail(unknown[0], f"unknown field (expected one of {', '.join(allowed)})")
        self.data: dict[str, Any] = data

    def where(self, key: str) -> str:
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> NoReturn:
        raise DefinitionError(self.source, self.where(key), problem)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "required")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, "must be a non-empty string")
        return value

    def maybe_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else None

    def integer(self, key: str, *, minimum: int) -> int:
        value = self.data.get(key)
        if value is None:
            self.fail(key, "required")
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"must be a whole number of at least {minimum}, not {value!r}")
        return value

    def maybe_integer(self, key: str, *, minimum: int) -> int | None:
        return self.integer(key, minimum=minimum) if self.has(key) else None

    def flag(self, key: str, *, required: bool = True) -> bool:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "required (true or false)")
            return False
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.data.get(key)
        if value is None:
            self.fail(key, f"required (one of {', '.join(choices)})")
        if value not in choices:
            self.fail(key, f"unknown value {value!r} (expected one of {', '.join(choices)})")
        return value

    def maybe_choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        return self.choice(key, choices) if self.has(key) else None

    def code(self, key: str, pattern: re.Pattern[str] = CODE_RE) -> str:
        value = self.text(key)
        if not pattern.match(value):
            self.fail(key, f"{value!r} is not a valid code (pattern {pattern.pattern})")
        return value

    def child(self, key: str, allowed: tuple[str, ...]) -> _Node:
        return _Node(self.data.get(key), self.source, self.where(key), allowed)

    def items(self, key: str, *, required: bool = True) -> list[Any]:
        value = self.data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(key, "must be a non-empty list")
        return value


def _label(node: _Node, key: str = "evidence") -> str:
    return node.choice(key, EVIDENCE_LABELS)


def _period(node: _Node) -> Period:
    return Period(amount=node.integer("amount", minimum=1), unit=node.choice("unit", UNITS))


def _clock(node: _Node) -> Clock:
    regulatory = node.flag("regulatory")
    pauses_when = node.maybe_choice("pauses_when", PAUSES_WHEN)
    if pauses_when and regulatory:
        node.fail("pauses_when", "regulatory clocks never pause; only internal targets may")
    warn_before = None
    if node.has("warn_before"):
        warn_before = _period(node.child("warn_before", ("amount", "unit")))
    return Clock(
        code=node.code("code"),
        name=node.text("name"),
        amount=node.integer("amount", minimum=1),
        unit=node.choice("unit", UNITS),
        start=node.choice("start", START_EVENTS),
        count_from=node.choice("count_from", COUNT_FROM),
        ends=node.choice("ends", ENDS),
        regulatory=regulatory,
        evidence=_label(node),
        optional=node.flag("optional", required=False),
        warn_before=warn_before,
        pauses_when=pauses_when,
        note=node.text("note", required=False),
    )


EXTENSION_FIELDS = (
    "code",
    "name",
    "extends",
    "start",
    "amount",
    "unit",
    "count_from",
    "ends",
    "regulatory",
    "evidence",
    "by_agreement",
    "letter",
    "condition",
    "note",
)


def _extension(node: _Node, clock_codes: list[str]) -> Extension:
    extends = node.text("extends")
    if extends not in clock_codes:
        node.fail("extends", f"{extends!r} is not a clock of this stage ({', '.join(clock_codes)})")
    by_agreement = node.flag("by_agreement", required=False)
    if by_agreement:
        for key in ("amount", "unit"):
            if node.has(key):
                node.fail(key, "must be null when the new date is agreed (by_agreement)")
        amount: int | None = None
        unit: str | None = None
    else:
        amount = node.integer("amount", minimum=1)
        unit = node.choice("unit", UNITS)
    return Extension(
        code=node.code("code"),
        name=node.text("name"),
        extends=extends,
        start=node.choice("start", EXTENSION_STARTS),
        amount=amount,
        unit=unit,
        count_from=node.choice("count_from", COUNT_FROM),
        ends=node.choice("ends", ENDS),
        regulatory=node.flag("regulatory"),
        evidence=_label(node),
        by_agreement=by_agreement,
        letter=node.maybe_choice("letter", LETTER_KINDS),
        condition=node.text("condition", required=False),
        note=node.text("note", required=False),
    )


CLOCK_FIELDS = (
    "code",
    "name",
    "amount",
    "unit",
    "start",
    "count_from",
    "ends",
    "regulatory",
    "optional",
    "warn_before",
    "pauses_when",
    "evidence",
    "note",
)


def _stage(node: _Node) -> Stage:
    clocks: list[Clock] = []
    for i, item in enumerate(node.items("clocks")):
        clock_node = _Node(item, node.source, f"{node.path}.clocks[{i}]", CLOCK_FIELDS)
        clock = _clock(clock_node)
        if any(c.code == clock.code for c in clocks):
            clock_node.fail("code", f"duplicate clock code {clock.code!r} in this stage")
        clocks.append(clock)
    for key_event, ack_event in ACKNOWLEDGES.items():
        waits = [c for c in clocks if c.start == ack_event]
        has_ack = any(c.code == "acknowledgement" and c.start == key_event for c in clocks)
        if waits and not has_ack:
            node.fail(
                "clocks",
                f"clock {waits[0].code!r} starts at {ack_event!r}, so the stage needs an 'acknowledgement' "
                f"clock starting at {key_event!r} to bound it",
            )
    extension = None
    if node.has("extension"):
        extension = _extension(node.child("extension", EXTENSION_FIELDS), [c.code for c in clocks])
    return Stage(
        code=node.code("code"),
        name=node.text("name"),
        clocks=tuple(clocks),
        extension=extension,
        note=node.text("note", required=False),
    )


def _letters(node: _Node) -> dict[str, LetterSpec]:
    letters: dict[str, LetterSpec] = {}
    for kind in node.data:
        if kind not in LETTER_KINDS:
            node.fail(kind, f"unknown letter kind (expected one of {', '.join(LETTER_KINDS)})")
        spec = node.child(kind, ("required", "evidence", "note"))
        required = spec.items("required")
        for i, element in enumerate(required):
            if not isinstance(element, str) or not (element in LETTER_ELEMENTS or BLOCK_RE.match(element)):
                spec.fail(
                    f"required[{i}]",
                    f"unknown element {element!r} "
                    f"(expected block:<code> or one of {', '.join(LETTER_ELEMENTS)})",
                )
        if len(set(required)) != len(required):
            spec.fail("required", "lists an element twice")
        letters[kind] = LetterSpec(
            kind=kind,
            required=tuple(required),
            evidence=spec.maybe_choice("evidence", EVIDENCE_LABELS),
            note=spec.text("note", required=False),
        )
    return letters


TOP_FIELDS = (
    "code",
    "version",
    "effective_from",
    "name",
    "sector",
    "kind",
    "complaint_definition",
    "evidence",
    "calendar",
    "referral",
    "retention_years",
    "stages",
    "keep_informed",
    "letters",
    "note",
    "sources",
)


def parse(data: Any, *, source: str) -> RegimeDefinition:
    """Check one definition against the contract and return it typed. `source` names it in errors."""
    top = _Node(data, source, "", TOP_FIELDS)
    effective_text = top.text("effective_from")
    try:
        effective_from = date.fromisoformat(effective_text)
    except ValueError:
        top.fail("effective_from", f"{effective_text!r} is not a date (YYYY-MM-DD)")
    evidence_node = top.child("evidence", EVIDENCE_FACTS)
    evidence = {key: _label(evidence_node, key) for key in evidence_node.data}
    if "complaint_definition" not in evidence:
        evidence_node.fail("complaint_definition", "required: label the complaint definition V, S or M")
    kind = top.maybe_choice("kind", KINDS) or "regulatory"
    referral = None
    if top.has("referral"):
        ref = top.child("referral", ("body", "website", "customer_time_limit", "evidence", "note"))
        referral = Referral(
            body=ref.text("body"),
            website=ref.maybe_text("website"),
            customer_time_limit=ref.maybe_text("customer_time_limit"),
            evidence=_label(ref),
            note=ref.text("note", required=False),
        )
    elif kind == "regulatory":
        top.fail("referral", "required for a regulatory regime (who the customer can go to next)")
    stages: list[Stage] = []
    for i, item in enumerate(top.items("stages")):
        stage_node = _Node(item, source, f"stages[{i}]", ("code", "name", "clocks", "extension", "note"))
        stage = _stage(stage_node)
        if any(s.code == stage.code for s in stages):
            stage_node.fail("code", f"duplicate stage code {stage.code!r}")
        stages.append(stage)
    keep_informed = None
    if top.has("keep_informed"):
        keep_informed = _period(top.child("keep_informed", ("amount", "unit")))
    letters = _letters(top.child("letters", LETTER_KINDS))
    for i, stage in enumerate(stages):
        if stage.extension and stage.extension.letter and stage.extension.letter not in letters:
            top.fail(f"stages[{i}].extension.letter", f"no {stage.extension.letter!r} letter is defined")
    sources = top.items("sources", required=False)
    if not all(isinstance(s, str) for s in sources):
        top.fail("sources", "must be a list of strings")
    return RegimeDefinition(
        code=top.code("code", REGIME_CODE_RE),
        version=top.integer("version", minimum=1),
        effective_from=effective_from,
        name=top.text("name"),
        sector=top.text("sector"),
        kind=kind,
        complaint_definition=top.text("complaint_definition"),
        evidence=evidence,
        calendar=top.choice("calendar", CALENDARS),
        referral=referral,
        retention_years=top.maybe_integer("retention_years", minimum=1),
        stages=tuple(stages),
        keep_informed=keep_informed,
        letters=letters,
        note=top.text("note", required=False),
        sources=tuple(sources),
        raw=data,
    )


def load_file(path: Path) -> RegimeDefinition:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DefinitionError(path.name, "", f"cannot read: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise DefinitionError(path.name, "", f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    return parse(data, source=path.name)


def load_builtin(directory: Path = DEFINITIONS_DIR) -> list[RegimeDefinition]:
    """Every built-in definition, sorted by code then version. Files are named <code>.v<version>.json."""
    definitions = []
    for path in sorted(directory.glob("*.json")):
        definition = load_file(path)
        expected = f"{definition.code}.v{definition.version}.json"
        if path.name != expected:
            raise DefinitionError(path.name, "", f"file name must be {expected} (its code and version)")
        definitions.append(definition)
    return sorted(definitions, key=lambda d: (d.code, d.version))
