"""Who may see and do what. One place, so the permission-matrix test has one thing to check.

- advisers, case handlers, team leaders: their team's cases (and any case they own);
- assessors: the same cases, read-only (they judge work, they do not do it): every part of a case a
  complaints lead sees, and no form; they record observations of the work against the standards;
- complaints leads and administrators: every case, and the organisation's rules (prescribed wording,
  authority limits, regimes) and the advisers' verdicts on signals;
- support needs (care, FCA FG21/1): only the roles the record names (by default those who work cases:
  the customer's advisers and case handlers, their leaders, complaints leads, administrators; never an
  assessor unless the record allows it), and only on a customer they may see;
- internal notes and saved replies: those who work cases write them (an assessor reads notes); a team's
  saved replies are kept by its team leaders and by those who see every team.

Views, the API and templates (through `context_processors.staff`) ask these questions; none of them
tests a role itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .errors import PermissionDenied
from .models import Role, StaffProfile, Team

ALL_CASES_ROLES = {Role.COMPLAINTS_LEAD, Role.ADMIN}
WORKING_ROLES = {Role.ADVISER, Role.CASE_HANDLER, Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
ASSIGNING_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
MERGING_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
POLICY_ROLES = {Role.COMPLAINTS_LEAD, Role.ADMIN}
OBSERVING_ROLES = {Role.ASSESSOR}
QUALITY_ROLES = {Role.IQA}
# Who sees learners' progress as a summary (counts, never the evidence): those who manage the service.
PROGRESS_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}


def staff_of(user: Any) -> StaffProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.staff
    except StaffProfile.DoesNotExist:
        return None


def _role_in(user: Any, roles: Any) -> bool:
    """Whether the user is staff whose role is one of `roles`: the shape of most questions below."""
    staff = staff_of(user)
    return staff is not None and staff.role in roles


def require_staff(user: Any) -> StaffProfile:
    staff = staff_of(user)
    if staff is None:
        raise PermissionDenied("This account has no role in Amends")
    return staff


def case_scope(user: Any, *, through: str = "") -> Q:
    """A filter on Case for the cases this user may see. Matches nothing for non-staff.

    `through` is the path to the case from another model: "cases__" filters customers by their cases.
    """
    staff = staff_of(user)
    if staff is None:
        return Q(**{f"{through}pk__in": []})
    if staff.role in ALL_CASES_ROLES:
        return Q()
    if staff.team_id is None:
        return Q(**{f"{through}owner_id": user.pk})
    return Q(**{f"{through}team_id": staff.team_id}) | Q(**{f"{through}owner_id": user.pk})


def can_see_every_case(user: Any) -> bool:
    return _role_in(user, ALL_CASES_ROLES)


def can_view_case(user: Any, case: Any) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role in ALL_CASES_ROLES:
        return True
    return case.owner_id == user.pk or (staff.team_id is not None and case.team_id == staff.team_id)


def can_work_case(user: Any, case: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in WORKING_ROLES and can_view_case(user, case)


def can_observe(user: Any, case: Any) -> bool:
    """Record an observation of someone's work on a case against the standards' criteria: an assessor who
    sees the case. Nothing they record changes the case: they judge the work, they do not do it."""
    staff = staff_of(user)
    return staff is not None and staff.role in OBSERVING_ROLES and can_view_case(user, case)


def observation_scope(user: Any) -> Q:
    """A filter on observations for those this user may read, on cases they may see: an assessor reads
    every one; anyone else only those of their own work (the learner observed). Never the customer."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    scope = case_scope(user, through="case__")
    return scope if staff.role in OBSERVING_ROLES else scope & Q(learner_id=user.pk)


def can_record_contacts(user: Any) -> bool:
    """Record a customer's contact that opens a case (the API's intake). Those who work cases; an
    assessor only reads."""
    return _role_in(user, WORKING_ROLES)


def can_work_cases(user: Any) -> bool:
    """Work cases at all: the queue offers them its bulk actions (each case is still asked
    `can_work_case`). An assessor only reads."""
    return _role_in(user, WORKING_ROLES)


def can_assign_cases(user: Any) -> bool:
    """Give cases to other people (`can_assign` asks it of one case they can see)."""
    return _role_in(user, ASSIGNING_ROLES)


