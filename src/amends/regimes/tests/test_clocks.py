"""Regime clocks on real complaints: the built-in definitions through compute, compute_extension and
compute_all. Expected dates are worked by hand as in test_calendar (same 2026-27 facts)."""

from __future__ import annotations

import copy
from datetime import datetime

import pytest

from amends.regimes.calendar import LONDON
from amends.regimes.clocks import ClockError, compute, compute_all, compute_extension
from amends.regimes.definition import load_builtin, parse


@pytest.fixture(scope="module")
def regimes():
    return {d.code: d for d in load_builtin()}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def by_code(rows):
    return {row.code: row for row in rows}


def test_fca_disp_summary_resolution_window_across_good_friday(regimes):
    rows = by_code(compute_all(regimes["fca-disp"], at("2026-04-01T10:00+01:00"), "england"))
    # Thu 2 Apr = 1; Good Friday and Easter Monday skipped; Tue 7 = 2, Wed 8 = 3, by close of business
    assert rows["summary_resolution"].due_at == at("2026-04-08T17:00+01:00")
    assert rows["summary_resolution"].regulatory and rows["summary_resolution"].evidence == "V"
    # 8 weeks = 56 days: 1 Apr + 56 = Wed 27 May
    assert rows["final_response"].due_at == at("2026-05-27T23:59:59+01:00")
    # warned 10 business days earlier, skipping the spring bank holiday (25 May): Tue 12 May at 00:00
    assert rows["final_response"].warn_at == at("2026-05-12T00:00+01:00")
    # internal acknowledgement target: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10
    assert rows["acknowledgement"].due_at == at("2026-04-10T23:59:59+01:00")
    assert not rows["acknowledgement"].regulatory
    assert all(row.assumes == "" for row in rows.values())


def test_hos_stage1_across_christmas_assumes_the_latest_acknowledgement(regimes):
    rows = by_code(compute_all(regimes["hos-2024"], at("2026-12-14T09:00+00:00"), "england"))
    # 5 WD: 15, 16, 17, 18, 21 Dec
    assert rows["acknowledgement"].due_at == at("2026-12-21T23:59:59+00:00")
    # 10 WD after Mon 21 Dec: 22-24, 29-31, 4-7 Jan (25, 28 Dec and 1 Jan skipped)
    response = rows["stage1_response"]
    assert response.due_at == at("2027-01-07T23:59:59+00:00")
    assert (
        "acknowledgement is sent at the last moment" in response.assumes and "21 Dec 2026" in response.assumes
    )
    # extension: up to 10 more WD after 7 Jan: 8, 11-15, 18-21 Jan
    extended = rows["stage1_response_extended"]
    assert extended.due_at == at("2027-01-21T23:59:59+00:00")
    assert extended.is_extension and extended.assumes.startswith("only if extended")


def test_hos_stage1_from_the_real_acknowledgement(regimes):
    events = {"received": at("2026-12-14T09:00+00:00"), "acknowledged": at("2026-12-15T11:00+00:00")}
    rows = by_code(compute(regimes["hos-2024"], "stage1", events, "england"))
    # 10 WD after Tue 15 Dec: 16-18, 21-24, 29-31 = 10
    assert rows["stage1_response"].due_at == at("2026-12-31T23:59:59+00:00")
    assert rows["stage1_response"].assumes == ""
    only_received = compute(regimes["hos-2024"], "stage1", {"received": events["received"]}, "england")
    assert [row.code for row in only_received] == ["acknowledgement"]
    extended = compute_extension(regimes["hos-2024"], "stage1", events, "england")
    # 10 WD after Thu 31 Dec: 1 Jan skipped, 4-8, 11-15 Jan
    assert extended.due_at == at("2027-01-15T23:59:59+00:00")


def test_hos_stage2_counts_from_the_escalation_acknowledgement(regimes):
    events = {
        "escalated": at("2026-11-30T10:00+00:00"),
        "escalation_acknowledged": at("2026-12-07T10:00+00:00"),
    }
    rows = by_code(compute(regimes["hos-2024"], "stage2", events, "england"))
    # 5 WD after Mon 30 Nov: 1-4 Dec, 7 Dec
    assert rows["acknowledgement"].due_at == at("2026-12-07T23:59:59+00:00")
    # 20 WD after Mon 7 Dec: 8-11, 14-18, 21-24, 29-31, 4-7 Jan
    assert rows["stage2_response"].due_at == at("2027-01-07T23:59:59+00:00")


