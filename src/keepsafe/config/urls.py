from django.urls import include, path

from keepsafe.api.v1 import api
from keepsafe.web.views import health


def _partner_api_urls():
    """The partner API authenticates with its own keys, not staff sign-in (LoginRequiredMiddleware skips it)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace


urlpatterns = [
    # Operations (docs/operations.md): no sign-in, no personal data.
    path("health/ping", health.ping, name="health-ping"),
    path("health", health.health, name="health"),
    path("info", health.info, name="info"),
    path("metrics", health.prometheus, name="metrics"),
    path("api/v1/", _partner_api_urls()),
    path("", include("keepsafe.web.urls")),
]

handler400 = "keepsafe.web.views.errors.bad_request"
handler404 = "keepsafe.web.views.errors.not_found"
handler403 = "keepsafe.web.views.errors.forbidden"
handler500 = "keepsafe.web.views.errors.server_error"