def can_assign(user: Any, case: Any) -> bool:
    """Team leaders and leads assign; anyone who works a case may take an unassigned one themselves."""
    staff = staff_of(user)
    return staff is not None and staff.role in ASSIGNING_ROLES and can_view_case(user, case)


def owner_refusal(owner: Any, *, team_id: int | None) -> tuple[str, str] | None:
    """Why `owner` may not be given a case of team `team_id` (a code and a sentence), or None if they may.

    An owner works the case, so they must be someone who works cases (an assessor only reads) and see it
    without owning it: a member of its team, or someone who sees every case. `assignable_scope` is the
    same rule as a filter, for listing them.
    """
    staff = staff_of(owner)
    name = (owner.get_full_name() or owner.get_username()) if owner is not None else ""
    if staff is None:
        return "no role", f"{name} has no role in Amends"
    if staff.role not in WORKING_ROLES:
        return "may not work cases", f"{name} is {_a(staff.get_role_display())} and does not work cases"
    if staff.role in ALL_CASES_ROLES or team_id is None or staff.team_id == team_id:
        return None
    team = Team.objects.filter(pk=team_id).first() or "the case's team"
    return "not in team", f"{name} is not in {team}"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun.lower()}"


def can_own_case(owner: Any, case: Any) -> bool:
    return owner_refusal(owner, team_id=case.team_id) is None


def assignable_scope(team_id: int | None) -> Q:
    """A filter on users for those a case of team `team_id` may be given to (`owner_refusal`'s rule)."""
    scope = Q(is_active=True, staff__role__in=WORKING_ROLES)
    if team_id is None:
        return scope
    return scope & (Q(staff__role__in=ALL_CASES_ROLES) | Q(staff__team_id=team_id))


def can_assign_to(user: Any, case: Any, owner: Any) -> bool:
    """Assigners give a case to anyone who may work it (or to nobody); the others may only take an
    unassigned case."""
    if owner is not None and not can_own_case(owner, case):
        return False
    if can_assign(user, case):
        return True
    return can_work_case(user, case) and case.owner_id is None and getattr(owner, "pk", None) == user.pk


def viewers_scope(*, team_ids, owner_ids) -> Q:
    """A filter on users for those who see a case of one of `team_ids` or owned by one of `owner_ids`
    (`can_view_case`'s rule; lists or subqueries, a None among them matching nobody): who may be told
    about it, as a note's @mention is. A customer's are those of their cases."""
    sees = Q(staff__role__in=ALL_CASES_ROLES) | Q(staff__team_id__in=team_ids) | Q(pk__in=owner_ids)
    return Q(is_active=True, staff__isnull=False) & sees


def can_write_notes(user: Any) -> bool:
    """Internal notes on a case or a customer: those who work cases (on a case, `can_work_case` too); an
    assessor reads them and writes none."""
    return _role_in(user, WORKING_ROLES)


def can_keep_saved_replies(user: Any) -> bool:
    """Keep personal saved replies and use saved replies: those who reply to customers."""
    return _role_in(user, WORKING_ROLES)


def can_manage_team_replies(user: Any, team_id: int | None) -> bool:
    """A team's saved replies are kept by its team leaders, and by those who see every team."""
    staff = staff_of(user)
    if staff is None or team_id is None:
        return False
    if staff.role in ALL_CASES_ROLES:
        return True
    return staff.role == Role.TEAM_LEADER and staff.team_id == team_id


