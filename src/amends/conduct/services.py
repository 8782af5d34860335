"""Every change to behaviour records, conduct decisions and warning markers: one service each, in a
transaction, audited (core `audit_record`), with a case event when it is about a case.

This module is the conduct app's one public surface for writes; each concept has its own module:
`policy` (the policy as data), `incidents` (incidents and the safety report), `markers` (warning markers),
`decisions` (decisions and their reviews), `appeals`, `notices` (the written notice) and `reminders` (the
worker's review reminders). The rules they keep are in docs/design/conduct.md (regulation.md 3.3-3.5;
CFACSC4 P17, K8, K10).
"""

from .appeals import appeal_decide, appeal_lodge, involved_in
from .decisions import RestrictionIn, Variation, decision_make, decision_review, open_channels
from .incidents import MarkerRequest, SafetyReport, follow_up_done, incident_report, safety_report
from .markers import marker_add, marker_remove, marker_review
from .notices import notice_fields, notice_send
from .people import complaints_leads, team_leaders_of
from .policy import category_save, level_save, restriction_type_save
from .reminders import markers_remind, reviews_remind, worker_steps

__all__ = [
    "MarkerRequest",
    "RestrictionIn",
    "SafetyReport",
    "Variation",
    "appeal_decide",
    "appeal_lodge",
    "category_save",
    "complaints_leads",
    "decision_make",
    "decision_review",
    "follow_up_done",
    "incident_report",
    "involved_in",
    "level_save",
    "marker_add",
    "marker_remove",
    "marker_review",
    "markers_remind",
    "notice_fields",
    "notice_send",
    "open_channels",
    "restriction_type_save",
    "reviews_remind",
    "safety_report",
    "team_leaders_of",
    "worker_steps",
]
