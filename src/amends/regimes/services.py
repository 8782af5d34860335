"""Writes to regimes: loading the built-in definitions and adding an organisation's own versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.services import audit_record

from .definition import DefinitionError, RegimeDefinition, load_builtin, parse
from .models import Regime, RegimeVersion


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
