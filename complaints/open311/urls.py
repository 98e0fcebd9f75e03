"""Open311 GeoReport v2, mounted at /open311/v2/: each resource ends with its format, .xml or .json."""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from complaints.open311 import views

app_name = "open311"


def _route(pattern: str, view, name: str):
    # Exempt from CSRF: a POST carries its api_key, never a session cookie.
    return re_path(rf"^{pattern}\.(?P<fmt>[^./]*)$", csrf_exempt(view.as_view()), name=name)


urlpatterns = [
    _route(r"discovery", views.DiscoveryView, "discovery"),
    _route(r"services", views.ServicesView, "services"),
    _route(r"services/(?P<code>[^/]+)", views.ServiceDefinitionView, "service"),
    _route(r"requests", views.RequestsView, "requests"),
    _route(r"requests/(?P<service_request_id>[^/]+)", views.RequestView, "request"),
    _route(r"tokens/(?P<token>[^/]+)", views.TokenView, "token"),
    _route(r"servicerequestupdates", views.UpdatesView, "updates"),
    re_path(r"^(?P<path>.*)$", csrf_exempt(views.NotFoundView.as_view()), name="not_found"),
]
