"""The definition loader: every built-in file follows the contract, and bad definitions are refused with
an error that names the file and the field."""

from __future__ import annotations

import copy
import json

import pytest

from amends.regimes.definition import (
    DEFINITIONS_DIR,
    DefinitionError,
    load_builtin,
    load_file,
    parse,
)

BUILTIN_CODES = {
    "fca-disp",
    "fca-psd",
    "hos-2024",
    "lgsco",
    "spso",
    "nhs-england-2009",
    "ofgem",
    "ofcom",
    "water",
    "legal-ombudsman",
    "internal-iso10002",
}

# The example in docs/design/complaint-process.md, comments removed: the contract itself must load.
CONTRACT_EXAMPLE = {
    "code": "fca-disp",
    "version": 1,
    "effective_from": "2018-01-13",
    "name": "FCA DISP 1 (general complaints)",
    "sector": "Financial services",
    "complaint_definition": "...",
    "evidence": {"complaint_definition": "V"},
    "calendar": "business_days",
    "referral": {
        "body": "Financial Ombudsman Service",
        "website": "https://www.financial-ombudsman.org.uk",
        "customer_time_limit": "6 months from the final response",
        "evidence": "V",
    },
    "retention_years": 3,
    "stages": [
        {
            "code": "stage1",
            "name": "Complaint",
            "clocks": [
                {
                    "code": "summary_resolution",
                    "name": "Summary resolution window",
                    "amount": 3,
                    "unit": "business_days",
                    "start": "received",
                    "count_from": "next_day",
                    "ends": "close_of_business",
                    "regulatory": True,
                    "optional": True,
                    "evidence": "V",
                },
                {
                    "code": "final_response",
                    "name": "Final response",
                    "amount": 8,
                    "unit": "weeks",
                    "start": "received",
                    "count_from": "same_day",
                    "ends": "end_of_day",
                    "regulatory": True,
                    "warn_before": {"amount": 10, "unit": "business_days"},
                    "evidence": "V",
                },
            ],
            "extension": None,
        }
    ],
    "keep_informed": {"amount": 10, "unit": "business_days"},
    "letters": {
        "acknowledgement": {"required": ["reference", "complaint_summary", "timescales", "contact_details"]},
        "summary_resolution": {
            "required": [
                "reference",
                "resolved_statement",
                "referral_rights",
                "block:fca.disp1.annex3.waiver",
            ]
        },
        "final_response": {
            "required": [
                "reference",
                "decision",
                "reasons",
                "remedy",
                "referral_rights",
                "block:fca.disp1.annex3.waiver",
                "block:fca.fos.leaflet",
            ]
        },
    },
}


@pytest.fixture(scope="module")
def builtin():
    return {d.code: d for d in load_builtin()}


def test_the_contract_example_loads():
    definition = parse(CONTRACT_EXAMPLE, source="contract")
    assert definition.stage("stage1").clock("final_response").warn_before.amount == 10
    assert definition.raw == CONTRACT_EXAMPLE


def test_every_builtin_file_validates_and_is_named_after_its_code_and_version(builtin):
    assert set(builtin) == BUILTIN_CODES
    files = sorted(p.name for p in DEFINITIONS_DIR.glob("*.json"))
    assert files == sorted(f"{d.code}.v{d.version}.json" for d in builtin.values())


def test_every_builtin_fact_carries_an_evidence_label(builtin):
    for d in builtin.values():
        for fact in ("effective_from", "complaint_definition", "retention_years", "letters", "calendar"):
            assert d.evidence.get(fact) in {"V", "S", "M"}, (d.code, fact)
        if d.keep_informed:
            assert d.evidence.get("keep_informed") in {"V", "S", "M"}, d.code
        if d.retention_years is None:
            assert d.evidence["retention_years"] == "M", d.code
        assert all(letter.evidence for letter in d.letters.values()), d.code
        assert d.referral is not None or d.kind == "internal"
        for stage in d.stages:
            assert all(c.evidence for c in stage.clocks)


def test_regulatory_clocks_never_pause_and_the_internal_regime_is_all_internal(builtin):
    for d in builtin.values():
        for stage in d.stages:
            for clock in stage.clocks:
                assert not (clock.regulatory and clock.pauses_when), (d.code, clock.code)
    internal = builtin["internal-iso10002"]
    assert internal.kind == "internal" and not internal.regulatory
    clocks = internal.stage("stage1").clocks
    assert not any(c.regulatory for c in clocks)
    assert internal.stage("stage1").clock("final_response").pauses_when == "awaiting_customer"
    assert internal.stage("stage1").clock("acknowledgement").amount == 2


