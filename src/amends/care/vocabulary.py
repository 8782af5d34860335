"""The words of a support-needs record, from the FCA's guidance on the fair treatment of vulnerable customers
(FG21/1, 23 February 2021; ../shared/docs/reference/regulation.md section 5). Framework-free.

FG21/1 names four drivers of vulnerability and, for each, the characteristics that may go with it. A
record keeps the drivers and characteristics a customer or a colleague named, and, above all, what we do
differently because of them: the support needs (CFACSC4 P5: identify the reasons a customer may be
finding it hard to deal with us; K3).
"""

from __future__ import annotations

DRIVERS: dict[str, str] = {
    "health": "Health",
    "life_event": "Life event",
    "resilience": "Resilience",
    "capability": "Capability",
}

# FG21/1's characteristics, by driver (its figure). Codes are stable; labels are what staff read.
CHARACTERISTICS: dict[str, dict[str, str]] = {
    "health": {
        "physical_disability": "Physical disability",
        "long_term_illness": "Severe or long-term illness",
        "hearing_visual_impairment": "Hearing or visual impairment",
        "mental_health": "Mental health condition or disability",
        "addiction": "Addiction",
        "low_mental_capacity": "Low mental capacity or cognitive disability",
    },
    "life_event": {
        "retirement": "Retirement",
        "bereavement": "Bereavement",
        "income_shock": "Income shock",
        "relationship_breakdown": "Relationship breakdown",
        "domestic_abuse": "Domestic abuse (including economic control)",
        "caring_responsibilities": "Caring responsibilities",
        "other_circumstances": "Other circumstances (leaving care, migration or seeking asylum, trafficking "
        "or modern slavery, convictions)",
    },
    "resilience": {
        "inadequate_income": "Inadequate or erratic income",
        "over_indebtedness": "Over-indebtedness",
        "low_savings": "Low savings",
        "low_emotional_resilience": "Low emotional resilience",
    },
    "capability": {
        "low_financial_capability": "Low knowledge or confidence in managing finances",
        "poor_literacy_numeracy": "Poor literacy or numeracy",
        "poor_english": "Poor English language skills",
        "poor_digital_skills": "Poor or no digital skills",
        "learning_difficulties": "Learning difficulties",
        "no_help": "No or low access to help or support",
    },
}
CHARACTERISTIC_LABELS: dict[str, str] = {
    code: label for group in CHARACTERISTICS.values() for code, label in group.items()
}
DRIVER_OF: dict[str, str] = {code: driver for driver, group in CHARACTERISTICS.items() for code in group}

FORMATS: dict[str, str] = {
    "large_print": "Large print",
    "easy_read": "Easy read",
    "braille": "Braille",
    "audio": "Audio",
    "another_language": "Another language",
}

THIRD_PARTY_KINDS: dict[str, str] = {
    "power_of_attorney": "Power of attorney",
    "deputy": "Deputy (Court of Protection) or guardian",
    "executor": "Executor or administrator of an estate",
    "advocate": "Advocate or support worker",
    "family": "Family member or friend the customer authorised",
    "other": "Other authority",
}

DISCLOSED_VIA: dict[str, str] = {
    "complaint_form": "The customer told us on the complaint form",
    "status_page": "The customer told us on their status page",
    "phone": "The customer told us by phone",
    "in_writing": "The customer told us in writing (email, letter, chat)",
    "third_party": "Someone acting for the customer told us",
    "staff_noticed": "A member of staff noticed",
}
# Ways a customer themselves tells us: their consent is what they give on our forms.
CUSTOMER_CHANNELS = {"complaint_form", "status_page"}

# UK GDPR article 9 conditions for special category data (with DPA 2018 schedule 1); FG21/1 appendix and
# the joint FCA/ICO statement: explicit consent is common but not the only one.
LAWFUL_BASES: dict[str, str] = {
    "explicit_consent": "Explicit consent",
    "vital_interests": "Vital interests",
    "legal_obligation": "Legal obligation (employment, social security, social protection)",
    "substantial_public_interest": "Substantial public interest (DPA 2018 sch. 1, e.g. safeguarding)",
    "legal_claims": "Legal claims",
}

# What a customer can tick on the public form and the status page, in their words, and what each
# records: (label, field changes).
CUSTOMER_NEEDS: dict[str, str] = {
    "extra_time": "More time to reply or to do things",
    "large_print": "Letters in large print",
    "phone": "Phone calls rather than email",
    "someone_else": "Someone to speak for me",
    "another_language": "Information in another language",
    "hard_right_now": "It is hard for me to deal with this right now",
}
