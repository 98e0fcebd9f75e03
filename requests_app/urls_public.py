from django.urls import path

from requests_app import views_public as views

app_name = "track"
urlpatterns = [
    path("track/", views.TrackView.as_view(), name="lookup"),
    path("t/<str:token>/", views.StatusView.as_view(), name="status"),
    path("t/<str:token>/sms/", views.SmsPreferenceView.as_view(), name="sms"),
]
