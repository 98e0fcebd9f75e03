from django.urls import include, path

from reports import views

app_name = "reports"
urlpatterns = [
    path("documents/", views.DocumentFiguresView.as_view(), name="documents"),
    path("complaints/", views.ComplaintFiguresView.as_view(), name="complaints"),
    path("hall/", views.HallFiguresView.as_view(), name="hall"),
    path("", include("reports.urls_dashboards")),
    path("exports/", include("reports.urls_exports")),
]
