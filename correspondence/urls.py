from django.urls import path

from correspondence import views

app_name = "letters"
urlpatterns = [
    path("", views.RegistryHomeView.as_view(), name="home"),
    path("escalations/", views.EscalationsView.as_view(), name="escalations"),
    path("o/<str:office>/inbox/", views.InboxView.as_view(), name="inbox"),
    path("o/<str:office>/<str:direction>/", views.RegisterView.as_view(), name="register"),
    path("o/<str:office>/<str:direction>/new/", views.NewLetterView.as_view(), name="new"),
    path("l/<int:pk>/", views.LetterView.as_view(), name="letter"),
    path("l/<int:pk>/pdf/", views.LetterPrintView.as_view(), name="print"),
    path("l/<int:pk>/scan/<int:position>/", views.AttachmentView.as_view(), name="attachment"),
    path("l/<int:pk>/<str:action>/", views.LetterActView.as_view(), name="act"),
    path("d/<int:pk>/", views.DepartmentLettersView.as_view(), name="department"),
]