def test_builtin_letters_require_what_each_regime_says(builtin):
    def required(code, kind):
        return set(builtin[code].letters[kind].required)

    fos_blocks = {"block:fca.disp1.annex3.waiver", "block:fca.fos.leaflet"}
    assert fos_blocks <= required("fca-disp", "final_response")
    assert fos_blocks <= required("fca-psd", "final_response")
    assert {"block:fca.disp1.annex3.waiver", "resolved_statement"} <= required(
        "fca-disp", "summary_resolution"
    )
    stage1 = {
        "stage",
        "complaint_definition",
        "decision",
        "reasons",
        "remedy",
        "outstanding_actions",
        "how_to_escalate",
    }
    for code in ("hos-2024", "lgsco"):
        assert required(code, "stage1_response") == stage1 | {"reference"}
        assert required(code, "stage2_response") >= (stage1 - {"how_to_escalate"}) | {"referral_rights"}
        # Ombudsman details must be given whenever an extension is notified.
        assert {"delay_reasons", "new_date", "referral_rights"} <= required(code, "holding")
    for code in ("ofgem", "ofcom"):
        assert {"final_position_label", "referral_rights"} <= required(code, "deadlock")
    assert "block:leo.six_month_warning" in required("legal-ombudsman", "final_response")


def test_builtin_clocks_match_regulation_md(builtin):
    def clock(code, stage, name):
        c = builtin[code].stage(stage).clock(name)
        return (c.amount, c.unit, c.start)

    assert clock("fca-disp", "stage1", "summary_resolution") == (3, "business_days", "received")
    assert clock("fca-disp", "stage1", "final_response") == (8, "weeks", "received")
    assert clock("fca-psd", "stage1", "final_response") == (15, "business_days", "received")
    assert builtin["fca-psd"].stage("stage1").extension.amount == 35
    assert clock("hos-2024", "stage1", "stage1_response") == (10, "working_days", "acknowledged")
    assert clock("hos-2024", "stage2", "stage2_response") == (20, "working_days", "escalation_acknowledged")
    assert clock("hos-2024", "stage2", "acknowledgement") == (5, "working_days", "escalated")
    assert builtin["hos-2024"].stage("stage2").extension.amount == 20
    assert clock("spso", "stage1", "stage1_response") == (5, "working_days", "received")
    assert clock("spso", "stage2", "acknowledgement") == (3, "working_days", "escalated")
    assert clock("nhs-england-2009", "stage1", "acknowledgement") == (3, "working_days", "received")
    assert clock("nhs-england-2009", "stage1", "relevant_period") == (6, "months", "received")
    assert clock("water", "stage2", "stage2_response") == (10, "working_days", "escalated")
    for code in ("ofgem", "ofcom", "legal-ombudsman"):
        assert clock(code, "stage1", "final_response") == (8, "weeks", "received")


def _mutated(change):
    data = copy.deepcopy(CONTRACT_EXAMPLE)
    change(data)
    return data


def _clock(data, i=1):
    return data["stages"][0]["clocks"][i]


