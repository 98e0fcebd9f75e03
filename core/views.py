from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language
from kombu import Connection

# The language switch carries no CSRF token: it is on every page, and the public pages are shared
# through the page cache (core.pagecache), which must hold nothing of one visitor's. Forcing someone's
# display language is all a forged post could do.
set_language = csrf_exempt(django_set_language)


class HomeView(TemplateView):
    template_name = "core/home.html"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{k: "ok" if v else "down" for k, v in checks.items()},
        },
        status=200 if healthy else 503,
    )


@require_GET
def site_emblem_image(request, version: str):
    """The administrator's emblem; its address names its version, so browsers may keep it for good."""
    from core.selectors import site_emblem

    data = site_emblem()
    if not data:
        raise Http404
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DesignSystemView(TemplateView):
    """The design system's components, each shown live with how to use it (administrators)."""

    template_name = "core/design.html"

    def get_context_data(self, **kwargs):
        from core.forms import DesignSampleForm

        sample = DesignSampleForm(data={"national_id": "2900101", "name": "أحمد محمد علي"})
        sample.is_valid()  # shows its errors as a real form would
        steps = [
            {"label": _("Submitted at the window"), "state": "done", "meta": "2026-11-01"},
            {"label": _("Engineering department"), "state": "current", "meta": _("since 2026-11-03")},
            {"label": _("Legal affairs"), "state": "todo"},
        ]
        return super().get_context_data(sample=sample, steps=steps, amount=1500.5, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:  # those who may open the administration site
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
