from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("documents/", views.DocumentFiguresView.as_view(), name="documents"),
    path("complaints/", views.ComplaintFiguresView.as_view(), name="complaints"),
    path("hall/", views.HallFiguresView.as_view(), name="hall"),
]
