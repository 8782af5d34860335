"""Seed every text block the shipped regimes name, as version 1.

Prescribed wording ships empty on purpose: regulators' exact words must be copied in by the organisation's
compliance team from the source (regulation.md: "load the exact wording, do not paraphrase"), and a letter
that needs an empty block cannot be sent. Only the organisation's own contact details and signature get a
starting text.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

PRESCRIBED = [
    (
        "fca.disp1.annex3.waiver",
        "DISP 1 Annex 3R: whether we consent to waive the ombudsman's time limits",
        "Copy the exact wording of DISP 1 Annex 3R from the FCA Handbook "
        "(https://www.handbook.fca.org.uk/handbook/DISP/1/Annex3.html) for the case that matches our policy: "
        "case (1) when we do not consent to the Financial Ombudsman Service considering a complaint referred "
        "more than six months after the date of the letter; the other cases when we do consent, or when we "
        "think the complaint is outside the six-year or three-year time limits. Do not paraphrase it. "
        "DISP 1.6.2R(1)(f) requires this statement in every final response and DISP 1.5 in every summary "
        "resolution communication. Check it against the Handbook whenever the FCA changes DISP.",
    ),
    (
        "fca.fos.leaflet",
        "Financial Ombudsman Service leaflet (enclosure)",
        "DISP 1.6.2R(1)(d) requires every final response to enclose the Financial Ombudsman Service's standard "
        "explanatory leaflet. Write the sentence telling the customer that it is enclosed and, for letters sent "
        "by email, where to read it on financial-ombudsman.org.uk. Posted letters must have the printed "
        "leaflet in the envelope.",
    ),
    (
        "hos.ombudsman.details",
        "Housing Ombudsman Service: contact details",
        "The Housing Ombudsman Service's contact details (phone, email, postal address and website, from "
        "housing-ombudsman.org.uk) and how a resident can ask it to look at their complaint. The Complaint "
        "Handling Code 2024 requires the Ombudsman's details whenever we tell a resident about an extension, "
        "and the stage 2 (final) response must explain how to escalate to the Ombudsman. The Ombudsman does "
        "not normally consider a complaint brought 12 months or more after our final response.",
    ),
    (
        "energy.ombudsman.details",
        "Energy Ombudsman: contact details",
        "The Energy Ombudsman's contact details and what it does, from ombudsman-services.org. Ombudsman "
        "guidance (March 2020) asks for this in both eight-week and deadlock letters, clearly and prominently, "
        "and for a statement of whether any goodwill offer stays open if the customer goes to the Ombudsman. "
        "Confirm the customer's current time limit (12 months) with the Ombudsman before filling this in.",
    ),
    (
        "ofcom.adr.details",
        "Communications ADR scheme: contact details",
        "The name, contact details and website of the Ofcom-approved ADR scheme we belong to (Communications "
        "Ombudsman or CISAS). Ofcom General Condition C4 requires an ADR letter at deadlock and when a "
        "complaint is still unresolved after 8 weeks. Take the wording from the scheme's own guidance.",
    ),
    (
        "spso.details",
        "Scottish Public Services Ombudsman: contact details",
        "The SPSO's contact details (freepost address, phone, website spso.org.uk) and its time limit: "
        "normally within 12 months of the customer becoming aware of the problem. The Model Complaints "
        "Handling Procedure requires our stage 2 response to tell the customer about the SPSO. Use the SPSO's "
        "own standard wording where it publishes one.",
    ),
    (
        "leo.details",
        "Legal Ombudsman: contact details and six-month warning",
        "The Legal Ombudsman's full contact details (address, phone, email, website legalombudsman.org.uk) and "
        "the warning that the complaint must be referred within six months of the date of our final response. "
        "The Legal Ombudsman applies its six-month limit only when the response prominently includes all three: "
        "that the Ombudsman is available, its full contact details, and the six-month warning. Since 1 April "
        "2023 a complaint must also reach it within one year of the act or omission, or of when the client "
        "should have known.",
    ),
    (
        "lgsco.details",
        "Local Government and Social Care Ombudsman: contact details",
        "The LGSCO's contact details (phone and website lgo.org.uk). The Complaint Handling Code (6.5) requires "
        "them whenever we extend a response time, and the stage 2 response must explain how to go to the "
        "Ombudsman. For adult social care complaints, the response must give the right to go to the LGSCO. "
        "Check its time limit (usually 12 months from when the person became aware of the matter) with the "
        "LGSCO before filling this in.",
    ),
    (
        "phso.details",
        "Parliamentary and Health Service Ombudsman: contact details",
        "The PHSO's contact details (phone and website ombudsman.org.uk) for NHS complaints. Under the 2009 "
        "complaints regulations the written response must tell the complainant of their right to take the "
        "complaint to the Ombudsman. The PHSO normally expects complaints within 12 months of the complainant "
        "first knowing about the problem.",
    ),
    (
        "ccw.details",
        "Consumer Council for Water: contact details",
        "CCW's contact details (phone and website ccwater.org.uk), and that if the customer is still unhappy "
        "after our two stages CCW can help independently and can then refer them to the Water Redress Scheme "
        "(WATRS). Take the wording from CCW's guidance to companies.",
    ),
]


def _org_blocks():
    org = settings.ORGANISATION_NAME
    return [
        (
            "org.contact_details",
            "Our contact details",
            "How customers reach the complaints team: postal address, phone number, email and opening hours. It "
            "appears in every letter. Complaint phone lines must cost no more than the basic rate (DISP 1.3 and "
            "the ombudsman codes): no 084, 087 or 09 numbers.",
            f"{org}\nComplaints team\nEmail: {settings.DEFAULT_FROM_EMAIL}\n"
            "Please quote your reference whenever you contact us.",
        ),
        (
            "org.signature",
            "Signature",
            "The sign-off under “Yours sincerely”. NHS and social care responses must be signed by the "
            "responsible person: give their name and job title here.",
            f"Complaints team\n{org}",
        ),
    ]


def seed(apps, schema_editor):
    TextBlock = apps.get_model("letters", "TextBlock")
    now = timezone.now()
    rows = [(code, title, guidance, "") for code, title, guidance in PRESCRIBED] + _org_blocks()
    for code, title, guidance, body in rows:
        if TextBlock.objects.filter(code=code).exists():
            continue
        TextBlock.objects.create(
            code=code, version=1, title=title, guidance=guidance, body=body, effective_from=now, created_at=now
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
