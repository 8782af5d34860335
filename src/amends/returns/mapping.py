"""The FCA complaints return's product groupings and causes, and how our products and root causes map to
them by default. Framework-free: plain values in, plain values out.

Evidence (../shared/docs/reference/regulation.md, section 2.1 "Return contents / categories"):
- the product groupings are [S] (a form extract and firms' published summaries, not the Handbook itself);
- the cause list is [M]: the full DISP 1 Annex 1 cause taxonomy was not retrieved. The causes below are the
  ones firms' published summaries use; check them against DISP 1 Annex 1 before submitting a return.

An organisation overrides any default for one of its products or root causes (models.ReturnMapping, on the
returns page or the API), audited.
"""

from __future__ import annotations

from collections.abc import Mapping

PRODUCT_GROUPS = (
    "Banking and credit cards",
    "Home finance",
    "Insurance and pure protection",
    "Decumulation and pensions",
    "Investments",
    "Credit related",
)
NOT_MAPPED = "Not mapped to a product group"

CAUSES = (
    "Advising, selling and arranging",
    "Terms and disputed sums/charges",
    "General admin/customer service",
    "Arrears related",
    "Other",
)
NO_CAUSE = "Cause not yet recorded"

# A product whose name contains one of these words (case-insensitive) falls in that group, first match
# first. "Payments" is banking: FCA payment services complaints have their own return (fca-psd), which this
# one does not count.
PRODUCT_WORDS: tuple[tuple[str, str], ...] = (
    ("mortgage", "Home finance"),
    ("equity release", "Home finance"),
    ("insurance", "Insurance and pure protection"),
    ("protection", "Insurance and pure protection"),
    ("pension", "Decumulation and pensions"),
    ("annuit", "Decumulation and pensions"),
    ("drawdown", "Decumulation and pensions"),
    ("investment", "Investments"),
    ("isa", "Investments"),
    ("fund", "Investments"),
    ("current account", "Banking and credit cards"),
    ("bank account", "Banking and credit cards"),
    ("savings", "Banking and credit cards"),
    ("credit card", "Banking and credit cards"),
    ("overdraft", "Banking and credit cards"),
    ("payment", "Banking and credit cards"),
    ("loan", "Credit related"),
    ("hire purchase", "Credit related"),
    ("debt", "Credit related"),
)

# Our root-cause taxonomy (process migration 0002) by code; a child not listed takes its parent's cause.
CAUSE_OF_ROOT_CAUSE: dict[str, str] = {
    "people": "General admin/customer service",
    "process": "General admin/customer service",
    "systems": "General admin/customer service",
    "communication": "General admin/customer service",
    "third-party": "General admin/customer service",
    "external": "Other",
    "product": "Terms and disputed sums/charges",
    "charges": "Terms and disputed sums/charges",
    "product-design": "Terms and disputed sums/charges",
    "unclear-information": "Advising, selling and arranging",
    "training-gap": "Advising, selling and arranging",
}


def product_group(product: str, overrides: Mapping[str, str]) -> str:
    """The FCA product group a case about `product` is counted in: the organisation's own mapping for
    that product first, else the first of PRODUCT_WORDS its name contains, else NOT_MAPPED."""
    if product in overrides:
        return overrides[product]
    words = product.casefold()
    for word, group in PRODUCT_WORDS:
        if word in words.split() or (" " in word and word in words) or (len(word) > 4 and word in words):
            return group
    return NOT_MAPPED


def cause(root_cause: str | None, parent: str | None, overrides: Mapping[str, str]) -> str:
    """The FCA cause of a complaint whose finding names `root_cause` (its parent `parent`): the
    organisation's mapping, else the default for the code, else its parent's, else "Other"; NO_CAUSE for
    a complaint with no root cause recorded (unless the organisation maps "" to a cause)."""
    if not root_cause:
        return overrides.get("", NO_CAUSE)
    for code in (root_cause, parent):
        if code and code in overrides:
            return overrides[code]
    for code in (root_cause, parent):
        if code and code in CAUSE_OF_ROOT_CAUSE:
            return CAUSE_OF_ROOT_CAUSE[code]
    return "Other"
