"""URLs of the reports app's dashboards (included by reports/urls.py, in its "reports" namespace)."""

urlpatterns: list = []
