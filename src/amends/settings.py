"""Settings, all from the environment (see .env.example).

Defaults run Amends with nothing else installed: an SQLite file under ./var, mail written to files.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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


# Keys that were ever published (the old default, .env.example's placeholder): anyone could sign sessions
# and password-reset links with them, so Amends refuses to start on one.
PUBLIC_SECRET_KEYS = {
    "insecure-development-key-set-SECRET_KEY-in-production",
    "change-me-to-a-long-random-string",
}


def secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else the random key kept in the data folder (made on first run).

    Several processes (web workers, the worker) may start at once: the key is written to a temporary file
    and linked into place, so exactly one key wins and nobody reads a half-written file.
    """
    key = os.environ.get("SECRET_KEY", "").strip()
    if key in PUBLIC_SECRET_KEYS:
        raise ImproperlyConfigured("SECRET_KEY is a published example: set a long random one (see README)")
    if key:
        return key
    path = data_dir / "secret_key"
    if not path.exists():
        temporary = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise ImproperlyConfigured(f"Set SECRET_KEY, or let Amends keep one in {data_dir}") from exc
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    return path.read_text().strip()


SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Amends demo organisation")
# A JSON file replacing what safety alerts tell staff to do and the support offered to a customer who
# mentions self-harm (signals/safety_texts.json has the shipped UK texts and their keys).
AMENDS_SAFETY_TEXTS = os.environ.get("AMENDS_SAFETY_TEXTS", "")
# Repeated problems (problems app): a group of complaints from this many customers within this many days
# opens a problem record; this many customers' queries or problem contacts in the window raise an early
# warning first.
PROBLEMS_OPEN_CUSTOMERS = int(os.environ.get("AMENDS_PROBLEMS_OPEN_CUSTOMERS", "3"))
PROBLEMS_OPEN_DAYS = int(os.environ.get("AMENDS_PROBLEMS_OPEN_DAYS", "7"))
PROBLEMS_WARNING_CUSTOMERS = int(os.environ.get("AMENDS_PROBLEMS_WARNING_CUSTOMERS", "3"))
# Off: messages are grouped only by `amends problems regroup` (e.g. nightly), not as they arrive.
PROBLEMS_GROUP_ON_ARRIVAL = os.environ.get("AMENDS_PROBLEMS_GROUP_ON_ARRIVAL", "1") != "0"
# Past this many messages learnt from, the grouping's re-learning (a full regrouping) waits for the worker
# instead of running after an arrival's commit (problems.services._relearn_inline).
PROBLEMS_RELEARN_INLINE_UP_TO = int(os.environ.get("AMENDS_PROBLEMS_RELEARN_INLINE_UP_TO", "1000"))

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
    "amends.conduct",
    "amends.care",
    "amends.intake",
    "amends.experience",
    "amends.portal",
    "amends.problems",
    "amends.insights",
    "amends.monitoring",
    "amends.improvement",
    "amends.returns",
    "amends.practice",
    "amends.knowledge",
    "amends.assessment",
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
    "amends.core.middleware.PublicBodyLimitMiddleware",
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

# Nothing shared lives in this cache (rate limits are counted in the database, core.ratelimit).
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

# Outbound mail goes through the outbox, sent by the worker (`amends worker`), never by a request. The
# mail server gets EMAIL_TIMEOUT seconds for each step of a send; a message that fails is tried again
# after AMENDS_OUTBOX_RETRY_FIRST_SECONDS, doubling each time up to AMENDS_OUTBOX_RETRY_MAX_SECONDS, and
# given up after AMENDS_OUTBOX_MAX_ATTEMPTS tries (at once on a permanent 5xx refusal). Mail still
# queued after AMENDS_OUTBOX_STUCK_MINUTES counts as stuck ("Email not delivered" in the queue).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
AMENDS_OUTBOX_BATCH = int(os.environ.get("AMENDS_OUTBOX_BATCH", "20"))
AMENDS_OUTBOX_RETRY_FIRST_SECONDS = int(os.environ.get("AMENDS_OUTBOX_RETRY_FIRST_SECONDS", "60"))
AMENDS_OUTBOX_RETRY_MAX_SECONDS = int(os.environ.get("AMENDS_OUTBOX_RETRY_MAX_SECONDS", str(6 * 3600)))
AMENDS_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("AMENDS_OUTBOX_MAX_ATTEMPTS", "12"))
AMENDS_OUTBOX_STUCK_MINUTES = int(os.environ.get("AMENDS_OUTBOX_STUCK_MINUTES", "15"))

