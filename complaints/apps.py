from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.clocks import register_complaint_clock
        from complaints.notify import register_complaint_sms_events

        register_complaint_sms_events()
        register_complaint_clock()
