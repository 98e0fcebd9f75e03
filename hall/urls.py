from django.urls import path

from hall import views_devices, views_public, views_window

app_name = "hall"

urlpatterns = [
    path("device/", views_devices.DevicePairView.as_view(), name="device_pair"),
    path("kiosk/", views_devices.KioskView.as_view(), name="kiosk"),
    path("kiosk/ticket/<str:token>/", views_devices.KioskTicketView.as_view(), name="kiosk_ticket"),
    path("screen/", views_devices.ScreenView.as_view(), name="screen"),
    path("screen/stream/", views_devices.ScreenStreamView.as_view(), name="screen_stream"),
    path("t/<str:token>/", views_public.TicketView.as_view(), name="ticket"),
    path("c/<str:center>/", views_public.CenterHallView.as_view(), name="center"),
    path("window/<str:center>/open/", views_window.WindowOpenView.as_view(), name="window_open"),
    path("window/<str:center>/close/", views_window.WindowCloseView.as_view(), name="window_close"),
    path("window/<str:center>/call/", views_window.CallNextView.as_view(), name="call_next"),
    path(
        "window/<str:center>/tickets/<int:ticket>/transfer/",
        views_window.TicketTransferView.as_view(),
        name="ticket_transfer",
    ),
    path(
        "window/<str:center>/tickets/<int:ticket>/<str:action>/",
        views_window.TicketActionView.as_view(),
        name="ticket_action",
    ),
]
