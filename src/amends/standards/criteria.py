"""The standards' criteria an observation names: "CFACSC4 P11", "WM57 7", "C4 2.3". Framework-free.

The catalogue of the four units in the project's seeds (CFACSC4, CFACSC7, WM57 and the OCR unit C4), read
from `criteria.json` beside this module (data, versioned: a new standard is a new unit there). Each criterion
has the standard's code and words, a short title in our own words, its kind (performance, shown in real
work; knowledge, shown by explaining) and the criteria of other units that are the same competence
(`same_as`: OCR C4 rewords CFACSC4, so C4 2.4 is CFACSC4 P11). A reference is a unit's code, a space and
the criterion's code as the unit numbers it: P11 and K4 (performance criteria and knowledge), 7, 2.3, or a
lower-case letter for WM57's behaviours and knowledge (a to j).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("criteria.json")
MAX_CRITERIA = 20

# A unit's code (letters and digits), spaces, a criterion's code: P11, K4, 7, 2.10, a.
REFERENCE = re.compile(r"^(?P<unit>[A-Za-z][A-Za-z0-9]*)\s+(?P<code>[A-Za-z]?\d+(?:\.\d+)?|[A-Za-z])$")
SEPARATORS = re.compile(r"[,;\n]+")


KINDS = ("performance", "knowledge")


@dataclass(frozen=True)
class Criterion:
    unit: str
    code: str
    text: str
    title: str = ""
    kind: str = "performance"
    same_as: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        return f"{self.unit} {self.code}"


@dataclass(frozen=True)
class Unit:
    code: str
    title: str
    source: str
    criteria: tuple[Criterion, ...]


class CriteriaError(ValueError):
    """What is wrong with the references given, in a sentence; `bad` names each one refused."""

    def __init__(self, message: str, bad: list[str]):
        super().__init__(message)
        self.bad = bad


@functools.cache
def catalogue() -> dict[str, Unit]:
    """Every unit by its code, each with its criteria in the order the standard lists them."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return {
        unit["code"]: Unit(
            code=unit["code"],
            title=unit["title"],
            source=unit["source"],
            criteria=tuple(
                Criterion(unit["code"], c["code"], c["text"], c["title"], c["kind"], tuple(c["same_as"]))
                for c in unit["criteria"]
            ),
        )
        for unit in data["units"]
    }


def version() -> int:
    return int(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["version"])


def listing() -> list[dict]:
    """Every criterion as `amends competence criteria --json` prints it, in the catalogue's order."""
    return [
        {"unit": c.unit, "code": c.code, "kind": c.kind, "title": c.title, "same_as": list(c.same_as)}
        for unit in catalogue().values()
        for c in unit.criteria
    ]


@functools.cache
def _by_reference() -> dict[str, Criterion]:
    return {c.reference.casefold(): c for unit in catalogue().values() for c in unit.criteria}


def criterion(reference: str) -> Criterion | None:
    """The criterion a reference names, however it is spaced or cased; None if the catalogue has none."""
    match = REFERENCE.match(" ".join((reference or "").split()))
    if match is None:
        return None
    return _by_reference().get(f"{match['unit']} {match['code']}".casefold())


def references(given: str | list[str]) -> list[str]:
    """The criteria named in `given` (a list, or text separated by commas, semicolons or lines), each as
    the catalogue writes it, in the order given, once each. Raises CriteriaError naming every reference
    that is not one (the wrong shape, or a unit or criterion the catalogue does not have)."""
    items = given if isinstance(given, list) else SEPARATORS.split(given or "")
    items = [" ".join(item.split()) for item in items if item and item.strip()]
    if not items:
        raise CriteriaError("Name at least one criterion, such as CFACSC4 P11 or WM57 7", [])
    found: list[str] = []
    bad = []
    for item in items:
        named = criterion(item)
        if named is None:
            bad.append(item)
        elif named.reference not in found:
            found.append(named.reference)
    if bad:
        shape = [b for b in bad if REFERENCE.match(b) is None]
        problem = "is not a criterion reference" if shape else "names no criterion in the standards we hold"
        units = ", ".join(catalogue())
        raise CriteriaError(
            f"{', '.join(bad)} {problem}: a unit ({units}), a space and the criterion, such as "
            "CFACSC4 P11 or WM57 7",
            bad,
        )
    if len(found) > MAX_CRITERIA:
        raise CriteriaError(f"An observation names at most {MAX_CRITERIA} criteria", [])
    return found


def with_same(given: list[str]) -> list[str]:
    """The references given (as the catalogue writes them) followed by the same competences in the other
    units (CFACSC4 P11 brings C4 2.4), once each: evidence of one is evidence of the other."""
    found: list[str] = []
    for reference in given:
        named = criterion(reference)
        if named is None:
            continue
        for ref in (named.reference, *named.same_as):
            if ref not in found:
                found.append(ref)
    return found
