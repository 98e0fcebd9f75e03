"""URLs of the reports app's exports (included by reports/urls.py, in its "reports" namespace)."""

urlpatterns: list = []
