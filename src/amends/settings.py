"""Settings, all from the environment (see .env.example).

Defaults run Amends with nothing else installed: an SQLite file under ./var, mail written to files.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("AMENDS_DATA_DIR", Path.cwd() / "var")).resolve()
# The team's shared, labelled public data (../shared/data beside the checkout): training and benchmarks
# read it; the running product never does.
SHARED_DATA_DIR = Path(
    os.environ.get("AMENDS_SHARED_DATA", PACKAGE_DIR.parent.parent.parent / "shared" / "data")
).resolve()
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Amends demo organisation")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "amends.core",
    "amends.customers",
    "amends.cases",
    "amends.messaging",
    "amends.regimes",
    "amends.letters",
    "amends.process",
    "amends.signals",
    "amends.intake",
    "amends.portal",
    "amends.bench",
    "amends.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amends.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amends.urls"
WSGI_APPLICATION = "amends.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amends.core.context_processors.staff",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amends.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "outbox"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "complaints@amends.example")
EMAIL_DOMAIN = DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]

# Security defaults: on unless the environment says otherwise.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_AGE = 60 * 60 * 10
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Intake limits: anything above is refused with a clear error, never half-stored.
AMENDS_MAX_EMAIL_BYTES = int(os.environ.get("AMENDS_MAX_EMAIL_BYTES", str(25 * 1024 * 1024)))
AMENDS_MAX_TEXT_CHARS = 100_000
DATA_UPLOAD_MAX_MEMORY_SIZE = AMENDS_MAX_EMAIL_BYTES + 1024 * 1024
# Public form and login: attempts allowed per client address in a rolling window.
AMENDS_PUBLIC_FORM_RATE = (int(os.environ.get("AMENDS_PUBLIC_FORM_PER_HOUR", "10")), 3600)
AMENDS_LOGIN_RATE = (int(os.environ.get("AMENDS_LOGIN_PER_15_MIN", "10")), 900)

# Internal response targets by case kind, in calendar days, until the regulatory regimes (issue 3)
# set the clocks. They drive the "due soon" queue.
AMENDS_RESPONSE_TARGET_DAYS = {"query": 2, "problem": 5, "complaint": 20}
AMENDS_DUE_SOON_DAYS = 3
# Fault injection for the worker kill test (process/tests/test_worker_kill.py); never set in real use.
AMENDS_WORKER_HOLD = os.environ.get("AMENDS_WORKER_HOLD", "")
# What an email to the complaints mailbox opens: the signals (issue 4) flag ones that are really queries.
# The team whose queue new contacts land in (by slug); without one they wait for a complaints lead.
AMENDS_INTAKE_TEAM = os.environ.get("AMENDS_INTAKE_TEAM", "complaints")
AMENDS_EMAIL_DEFAULT_KIND = os.environ.get("AMENDS_EMAIL_DEFAULT_KIND", "complaint")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
