"""URLs of the reports app's dashboards (included by reports/urls.py, in its "reports" namespace)."""

from django.urls import path

from reports import views_cash, views_department
from reports import views_dashboards as views

urlpatterns: list = [
    path("dashboard/", views.GovernorateDashboardView.as_view(), name="dashboard"),
    path("dashboard/center/<str:code>/", views.CenterDashboardView.as_view(), name="dashboard_center"),
    path("dashboard/center/<str:code>/cash/", views_cash.CashSheetView.as_view(), name="cash_sheet"),
    path("dashboard/national/", views.NationalDashboardView.as_view(), name="dashboard_national"),
    path(
        "dashboard/department/<int:pk>/",
        views_department.DepartmentDashboardView.as_view(),
        name="dashboard_department",
    ),
    path("dashboard/requests/", views.RequestsBehindView.as_view(), name="dashboard_requests"),
]
