from django.urls import path

from complaints import views_public, views_staff, views_window

app_name = "complaints"
urlpatterns = [
    path("new/", views_public.NewComplaintView.as_view(), name="new"),
    path("t/<str:token>/", views_public.TrackView.as_view(), name="track"),
    path("t/<str:token>/<str:action>/", views_public.CitizenActView.as_view(), name="citizen_act"),
    path("photo/<str:token>", views_public.PhotoView.as_view(), name="photo"),
    path("window/<str:center>/new/", views_window.WindowComplaintView.as_view(), name="window_new"),
    path(
        "window/<str:center>/c/<str:number>/",
        views_window.WindowComplaintReceiptView.as_view(),
        name="window_receipt",
    ),
    path("staff/", views_staff.ComplaintListView.as_view(), name="list"),
    path("staff/escalations/", views_staff.EscalationsView.as_view(), name="escalations"),
    path("staff/c/<str:number>/", views_staff.ComplaintFileView.as_view(), name="file"),
    path("staff/c/<str:number>/<str:action>/", views_staff.ComplaintActView.as_view(), name="act"),
]
