from django.urls import path

from accounts.views import StaffHomeView

app_name = "staff"
urlpatterns = [
    path("", StaffHomeView.as_view(), name="home"),
]
