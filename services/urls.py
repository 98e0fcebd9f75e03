from django.urls import path

from services import views

app_name = "services"
urlpatterns = [
    path("", views.CatalogView.as_view(), name="catalog"),
    path("<str:code>/", views.ServiceDetailView.as_view(), name="detail"),
]
