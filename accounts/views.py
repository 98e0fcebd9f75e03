from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.context_processors import work_link


class StaffHomeView(LoginRequiredMixin, TemplateView):
    """Every signed-in user's landing page: the roles they hold and a link to each one's work."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        work = [(a, work_link(a)) for a in self.request.user.active_assignments]
        return super().get_context_data(work=work, **kwargs)
