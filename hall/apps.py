from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "hall"
    verbose_name = _("Hall queue")

    def ready(self) -> None:
        from hall.notify import register_hall_sms_events

        register_hall_sms_events()
