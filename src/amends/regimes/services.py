"""Writes to regimes: loading the built-in definitions and adding an organisation's own versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.services import audit_record
from amends.customers.models import Channel

from .choosing import MATCHES, Rule
from .definition import DefinitionError, RegimeDefinition, load_builtin, parse
from .models import Regime, RegimeRule, RegimeVersion


class BuiltinChanged(Exception):
    """A shipped definition file no longer matches the version stored under the same number.

    A programming error, not bad input: cases may already follow the stored rules, so the file must get a
    new version number (and its own effective_from) instead of rewriting history.
    """


def regime_sync_builtin(
    *, definitions: list[RegimeDefinition] | None = None, using: str = "default"
) -> list[str]:
    """Store every built-in regime version the database lacks; returns "code vN" for each one added.

    Idempotent: running it again adds nothing. Stored rows are never modified. Raises BuiltinChanged if a
    file's content differs from the stored version of the same number, or if an organisation already
    uses the built-in regime's code for a regime of its own.
    """
    definitions = load_builtin() if definitions is None else definitions
    added: list[str] = []
    with transaction.atomic(using=using):
        for definition in definitions:
            regime = Regime.objects.using(using).filter(code=definition.code).first()
            if regime is None:
                regime = Regime.objects.using(using).create(
                    code=definition.code, name=definition.name, sector=definition.sector, is_builtin=True
                )
            elif not regime.is_builtin:
                raise BuiltinChanged(
                    f"The built-in regime {definition.code!r} clashes with an organisation's own regime of "
                    "the same code; rename one of them"
                )
            stored = (
                RegimeVersion.objects.using(using).filter(regime=regime, version=definition.version).first()
            )
            if stored is not None:
                if stored.definition != definition.raw:
                    raise BuiltinChanged(
                        f"definitions/{definition.code}.v{definition.version}.json differs from the stored "
                        f"{definition.code} v{definition.version}. Stored versions never change: save your "
                        f'edit as {definition.code}.v{definition.version + 1}.json with "version": '
                        f"{definition.version + 1} and its own effective_from, and restore the old file"
                    )
                continue
            RegimeVersion.objects.using(using).create(
                regime=regime,
                version=definition.version,
                effective_from=definition.effective_from,
                definition=definition.raw,
                created_at=timezone.now(),
            )
            added.append(f"{definition.code} v{definition.version}")
            _keep_label_current(regime, definition, using)
    return added


def _keep_label_current(regime: Regime, definition: RegimeDefinition, using: str) -> None:
    """The regime's name and sector follow its highest version (they are labels; versions hold the rules)."""
    highest = RegimeVersion.objects.using(using).filter(regime=regime).aggregate(n=Max("version"))["n"]
    if definition.version == highest and (regime.name, regime.sector) != (definition.name, definition.sector):
        regime.name, regime.sector = definition.name, definition.sector
        regime.save(using=using, update_fields=["name", "sector"])


@transaction.atomic
def regime_version_add(
    *, code: str, name: str, definition: dict[str, Any], effective_from: date, actor: Any
) -> RegimeVersion:
    """Add a version of an organisation's own regime (or internal targets), creating the regime if new.

    The version number is the next one for that regime; `code`, `name`, `version` and `effective_from` in
    the stored definition are set from the arguments. Built-in regimes cannot be changed this way: copy one
    under a new code instead. Refuses an effective_from earlier than the latest version's.
    """
    for key, value in (("code", code), ("name", name)):
        given = definition.get(key)
        if given is not None and given != value:
            raise DomainError(
                f"The definition's {key} {given!r} does not match {value!r}", fields={"definition": key}
            )
    regime = Regime.objects.select_for_update().filter(code=code).first()
    if regime is not None and regime.is_builtin:
        raise Conflict(
            f"{code} is a built-in regime and changes only with Amends; add your own regime under another "
            f"code (for example 'our-{code}')",
            fields={"code": "built-in regime"},
        )
    latest = regime.versions.order_by("-version").first() if regime else None
    if latest is not None and effective_from < latest.effective_from:
        raise DomainError(
            f"{code} v{latest.version} is effective from {latest.effective_from}; a new version cannot start "
            "before it",
            fields={"effective_from": "before the latest version"},
        )
    number = latest.version + 1 if latest else 1
    data = {
        **definition,
        "code": code,
        "name": name,
        "version": number,
        "effective_from": effective_from.isoformat(),
    }
    try:
        parsed = parse(data, source=f"{code} v{number}")
    except DefinitionError as exc:
        raise DomainError(
            str(exc), code="invalid_definition", fields={exc.field or "definition": exc.problem}
        ) from exc
    if regime is None:
        regime = Regime.objects.create(code=code, name=name, sector=parsed.sector, is_builtin=False)
        audit_record(actor=actor, kind="regime.created", obj=regime, after={"code": code, "name": name})
    elif (regime.name, regime.sector) != (name, parsed.sector):
        before = {"name": regime.name, "sector": regime.sector}
        regime.name, regime.sector = name, parsed.sector
        regime.save(update_fields=["name", "sector"])
        audit_record(
            actor=actor,
            kind="regime.renamed",
            obj=regime,
            before=before,
            after={"name": name, "sector": parsed.sector},
        )
    version = RegimeVersion.objects.create(
        regime=regime,
        version=number,
        effective_from=effective_from,
        definition=data,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        kind="regime_version.added",
        obj=version,
        after={"code": code, "version": number, "effective_from": effective_from.isoformat()},
    )
    return version