BAD = [
    pytest.param(lambda d: _clock(d).update(unit="fortnights"), "stages[0].clocks[1].unit", id="unit"),
    pytest.param(lambda d: _clock(d).update(start="complained"), "stages[0].clocks[1].start", id="start"),
    pytest.param(lambda d: _clock(d).update(ends="lunchtime"), "stages[0].clocks[1].ends", id="ends"),
    pytest.param(
        lambda d: _clock(d).update(count_from="tomorrow"), "stages[0].clocks[1].count_from", id="count"
    ),
    pytest.param(
        lambda d: _clock(d).update(count_form="same_day"), "stages[0].clocks[1].count_form", id="typo"
    ),
    pytest.param(lambda d: _clock(d).pop("ends"), "stages[0].clocks[1].ends", id="missing-ends"),
    pytest.param(lambda d: _clock(d).update(amount=0), "stages[0].clocks[1].amount", id="zero"),
    pytest.param(lambda d: _clock(d).update(amount="8"), "stages[0].clocks[1].amount", id="string-amount"),
    pytest.param(lambda d: _clock(d).update(regulatory="yes"), "stages[0].clocks[1].regulatory", id="flag"),
    pytest.param(lambda d: _clock(d).update(evidence="X"), "stages[0].clocks[1].evidence", id="label"),
    pytest.param(
        lambda d: _clock(d).update(pauses_when="awaiting_customer"),
        "stages[0].clocks[1].pauses_when",
        id="pause",
    ),
    pytest.param(
        lambda d: _clock(d)["warn_before"].update(unit="hours"),
        "stages[0].clocks[1].warn_before.unit",
        id="warn",
    ),
    pytest.param(lambda d: _clock(d).update(start="acknowledged"), "stages[0].clocks", id="no-ack-clock"),
    pytest.param(
        lambda d: _clock(d, 0).update(code="final_response"), "stages[0].clocks[1].code", id="dup-clock"
    ),
    pytest.param(
        lambda d: d["stages"].append(copy.deepcopy(d["stages"][0])), "stages[1].code", id="dup-stage"
    ),
    pytest.param(lambda d: d.update(stages=[]), "stages", id="no-stages"),
    pytest.param(
        lambda d: d["stages"][0].update(
            extension={
                "code": "x",
                "name": "X",
                "extends": "nothing",
                "start": "received",
                "amount": 1,
                "unit": "weeks",
                "count_from": "next_day",
                "ends": "end_of_day",
                "regulatory": True,
                "evidence": "V",
            }
        ),
        "stages[0].extension.extends",
        id="extension-target",
    ),
    pytest.param(lambda d: d.update(effective_from="13/01/2018"), "effective_from", id="date"),
    pytest.param(lambda d: d.update(version=0), "version", id="version"),
    pytest.param(lambda d: d.update(code="FCA DISP"), "code", id="code"),
    pytest.param(lambda d: d.update(calendar="lunar"), "calendar", id="calendar"),
    pytest.param(lambda d: d.update(referral=None), "referral", id="no-referral"),
    pytest.param(lambda d: d.update(evidence={}), "evidence.complaint_definition", id="no-evidence"),
    pytest.param(
        lambda d: d.update(evidence={"complaint_definition": "V", "vibes": "M"}), "evidence.vibes", id="fact"
    ),
    pytest.param(
        lambda d: d["letters"].update(postcard={"required": ["reference"]}), "letters.postcard", id="kind"
    ),
    pytest.param(
        lambda d: d["letters"]["final_response"]["required"].append("apology"),
        "letters.final_response.required[7]",
        id="element",
    ),
    pytest.param(
        lambda d: d["letters"]["final_response"]["required"].append("block:Bad Code"),
        "letters.final_response.required[7]",
        id="block",
    ),
    pytest.param(lambda d: d.update(retention_years=-1), "retention_years", id="retention"),
]


@pytest.mark.parametrize("change, field", BAD)
def test_bad_definitions_are_refused_naming_the_source_and_field(change, field):
    with pytest.raises(DefinitionError) as caught:
        parse(_mutated(change), source="acme.v1.json")
    assert caught.value.field == field
    assert str(caught.value).startswith(f"acme.v1.json: {field}: ")


def test_a_regulatory_clock_may_not_pause_but_an_internal_one_may():
    with pytest.raises(DefinitionError, match="never pause"):
        parse(_mutated(lambda d: _clock(d).update(pauses_when="awaiting_customer")), source="x")
    internal = _mutated(lambda d: _clock(d).update(pauses_when="awaiting_customer", regulatory=False))
    assert (
        parse(internal, source="x").stage("stage1").clock("final_response").pauses_when == "awaiting_customer"
    )


def test_by_agreement_extensions_have_no_fixed_amount():
    extension = {
        "code": "agreed",
        "name": "Agreed",
        "extends": "final_response",
        "start": "original_due",
        "by_agreement": True,
        "amount": 5,
        "unit": "weeks",
        "count_from": "next_day",
        "ends": "end_of_day",
        "regulatory": True,
        "evidence": "S",
    }
    with pytest.raises(DefinitionError, match="stages\\[0\\].extension.amount"):
        parse(_mutated(lambda d: d["stages"][0].update(extension=extension)), source="x")
    extension.update(amount=None, unit=None)
    parsed = parse(_mutated(lambda d: d["stages"][0].update(extension=extension)), source="x")
    assert parsed.stage("stage1").extension.by_agreement


def test_unreadable_and_misnamed_files_are_refused(tmp_path):
    broken = tmp_path / "broken.v1.json"
    broken.write_text("{ not json")
    with pytest.raises(DefinitionError, match="broken.v1.json: not valid JSON"):
        load_file(broken)
    broken.unlink()
    (tmp_path / "fca-disp.json").write_text(json.dumps(CONTRACT_EXAMPLE))
    with pytest.raises(DefinitionError, match="file name must be fca-disp.v1.json"):
        load_builtin(tmp_path)