def reply_teams_scope(user: Any) -> Q:
    """A filter on teams for those whose saved replies this user keeps (`can_manage_team_replies`)."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in ALL_CASES_ROLES:
        return Q()
    if staff.role == Role.TEAM_LEADER and staff.team_id is not None:
        return Q(pk=staff.team_id)
    return Q(pk__in=[])


def can_merge_customers(user: Any) -> bool:
    return _role_in(user, MERGING_ROLES)


def can_edit_customers(user: Any) -> bool:
    """Change a customer's details (name, contact points, postal addresses, preferred channel, nation) on a
    customer they may see: those who work cases; an assessor only reads."""
    return _role_in(user, WORKING_ROLES)


# Who sees a customer's support needs unless the record says otherwise: those who work this customer's
# cases and their leaders (FG21/1 and UK GDPR: special category data, shared only with those who need it).
SUPPORT_NEEDS_DEFAULT_ROLES = (
    Role.ADVISER,
    Role.CASE_HANDLER,
    Role.TEAM_LEADER,
    Role.COMPLAINTS_LEAD,
    Role.ADMIN,
)


def support_needs_roles() -> list[tuple[str, str]]:
    """The roles a support-needs record may be shown to, as (value, label): every role in Amends."""
    return [(role.value, role.label) for role in Role]


def can_see_support_needs(user: Any, record: Any) -> bool:
    """Read this support-needs version (care.models.SupportNeedsVersion): the user's role is among those it
    is shown to. The caller has already found the customer among those the user may see."""
    staff = staff_of(user)
    return staff is not None and record is not None and staff.role in (record.visible_to or [])


def can_record_support_needs(user: Any) -> bool:
    """Record, change or end a customer's support needs: those who work cases (an assessor only reads,
    where a record allows it)."""
    return _role_in(user, WORKING_ROLES)


def can_review_held_email(user: Any) -> bool:
    """See the email intake could not read, and release it as a case once who sent it is known."""
    return _role_in(user, ASSIGNING_ROLES)


def _policy(user: Any) -> bool:
    return _role_in(user, POLICY_ROLES)


def can_edit_wording(user: Any) -> bool:
    """The prescribed text blocks letters need (the compliance side's wording)."""
    return _policy(user)


def can_set_authority_limits(user: Any) -> bool:
    return _policy(user)


def can_add_regimes(user: Any) -> bool:
    return _policy(user)


def can_export_feedback(user: Any) -> bool:
    """Advisers' verdicts on signals, with the customers' words they were about."""
    return _policy(user)


def can_manage_integrations(user: Any) -> bool:
    """The organisation's integrations that carry replies on social media and chat: their URLs and signing
    secrets are technical set-up, an administrator's."""
    return _role_in(user, {Role.ADMIN})


def can_configure_mailboxes(user: Any) -> bool:
    """The team mailboxes Amends reads by IMAP: servers and accounts, the administrators' business."""
    return _role_in(user, {Role.ADMIN})


def can_raise_colleague_alerts(user: Any) -> bool:
    """Raise an alert on a customer for whoever deals with them next ("may re-open the matter"): those who
    work cases, on a customer they can see. An assessor reads the alerts but raises none."""
    return _role_in(user, WORKING_ROLES)


def can_close_colleague_alert(user: Any, alert: Any) -> bool:
    """Close a colleague alert: whoever raised it, the colleague it names, and team leaders and leads."""
    staff = staff_of(user)
    if staff is None or staff.role not in WORKING_ROLES:
        return False
    return staff.role in ASSIGNING_ROLES or user.pk in {alert.raised_by_id, alert.contact_id}


def can_edit_directory_entry(user: Any, person: Any) -> bool:
    """What a person can help with, in the directory of who can help: the person themselves, their team's
    leaders, and those who see every team. Assessors are not in it (they judge the work, they are not
    asked for help on a case)."""
    staff, theirs = staff_of(user), staff_of(person)
    if staff is None or theirs is None or theirs.role not in WORKING_ROLES:
        return False
    if user.pk == person.pk or staff.role in ALL_CASES_ROLES:
        return True
    return staff.role == Role.TEAM_LEADER and staff.team_id is not None and staff.team_id == theirs.team_id


def authority_roles() -> list[Role]:
    """The roles that hold authority limits: those who work cases (an assessor judges, offers nothing)."""
    return [role for role in Role if role in WORKING_ROLES]


def require(allowed: bool, message: str = "You do not have permission to do that") -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- challenging behaviour and staff safety (amends.conduct) ------------------------------------------
# Who decides at each level is the organisation's policy, kept as data (conduct.models.PolicyLevel's
# `decided_by` roles); these questions take those roles, so no role is tested anywhere else.
SENIOR_CHECK_ROLES = POLICY_ROLES
MARKER_KEEPING_ROLES = ASSIGNING_ROLES


def can_report_behaviour(user: Any) -> bool:
    """Report a behaviour incident or a safety report (CFACSC4 P17): every working role; an assessor
    judges work and reports nothing."""
    return _role_in(user, WORKING_ROLES)


def can_see_conduct(user: Any) -> bool:
    """See the behaviour incidents and decisions on a customer they can see: those who deal with customers
    (working roles). An assessor does not: it is not part of the work they judge."""
    return _role_in(user, WORKING_ROLES)


def can_decide_at(user: Any, roles: Any) -> bool:
    """Decide a conduct decision at a level the policy lets these roles decide."""
    staff = staff_of(user)
    return staff is not None and staff.role in WORKING_ROLES and staff.role in set(roles or ())


def can_give_senior_check(user: Any) -> bool:
    """Confirm that reasonable adjustments were considered before a customer with support needs is
    restricted (Equality Act 2010): a complaints lead or an administrator."""
    return _role_in(user, SENIOR_CHECK_ROLES)


def can_see_marker(user: Any, roles: Any) -> bool:
    """See a warning marker: only the roles it names (never an assessor unless it names assessors)."""
    staff = staff_of(user)
    return staff is not None and staff.role in set(roles or ())


def can_keep_markers(user: Any) -> bool:
    """Review and remove warning markers: team leaders, complaints leads, administrators (anyone who works
    cases may add one with a safety report)."""
    return _role_in(user, MARKER_KEEPING_ROLES)


def can_configure_conduct(user: Any) -> bool:
    """The organisation's unacceptable-behaviour policy: categories, levels and who decides them,
    the restriction catalogue."""
    return _policy(user)


# --- special reviews of complaint levels (amends.monitoring, CFACSC7 K1) -------------------------------
REVIEW_SEEING_ROLES = ASSIGNING_ROLES  # team leaders, complaints leads, administrators


def can_see_reviews(user: Any) -> bool:
    """The special reviews complaint levels opened, with their evidence: those who manage the service
    (team leaders, complaints leads, administrators)."""
    return _role_in(user, REVIEW_SEEING_ROLES)


def can_lead_reviews(user: Any) -> bool:
    """Open a special review by hand, give it an owner, close it with its outcome, and choose how levels
    are watched (the method and its parameters): complaints leads and administrators."""
    return _policy(user)


def can_record_review_findings(user: Any, review: Any) -> bool:
    """Record what a special review found: its owner, and those who lead reviews."""
    staff = staff_of(user)
    if staff is None or staff.role not in REVIEW_SEEING_ROLES:
        return False
    return staff.role in POLICY_ROLES or review.owner_id == user.pk


def review_owner_scope() -> Q:
    """A filter on users for those who may own a special review: those who see them."""
    return Q(is_active=True, staff__role__in=REVIEW_SEEING_ROLES)


def review_leads_scope() -> Q:
    """A filter on users for those told when the trigger opens a special review: the complaints leads."""
    return Q(is_active=True, staff__role=Role.COMPLAINTS_LEAD)


# --- insights: dashboards and team performance (amends.insights) ----------------------------------------
INSIGHT_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}


