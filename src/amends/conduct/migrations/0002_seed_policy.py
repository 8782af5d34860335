"""The organisation's unacceptable-behaviour policy as first seeded (conduct/defaults.py, from
regulation.md 3.2-3.4); edited afterwards on the conduct settings page."""

from django.db import migrations

from amends.conduct import defaults


def seed(apps, schema_editor):
    Category = apps.get_model("conduct", "BehaviourCategory")
    Level = apps.get_model("conduct", "PolicyLevel")
    RestrictionType = apps.get_model("conduct", "RestrictionType")
    for position, (code, name, examples, floor, alerts, verbatim) in enumerate(defaults.CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "examples": examples,
                "severity_floor": floor,
                "alerts_team_leader": alerts,
                "verbatim_required": verbatim,
                "position": position * 10,
            },
        )
    for code, rank, name, allows, roles, notice, review, days, restricts, immediate in defaults.LEVELS:
        Level.objects.update_or_create(
            code=code,
            defaults={
                "rank": rank,
                "name": name,
                "allows": allows,
                "decided_by": roles,
                "notice_required": notice,
                "review_required": review,
                "review_days": days,
                "restrictions_allowed": restricts,
                "immediate_only": immediate,
            },
        )
    for position, (code, name, description, parameters, min_rank) in enumerate(defaults.RESTRICTIONS):
        RestrictionType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "parameters": parameters,
                "min_rank": min_rank,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
