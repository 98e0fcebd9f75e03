"""The public transparency page (included at /transparency/ by config/urls.py)."""

app_name = "transparency"
urlpatterns: list = []
