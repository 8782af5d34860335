"""The criteria catalogue: every unit of the seeds, references read however they are written, and refused
with each bad one named."""

import pytest

from amends.assessment.criteria import MAX_CRITERIA, CriteriaError, catalogue, criterion, references


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
