from .models import Notification
from .permissions import can_edit_wording, can_merge_customers, can_review_held_email, staff_of


def staff(request):
    """Who is signed in, their unread notifications, and what the navigation may offer them (`can`)."""
    user = getattr(request, "user", None)
    profile = staff_of(user)
    unread = 0
    if profile is not None:
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    can = {
        "edit_wording": can_edit_wording(user),
        "merge_customers": can_merge_customers(user),
        "review_held_email": can_review_held_email(user),
    }
    return {"staff": profile, "unread_notifications": unread, "can": can}