def can_see_insights(user: Any) -> bool:
    """The dashboards of complaint levels and rates: team leaders (over the cases they see: their team's)
    and those who see every case. The figures always count only the cases `case_scope` gives them."""
    return _role_in(user, INSIGHT_ROLES)


def performance_people_scope(user: Any) -> Q:
    """A filter on StaffProfile for the people whose performance this user may see: everyone who works
    cases for those who see every case, their team's for a team leader, and otherwise only themselves
    (coaching, never a league table)."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    working = Q(role__in=WORKING_ROLES)
    if staff.role in ALL_CASES_ROLES:
        return working
    if staff.role == Role.TEAM_LEADER and staff.team_id is not None:
        return working & (Q(team_id=staff.team_id) | Q(user_id=user.pk))
    return Q(user_id=user.pk) & working


def performance_teams_scope(user: Any) -> Q:
    """A filter on Team for the teams whose performance this user may see: all for those who see every
    case, their own for a team leader, none for anyone else."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in ALL_CASES_ROLES:
        return Q()
    if staff.role == Role.TEAM_LEADER and staff.team_id is not None:
        return Q(pk=staff.team_id)
    return Q(pk__in=[])


def can_see_performance(user: Any, *, team: Any = None, person: Any = None) -> bool:
    if team is not None:
        return Team.objects.filter(performance_teams_scope(user), pk=team.pk).exists()
    if person is not None:
        return StaffProfile.objects.filter(performance_people_scope(user), user_id=person.pk).exists()
    return False


