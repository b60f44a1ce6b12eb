"""Settings shared by every environment. Environment variables are read only in keepsafe.config.env."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.csp import CSP

from keepsafe.config import env

PACKAGE_DIR = Path(__file__).resolve().parents[2]

SECRET_KEY = env.secret_key()
DEBUG = False
ALLOWED_HOSTS = env.allowed_hosts("localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "keepsafe.core",
    "keepsafe.audit",
    "keepsafe.workforce",
    "keepsafe.people",
    "keepsafe.records",
    "keepsafe.risk",
    "keepsafe.sharing",
    "keepsafe.court",  # issue 16 §1: before sentence (helper "court")
    "keepsafe.victims",  # issue 16 §7: victim contact (helper "victim")
    "keepsafe.premises",  # issue 16 §5: approved premises referrals (helper "ap")
    "keepsafe.actions",
    "keepsafe.assurance",
    "keepsafe.oversight",
    "keepsafe.cases",  # issue 14 §5: stored case documents (helper "recall")
    "django_tasks_db",
    "keepsafe.web",
    "keepsafe.cli",
]

MIDDLEWARE = [
    "keepsafe.web.middleware.RequestContextMiddleware",
    "keepsafe.api.middleware.ApiAuditMiddleware",
    "keepsafe.web.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "keepsafe.web.middleware.SessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "keepsafe.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keepsafe.config.urls"
WSGI_APPLICATION = "keepsafe.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "keepsafe.web.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "keepsafe.web.context.page_context",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

DATABASES = {"default": env.database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "workforce.User"

# Argon2 first: OWASP ASVS 5.0 11.4.2 (approved, tuned password hashing).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC password guidance: length, a deny-list of common passwords, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 15}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Issue 11: a run of one character, or the username inside the password, is refused however long.
    {"NAME": "keepsafe.workforce.validators.NoRepeatsOrUsernameValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "keepsafe.workforce.backends.UserWithStaffBackend",  # ModelBackend, reading the staff record with the user
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"

# Throttled sign-in: lock the username+address pair after repeated failures, for a cool-off period.
AXES_FAILURE_LIMIT = env.login_failure_limit()
AXES_COOLOFF_TIME = timedelta(minutes=env.login_cooloff_minutes())
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keepsafe.web.views.auth.locked_out"
AXES_VERBOSE = False

# Sessions end after a period of inactivity: a signed-in user's request renews the expiry, writing the session
# row at most once a minute (web/middleware.SessionRenewalMiddleware), not on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.session_idle_minutes() * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_EVERY_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# The compiled front end lives inside the package (keepsafe/web/static/, built by keepsafe.web.build_static), found
# by the app directories finder, so an installed wheel serves it without the checkout.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False


# No personal data in application logs: log lines carry staff ids, roles, route patterns and request ids at most,
# never names, record text or paths (they carry CRNs). Audit events (who saw which CRN) live in the audit table.
# KEEPSAFE_LOG_FORMAT: plain here, JSON lines in production (docs/operations.md).
def logging_config(log_format: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
                "rename_fields": {"asctime": "timestamp", "levelname": "level", "name": "logger"},
                "timestamp": False,
            },
        },
        "filters": {
            "redact_crn": {"()": "keepsafe.core.logging.RedactCrnFilter"},
            "request_context": {"()": "keepsafe.core.log_context.RequestContextFilter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["redact_crn", "request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": env.log_level()},
        "loggers": {
            "axes": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},  # fpdf2's font subsetting logs every table at INFO
        },
    }


LOGGING = logging_config(env.log_format())

# Operations (docs/operations.md): who may read /metrics, how old the worker's heartbeat may be before /health says
# DOWN, and whether a console email backend counts as "not configured" (production: it does).
KEEPSAFE_METRICS_TOKEN = env.metrics_token()
KEEPSAFE_METRICS_NETWORKS = env.metrics_networks()
KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS = env.int_setting("KEEPSAFE_WORKER_HEARTBEAT_MAX_SECONDS", 300)
KEEPSAFE_REQUIRE_REAL_EMAIL = False

# True only in config/settings/production.py: commands that seed known logins (`keepsafe demo`) refuse to run.
KEEPSAFE_PRODUCTION = False
KEEPSAFE_TODAY = env.today_override()
env.retired(  # issue 14: one source for the contact expected of a case
    "KEEPSAFE_CONTACT_EXPECTATIONS",
    "contact expectations are the contact levels in actions/reference/contact-levels.json (docs/actions.md)",
)
KEEPSAFE_REFERENCE_DIR = PACKAGE_DIR / "people" / "reference"

# Safety actions (docs/actions.md): durations, the durable task queue and the worker's schedule.
KEEPSAFE_ACTIONS = env.actions_policy()
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
KEEPSAFE_SWEEP_EVERY_MINUTES = env.int_setting("KEEPSAFE_SWEEP_EVERY_MINUTES", 60)
KEEPSAFE_TASK_LEASE_SECONDS = env.int_setting("KEEPSAFE_TASK_LEASE_SECONDS", 900)
KEEPSAFE_DIGEST_HOUR = env.int_setting("KEEPSAFE_DIGEST_HOUR", 7)
# issue 20 (helper "sweep3"): the worker's sweeps are incremental; the first after this London hour each day is full.
KEEPSAFE_FULL_SWEEP_HOUR = env.int_setting("KEEPSAFE_FULL_SWEEP_HOUR", 0)
if KEEPSAFE_FULL_SWEEP_HOUR > 23:
    raise RuntimeError(f"KEEPSAFE_FULL_SWEEP_HOUR must be an hour from 0 to 23, got {KEEPSAFE_FULL_SWEEP_HOUR}")
# Cases per sweep transaction (issue 20); 0: 1,000 on PostgreSQL, sized as it goes on SQLite (actions/services/sweep).
KEEPSAFE_SWEEP_CHUNK = env.int_setting("KEEPSAFE_SWEEP_CHUNK", 0)
# Partner API calls allowed per key per minute; 0 turns the limit off (docs/api.md).
KEEPSAFE_API_RATE_LIMIT = env.int_setting("KEEPSAFE_API_RATE_LIMIT", 600)
MAILERS = {"default": {"BACKEND": env.email_backend()}}
DEFAULT_FROM_EMAIL = env.from_email()
# issue 14 §3: emails carry absolute links to this address (README "Configuration").
KEEPSAFE_BASE_URL = env.base_url()
