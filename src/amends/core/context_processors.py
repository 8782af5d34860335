from .permissions import (
    can_configure_conduct,
    can_configure_mailboxes,
    can_edit_customers,
    can_edit_wording,
    can_keep_saved_replies,
    can_lead_reviews,
    can_manage_integrations,
    can_merge_customers,
    can_practise,
    can_produce_returns,
    can_review_held_email,
    can_see_conduct,
    can_see_insights,
    can_see_knowledge_checks,
    can_see_reviews,
    staff_of,
)
from .selectors import unread_counts


def staff(request):
    """Who is signed in, their unread notifications, and what the navigation may offer them (`can`)."""
    user = getattr(request, "user", None)
    profile = staff_of(user)
    unread = {"unread": 0, "urgent": 0}
    if profile is not None:
        unread = unread_counts(user)
    can = {
        "edit_customers": can_edit_customers(user),
        "edit_wording": can_edit_wording(user),
        "merge_customers": can_merge_customers(user),
        "review_held_email": can_review_held_email(user),
        "manage_integrations": can_manage_integrations(user),
        "configure_mailboxes": can_configure_mailboxes(user),
        "keep_saved_replies": can_keep_saved_replies(user),
        "see_conduct": can_see_conduct(user),
        "configure_conduct": can_configure_conduct(user),
        "see_reviews": can_see_reviews(user),
        "lead_reviews": can_lead_reviews(user),
        "see_insights": can_see_insights(user),
        "produce_returns": can_produce_returns(user),
        "see_knowledge_checks": can_see_knowledge_checks(user),
        "practise": can_practise(user),
    }
    return {
        "staff": profile,
        "unread_notifications": unread["unread"],
        "urgent_notifications": unread["urgent"],
        "routine_notifications": unread["unread"] - unread["urgent"],
        "can": can,
    }