# Notifications by email (README "Notifications by email"): a person's notifications they chose to get by
# email, and every urgent safety alert, are sent once the change that made them commits (a request waits
# at most EMAIL_TIMEOUT per step for it; AMENDS_NOTIFICATION_EMAIL_AT_COMMIT=0 leaves them all to the
# worker), through the same mail settings as the outbox. The worker retries a failure after 1, 5, 25...
# minutes and gives up after AMENDS_NOTIFICATION_EMAIL_TRIES tries, logged. Links in them start SITE_URL.
AMENDS_NOTIFICATION_EMAIL_AT_COMMIT = env_bool("AMENDS_NOTIFICATION_EMAIL_AT_COMMIT", True)
AMENDS_NOTIFICATION_EMAIL_TRIES = int(os.environ.get("AMENDS_NOTIFICATION_EMAIL_TRIES", "5"))

# Replies on the customer's own channel (README "Replying on the customer's channel"). An integration's
# webhook gets AMENDS_WEBHOOK_TIMEOUT seconds to answer; retries and giving up are the outbox's, as for
# email. AMENDS_SMS_PROVIDER is the dotted path of an SMS provider class (messaging/sms.py); unset, SMS is
# not offered. A reply longer than AMENDS_SMS_MAX_SEGMENTS segments does not go by SMS.
# The contact that stays open whatever a conduct decision restricts (the notice letter, the case page's
# panel, every contact arrangement, the refusal of a decision that would close every channel): the
# organisation's own words, number and hours. Unset or blank: conduct/defaults.py's EMERGENCY_CONTACT.
AMENDS_CONDUCT_EMERGENCY_CONTACT = os.environ.get("AMENDS_CONDUCT_EMERGENCY_CONTACT", "")
AMENDS_WEBHOOK_TIMEOUT = int(os.environ.get("AMENDS_WEBHOOK_TIMEOUT", "10"))
AMENDS_SMS_PROVIDER = os.environ.get("AMENDS_SMS_PROVIDER", "")
AMENDS_SMS_TIMEOUT = int(os.environ.get("AMENDS_SMS_TIMEOUT", "10"))
AMENDS_SMS_MAX_SEGMENTS = int(os.environ.get("AMENDS_SMS_MAX_SEGMENTS", "6"))

# Security defaults: on unless the environment says otherwise.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_AGE = 60 * 60 * 10
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A refused form says what to do next, not a raw "CSRF verification failed".
CSRF_FAILURE_VIEW = "amends.portal.views.csrf_failure"

# Deployment behind HTTPS and a reverse proxy (README "Deployment"); all off unless the environment says.
# HSTS: browsers refuse plain HTTP to this host for this many seconds once they have seen it.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The header the proxy sets to say the client came over HTTPS (e.g. X-Forwarded-Proto). Only set it when
# the proxy overwrites that header on every request, or a client can claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
# The reverse proxies in front of Amends (addresses or networks, comma-separated). A request from one of
# them is from the client named in X-Forwarded-For (the nearest address that is not a trusted proxy);
# from anywhere else X-Forwarded-For is ignored, since a client can write anything there.
AMENDS_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(p.strip(), strict=False))
    for p in os.environ.get("AMENDS_TRUSTED_PROXIES", "").split(",")
    if p.strip()
]

