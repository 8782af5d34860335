"""`amends regimes list` and `amends regimes due`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from amends.regimes.models import Regime

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("regimes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def due_json(*args: str) -> dict[str, dict]:
    out, _ = run("due", *args, "--json")
    return {row["code"]: row for row in json.loads(out)}


def test_list_prints_one_line_per_regime_starting_with_its_code():
    out, _ = run("list")
    lines = out.splitlines()
    codes = list(Regime.objects.order_by("code").values_list("code", flat=True))
    assert len(lines) == len(codes) == 11
    for line, code in zip(lines, codes, strict=True):
        assert line.split()[0] == code
        assert " v1 from " in line
    hos = next(line for line in lines if line.startswith("hos-2024 "))
    assert "Housing Ombudsman Complaint Handling Code 2024" in hos and hos.endswith("v1 from 2024-04-01")


def test_due_json_matches_the_hand_checked_table():
    rows = due_json("--regime", "fca-disp", "--received", "2026-04-01T10:00:00+01:00", "--nation", "england")
    assert rows["summary_resolution"] == {
        "code": "summary_resolution",
        "name": "Summary resolution window",
        "unit": "business_days",
        "amount": 3,
        "due": "2026-04-08T17:00:00+01:00",  # table row src-easter-eng
        "regulatory": True,
        "evidence": "V",
        "assumes": "",
    }
    assert rows["final_response"]["due"] == "2026-05-27T23:59:59+01:00"
    scotland = due_json(
        "--regime", "fca-disp", "--received", "2026-04-01T10:00:00+01:00", "--nation", "scotland"
    )
    assert scotland["summary_resolution"]["due"] == "2026-04-07T17:00:00+01:00"  # row src-easter-sct


def test_due_json_for_a_later_stage_and_its_assumptions():
    hos = due_json("--regime", "hos-2024", "--received", "2026-12-14T09:00:00Z", "--nation", "england")
    assert hos["stage1_response"]["due"] == "2027-01-07T23:59:59+00:00"  # row hos-xmas-eng
    assert "acknowledgement is sent at the last moment" in hos["stage1_response"]["assumes"]
    spso = due_json(
        "--regime", "spso", "--received", "2026-11-26T10:00:00Z", "--nation", "scotland", "--stage", "stage2"
    )
    assert spso["stage2_response"]["due"] == "2026-12-29T23:59:59+00:00"


def test_due_text_names_each_clock_with_its_deadline():
    out, err = run("due", "--regime", "water", "--received", "2026-12-18T10:00:00Z", "--nation", "england")
    assert err == ""
    assert "Stage 1 reply" in out and "10 working days" in out and "Wed 06 Jan 2027 23:59:59 GMT" in out


def test_a_naive_received_time_is_read_as_london_time_and_said_so():
    out, err = run(
        "due", "--regime", "fca-disp", "--received", "2026-06-30T23:30", "--nation", "england", "--json"
    )
    assert "no time zone: read as Europe/London" in err
    rows = {row["code"]: row for row in json.loads(out)}
    # 23:30 London on 30 Jun (not UTC, which would be 1 Jul in London): 30 Jun + 56 days = 25 Aug
    assert rows["final_response"]["due"] == "2026-08-25T23:59:59+01:00"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--regime", "nope", "--received", "2026-01-05T10:00Z", "--nation", "england"],
            "Unknown regime 'nope'",
        ),
        (
            ["--regime", "fca-disp", "--received", "last Tuesday", "--nation", "england"],
            "not an ISO date-time",
        ),
        (["--regime", "fca-disp", "--received", "2026-01-05T10:00Z", "--nation", "kent"], "Unknown nation"),
        (
            ["--regime", "lgsco", "--received", "2025-06-02T10:00Z", "--nation", "england"],
            "starts 2026-04-01",
        ),
        (
            [
                "--regime",
                "fca-disp",
                "--received",
                "2026-01-05T10:00Z",
                "--nation",
                "england",
                "--stage",
                "x",
            ],
            "no stage 'x'",
        ),
    ],
)
def test_bad_input_is_a_clear_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run("due", *args)