def test_spso_frontline_response_across_st_andrews_day(regimes):
    rows = by_code(compute_all(regimes["spso"], at("2026-11-26T10:00+00:00"), "scotland"))
    # Fri 27 = 1; St Andrew's Day Mon 30 Nov skipped; Tue 1 - Fri 4 Dec = 5
    assert rows["stage1_response"].due_at == at("2026-12-04T23:59:59+00:00")
    # at most 10 WD in total from receipt: ... Mon 7 - Fri 11 Dec = 10
    assert rows["stage1_response_extended"].due_at == at("2026-12-11T23:59:59+00:00")
    assert rows["stage1_response_extended"].evidence == "M"


def test_spso_stage2_from_the_escalation(regimes):
    rows = by_code(
        compute_all(regimes["spso"], at("2026-11-26T10:00+00:00"), "scotland", stage_code="stage2")
    )
    # 3 WD: Fri 27 Nov, (30 Nov skipped), Tue 1, Wed 2 Dec
    assert rows["acknowledgement"].due_at == at("2026-12-02T23:59:59+00:00")
    # 20 WD: 27 Nov; 1-4, 7-11, 14-18, 21-24 Dec = 19; 25 and 28 Dec skipped; Tue 29 Dec = 20
    assert rows["stage2_response"].due_at == at("2026-12-29T23:59:59+00:00")
    # the revised timescale is agreed, not fixed, so there is no extension row
    assert set(rows) == {"acknowledgement", "stage2_response"}


def test_fca_psd_extension_needs_the_holding_response(regimes):
    received = {"received": at("2026-03-23T10:00+00:00")}
    rows = by_code(compute(regimes["fca-psd"], "stage1", received, "england"))
    assert rows["final_response"].due_at == at("2026-04-15T23:59:59+01:00")
    extended = compute_extension(regimes["fca-psd"], "stage1", received, "england")
    assert extended.due_at == at("2026-05-14T23:59:59+01:00")
    assert regimes["fca-psd"].stage("stage1").extension.letter == "holding"


def test_nhs_relevant_period_is_six_calendar_months(regimes):
    rows = by_code(compute_all(regimes["nhs-england-2009"], at("2026-08-31T10:00+01:00"), "england"))
    assert rows["relevant_period"].due_at == at("2027-02-28T23:59:59+00:00")  # clamped, 2027 not leap
    # 3 WD after Mon 31 Aug (a bank holiday, but the start day never counts): 1, 2, 3 Sep
    assert rows["acknowledgement"].due_at == at("2026-09-03T23:59:59+01:00")


def test_internal_targets_carry_their_pause_rule_and_skip_unbounded_events(regimes):
    rows = by_code(compute_all(regimes["internal-iso10002"], at("2026-12-24T10:00+00:00"), "england"))
    assert rows["acknowledgement"].due_at == at("2026-12-30T17:00+00:00")
    assert rows["final_response"].pauses_when == "awaiting_customer"
    assert "satisfaction_check" not in rows  # starts at response_sent, which nothing bounds
    assert not any(row.regulatory for row in rows.values())


def test_warnings_never_come_before_the_start(regimes):
    received = at("2026-03-09T10:00+00:00")
    # SPSO frontline: 5 WD after Mon 9 Mar is Mon 16 Mar; warned 1 WD before, at 00:00 on Fri 13 Mar
    row = compute_all(regimes["spso"], received, "scotland")[0]
    assert row.warn_at == at("2026-03-13T00:00+00:00")
    # a warning 10 WD before a 5 WD deadline would fall before receipt: it is clamped to the receipt
    raw = copy.deepcopy(dict(regimes["spso"].raw))
    raw["stages"][0]["clocks"][0]["warn_before"] = {"amount": 10, "unit": "working_days"}
    early = compute_all(parse(raw, source="test"), received, "scotland")[0]
    assert early.warn_at == received


def test_bad_input_is_refused(regimes):
    fca = regimes["fca-disp"]
    with pytest.raises(ClockError, match="no stage 'stage2'"):
        compute(fca, "stage2", {"received": at("2026-03-09T10:00+00:00")}, "england")
    with pytest.raises(ClockError, match="Unknown event 'complained'"):
        compute(fca, "stage1", {"complained": at("2026-03-09T10:00+00:00")}, "england")
    with pytest.raises(ClockError, match="no time zone"):
        compute(fca, "stage1", {"received": datetime(2026, 3, 9, 10)}, "england")
    with pytest.raises(ValueError, match="Unknown nation"):
        compute_all(fca, datetime(2026, 3, 9, 10, tzinfo=LONDON), "cornwall")
