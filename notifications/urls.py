from django.urls import path

from notifications import views

app_name = "sms"
urlpatterns = [
    path("delivery-report/", views.delivery_report, name="delivery_report"),
]
