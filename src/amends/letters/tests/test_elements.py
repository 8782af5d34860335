"""The element vocabulary and the completeness rule, without Django."""

from amends.letters.elements import (
    ELEMENTS,
    date_words,
    decision_words,
    find_missing,
    missing_elements,
)
from amends.letters.text import html_to_text

REFERRAL = {
    "body": "Financial Ombudsman Service",
    "website": "https://www.financial-ombudsman.org.uk",
    "customer_time_limit": "6 months from the final response",
}
FINAL = [
    "reference",
    "decision",
    "reasons",
    "remedy",
    "referral_rights",
    "block:fca.disp1.annex3.waiver",
    "block:fca.fos.leaflet",
]
CONTEXT = {"reference": "AM-2026-000001", "complaint_summary": "Refund not received", "referral": REFERRAL}
BLOCKS = {"fca.disp1.annex3.waiver": "Exact Annex 3R words", "fca.fos.leaflet": "We enclose the leaflet."}


def test_a_complete_letter_misses_nothing():
    fields = {"decision": "upheld", "reasons": "We were late.", "remedy": "£50"}
    assert missing_elements(FINAL, fields, BLOCKS, CONTEXT) == []


def test_every_empty_element_is_named_in_words_in_the_regimes_order():
    missing = missing_elements(FINAL, {"decision": "upheld", "reasons": "   "}, BLOCKS, CONTEXT)
    assert missing == ["the reasons for the decision", "the remedy we are offering"]


def test_an_empty_block_is_missing_and_named_by_title_and_code():
    blocks = {**BLOCKS, "fca.fos.leaflet": ""}
    context = {**CONTEXT, "block_titles": {"fca.fos.leaflet": "FOS leaflet"}}
    fields = {"decision": "upheld", "reasons": "r", "remedy": "m"}
    missing = find_missing(FINAL, fields, blocks, context)
    assert list(missing) == ["block:fca.fos.leaflet"]
    assert "“FOS leaflet” (fca.fos.leaflet)" in missing["block:fca.fos.leaflet"]
    # A block nobody has set up at all counts as missing too.
    assert list(find_missing(["block:new.block"], {}, {}, {})) == ["block:new.block"]


def test_referral_rights_need_the_body_website_and_time_limit():
    for key in REFERRAL:
        context = {**CONTEXT, "referral": {**REFERRAL, key: ""}}
        assert missing_elements(["referral_rights"], {}, {}, context) == [ELEMENTS["referral_rights"]]
    assert missing_elements(["referral_rights"], {}, {}, {**CONTEXT, "referral": None}) != []


def test_reference_and_summary_come_from_the_case_and_contact_details_from_the_block():
    required = ["reference", "complaint_summary", "contact_details"]
    assert missing_elements(required, {}, {"org.contact_details": "Write to us"}, CONTEXT) == []
    assert missing_elements(required, {}, {}, {}) == [
        "the case reference",
        "a summary of the complaint",
        "our contact details",
    ]
    # A letter cannot claim a reference of its own.
    assert missing_elements(["reference"], {"reference": "fake"}, {}, {}) == ["the case reference"]


def test_an_unknown_element_blocks_sending_rather_than_being_ignored():
    assert missing_elements(["tone_of_voice"], {"tone_of_voice": "warm"}, {}, {}) == [
        "the element 'tone_of_voice', which Amends does not know"
    ]


def test_decisions_and_dates_in_words():
    assert decision_words("partly_upheld") == "We have upheld part of your complaint."
    assert decision_words("not_justified") == "We have not upheld your complaint."
    assert decision_words("We agree in part.") == "We agree in part."
    assert date_words("2026-03-12") == "12 March 2026"
    assert date_words("the end of March") == "the end of March"


def test_text_copy_leaves_out_styles_and_print_only_parts():
    html = (
        "<html><head><style>p { color: red }</style></head><body>"
        '<footer data-text="skip"><p>Page footer</p></footer>'
        "<p>Dear Pat,</p><section><h2>Our decision</h2><p>Line one<br>line two</p></section></body></html>"
    )
    assert html_to_text(html) == "Dear Pat,\n\nOur decision\n\nLine one\nline two\n"


# --- what a letter's form shows -------------------------------------------------------------------------


def test_every_field_a_letter_holds_has_a_label_in_the_letters_order():
    from amends.letters.elements import FIELD_FORM, FIELD_NAMES

    assert set(FIELD_FORM) == FIELD_NAMES
    assert all(label and label[0].isupper() for label, _ in FIELD_FORM.values())


def test_an_acknowledgement_form_shows_only_what_an_acknowledgement_needs():
    from amends.letters.elements import form_fields

    ack = ["reference", "complaint_summary", "timescales", "contact_details"]
    shown = form_fields(ack, {"complaint_summary": "Charged twice", "decision": "", "remedy": "  "})
    assert shown == ["message", "complaint_summary", "timescales", "contact_details"]
    assert not {"decision", "remedy", "reasons", "apology"} & set(shown)


def test_a_decision_letter_form_offers_the_apology_beside_the_decision():
    from amends.letters.elements import form_fields

    shown = form_fields(FINAL, {})
    assert shown == ["message", "decision", "apology", "reasons", "remedy"]


def test_a_field_the_letter_already_holds_is_never_hidden():
    from amends.letters.elements import form_fields

    assert "new_date" in form_fields(["reference", "delay_reasons"], {"new_date": "2026-12-04"})


def test_only_an_upheld_complaint_in_whole_or_part_gets_an_apology():
    from amends.letters.elements import gives_apology

    assert gives_apology("upheld") and gives_apology("partly_justified") and gives_apology("justified")
    assert not gives_apology("not_upheld") and not gives_apology("not_justified")
