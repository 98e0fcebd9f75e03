"""The public transparency page (included at /transparency/ by config/urls.py)."""

from django.urls import path

from reports.views_transparency import TransparencyView

app_name = "transparency"
urlpatterns = [path("", TransparencyView.as_view(), name="index")]
