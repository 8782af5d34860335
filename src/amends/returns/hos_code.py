"""The Housing Ombudsman Complaint Handling Code (2024) as data: its sections and the provisions the
self-assessment answers. Framework-free.

The nine sections are verified [V] (https://housing-ombudsman.org.uk/landlords-info/complaint-handling-code/
the-code-2024). The provisions are PARAPHRASED, not the Code's words, from
../shared/docs/reference/regulation.md section 2.3, each with that page's evidence label: [V] verified on
the Ombudsman's site, [S] from a landlord's published self-assessment quoting the Code, [M] from memory.
Before an organisation publishes its self-assessment it must check each provision against the Code itself;
the Ombudsman publishes its own self-assessment form, and this list is not it.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS: tuple[tuple[str, str], ...] = (
    ("1", "1. Definition of a complaint"),
    ("2", "2. Exclusions"),
    ("3", "3. Accessibility and awareness"),
    ("4", "4. Complaint handling staff"),
    ("5", "5. The complaint handling process"),
    ("6", "6. Complaint stages"),
    ("7", "7. Putting things right"),
    ("8", "8. Self-assessment, reporting and compliance"),
    ("9", "9. Scrutiny and oversight"),
)


@dataclass(frozen=True)
class Provision:
    code: str
    section: str
    text: str
    evidence: str  # "V", "S" or "M": how sure the paraphrase is (regulation.md's labels)


PROVISIONS: tuple[Provision, ...] = (
    Provision(
        "1.2",
        "1",
        "A complaint is an expression of dissatisfaction, however made, about the standard of service, "
        "actions or lack of action by the landlord, its staff or those acting for it, affecting a resident "
        "or group of residents.",
        "S",
    ),
    Provision(
        "1.3", "1", "A resident does not have to use the word 'complaint' for it to be treated as one.", "S"
    ),
    Provision(
        "1.4",
        "1",
        "Service requests are not complaints but are recorded, monitored and reviewed regularly; a complaint "
        "is raised when a resident is dissatisfied with the response to a service request.",
        "S",
    ),
    Provision(
        "1.6",
        "1",
        "Whenever a resident expresses dissatisfaction they are given the choice to make a complaint.",
        "S",
    ),
    Provision(
        "2.1",
        "2",
        "Complaints are accepted unless there is a valid reason not to, and the reasoning is evidenced.",
        "S",
    ),
    Provision(
        "2.3",
        "2",
        "A complaint is accepted within 12 months of the issue or of the resident becoming aware of it, "
        "with discretion to accept older ones.",
        "S",
    ),
    Provision(
        "2.5",
        "2",
        "Where a complaint is not accepted, the resident is told why and of their right to take that "
        "decision to the Ombudsman.",
        "S",
    ),
    Provision(
        "3.1",
        "3",
        "Residents can complain by any reasonable means, and the complaints policy is published and easy "
        "to find.",
        "M",
    ),
    Provision(
        "3.3",
        "3",
        "Reasonable adjustments are made for residents who need them, with regard to the Equality Act 2010.",
        "M",
    ),
    Provision(
        "4.1",
        "4",
        "A named person or team is responsible for complaint handling, with the authority and autonomy to "
        "act to resolve disputes promptly and fairly.",
        "M",
    ),
    Provision(
        "5.1",
        "5",
        "There is a single complaints policy with exactly two stages; no informal 'stage 0' and no third "
        "stage (5.2, 5.3).",
        "S",
    ),
    Provision(
        "5.4",
        "5",
        "A third party handling complaints for the landlord does so within the two stages.",
        "S",
    ),
    Provision(
        "6.1",
        "6",
        "Triage considers the complexity of the complaint and whether the resident is vulnerable or at risk.",
        "S",
    ),
    Provision(
        "6.2",
        "6",
        "Stage 1: the complaint is acknowledged, defined and logged within 5 working days of receipt.",
        "V",
    ),
    Provision(
        "6.3",
        "6",
        "Stage 1: a response within 10 working days of the acknowledgement; an extension of no more than "
        "10 working days without good reason, explained, with the Ombudsman's contact details.",
        "V",
    ),
    Provision(
        "6.6",
        "6",
        "A response is sent when the answer is known, not when outstanding actions are done; those are "
        "tracked and the resident updated.",
        "S",
    ),
    Provision(
        "6.8",
        "6",
        "The stage 1 response gives, in plain language, the complaint stage, the complaint definition, the "
        "decision and reasons, any remedy, outstanding actions and how to escalate to stage 2.",
        "S",
    ),
    Provision(
        "6.11",
        "6",
        "Stage 2: the escalation is acknowledged, defined and logged within 5 working days; the resident "
        "is not asked to explain why they want stage 2 (6.12).",
        "V",
    ),
    Provision(
        "6.13",
        "6",
        "The person handling stage 2 is not the person who handled stage 1.",
        "S",
    ),
    Provision(
        "6.14",
        "6",
        "Stage 2: the final response within 20 working days of the escalation's acknowledgement; an "
        "extension of no more than 20 working days without good reason.",
        "V",
    ),
    Provision(
        "6.17",
        "6",
        "The stage 2 response gives the same details as at stage 1 and how to escalate to the Ombudsman.",
        "S",
    ),
    Provision(
        "7.1",
        "7",
        "Where something has gone wrong the landlord acknowledges it and puts it right: apology, "
        "explanation, remedial action, compensation as appropriate.",
        "M",
    ),
    Provision(
        "8.1",
        "8",
        "An annual complaints performance and service improvement report, including this self-assessment, "
        "is published on the website.",
        "S",
    ),
    Provision(
        "8.2",
        "8",
        "The self-assessment is reviewed and approved by the governing body at least annually, and its "
        "response is published alongside the report.",
        "S",
    ),
    Provision(
        "8.5",
        "8",
        "Where the landlord cannot comply with the Code (for example after a cyber incident) it tells the "
        "Ombudsman and residents, and publishes when it will comply again.",
        "V",
    ),
    Provision(
        "9.1",
        "9",
        "A Member Responsible for Complaints on the governing body has lead responsibility for complaints "
        "and sees regular information on complaint handling.",
        "V",
    ),
)
PROVISION_CODES = frozenset(p.code for p in PROVISIONS)
EVIDENCE_WORDS = {
    "V": "checked against the Ombudsman's site",
    "S": "from a landlord's published self-assessment",
    "M": "from memory: check against the Code",
}
