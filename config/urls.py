from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.views import DesignSystemView, HomeView, healthz, set_language, site_emblem_image
from documents.views import ScannedView

admin.site.site_header = _("Citizen service centers — administration")
admin.site.site_title = _("Citizen service centers")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("site/emblem-<str:version>.png", site_emblem_image, name="site_emblem"),
    path("design/", DesignSystemView.as_view(), name="design"),
    path("services/", include("services.urls")),
    path("accounts/", include("accounts.urls")),
    path("staff/", include("accounts.staff_urls")),
    path("org/", include("accounts.urls_org")),
    path("office/", include("backoffice.urls")),
    path("window/", include("requests_app.urls_window")),
    path("", include("requests_app.urls_public")),
    path("sms/", include("notifications.urls")),
    path("verify/", include("documents.urls_public")),
    path("letters/", include("correspondence.urls_public")),
    # What a document's QR opens (the payload in capitals, as the QR's alphanumeric mode carries it).
    path("V/<str:payload>", ScannedView.as_view(), name="verify_scanned"),
    path("documents/", include("documents.urls_staff")),
    path("complaints/", include("complaints.urls")),
    path("open311/v2/", include("complaints.open311.urls")),
    path("letters/", include("correspondence.urls")),
    path("reports/", include("reports.urls")),
    path("hall/", include("hall.urls")),
    path("transparency/", include("reports.urls_transparency")),
    path("admin/", admin.site.urls),
]
