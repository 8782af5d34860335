"""Shared fixtures: named personas, so permission tests read as who-may-do-what."""

from __future__ import annotations

import pytest
from django.test import Client

from amends.core.models import Role
from amends.core.services import staff_create, team_create

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _every_regime_in_use(request):
    """The tests' organisation works under every regime (as installations did before regime settings):
    a test may apply any. Tests of the settings start from a new installation's none (`no_regime_in_use`)."""
    names = set(request.fixturenames)
    if "no_regime_in_use" in names:
        return
    if "reference_data" in names:  # reloads the regimes a transactional test's flush took
        request.getfixturevalue("reference_data")
    elif "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return  # no database
    from amends.regimes.models import Regime

    Regime.objects.update(in_use=True)


@pytest.fixture
def no_regime_in_use(db):
    """A new installation: the built-in regimes are loaded and none is switched on yet."""
    from amends.regimes.models import Regime

    Regime.objects.update(in_use=False)


@pytest.fixture
def complaints_team(db):
    return team_create(name="Complaints", slug="complaints")


@pytest.fixture
def billing_team(db):
    return team_create(name="Billing", slug="billing")


def _person(username, role, team, first, last):
    return staff_create(
        username=username,
        password=PASSWORD,
        role=role,
        team=team,
        first_name=first,
        last_name=last,
        email=f"{username}@staff.example",
    )


@pytest.fixture
def adviser(complaints_team):
    return _person("ada", Role.ADVISER, complaints_team, "Ada", "Adviser")


@pytest.fixture
def case_handler(complaints_team):
    return _person("hal", Role.CASE_HANDLER, complaints_team, "Hal", "Handler")


@pytest.fixture
def team_leader(complaints_team):
    return _person("tess", Role.TEAM_LEADER, complaints_team, "Tess", "Leader")


@pytest.fixture
def complaints_lead(db):
    return _person("lee", Role.COMPLAINTS_LEAD, None, "Lee", "Lead")


@pytest.fixture
def assessor(complaints_team):
    return _person("ash", Role.ASSESSOR, complaints_team, "Ash", "Assessor")


@pytest.fixture
def iqa(db):
    return _person("ivy", Role.IQA, None, "Ivy", "Quality")


@pytest.fixture
def admin_user(db):
    return _person("root", Role.ADMIN, None, "Ana", "Admin")


@pytest.fixture
def other_team_adviser(billing_team):
    return _person("otto", Role.ADVISER, billing_team, "Otto", "Other")


@pytest.fixture
def outsider(db):
    """A user account with no role in Amends at all."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="nobody", password=PASSWORD)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    """A client that calls the API with a new token of this user's (no session)."""
    from amends.core.services import api_token_create  # app modules load once pytest-django set Django up

    _, key = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def reseed_reference_data():
    """Put back the rows data migrations load (prescribed-wording blocks, root causes, authority limits,
    regimes, the behaviour policy). Transactional tests flush the database after each test, taking them
    with it."""
    from importlib import import_module

    from django.apps import apps

    from amends.letters.models import TextBlock
    from amends.process.models import RootCause
    from amends.regimes.services import regime_sync_builtin

    if not TextBlock.objects.exists():
        import_module("amends.letters.migrations.0002_seed_text_blocks").seed(apps, None)
        import_module("amends.letters.migrations.0005_seed_apology_block").seed(apps, None)
    if not RootCause.objects.exists():
        import_module("amends.process.migrations.0002_seed_root_causes_and_authority").seed(apps, None)
    import_module("amends.conduct.migrations.0002_seed_policy").seed(
        apps, None
    )  # update_or_create: idempotent
    regime_sync_builtin()


@pytest.fixture
def reference_data(transactional_db):
    reseed_reference_data()
