"""Regimes in the database: built-ins loaded on migrate, versions never rewritten, organisations' own
regimes added through regime_version_add, and the version in force on a date."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.regimes.definition import load_builtin, parse
from amends.regimes.models import Regime, RegimeVersion
from amends.regimes.selectors import current_version, regimes_with_current_version
from amends.regimes.services import BuiltinChanged, regime_sync_builtin, regime_version_add

pytestmark = pytest.mark.django_db


def _own_targets() -> dict:
    """An organisation's internal targets: the ISO 10002 regime without its code and name."""
    iso = next(d for d in load_builtin() if d.code == "internal-iso10002")
    data = copy.deepcopy(dict(iso.raw))
    for key in ("code", "name", "version", "effective_from"):
        data.pop(key)
    return data


def test_migrate_loaded_every_builtin_version():
    builtin = load_builtin()
    assert RegimeVersion.objects.count() == len(builtin)
    assert set(Regime.objects.filter(is_builtin=True).values_list("code", flat=True)) == {
        d.code for d in builtin
    }
    stored = RegimeVersion.objects.get(regime__code="hos-2024", version=1)
    assert stored.effective_from == date(2024, 4, 1)
    assert stored.parsed().stage("stage2").clock("stage2_response").amount == 20


def test_sync_is_idempotent():
    before = list(RegimeVersion.objects.values_list("pk", "definition"))
    assert regime_sync_builtin() == []
    assert regime_sync_builtin() == []
    assert list(RegimeVersion.objects.values_list("pk", "definition")) == before


def test_sync_refuses_changed_content_without_a_version_bump():
    fca = next(d for d in load_builtin() if d.code == "fca-disp")
    edited = copy.deepcopy(dict(fca.raw))
    edited["stages"][0]["clocks"][1]["amount"] = 4
    with pytest.raises(BuiltinChanged, match=r"save your edit as fca-disp\.v2\.json"):
        regime_sync_builtin(definitions=[parse(edited, source="fca-disp.v1.json")])
    stored = RegimeVersion.objects.get(regime__code="fca-disp", version=1)
    assert stored.definition["stages"][0]["clocks"][1]["amount"] == 3

    edited.update(version=2, effective_from="2027-01-01", name="FCA DISP 1 (general complaints), 2027")
    assert regime_sync_builtin(definitions=[parse(edited, source="fca-disp.v2.json")]) == ["fca-disp v2"]
    assert Regime.objects.get(code="fca-disp").name == "FCA DISP 1 (general complaints), 2027"
    assert current_version("fca-disp", date(2026, 12, 31)).version == 1
    assert current_version("fca-disp", date(2027, 1, 1)).version == 2


def test_stored_versions_are_never_changed_or_deleted():
    version = RegimeVersion.objects.get(regime__code="ofgem", version=1)
    version.effective_from = date(2000, 1, 1)
    with pytest.raises(ValueError, match="never changed"):
        version.save()
    with pytest.raises(ValueError, match="never deleted"):
        version.delete()


def test_an_organisation_adds_its_own_regime_and_every_change_is_audited(complaints_lead):
    first = regime_version_add(
        code="acme-targets",
        name="Acme service promise",
        definition=_own_targets(),
        effective_from=date(2026, 1, 1),
        actor=complaints_lead,
    )
    assert (first.version, first.regime.is_builtin, first.definition["code"]) == (1, False, "acme-targets")
    targets = _own_targets()
    targets["stages"][0]["clocks"][0]["amount"] = 1
    second = regime_version_add(
        code="acme-targets",
        name="Acme service promise",
        definition=targets,
        effective_from=date(2026, 7, 1),
        actor=complaints_lead,
    )
    assert second.version == 2 and second.parsed().stage("stage1").clock("acknowledgement").amount == 1
    kinds = list(
        AuditEvent.objects.filter(actor=complaints_lead).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["regime.created", "regime_version.added", "regime_version.added"]
    assert AuditEvent.objects.filter(kind="regime_version.added", after__version=2).count() == 1


def test_current_version_respects_effective_from(complaints_lead):
    for effective in (date(2026, 1, 1), date(2026, 7, 1)):
        regime_version_add(
            code="acme-targets",
            name="Acme service promise",
            definition=_own_targets(),
            effective_from=effective,
            actor=complaints_lead,
        )
    assert current_version("acme-targets", date(2025, 12, 31)) is None
    assert current_version("acme-targets", date(2026, 1, 1)).version == 1
    assert current_version("acme-targets", date(2026, 6, 30)).version == 1
    assert current_version("acme-targets", date(2026, 7, 1)).version == 2
    assert current_version("acme-targets", date(2030, 1, 1)).version == 2
    assert current_version("fca-disp", date(2016, 6, 29)) is None
    assert current_version("no-such-regime", date(2026, 1, 1)) is None
    listing = {
        regime.code: (now, first) for regime, now, first in regimes_with_current_version(date(2026, 3, 1))
    }
    assert listing["acme-targets"][0].version == 1 and listing["acme-targets"][1].version == 1


def test_bad_additions_are_refused_and_nothing_is_stored(complaints_lead):
    def add(**overrides):
        arguments = dict(
            code="acme-targets",
            name="Acme",
            definition=_own_targets(),
            effective_from=date(2026, 1, 1),
            actor=complaints_lead,
        )
        arguments.update(overrides)
        return regime_version_add(**arguments)

    broken = _own_targets()
    broken["stages"][0]["clocks"][0]["unit"] = "fortnights"
    with pytest.raises(DomainError) as caught:
        add(definition=broken)
    assert caught.value.code == "invalid_definition"
    assert "stages[0].clocks[0].unit" in caught.value.message
    with pytest.raises(Conflict, match="built-in regime"):
        add(code="fca-disp")
    with pytest.raises(DomainError, match="does not match"):
        add(definition={**_own_targets(), "code": "other"})
    assert not Regime.objects.filter(code="acme-targets").exists()

    add()
    with pytest.raises(DomainError, match="cannot start before"):
        add(effective_from=date(2025, 1, 1))
    assert RegimeVersion.objects.filter(regime__code="acme-targets").count() == 1


def test_sync_refuses_a_builtin_code_an_organisation_already_uses(complaints_lead):
    regime_version_add(
        code="acme-targets",
        name="Acme",
        definition=_own_targets(),
        effective_from=date(2026, 1, 1),
        actor=complaints_lead,
    )
    clash = copy.deepcopy(dict(next(d for d in load_builtin() if d.code == "water").raw))
    clash["code"] = "acme-targets"
    with pytest.raises(BuiltinChanged, match="clashes"):
        regime_sync_builtin(definitions=[parse(clash, source="acme-targets.v1.json")])
