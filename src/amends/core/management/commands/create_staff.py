from django.core.management.base import BaseCommand, CommandError

from amends.core.errors import DomainError
from amends.core.models import Role, Team
from amends.core.services import staff_create


class Command(BaseCommand):
    help = "Create a staff login with a role (and a team)"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--team", help="team slug")
        parser.add_argument("--password", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--job-title", default="", help="how they sign letters, e.g. 'Complaints Manager'"
        )

    def handle(self, *args, **o):
        team = None
        if o["team"]:
            team = Team.objects.filter(slug=o["team"]).first()
            if team is None:
                raise CommandError(f"No team {o['team']!r}")
        try:
            staff_create(
                username=o["username"],
                password=o["password"],
                role=o["role"],
                team=team,
                first_name=o["first_name"],
                last_name=o["last_name"],
                job_title=o["job_title"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {o['username']} ({o['role']})")
