"""The letter element vocabulary (docs/design/complaint-process.md) and what makes a letter complete.

Framework-free: a regime's `required` list, the letter's fields, the current text-block bodies and the
case context come in as plain values, so the rule "a letter missing a required element cannot be sent"
can be tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

BLOCK_PREFIX = "block:"
BLOCK_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")

# Element -> how a person would name it when it is missing ("This letter still needs ...").
ELEMENTS: dict[str, str] = {
    "reference": "the case reference",
    "complaint_summary": "a summary of the complaint",
    "timescales": "the timescales for our response",
    "contact_details": "our contact details",
    "stage": "the complaint stage",
    "complaint_definition": "the complaint definition (what we understand the complaint to be about)",
    "decision": "the decision (upheld, partly upheld or not upheld)",
    "reasons": "the reasons for the decision",
    "remedy": "the remedy we are offering",
    "outstanding_actions": "the actions still outstanding",
    "how_to_escalate": "how to take the complaint to the next stage",
    "referral_rights": (
        "the customer's right to refer to the ombudsman (the body's name, its website and the time limit)"
    ),
    "delay_reasons": "the reasons for the delay",
    "new_date": "the date we now expect to respond by",
    "resolved_statement": "a statement that the complaint is resolved",
    "final_position_label": "the label saying this is our final response or deadlock letter",
}

# Elements a letter writer fills in. `reference` and `referral_rights` come only from the case and regime.
FIELD_ELEMENTS = frozenset(ELEMENTS) - {"reference", "referral_rights"}
# Not elements, but a letter may carry them: a free paragraph after the opening, and the apology of a
# letter whose decision upholds the complaint in whole or in part (CFACSC7 K7: an apology is not an
# admission of anything beyond what the decision says).
EXTRA_FIELDS = frozenset({"message", "apology"})
FIELD_NAMES = FIELD_ELEMENTS | EXTRA_FIELDS

# The letter's fields in the order the letter shows them, each as its form names it and what goes in it.
# The labels are the letter writer's; the headings the customer reads are in the letter templates.
FIELD_FORM: dict[str, tuple[str, str]] = {
    "message": ("Opening paragraph", "Optional: a few words of your own after the opening."),
    "final_position_label": ("Final position label", "Empty: the kind's own label."),
    "stage": ("Stage", ""),
    "complaint_summary": ("Summary of the complaint", ""),
    "complaint_definition": ("What the complaint is about", ""),
    "resolved_statement": ("Resolved statement", ""),
    "decision": ("Decision", "upheld, partly_upheld or not_upheld, or your own words."),
    "apology": ("Apology", "From the organisation's wording (Letter wording page); make it fit this case."),
    "reasons": ("Reasons", "Written for the customer: the finding's explanation for the customer."),
    "remedy": ("Remedy", "What we will do to put things right."),
    "outstanding_actions": ("Outstanding actions", ""),
    "delay_reasons": ("Reasons for the delay", ""),
    "new_date": ("New date", "When we now expect to respond (a date, e.g. 2026-12-04)."),
    "timescales": ("Timescales", ""),
    "how_to_escalate": ("How to escalate", ""),
    "contact_details": ("Contact details", "Empty: our contact details from the Letter wording page."),
}
LETTER_ORDER = tuple(FIELD_FORM)
# Letters that give a decision also say sorry when it upholds the complaint, in whole or in part, starting
# from the organisation's own words for it (this text block, on the Letter wording page).
APOLOGY_BLOCK = "org.apology"
APOLOGY_DECISIONS = frozenset({"upheld", "partly_upheld", "justified", "partly_justified"})

REFERRAL_KEYS = ("body", "website", "customer_time_limit")

# The contract's "justified / partly / not": the codes a form offers, in words. Free text is kept as written.
DECISIONS: dict[str, str] = {
    "upheld": "We have upheld your complaint.",
    "partly_upheld": "We have upheld part of your complaint.",
    "not_upheld": "We have not upheld your complaint.",
}
DECISION_ALIASES = {"justified": "upheld", "partly_justified": "partly_upheld", "not_justified": "not_upheld"}

# Letters whose kind is itself the final position: the label needs no typing.
DEFAULT_FINAL_POSITION_LABELS: dict[str, str] = {
    "final_response": "This is our final response.",
    "stage2_response": "This is our final response.",
    "deadlock": "This is a deadlock letter. It sets out our final position on your complaint.",
}

# The subject line of each kind of letter.
KIND_SUBJECTS: dict[str, str] = {
    "acknowledgement": "We have received your complaint",
    "summary_resolution": "Your complaint has been resolved",
    "holding": "An update on your complaint",
    "final_response": "Our final response to your complaint",
    "stage1_response": "Our response to your complaint (stage 1)",
    "stage2_response": "Our final response to your complaint (stage 2)",
    "deadlock": "Our final position on your complaint",
    "referral": "Your right to take your complaint further",
    "conduct_notice": "How we will deal with your contact with us",
}

ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def form_fields(required: Iterable[str], fields: Mapping[str, object]) -> list[str]:
    """The fields a letter's form shows, in the letter's order: the elements its kind requires, the opening
    paragraph, an apology when the kind gives a decision, and any the letter already holds. Never one the
    kind has no use for: an acknowledgement asks for no decision and no remedy."""
    required = set(required)
    wanted = (required & FIELD_ELEMENTS) | {"message"} | {k for k, v in fields.items() if _text(v)}
    if "decision" in required:
        wanted.add("apology")
    return [name for name in LETTER_ORDER if name in wanted]


def gives_apology(decision: str) -> bool:
    """Whether a letter with this decision says sorry: the complaint is upheld in whole or in part."""
    return decision in APOLOGY_DECISIONS


def block_code(element: str) -> str | None:
    """ "block:fca.fos.leaflet" -> "fca.fos.leaflet"; None for other elements."""
    if element.startswith(BLOCK_PREFIX):
        return element[len(BLOCK_PREFIX) :]
    return None


def is_known(element: str) -> bool:
    code = block_code(element)
    if code is not None:
        return bool(BLOCK_CODE_RE.match(code))
    return element in ELEMENTS


def required_block_codes(required: Iterable[str]) -> list[str]:
    return [code for code in (block_code(e) for e in required) if code]


def element_label(element: str, block_titles: Mapping[str, str] | None = None) -> str:
    code = block_code(element)
    if code is not None:
        title = (block_titles or {}).get(code)
        named = f"“{title}” ({code})" if title else code
        return f"the prescribed wording {named}, which the compliance team has not filled in yet"
    return ELEMENTS.get(element, f"the element {element!r}, which Amends does not know")


def decision_words(value: str) -> str:
    key = DECISION_ALIASES.get(value, value)
    return DECISIONS.get(key, value)


def date_words(value: str) -> str:
    """ "2026-03-12" -> "12 March 2026"; anything else is kept as the writer put it."""
    if ISO_DATE_RE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    return value


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def element_value(element: str, fields: Mapping[str, object], context: Mapping[str, object]) -> str:
    """The text of a plain element: the letter's own field first, then the case context. "" if empty."""
    if element == "reference":
        return _text(context.get("reference"))
    return _text(fields.get(element)) or _text(context.get(element))