class _RuleList:
    """What the audit row of a change to the rules names: the organisation's list as a whole."""

    _meta = RegimeRule._meta
    pk = "all"


def _check_rules(rules: list[Rule], in_use: set[str]) -> list[Rule]:
    checked = []
    for number, rule in enumerate(rules, start=1):
        where = f"rules.{number}"
        value = " ".join((rule.value or "").split())
        if rule.match not in MATCHES:
            raise DomainError(
                f"Rule {number}: unknown match {rule.match!r} (expected {', '.join(MATCHES)})",
                fields={where: "unknown match"},
            )
        if rule.match == "default":
            if number != len(rules):
                raise DomainError(
                    f"Rule {number}: the default rule must be the last one (rules after it never apply)",
                    fields={where: "default not last"},
                )
            value = ""
        elif not value or len(value) > 100:
            raise DomainError(
                f"Rule {number}: say which {rule.match} it matches (1 to 100 characters)",
                fields={where: "value required"},
            )
        if rule.match == "channel" and value not in Channel.values:
            raise DomainError(
                f"Rule {number}: unknown channel {value!r} (expected {', '.join(Channel.values)})",
                fields={where: "unknown channel"},
            )
        if rule.regime not in in_use:
            raise DomainError(
                f"Rule {number}: {rule.regime!r} is not a regime you work under; switch it on first",
                fields={where: "regime not in use"},
            )
        checked.append(Rule(match=rule.match, value=value, regime=rule.regime))
    return checked


@transaction.atomic
def regime_settings_save(*, in_use: list[str], rules: list[Rule], actor: Any) -> list[Rule]:
    """The organisation's regime settings: the regimes it works under, and the rules that choose a new
    complaint's regime (in order; regimes/choosing.py). Replaces both; each change is audited. Bad input
    (an unknown regime, a rule for a regime switched off, a default rule before others) changes nothing.
    """
    regimes = {r.code: r for r in Regime.objects.select_for_update().order_by("code")}
    unknown = sorted(set(in_use) - set(regimes))
    if unknown:
        raise DomainError(f"Unknown regime {', '.join(unknown)}", fields={"in_use": "unknown regime"})
    wanted = set(in_use)
    checked = _check_rules(list(rules), wanted)
    for code, regime in regimes.items():
        if regime.in_use != (code in wanted):
            regime.in_use = code in wanted
            regime.save(update_fields=["in_use"])
            audit_record(
                actor=actor,
                kind="regime.in_use" if regime.in_use else "regime.not_in_use",
                obj=regime,
                before={"in_use": not regime.in_use},
                after={"in_use": regime.in_use},
            )
    before = [_rule_json(r) for r in RegimeRule.objects.select_related("regime")]
    after = [{"match": r.match, "value": r.value, "regime": r.regime} for r in checked]
    if before != after:
        RegimeRule.objects.all().delete()
        RegimeRule.objects.bulk_create(
            RegimeRule(position=n, match=r.match, value=r.value, regime=regimes[r.regime])
            for n, r in enumerate(checked, start=1)
        )
        audit_record(
            actor=actor,
            kind="regime_rules.changed",
            obj=_RuleList(),
            before={"rules": before},
            after={"rules": after},
        )
    return checked


def _rule_json(rule: RegimeRule) -> dict[str, str]:
    return {"match": rule.match, "value": rule.value, "regime": rule.regime.code}
