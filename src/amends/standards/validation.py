"""Whether a portable record is what its standard says: the vendored JSON schemas and the xAPI models.

CASE packages and Open Badges credentials are checked against the 1EdTech JSON schemas kept in `schemas/`
(committed copies, never fetched: schemas/README.md says where each came from), with the draft each schema
declares and its formats checked. xAPI statements are checked with Ralph's pydantic models of xAPI 1.0.3
(`ralph-malph`, openfun/ralph), which also refuse the empty values the specification forbids. Each function
returns the problems, one sentence each, and an empty list for a valid record.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

SCHEMAS = Path(__file__).with_name("schemas")
CASE_SCHEMA = "case_v1p1_cfpackage.schema.json"
BADGE_SCHEMA = "ob_v3p0_achievementcredential_schema.json"

# RFC 3339 date-time (jsonschema checks the format only with an optional extra package, so we check it here).
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # a format says nothing about other types
    if DATE_TIME.match(value) is None:
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.cache
def _validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    formats = jsonschema.FormatChecker()
    formats.checks("date-time")(_is_date_time)
    return cls(schema, format_checker=formats)


def _schema_errors(name: str, record: Any) -> list[str]:
    errors = sorted(_validator(name).iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}" for e in errors]


def case_errors(package: Any) -> list[str]:
    """What in a CFPackage breaks the CASE 1.1 CFPackage JSON schema."""
    return _schema_errors(CASE_SCHEMA, package)


def badge_errors(credential: Any) -> list[str]:
    """What in a credential breaks the Open Badges 3.0 AchievementCredential JSON schema."""
    return _schema_errors(BADGE_SCHEMA, credential)


def statement_errors(statement: Any) -> list[str]:
    """What in an xAPI statement Ralph's xAPI 1.0.3 statement model refuses."""
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as error:
        return [f"{'/'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors()]
    return []
