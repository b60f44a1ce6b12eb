from django.urls import include, path

urlpatterns = [
    path("", include("keepsafe.web.urls")),
]

handler404 = "keepsafe.web.views.errors.not_found"
handler403 = "keepsafe.web.views.errors.forbidden"
handler500 = "keepsafe.web.views.errors.server_error"
