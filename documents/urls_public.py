from django.urls import path

from documents import views

app_name = "verify"
urlpatterns = [
    path("", views.VerifyView.as_view(), name="lookup"),
    path("keys.json", views.keys_json, name="keys"),
    path("status/<int:number>.cose", views.status_list, name="status_list"),
]