def can_set_objectives(user: Any, *, team: Any = None, person: Any = None) -> bool:
    """Set a team's or a person's objectives: a team leader for their team and its people (not their
    own: their leader or a complaints lead sets those), those who see every case for anyone."""
    staff = staff_of(user)
    if staff is None or staff.role not in INSIGHT_ROLES:
        return False
    if staff.role in ALL_CASES_ROLES:
        return team is not None or (person is not None and can_see_performance(user, person=person))
    if person is not None and person.pk == user.pk:
        return False
    return can_see_performance(user, team=team, person=person)


# --- root causes and improvement (amends.process.taxonomy, amends.improvement) -------------------------
IMPROVING_ROLES = ASSIGNING_ROLES


def can_edit_root_causes(user: Any) -> bool:
    """The root-cause taxonomy (add, rename, retire, move): the complaints leads' and administrators'. Every
    member of staff reads it."""
    return _policy(user)


def can_see_improvement(user: Any) -> bool:
    """The improvement log and its measures (counts, never a case's contents): every member of staff."""
    return staff_of(user) is not None


def can_plan_improvement(user: Any) -> bool:
    """Open an improvement action and give it an owner: team leaders, complaints leads, administrators."""
    return _role_in(user, IMPROVING_ROLES)


def can_move_improvement(user: Any, action: Any) -> bool:
    """Move an improvement action through its stages and record its check: its owner (if they work cases),
    team leaders, complaints leads and administrators."""
    staff = staff_of(user)
    if staff is None or staff.role not in WORKING_ROLES:
        return False
    return staff.role in IMPROVING_ROLES or action.owner_id == user.pk


def improvement_owners_scope() -> Q:
    """A filter on users for those who may own an improvement action: active staff who work cases."""
    return Q(is_active=True, staff__role__in=WORKING_ROLES)


def can_share_lessons(user: Any) -> bool:
    """Share a lesson learned with teams and people: team leaders, complaints leads, administrators."""
    return _role_in(user, IMPROVING_ROLES)


def can_receive_lessons(user: Any) -> bool:
    """Be told a lesson and acknowledge it: those who work cases (an assessor judges the work)."""
    return _role_in(user, WORKING_ROLES)


def can_see_every_lesson(user: Any) -> bool:
    """Every lesson shared, with who has acknowledged it: complaints leads and administrators."""
    return _policy(user)


def can_see_lesson_answers(user: Any, lesson: Any) -> bool:
    """Who has and has not acknowledged a lesson: whoever shared it, complaints leads and administrators."""
    staff = staff_of(user)
    return staff is not None and (lesson.shared_by_id == user.pk or staff.role in POLICY_ROLES)


def can_produce_returns(user: Any) -> bool:
    """Regulatory returns and published reports (the FCA complaints return, the Housing Ombudsman annual
    report and self-assessment): complaints leads and administrators, who answer for them to regulators
    and the governing body; never advisers (the figures cover every team)."""
    return _policy(user)


def can_edit_self_assessment(user: Any) -> bool:
    """The Code self-assessment's answers and the return's product and cause mapping: complaints leads
    and administrators, audited."""
    return _policy(user)


def can_see_problems(user: Any) -> bool:
    """Repeated problems (problems app): every member of staff sees the problem records; the cases
    linked to one are listed only as far as `case_scope` lets them see cases."""
    return staff_of(user) is not None


def can_manage_problems(user: Any) -> bool:
    """Open a problem, rename, describe, set its owner, status and root cause, link and unlink cases,
    merge and split: team leaders, complaints leads, administrators."""
    return _role_in(user, ASSIGNING_ROLES)


def can_tell_problem_customers(user: Any) -> bool:
    """One message to every customer a problem affects: complaints leads and administrators."""
    return _policy(user)


def can_set_product_owners(user: Any) -> bool:
    """Who owns each product or service (told when a problem about it opens): complaints leads."""
    return _policy(user)


