from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from accounts.context_processors import dashboard_links, work_link
from core.throttle import failure_count, failures_exceeded, rate_window_seconds, too_many_requests


class StaffHomeView(LoginRequiredMixin, TemplateView):
    """Every signed-in user's landing page: the roles they hold and a link to each one's work; those who
    oversee centers (a manager, an official, the national viewer) find their dashboards first."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        work = [(a, work_link(a)) for a in self.request.user.active_assignments]
        dashboards = dashboard_links(self.request.user)
        return super().get_context_data(work=work, dashboards=dashboards, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked username and address: 429, and when to try again."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return too_many_requests(request, seconds=seconds, template="registration/locked_out.html")


def _password_user_key(group, request) -> str:
    return str(request.user.pk)


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    """A session that guesses the old password is stopped after a few wrong ones, like a sign-in."""

    success_url = reverse_lazy("accounts:password_change_done")
    throttle = {"group": "password-change", "key": _password_user_key}

    def post(self, request, *args, **kwargs):
        rate = settings.PASSWORD_CHANGE_FAILURE_RATE
        if failures_exceeded(request, rate=rate, **self.throttle):
            return too_many_requests(
                request, seconds=rate_window_seconds(rate), template="registration/locked_out.html"
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password"):
            failure_count(self.request, rate=settings.PASSWORD_CHANGE_FAILURE_RATE, **self.throttle)
        return super().form_invalid(form)
