from django.urls import path

from complaints import views_public

app_name = "complaints"
urlpatterns = [
    path("t/<str:token>/", views_public.TrackView.as_view(), name="track"),
]