# --- competence: learners, assessors, internal quality assurers (amends.assessment, amends.practice) ---
def is_learner(user: Any) -> bool:
    """Working towards the qualification: staff with an assessor."""
    staff = staff_of(user)
    return staff is not None and staff.assessor_id is not None


def can_assess_learner(user: Any, learner: Any) -> bool:
    """Judge this learner's evidence, sign off their criteria, mark their knowledge answers: their own
    assessor, and only while they are one."""
    staff, theirs = staff_of(user), staff_of(learner)
    return (
        staff is not None
        and theirs is not None
        and staff.role in OBSERVING_ROLES
        and theirs.assessor_id == user.pk
    )


def can_quality_assure(user: Any) -> bool:
    """Plan and record internal quality assurance samples of assessors' decisions: an IQA."""
    return _role_in(user, QUALITY_ROLES)


def is_assessor(user: Any) -> bool:
    """An assessor: judges their own learners' evidence and marks their knowledge answers."""
    return _role_in(user, OBSERVING_ROLES)


def can_see_knowledge_checks(user: Any) -> bool:
    """The knowledge checks pages (amends.knowledge): a learner takes their own, an assessor reads and marks
    their learners', an IQA reads every learner's. Managers: not here (`can_see_progress`)."""
    return is_learner(user) or _role_in(user, OBSERVING_ROLES | QUALITY_ROLES)


def can_read_portfolio(user: Any, learner: Any) -> bool:
    """Read a learner's portfolio (evidence, decisions, reflective accounts): the learner, their assessor,
    and an IQA. A manager sees progress summaries only (`can_see_progress`)."""
    if staff_of(user) is None or staff_of(learner) is None:
        return False
    return user.pk == learner.pk or can_assess_learner(user, learner) or can_quality_assure(user)


def learner_scope(user: Any) -> Q:
    """A filter on users for the learners whose portfolios this user may read."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    learners = Q(staff__assessor__isnull=False)
    if staff.role in QUALITY_ROLES:
        return learners
    if staff.role in OBSERVING_ROLES:
        return learners & (Q(staff__assessor_id=user.pk) | Q(pk=user.pk))
    return learners & Q(pk=user.pk)


def can_see_progress(user: Any) -> bool:
    """Progress summaries of the learners in their teams (how far, not what): managers, assessors, IQAs."""
    return _role_in(user, PROGRESS_ROLES | OBSERVING_ROLES | QUALITY_ROLES)


def progress_scope(user: Any) -> Q:
    """A filter on users for the learners whose progress summary this user may see."""
    staff = staff_of(user)
    if staff is None or not can_see_progress(user):
        return Q(pk__in=[])
    learners = Q(staff__assessor__isnull=False)
    if staff.role in ALL_CASES_ROLES | QUALITY_ROLES:
        return learners
    if staff.role in OBSERVING_ROLES:
        return learners & Q(staff__assessor_id=user.pk)
    if staff.team_id is None:
        return Q(pk__in=[])
    return learners & Q(staff__team_id=staff.team_id)


WITNESS_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}


def can_give_witness_statements(user: Any) -> bool:
    """Give witness statements of learners' work at all (on the cases they see): team leaders and leads."""
    return _role_in(user, WITNESS_ROLES)


def can_witness(user: Any, case: Any) -> bool:
    """Give a witness statement of a learner's work on a case: a team leader or complaints lead who sees
    it."""
    return _role_in(user, WITNESS_ROLES) and can_view_case(user, case)


# --- practice with simulated customers (amends.practice): formative, never evidence ---
def can_practise(user: Any) -> bool:
    """Practise with a simulated customer: those who deal with customers (an assessor or an IQA judges
    the work and writes nothing; they read their learners' sessions through `practice_scope`)."""
    return _role_in(user, WORKING_ROLES)


def practice_scope(user: Any) -> Q:
    """A filter on practice sessions for those this user may read: their own, and an assessor their
    learners' (`can_assess_learner`'s rule: read-only, formative). Nobody else, not even a manager."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    own = Q(learner_id=user.pk)
    if staff.role in OBSERVING_ROLES:
        return own | Q(learner__staff__assessor_id=user.pk)
    return own
