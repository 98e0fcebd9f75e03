from django.urls import path

from backoffice import views

app_name = "office"
urlpatterns = [
    path("escalations/", views.EscalationsView.as_view(), name="escalations"),
    path("d/<int:pk>/", views.QueueView.as_view(), name="queue"),
    path("d/<int:pk>/take-next/", views.TakeNextView.as_view(), name="take_next"),
    path("r/<str:receipt>/", views.RequestFileView.as_view(), name="request"),
    path("r/<str:receipt>/act/<str:action>/", views.ActionView.as_view(), name="act"),
    path("r/<str:receipt>/assign/", views.AssignView.as_view(), name="assign"),
    path("r/<str:receipt>/reveal-id/", views.RevealIdentityView.as_view(), name="reveal_identity"),
    path("r/<str:receipt>/scan/<int:document>/", views.ScanView.as_view(), name="scan"),
]
