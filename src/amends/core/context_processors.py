from .permissions import staff_of


def staff(request):
    return {"staff": staff_of(getattr(request, "user", None))}
