"""Starting data an organisation edits: a root-cause taxonomy and authority limits per role.

Limits are examples to change, not advice; the complaints lead changes them (audited) in the admin
pages or with `authority_limit_set`.
"""

from django.db import migrations

# The starting limits are the process's rules module's, which the demo also plans its approvals with.
from amends.process.rules import STARTING_LIMITS

ROOT_CAUSES = {
    "people": ("People", {"staff-error": "Staff error", "staff-behaviour": "Staff attitude or behaviour",
                          "training-gap": "Knowledge or training gap"}),
    "process": ("Process", {"policy-unclear": "Policy unclear or unfair", "process-failure": "Process not followed",
                            "handoff": "Hand-off between teams failed", "delay": "Delay or backlog"}),
    "systems": ("Systems and data", {"system-fault": "System fault", "data-error": "Wrong or missing data"}),
    "communication": ("Communication", {"unclear-information": "Information unclear or wrong",
                                        "not-kept-informed": "Customer not kept informed",
                                        "promise-broken": "Promise not kept"}),
    "product": ("Product and pricing", {"product-design": "Product or service design",
                                        "charges": "Charges or pricing"}),
    "third-party": ("Third parties", {"contractor": "Contractor or supplier failure"}),
    "external": ("Outside our control", {"external-event": "External event"}),
}

# The remedies as this migration knows them; a row for each, allowed or not, per role.
REMEDIES = ["apology", "explanation", "put_right", "service_change", "refund", "fee_waiver", "goodwill",
            "compensation"]


def seed(apps, schema_editor):
    RootCause = apps.get_model("process", "RootCause")
    AuthorityLimit = apps.get_model("process", "AuthorityLimit")
    for code, (name, children) in ROOT_CAUSES.items():
        parent = RootCause.objects.create(code=code, name=name)
        for child_code, child_name in children.items():
            RootCause.objects.create(code=child_code, name=child_name, parent=parent)
    for role, limits in STARTING_LIMITS.items():
        for remedy in REMEDIES:
            AuthorityLimit.objects.create(role=role, remedy_type=remedy, allowed=remedy in limits,
                                          max_amount=limits.get(remedy))


def unseed(apps, schema_editor):
    apps.get_model("process", "AuthorityLimit").objects.all().delete()
    apps.get_model("process", "RootCause").objects.filter(parent__isnull=False).delete()
    apps.get_model("process", "RootCause").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("process", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
