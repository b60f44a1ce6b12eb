"""Production: PostgreSQL, HTTPS only, secrets from the environment. Checked by `check --deploy` in the suite."""

from keepsafe.config import env
from keepsafe.config.settings.base import *  # noqa: F403

KEEPSAFE_PRODUCTION = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STATIC_ROOT = env.static_root()
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Reminders and digests go out by SMTP in production (host and credentials from Django's EMAIL_* settings).
MAILERS = {"default": {"BACKEND": env.email_backend("django.core.mail.backends.smtp.EmailBackend")}}
# Operations: JSON log lines for the collector; load balancers probe /health over plain HTTP inside the network.
LOGGING = logging_config(env.log_format("json"))  # noqa: F405
SECURE_REDIRECT_EXEMPT = [r"^health(/ping)?$", r"^info$", r"^metrics$"]
KEEPSAFE_REQUIRE_REAL_EMAIL = True
