"""The organisation's apology wording: where a letter that upholds a complaint, in whole or in part, starts
its apology from. The organisation's own words, so it ships with a starting text; the complaints lead changes
it on the Letter wording page, and a letter's writer makes it fit the case."""

from django.db import migrations
from django.utils import timezone

CODE = "org.apology"
TITLE = "Apology (letters that uphold a complaint)"
GUIDANCE = (
    "The apology a response letter offers when our finding upholds the complaint in whole or in part. It "
    "is copied into the letter when it is drafted, and the writer makes it fit the case. Say sorry for "
    "what went wrong and for its effect on the customer, plainly and without conditions (not 'sorry if'). "
    "An apology is not an admission of legal liability beyond what the letter's decision says."
)
BODY = (
    "I am sorry that we let you down, and for the worry and inconvenience this has caused you. "
    "We should have got this right the first time."
)


def seed(apps, schema_editor):
    TextBlock = apps.get_model("letters", "TextBlock")
    if TextBlock.objects.filter(code=CODE).exists():
        return
    now = timezone.now()
    TextBlock.objects.create(
        code=CODE, version=1, title=TITLE, guidance=GUIDANCE, body=BODY, effective_from=now, created_at=now
    )


class Migration(migrations.Migration):
    dependencies = [("letters", "0004_letter_enclosures")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
