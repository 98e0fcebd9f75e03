"""URLs of the reports app's exports (included by reports/urls.py, in its "reports" namespace)."""

from django.urls import path

from reports import views_exports

urlpatterns: list = [
    path("", views_exports.ExportsView.as_view(), name="exports"),
    path("<int:pk>/", views_exports.ExportJobView.as_view(), name="export_job"),
    path("<int:pk>/status/", views_exports.ExportStatusView.as_view(), name="export_status"),
    path("<int:pk>/download/", views_exports.ExportDownloadView.as_view(), name="export_download"),
]
