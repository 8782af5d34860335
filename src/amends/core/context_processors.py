from .permissions import staff_of


def staff(request):
    user = getattr(request, "user", None)
    profile = staff_of(user)
    unread = 0
    if profile is not None:
        from .models import Notification

        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"staff": profile, "unread_notifications": unread}
