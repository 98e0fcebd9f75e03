from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("<str:number>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<str:number>/pdf/", views.DocumentPdfView.as_view(), name="pdf"),
    path("<str:number>/revoke/", views.RevokeView.as_view(), name="revoke"),
]
