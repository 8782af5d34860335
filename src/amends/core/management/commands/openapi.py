import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.http import HttpRequest
from django.urls import resolve, reverse

COMMITTED = Path(__file__).resolve().parents[5] / "docs" / "openapi.json"


def render() -> str:
    """The OpenAPI document the API serves, read through the URLconf: core cannot import the API (it sits
    above every app), and the served document is the one clients see."""
    url = reverse("api:openapi-json")
    match = resolve(url)
    served = match.func(HttpRequest(), *match.args, **match.kwargs)
    schema = json.loads(served.content)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI document; with --check, fail if docs/openapi.json is out of date"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check, **options):
        current = render()
        if not check:
            self.stdout.write(current, ending="")
            return
        committed = COMMITTED.read_text() if COMMITTED.exists() else ""
        if committed != current:
            self.stderr.write("docs/openapi.json is out of date: run `make openapi` and commit it")
            sys.exit(1)
        self.stdout.write("docs/openapi.json is up to date")
