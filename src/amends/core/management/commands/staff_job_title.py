from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from amends.core.errors import DomainError
from amends.core.services import staff_job_title_set


class Command(BaseCommand):
    help = "Set how a staff member signs their letters: the job title under their name"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("job_title", help="e.g. 'Complaints Manager'; '' to sign with their role")

    def handle(self, *args, **o):
        user = get_user_model().objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"No user {o['username']!r}")
        try:
            staff_job_title_set(user=user, job_title=o["job_title"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{o['username']} signs as: {user.get_full_name() or user.username}, {user.staff.title}"
        )
