"""Production settings: never a published key, HTTPS and proxy settings from the environment,
`check --deploy` clean with the production environment of `.env.example`."""

from __future__ import annotations

import os
import runpy
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import amends

SETTINGS = Path(amends.__file__).with_name("settings.py")
ENV_EXAMPLE = Path(amends.__file__).parents[2] / ".env.example"
DEPLOYMENT_VARIABLES = [
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "AMENDS_TRUSTED_PROXIES",
]


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    """The environment of a fresh install: none of the deployment variables, an empty data folder."""
    for name in DEPLOYMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AMENDS_DATA_DIR", str(tmp_path / "var"))
    return monkeypatch


def load_settings() -> dict:
    return runpy.run_path(str(SETTINGS))


def production_env() -> dict[str, str]:
    """The uncommented settings of .env.example, as an administrator would start from, with a real key."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


OLD_DEFAULT_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
ENV_EXAMPLE_KEY = "change-me-to-a-long-random-string"


@pytest.mark.parametrize("published", [OLD_DEFAULT_KEY, ENV_EXAMPLE_KEY])
def test_settings_refuse_a_published_key(bare_env, published):
    bare_env.setenv("SECRET_KEY", published)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings()


def test_without_a_key_one_is_made_on_first_run_and_kept_in_the_data_folder(bare_env, tmp_path):
    first = load_settings()
    key_file = tmp_path / "var" / "secret_key"
    assert first["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first["SECRET_KEY"]) >= 50 and first["SECRET_KEY"] not in first["PUBLIC_SECRET_KEYS"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings()["SECRET_KEY"] == first["SECRET_KEY"]  # a restart keeps sessions valid
    assert [p.name for p in key_file.parent.iterdir() if "secret" in p.name] == ["secret_key"]
    bare_env.setenv("AMENDS_DATA_DIR", str(tmp_path / "another"))
    assert load_settings()["SECRET_KEY"] != first["SECRET_KEY"]


def test_without_a_key_or_a_data_folder_to_keep_one_in_it_says_so(bare_env, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    bare_env.setenv("AMENDS_DATA_DIR", str(tmp_path / "not-a-folder"))
    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY, or let Amends keep one in"):
        load_settings()


def test_a_key_in_the_environment_wins_and_nothing_is_written(bare_env, tmp_path):
    bare_env.setenv("SECRET_KEY", "k" * 10 + secrets.token_urlsafe(50))
    assert load_settings()["SECRET_KEY"].startswith("kkkkkkkkkk")
    assert not (tmp_path / "var" / "secret_key").exists()


def test_defaults_are_for_the_demo_only(bare_env):
    loaded = load_settings()
    assert loaded["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]  # no "testserver"
    assert loaded["SECURE_HSTS_SECONDS"] == 0 and not loaded["SECURE_SSL_REDIRECT"]
    assert loaded["SECURE_PROXY_SSL_HEADER"] is None and loaded["AMENDS_TRUSTED_PROXIES"] == []


def test_https_and_proxy_settings_come_from_the_environment(bare_env):
    for name, value in production_env().items():
        bare_env.setenv(name, value)
    loaded = load_settings()
    assert loaded["SECURE_SSL_REDIRECT"] and loaded["SECURE_HSTS_SECONDS"] == 31536000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and loaded["SECURE_HSTS_PRELOAD"]
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert loaded["AMENDS_TRUSTED_PROXIES"] == ["127.0.0.1/32"]
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["CSRF_COOKIE_SECURE"] and not loaded["DEBUG"]


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start(bare_env):
    bare_env.setenv("AMENDS_TRUSTED_PROXIES", "proxy.internal")
    with pytest.raises(ValueError, match="proxy.internal"):
        load_settings()


def _check_deploy(env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess:
    # Only what finds Python and Amends: the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE, set
    # for the browser tests) are no part of a production environment.
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "PYTHONPATH", "HOME", "LANG", "TMPDIR"}}
    return subprocess.run(
        [sys.executable, "-m", "amends.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, **env, "AMENDS_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    result = _check_deploy(production_env(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_production_environment_without_https(tmp_path):
    env = {k: v for k, v in production_env().items() if not k.startswith("SECURE_")}
    result = _check_deploy(env, tmp_path)
    assert result.returncode != 0
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in result.stderr, check
