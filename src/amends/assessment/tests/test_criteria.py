"""The criteria catalogue: every unit of the seeds, references read however they are written, and refused
with each bad one named."""

import pytest

from amends.standards.criteria import MAX_CRITERIA, CriteriaError, catalogue, criterion, references


def test_the_catalogue_holds_the_four_units_of_the_seeds():
    units = catalogue()
    assert list(units) == ["CFACSC4", "CFACSC7", "WM57", "C4"]
    codes = {code: [c.code for c in unit.criteria] for code, unit in units.items()}
    assert (
        codes["CFACSC4"][:3] == ["P1", "P2", "P3"] and "P17" in codes["CFACSC4"] and "K10" in codes["CFACSC4"]
    )
    assert codes["CFACSC7"][:11] == [str(n) for n in range(1, 12)] and "K13" in codes["CFACSC7"]
    assert codes["WM57"] == [str(n) for n in range(1, 17)] + list("abcdefghij")
    assert codes["C4"][0] == "1.1" and "2.10" in codes["C4"] and codes["C4"][-1] == "3.10"
    assert criterion("WM57 7").text == (
        "work out the advantages and disadvantages of each option for your customer and your organisation"
    )


@pytest.mark.parametrize(
    ("written", "reference"),
    [
        ("CFACSC4 P11", "CFACSC4 P11"),
        ("cfacsc4   p11", "CFACSC4 P11"),
        (" WM57 7 ", "WM57 7"),
        ("wm57 A", "WM57 a"),
        ("C4 2.10", "C4 2.10"),
        ("CFACSC7 k13", "CFACSC7 K13"),
    ],
)
def test_a_reference_is_read_however_it_is_spaced_or_cased(written, reference):
    assert criterion(written).reference == reference


def test_references_from_text_or_a_list_in_order_once_each():
    assert references("CFACSC4 P11, wm57 7\nWM57 10; cfacsc4 p11") == ["CFACSC4 P11", "WM57 7", "WM57 10"]
    assert references(["C4 2.3", "WM57 j"]) == ["C4 2.3", "WM57 j"]


@pytest.mark.parametrize(
    ("given", "bad", "says"),
    [
        ("", [], "at least one"),
        ("CFACSC4P11", ["CFACSC4P11"], "is not a criterion reference"),
        ("WM57 7, WM57 17", ["WM57 17"], "names no criterion"),
        ("ISO10002 4.1", ["ISO10002 4.1"], "names no criterion"),
        ("CFACSC4 P11 and more", ["CFACSC4 P11 and more"], "is not a criterion reference"),
    ],
)
def test_what_is_not_a_criterion_is_refused_by_name(given, bad, says):
    with pytest.raises(CriteriaError) as err:
        references(given)
    assert err.value.bad == bad and says in str(err.value)


def test_at_most_a_few_criteria():
    many = [c.reference for c in catalogue()["WM57"].criteria][: MAX_CRITERIA + 1]
    with pytest.raises(CriteriaError, match="at most"):
        references(many)


def test_every_criterion_has_a_title_of_our_own_and_a_kind():
    from amends.standards.criteria import KINDS

    for unit in catalogue().values():
        for c in unit.criteria:
            assert c.title and c.kind in KINDS, c.reference
            assert len(c.title) < len(c.text) and c.title.casefold() not in c.text.casefold(), c.reference
    kinds = {c.reference: c.kind for unit in catalogue().values() for c in unit.criteria}
    assert kinds["CFACSC4 P11"] == kinds["CFACSC7 5"] == kinds["C4 2.4"] == kinds["WM57 a"] == "performance"
    assert kinds["CFACSC4 K7"] == kinds["CFACSC7 K1"] == kinds["C4 3.7"] == kinds["WM57 g"] == "knowledge"


def test_same_as_names_real_criteria_both_ways():
    every = {c.reference: c for unit in catalogue().values() for c in unit.criteria}
    assert every["CFACSC4 P11"].same_as == ("C4 2.4",)  # the issue's own example
    assert every["C4 1.1"].same_as == ("CFACSC4 P1",) and every["C4 3.10"].same_as == ("CFACSC4 K10",)
    for reference, c in every.items():
        for other in c.same_as:
            assert other in every and reference in every[other].same_as, (reference, other)
            assert every[other].kind == c.kind and every[other].title == c.title
    assert all(len(every[r].same_as) == 1 for r in every if r.startswith(("C4", "CFACSC4")))


def test_the_command_lists_every_criterion_as_json():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("competence", "criteria", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == sum(len(u.criteria) for u in catalogue().values()) == 104
    assert set(rows[0]) == {"unit", "code", "kind", "title", "same_as"}
    assert {
        "unit": "CFACSC4",
        "code": "P11",
        "kind": "performance",
        "title": criterion("CFACSC4 P11").title,
        "same_as": ["C4 2.4"],
    } in rows
    text = StringIO()
    call_command("competence", "criteria", stdout=text)
    assert "version 2: 104 criteria" in text.getvalue()


def test_the_capture_command_finds_what_was_missed_and_adds_nothing_twice(
    case_handler, assessor, complaints_lead, complaints_team
):
    from io import StringIO

    from django.core.management import call_command

    from amends.assessment.decisions import learner_enrol
    from amends.assessment.models import EvidenceItem
    from amends.cases.tests.factories import make_case
    from amends.process.steps import understanding_record

    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4"])
    case = make_case(team=complaints_team, owner=case_handler)
    understanding_record(case=case, actor=case_handler, what_happened="x", impact="y", outcome_wanted="z")
    EvidenceItem.objects.all().delete()  # as if capture had failed
    out = StringIO()
    call_command("competence", "capture", "--days", "7", stdout=out)
    assert out.getvalue().startswith("1 items captured for 1 learners")
    call_command("competence", "capture", stdout=out)
    assert EvidenceItem.objects.count() == 1
