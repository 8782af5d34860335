"""The question banks: knowledge questions as data (`banks/*.yaml`), validated on load. Framework-free.

Each bank file has a name, a title, a version (raise it when a question's meaning or answer changes: an
attempt keeps the questions it started with) and its questions. A question names the knowledge criteria it
tests (references the catalogue holds, kind "knowledge") and is one of three formats:

- choice: options, one or several correct, each with why it is or is not;
- order: steps written in the right order (shown shuffled, the same way every time);
- short: free text with a model answer and guidance for the assessor, who marks it.

A mistake in a file is a BankError naming the file and the field ("complaints.yaml: questions[3].options:
..."), raised when the banks are first read, so a bad bank never reaches a learner.
"""

from __future__ import annotations

import functools
import random
import string
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from amends.standards.criteria import criterion

BANKS_DIR = Path(__file__).with_name("banks")
FORMATS = ("choice", "order", "short")
KEYS = string.ascii_lowercase


class BankError(ValueError):
    """A question bank file that is not right, naming the file and the field."""


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Step:
    key: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    bank: str
    format: str
    prompt: str
    criteria: tuple[str, ...]
    options: tuple[Option, ...] = ()
    # Order questions: the steps as shown (shuffled), and the keys in the right order.
    steps: tuple[Step, ...] = ()
    order: tuple[str, ...] = ()
    why: str = ""
    model_answer: str = ""
    guidance: str = ""

    @property
    def several(self) -> bool:
        """A choice with more than one correct option: the learner picks all that apply."""
        return sum(o.correct for o in self.options) > 1

    @property
    def correct_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options if o.correct)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """A question as an attempt froze it (`to_dict`)."""
        return cls(
            **{
                **data,
                "criteria": tuple(data["criteria"]),
                "options": tuple(Option(**o) for o in data.get("options", ())),
                "steps": tuple(Step(**s) for s in data.get("steps", ())),
                "order": tuple(data.get("order", ())),
            }
        )


@dataclass(frozen=True)
class Bank:
    name: str
    title: str
    version: int
    questions: tuple[Question, ...] = field(default=())


@functools.cache
def banks() -> dict[str, Bank]:
    """Every bank by name, read once; raises BankError for the first file that is wrong."""
    found: dict[str, Bank] = {}
    ids: dict[str, str] = {}
    for path in sorted(BANKS_DIR.glob("*.yaml")):
        bank = load(path)
        if bank.name in found:
            raise BankError(f"{path.name}: bank: {bank.name!r} is also the name of another bank")
        for q in bank.questions:
            if q.id in ids:
                raise BankError(f"{path.name}: questions: id {q.id!r} is also used in {ids[q.id]}")
            ids[q.id] = path.name
        found[bank.name] = bank
    return found


def questions_for(references: list[str] | set[str]) -> list[Question]:
    """Every question that tests any of these criteria, in the banks' order."""
    wanted = set(references)
    return [q for bank in banks().values() for q in bank.questions if wanted & set(q.criteria)]


def covered() -> set[str]:
    """The criteria at least one question tests."""
    return {ref for bank in banks().values() for q in bank.questions for ref in q.criteria}


def load(path: Path) -> Bank:
    """One bank file, validated."""
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BankError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise BankError(f"{where}: expected a mapping with bank, title, version and questions")
    name = _text(data, "bank", where)
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise BankError(f"{where}: version: a whole number from 1")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise BankError(f"{where}: questions: a list of at least one question")
    return Bank(
        name=name,
        title=_text(data, "title", where),
        version=version,
        questions=tuple(_question(q, name, f"{where}: questions[{i}]") for i, q in enumerate(questions)),
    )


def _question(data: Any, bank: str, where: str) -> Question:
    if not isinstance(data, dict):
        raise BankError(f"{where}: expected a mapping")
    qid = _text(data, "id", where)
    where = f"{where} ({qid})"
    kind = data.get("format")
    if kind not in FORMATS:
        raise BankError(f"{where}: format: one of {', '.join(FORMATS)}, not {kind!r}")
    common = {
        "id": qid,
        "bank": bank,
        "format": kind,
        "prompt": _text(data, "prompt", where),
        "criteria": _criteria(data.get("criteria"), where),
    }
    if kind == "choice":
        return Question(**common, options=_options(data.get("options"), where))
    if kind == "order":
        steps, order = _steps(qid, data.get("steps"), where)
        return Question(**common, steps=steps, order=order, why=_text(data, "why", where))
    return Question(
        **common, model_answer=_text(data, "model_answer", where), guidance=_text(data, "guidance", where)
    )


def _text(data: dict, name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{where}: {name}: required text")
    return " ".join(value.split())


def _criteria(given: Any, where: str) -> tuple[str, ...]:
    if not isinstance(given, list) or not given:
        raise BankError(f"{where}: criteria: a list of at least one knowledge criterion")
    found = []
    for ref in given:
        named = criterion(str(ref))
        if named is None:
            raise BankError(f"{where}: criteria: {ref!r} names no criterion in the catalogue")
        if named.kind != "knowledge":
            raise BankError(
                f"{where}: criteria: {named.reference} is a {named.kind} criterion, not knowledge"
            )
        found.append(named.reference)
    return tuple(dict.fromkeys(found))


def _options(given: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(given, list) or not 2 <= len(given) <= len(KEYS):
        raise BankError(f"{where}: options: a list of at least two options")
    options = []
    for i, o in enumerate(given):
        at = f"{where}: options[{i}]"
        if not isinstance(o, dict) or not isinstance(o.get("correct"), bool):
            raise BankError(f"{at}: text, correct (true or false) and why")
        options.append(Option(KEYS[i], _text(o, "text", at), o["correct"], _text(o, "why", at)))
    if not any(o.correct for o in options):
        raise BankError(f"{where}: options: at least one must be correct")
    return tuple(options)


def _steps(qid: str, given: Any, where: str) -> tuple[tuple[Step, ...], tuple[str, ...]]:
    """The steps as shown and the right order of their keys. The file lists them in the right order; they
    are shown shuffled by the question's id (the same every time, so a frozen attempt and the page agree)
    and never in the right order, which would give the answer away."""
    if not isinstance(given, list) or not 3 <= len(given) <= len(KEYS):
        raise BankError(f"{where}: steps: a list of at least three steps, in the right order")
    texts = [" ".join(str(s).split()) for s in given]
    if any(not t for t in texts) or len(set(texts)) != len(texts):
        raise BankError(f"{where}: steps: each step is text, and different from the others")
    shown = list(range(len(texts)))
    random.Random(qid).shuffle(shown)
    if shown == sorted(shown):
        shown = shown[1:] + shown[:1]
    steps = tuple(Step(KEYS[i], texts[right]) for i, right in enumerate(shown))
    key_of = {right: KEYS[i] for i, right in enumerate(shown)}
    return steps, tuple(key_of[right] for right in range(len(texts)))
