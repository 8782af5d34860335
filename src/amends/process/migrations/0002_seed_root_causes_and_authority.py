"""Starting data an organisation edits: a root-cause taxonomy and authority limits per role.

Limits are examples to change, not advice; the complaints lead changes them (audited) in the admin
pages or with `authority_limit_set`.
"""

from django.db import migrations

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

NON_MONEY = ["apology", "explanation", "put_right", "service_change"]
# role: (non-monetary remedies allowed, {money remedy: limit or None for none allowed})
LIMITS = {
    "adviser": (["apology", "explanation", "put_right"],
                {"refund": "100", "fee_waiver": "50", "goodwill": "50", "compensation": None}),
    "case_handler": (["apology", "explanation", "put_right"],
                     {"refund": "500", "fee_waiver": "250", "goodwill": "150", "compensation": "250"}),
    "team_leader": (NON_MONEY, {"refund": "2000", "fee_waiver": "1000", "goodwill": "500", "compensation": "1000"}),
    "complaints_lead": (NON_MONEY,
                        {"refund": "25000", "fee_waiver": "10000", "goodwill": "5000", "compensation": "10000"}),
}


def seed(apps, schema_editor):
    RootCause = apps.get_model("process", "RootCause")
    AuthorityLimit = apps.get_model("process", "AuthorityLimit")
    for code, (name, children) in ROOT_CAUSES.items():
        parent = RootCause.objects.create(code=code, name=name)
        for child_code, child_name in children.items():
            RootCause.objects.create(code=child_code, name=child_name, parent=parent)
    for role, (non_money, money) in LIMITS.items():
        for remedy in NON_MONEY:
            AuthorityLimit.objects.create(role=role, remedy_type=remedy, allowed=remedy in non_money)
        for remedy, limit in money.items():
            AuthorityLimit.objects.create(role=role, remedy_type=remedy, allowed=limit is not None,
                                          max_amount=limit)


def unseed(apps, schema_editor):
    apps.get_model("process", "AuthorityLimit").objects.all().delete()
    apps.get_model("process", "RootCause").objects.filter(parent__isnull=False).delete()
    apps.get_model("process", "RootCause").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("process", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
