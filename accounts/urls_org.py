from django.urls import path

from accounts import views_org as views

app_name = "org"
urlpatterns = [
    path("", views.GovernorateListView.as_view(), name="governorates"),
    path("g/<str:code>/", views.GovernorateDetailView.as_view(), name="governorate"),
    path("c/<str:code>/", views.CenterDetailView.as_view(), name="center"),
    path("d/<int:pk>/", views.DepartmentDetailView.as_view(), name="department"),
]
