from django.urls import path

from requests_app import views_window as views

app_name = "window"
urlpatterns = [
    path("<str:center>/", views.WindowHomeView.as_view(), name="home"),
    path("<str:center>/services.json", views.ServiceOptionsView.as_view(), name="service_options"),
    path("<str:center>/new/<str:service>/", views.IntakeView.as_view(), name="intake"),
    path("<str:center>/r/<str:receipt>/", views.ReceiptView.as_view(), name="receipt"),
    path("<str:center>/r/<str:receipt>/print/", views.ReceiptPrintView.as_view(), name="receipt_print"),
    path("<str:center>/r/<str:receipt>/pdf/", views.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("<str:center>/r/<str:receipt>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<str:center>/r/<str:receipt>/deliver/", views.DeliverView.as_view(), name="deliver"),
    path("<str:center>/r/<str:receipt>/resubmit/", views.ResubmitView.as_view(), name="resubmit"),
]
