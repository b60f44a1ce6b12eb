from django.urls import include, path

from keepsafe.api.v1 import api


def _partner_api_urls():
    """The partner API authenticates with its own keys, not staff sign-in (LoginRequiredMiddleware skips it)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace


urlpatterns = [
    path("api/v1/", _partner_api_urls()),
    path("", include("keepsafe.web.urls")),
]

handler404 = "keepsafe.web.views.errors.not_found"
handler403 = "keepsafe.web.views.errors.forbidden"
handler500 = "keepsafe.web.views.errors.server_error"
