"""`amends returns_rebuild`: rebuild every complaint's stored states (what the returns count) from events."""

from django.core.management.base import BaseCommand

from amends.returns.services import returns_rebuild


class Command(BaseCommand):
    help = "Rebuild the returns' stored complaint states from the case events (after an import or a restore)"

    def handle(self, *args, **options):
        result = returns_rebuild(progress=lambda n: self.stderr.write(f"  {n:,} complaints"))
        self.stdout.write(
            f"rebuilt {result.rows:,} states of {result.cases:,} complaints in {result.seconds:.1f} s"
        )