def referral_complete(referral: object) -> bool:
    return isinstance(referral, Mapping) and all(_text(referral.get(k)) for k in REFERRAL_KEYS)


def find_missing(
    required: Iterable[str],
    fields: Mapping[str, object],
    blocks: Mapping[str, str],
    context: Mapping[str, object],
) -> dict[str, str]:
    """Every required element that is empty, as element -> label, in the order the regime lists them.

    `blocks` maps a text-block code to its current body; a code absent or blank counts as missing.
    `context` carries the case's `reference` and `complaint_summary`, the regime's `referral` dict, and
    optionally `block_titles` (code -> title) for naming missing blocks.
    """
    titles = context.get("block_titles")
    titles = titles if isinstance(titles, Mapping) else {}
    missing: dict[str, str] = {}
    for element in dict.fromkeys(required):
        if not is_known(element):
            missing[element] = element_label(element)
            continue
        code = block_code(element)
        if code is not None:
            present = bool(_text(blocks.get(code)))
        elif element == "referral_rights":
            present = referral_complete(context.get("referral"))
        elif element == "contact_details":
            present = bool(
                element_value(element, fields, context) or _text(blocks.get("org.contact_details"))
            )
        else:
            present = bool(element_value(element, fields, context))
        if not present:
            missing[element] = element_label(element, titles)
    return missing


def missing_elements(required: list[str], fields: dict, blocks: dict[str, str], context: dict) -> list[str]:
    """The labels of every required element that is empty (see find_missing)."""
    return list(find_missing(required, fields, blocks, context).values())


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + "; and " + items[-1]
