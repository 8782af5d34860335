"""The organisation's unacceptable-behaviour policy as Amends first seeds it (migration 0002): the
categories of regulation.md 3.2, the levels of 3.3 and the restriction catalogue of 3.4. Complaints leads
and administrators change it on the conduct settings page; nothing here is read after the seed.

Plain data (no Django), so the migration and the tests read the same lists.
"""

from __future__ import annotations

ANY_WORKING_ROLE = ["adviser", "case_handler", "team_leader", "complaints_lead", "admin"]
MANAGERS = ["team_leader", "complaints_lead", "admin"]
SENIOR = ["complaints_lead", "admin"]

# code, name, examples, severity floor, alerts the team leader, verbatim required
CATEGORIES = [
    (
        "violence-threats",
        "Violence or threats",
        "Assault; threats to harm staff or others; physical intimidation; damage to property.",
        "L5",
        True,
        True,
    ),
    (
        "abuse-harassment",
        "Abuse or harassment in any channel",
        "Swearing at staff; personal insults; discriminatory remarks; abusive social media posts; "
        "harassment of named staff.",
        "L2",
        True,
        False,
    ),
    (
        "unreasonable-demands",
        "Unreasonable demands",
        "Insisting on a specific officer; demanding responses within hours; "
        "demanding outcomes we cannot give.",
        "L1",
        False,
        False,
    ),
    (
        "unreasonable-persistence",
        "Unreasonable persistence",
        "Re-framing the same complaint as new; repeated escalation after the final response.",
        "L1",
        False,
        False,
    ),
    (
        "excessive-contact",
        "Excessive contact",
        "Many calls or emails a day; very long calls; bulk irrelevant documents.",
        "L1",
        False,
        False,
    ),
    (
        "refusal-to-cooperate",
        "Refusal to co-operate",
        "Not saying what the issues are; not giving information we asked for; changing the issue repeatedly.",
        "L1",
        False,
        False,
    ),
    (
        "unreasonable-arguments",
        "Unreasonable arguments",
        "Exaggeration; irrelevant or conspiracy-based arguments; "
        "insisting on an unevidenced version of events.",
        "L1",
        False,
        False,
    ),
    (
        "recording-publication",
        "Covert recording or publishing staff details",
        "Recording calls without saying so, or publishing staff names or details to intimidate them.",
        "L2",
        False,
        False,
    ),
]

# code, rank, name, allows, decided by, notice required, review required, review days, restrictions, immediate
LEVELS = [
    (
        "L0",
        0,
        "Normal service",
        "Check for support needs and reasonable adjustments.",
        ANY_WORKING_ROLE,
        False,
        False,
        None,
        False,
        False,
    ),
    (
        "L1",
        1,
        "Informal management",
        "Explain what we expect and what we can and cannot do; agree a contact plan. Told in person, logged.",
        ANY_WORKING_ROLE,
        False,
        False,
        None,
        False,
        False,
    ),
    (
        "L2",
        2,
        "Written warning or behaviour agreement",
        "A written warning naming the behaviour, the standard expected and what happens if it continues; "
        "or an "
        "acceptable behaviour agreement.",
        MANAGERS,
        True,
        False,
        180,
        False,
        False,
    ),
    (
        "L3",
        3,
        "Time-limited restrictions",
        "One or more restrictions from the catalogue, for a set time, reviewed at its end. "
        "At least one channel "
        "and emergency contact always stay open.",
        MANAGERS,
        True,
        True,
        90,
        True,
        False,
    ),
    (
        "L4",
        4,
        "Severe restrictions",
        "Exclusion from premises or entry with conditions; service elsewhere; no new complaints on the same "
        "closed matter (new matters still considered on their merits).",
        SENIOR,
        True,
        True,
        90,
        True,
        False,
    ),
    (
        "L5",
        5,
        "Immediate safety response",
        "Whoever faces violence or threats may end the call, meeting or visit at once, leave, "
        "call the police, "
        "and report it. A post-incident review and, where justified, a warning marker follow.",
        ANY_WORKING_ROLE,
        False,
        False,
        None,
        False,
        True,
    ),
]

# code, name, description, parameters, least rank
RESTRICTIONS = [
    (
        "single-point-of-contact",
        "Named single point of contact",
        "The customer deals with one named member of staff; new contacts go to them.",
        ["officer"],
        3,
    ),
    (
        "one-channel",
        "One channel",
        "Contact only by the channels named (for example email only).",
        ["channels"],
        3,
    ),
    (
        "set-call-times",
        "Set call times",
        "Phone calls only on set days and times, of a set length.",
        ["call_times"],
        3,
    ),
    ("appointments-only", "Appointments only", "Face-to-face contact by appointment only.", [], 3),
    (
        "via-representative",
        "Via a representative",
        "Contact through an advocate or representative.",
        ["representative"],
        3,
    ),
    ("limit-issues", "Limit on issues", "A limit on the number of issues raised in a period.", ["issues"], 3),
    (
        "no-replies-closed-matter",
        "No replies to repeat correspondence on a closed matter",
        "Correspondence repeating a closed matter is read and filed; new issues are acknowledged and "
        "considered on their merits.",
        ["matter"],
        3,
    ),
    (
        "exclusion-from-premises",
        "Exclusion from premises",
        "Exclusion from premises, or entry with conditions.",
        ["premises"],
        4,
    ),
    (
        "service-elsewhere",
        "Service elsewhere",
        "Service at another location or from another provider.",
        ["service"],
        4,
    ),
]

# Channels a one-channel restriction may leave open. The emergency contact always stays open: these words,
# unless the organisation gives its own (the AMENDS_CONDUCT_EMERGENCY_CONTACT setting).
RESTRICTABLE_CHANNELS = ["email", "letter", "phone", "face_to_face", "web_form", "social", "chat", "sms"]
EMERGENCY_CONTACT = "Phone, for emergencies and urgent health and safety matters"
MARKER_BASIS = "Health and Safety at Work etc. Act 1974 (employer's duty to protect staff)"
MARKER_ROLES = ["adviser", "case_handler", "team_leader", "complaints_lead", "admin"]