# Intake limits: anything above is refused with a clear error, never half-stored.
AMENDS_MAX_EMAIL_BYTES = int(os.environ.get("AMENDS_MAX_EMAIL_BYTES", str(25 * 1024 * 1024)))
AMENDS_MAX_TEXT_CHARS = 100_000
# Attachments extracted from one email; more are kept in its raw source and the message says how many.
AMENDS_MAX_ATTACHMENTS = int(os.environ.get("AMENDS_MAX_ATTACHMENTS", "100"))
# MIME parts read from one email (every multipart, body and file counts); past this many, parts are not
# looked at, and the message says so: the raw source keeps them.
AMENDS_MAX_MIME_PARTS = int(os.environ.get("AMENDS_MAX_MIME_PARTS", "500"))
DATA_UPLOAD_MAX_MEMORY_SIZE = AMENDS_MAX_EMAIL_BYTES + 1024 * 1024
# Files staff attach to a reply, a letter or the evidence (core/files.py): each at most this size, and at
# most this many and this much together on one message, so the email (a third larger once encoded) stays
# under the 25 MB most mail servers accept.
AMENDS_ATTACHMENT_MAX_BYTES = int(os.environ.get("AMENDS_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES = int(
    os.environ.get("AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES", str(15 * 1024 * 1024))
)
AMENDS_ATTACHMENTS_MAX_FILES = int(os.environ.get("AMENDS_ATTACHMENTS_MAX_FILES", "10"))
# The most anyone not signed in may send in one request (the public form, the portal, login), refused
# before it is read: the complaint form at its longest, every character four UTF-8 bytes, percent-encoded,
# fits. Paths that check a credential in a header before reading the body keep their own limits.
AMENDS_MAX_PUBLIC_BODY_BYTES = int(os.environ.get("AMENDS_MAX_PUBLIC_BODY_BYTES", str(512 * 1024)))
AMENDS_HEADER_AUTHENTICATED_PATHS = ("/api/", "/inbound/")
# Public form and login: attempts allowed per client address in a fixed window, counted in the database
# (core.ratelimit). Login: this many per username from one address, three times as many per address.
AMENDS_PUBLIC_FORM_RATE = (int(os.environ.get("AMENDS_PUBLIC_FORM_PER_HOUR", "10")), 3600)
AMENDS_LOGIN_RATE = (int(os.environ.get("AMENDS_LOGIN_PER_15_MIN", "10")), 900)
# The customer portal (the status page's forms): posts per client address an hour, and per private link
# an hour from all addresses together, so one link cannot be hammered from many.
AMENDS_PORTAL_RATE = (int(os.environ.get("AMENDS_PORTAL_POSTS_PER_HOUR", "30")), 3600)
AMENDS_PORTAL_LINK_RATE = (int(os.environ.get("AMENDS_PORTAL_POSTS_PER_LINK_PER_HOUR", "10")), 3600)
# The email provider's credential for POST /inbound/email (Bearer, or the password of HTTP basic auth):
# its own secret, not a staff member's token. Unset, the endpoint refuses every post.
AMENDS_INBOUND_EMAIL_SECRET = os.environ.get("AMENDS_INBOUND_EMAIL_SECRET", "")
# Team mailboxes read by IMAP (intake/imap.py, README "Team mailbox (IMAP)"): the worker polls each every
# AMENDS_MAILBOX_POLL_SECONDS, at most AMENDS_MAILBOX_POLL_MAX emails a poll, holding it meanwhile for
# AMENDS_MAILBOX_LEASE_SECONDS (a worker that dies leaves it due again then); `amends mailbox watch` waits
# on it with IDLE, renewed every AMENDS_MAILBOX_IDLE_SECONDS (RFC 2177: under 29 minutes). Each step with
# the server may take AMENDS_IMAP_TIMEOUT seconds. AMENDS_IMAP_CA_FILE: a CA certificate (PEM) trusted
# besides the system's, for a server with a certificate of your own CA.
AMENDS_MAILBOX_POLL_SECONDS = int(os.environ.get("AMENDS_MAILBOX_POLL_SECONDS", "60"))
AMENDS_MAILBOX_POLL_MAX = int(os.environ.get("AMENDS_MAILBOX_POLL_MAX", "200"))
AMENDS_MAILBOX_LEASE_SECONDS = int(os.environ.get("AMENDS_MAILBOX_LEASE_SECONDS", "600"))
AMENDS_MAILBOX_IDLE_SECONDS = int(os.environ.get("AMENDS_MAILBOX_IDLE_SECONDS", str(25 * 60)))
AMENDS_IMAP_TIMEOUT = int(os.environ.get("AMENDS_IMAP_TIMEOUT", "30"))
AMENDS_IMAP_CA_FILE = os.environ.get("AMENDS_IMAP_CA_FILE", "")

# Internal response targets by case kind, in calendar days, until the regulatory regimes (issue 3)
# set the clocks. They drive the "due soon" queue.
AMENDS_RESPONSE_TARGET_DAYS = {"query": 2, "problem": 5, "complaint": 20}
AMENDS_DUE_SOON_DAYS = 3
# Fault injection for the worker kill tests (process/tests/test_worker_kill.py,
# intake/tests/test_imap_kill.py); never set in real use.
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

# The learning record store learners' xAPI statements are sent to (`amends competence xapi --send`); empty:
# none (the statements are still downloadable from each portfolio and the API).
AMENDS_LRS_ENDPOINT = os.environ.get("AMENDS_LRS_ENDPOINT", "")
AMENDS_LRS_KEY = os.environ.get("AMENDS_LRS_KEY", "")
AMENDS_LRS_SECRET = os.environ.get("AMENDS_LRS_SECRET", "")
